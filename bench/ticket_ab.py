"""Ticket download before and after the speed work, side by side and serially (issue 15).

    python bench/ticket_ab.py BEFORE_URL AFTER_URL SESSIONS.json [N]

Two servers of one sync gunicorn worker each, on the same database at the same time
(bench/ticket_ab.sh starts them): the code before the speed work and after it. On a shared
host whose load moves within minutes, throughput figures of separate runs compare badly; here
each request to one server is followed by the same request to the other, so both see the same
load, and nothing queues (one request at a time). For each of N ticket holders, in ABBA order:

- the first download (nothing stored: the script deletes the holder's stored PDF first),
- the download again (after: the stored PDF),
- the trivial view (the host's speed at that moment),

and, before all that, the very first ticket each fresh worker serves (before: the CJK font is
parsed then; after: at the worker's start). Wall times through HTTP in ms, PostgreSQL and
Redis included; medians and 90th percentiles. Writes bench/out/ticket/ab.json and prints a
Markdown table.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import sys
import time
import urllib.request
from pathlib import Path

MEDIA = Path(os.environ["PRIVATE_MEDIA_ROOT"])  # the servers' private media (bench/ticket_ab.sh)


def get(base: str, path: str, session: str | None = None) -> tuple[float, int, int]:
    request = urllib.request.Request(base + path)  # noqa: S310 - http://127.0.0.1 only
    if session:
        request.add_header("Cookie", f"sessionid={session}")
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310 - loopback
        body = response.read()
        status = response.status
    return (time.perf_counter() - started) * 1000, status, len(body)


def ticket(base, holder):
    ms, status, size = get(base, f"/exams/applications/{holder['application']}/ticket.pdf", holder["session"])
    assert status == 200 and size > 10_000, (status, size)
    return ms


def purge(announcement_id: int, ticket_id: int | None = None) -> None:
    root = MEDIA / "exam-tickets" / str(announcement_id)
    shutil.rmtree(root / str(ticket_id) if ticket_id else root, ignore_errors=True)


def main() -> None:
    before, after, sessions_path = sys.argv[1:4]
    count = int(sys.argv[4]) if len(sys.argv) > 4 else 30
    holders = json.loads(Path(sessions_path).read_text())
    announcement_id = holders[0]["announcement"]
    purge(announcement_id)
    results: dict[str, dict[str, list[float]]] = {"before": {}, "after": {}}
    servers = {"before": before, "after": after}

    def record(side, kind, ms):
        results[side].setdefault(kind, []).append(ms)

    # A fresh worker's first ticket (the servers were started just before this script).
    for side in ("before", "after"):
        record(side, "a fresh worker's first ticket", ticket(servers[side], holders[0]))
    for index, holder in enumerate(holders[1 : count + 1]):
        order = ("before", "after") if index % 2 == 0 else ("after", "before")
        purge(announcement_id, holder["ticket"])
        for side in order:
            record(side, "first download", ticket(servers[side], holder))
        for side in reversed(order):
            record(side, "again (after: stored)", ticket(servers[side], holder))
        for side in order:
            record(side, "trivial view", get(servers[side], "/bench/trivial")[0])
    summary = {
        side: {
            kind: {
                "n": len(values),
                "median": statistics.median(values),
                "p90": sorted(values)[int(0.9 * (len(values) - 1))],
            }
            for kind, values in kinds.items()
        }
        for side, kinds in results.items()
    }
    out = Path(__file__).resolve().parent / "out" / "ticket"
    out.mkdir(parents=True, exist_ok=True)
    (out / "ab.json").write_text(json.dumps({"summary": summary, "raw": results}, indent=1))
    print(
        "| request (one at a time, ms through HTTP) | before: median | p90 | after: median | p90 | after ÷ before |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for kind in results["before"]:
        b, a = summary["before"][kind], summary["after"][kind]
        print(
            f"| {kind} (n={b['n']}) | {b['median']:,.0f} | {b['p90']:,.0f} | {a['median']:,.0f} | {a['p90']:,.0f} "
            f"| {a['median'] / b['median']:.2f} |"
        )


if __name__ == "__main__":
    main()
