"""CPU time used so far, machine-wide and by the benchmark's own processes (Linux /proc).

python bench/cpu_snapshot.py OUT.json   — run before and after a phase; bench/report.py
turns the two into shares: how much of the machine's CPU the server side, Locust and
everything else (other people's work on a shared machine) used during the phase.
"""

import json
import os
import sys
import time
from pathlib import Path

GROUPS = ("gunicorn", "celery", "postgresql", "redis")


def group_of(cmdline: str, environ: bytes) -> str | None:
    """The benchmark's own processes only: gunicorn and Celery started by bench/run.sh (they
    inherit BENCH_OUT), PostgreSQL backends of the `bench` database and parallel workers, the Redis server."""
    ours = b"BENCH_OUT=" in environ
    if "gunicorn" in cmdline and ours:
        return "gunicorn"
    if "celery" in cmdline and ours:
        return "celery"
    # A parallel query's helpers are named "postgres: parallel worker for PID n", without
    # the database: counted here (they were the queue phase's "other processes" until the
    # queue stopped planning parallel queries).
    if cmdline.startswith("postgres:") and (" bench " in cmdline or "parallel worker" in cmdline):
        return "postgresql"
    if "redis-server" in cmdline:
        return "redis"
    return None


def process_ticks() -> dict[str, int]:
    totals = dict.fromkeys(GROUPS, 0)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            group = group_of(cmdline, (entry / "environ").read_bytes())
        except OSError:
            continue
        if group:
            totals[group] += int(fields[11]) + int(fields[12])  # utime + stime
    return totals


def machine_ticks() -> int:
    parts = [int(value) for value in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = parts[3] + parts[4]  # idle + iowait
    return sum(parts[:8]) - idle


def main():
    snapshot = {
        "at": time.time(),
        "hz": os.sysconf("SC_CLK_TCK"),
        "busy": machine_ticks(),
        "groups": process_ticks(),
    }
    Path(sys.argv[1]).write_text(json.dumps(snapshot))


if __name__ == "__main__":
    main()
