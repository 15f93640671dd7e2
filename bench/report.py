"""Write bench/RESULTS.md from the last run's files in bench/out/.

Reads phases.txt (name, seconds, user classes), Locust's <phase>_stats.csv, dataset.json,
check.json, seating.json, tickets-<phase>.json and the machine's facts; compares with the
targets of issue #7 and issue 15 (seating, the ticket surge).
"""

import argparse
import csv
import json
import os
import platform
import subprocess
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(os.environ.get("BENCH_OUT", ROOT / "bench" / "out"))

# Saturation phase -> the endpoint it measures.
SATURATION = {
    "trivial": "trivial view",
    "trivial2": "trivial view",
    "detail": "announcement detail",
    "list": "announcement list",
    "queue": "review queue",
    "status": "status page",
    "ticket": "ticket pdf",
}
# Locust user classes of the mix and their weights (bench/locustfile.py).
MIX_WEIGHTS = {"AnonymousVisitor": 5, "Applicant": 3, "Reviewer": 2, "TicketHolder": 2}


def read_json(name: str) -> dict:
    path = OUT / name
    try:
        return json.loads(path.read_text()) if path.exists() else {}
    except ValueError:
        return {}


def kb(value) -> str:
    return "–" if value is None else f"{value / 1024:,.1f} KB"


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gb = 0.0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem_gb = int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    try:
        pg = subprocess.run(
            ["psql", os.environ.get("DATABASE_URL", ""), "-tAc", "SHOW server_version"],
            capture_output=True,
            text=True,
            timeout=5,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pg = "?"
    return {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "memory_gb": round(mem_gb, 1),
        "python": platform.python_version(),
        "postgresql": pg or "?",
        "kernel": platform.release(),
    }


def read_stats(phase: str) -> dict[str, dict]:
    path = OUT / f"{phase}_stats.csv"
    if not path.exists():
        return {}
    rows = {}
    with path.open(newline="") as handle:
        for row in csv.DictReader(handle):
            rows[row["Name"]] = row
    return rows


def num(row: dict | None, key: str) -> float | None:
    if not row:
        return None
    try:
        return float(row.get(key) or "nan")
    except ValueError:
        return None


def fmt(value, digits=0) -> str:
    if value is None or value != value:  # None or NaN
        return "–"
    return f"{value:,.{digits}f}"


def cpu_shares(phase: str) -> dict | None:
    """Shares of the machine's CPU capacity (cores × wall time) during a phase."""
    try:
        before = json.loads((OUT / f"cpu-{phase}-before.json").read_text())
        after = json.loads((OUT / f"cpu-{phase}-after.json").read_text())
    except (OSError, ValueError):
        return None
    hz, wall = before["hz"], after["at"] - before["at"]
    capacity = wall * (os.cpu_count() or 1)
    shares = {
        group: max(0, after["groups"].get(group, 0) - before["groups"].get(group, 0)) / hz / capacity
        for group in before["groups"]
    }
    try:
        shares["locust"] = json.loads((OUT / f"cpu-locust-{phase}.json").read_text())["seconds"] / capacity
    except (OSError, ValueError):
        shares["locust"] = 0.0
    busy = (after["busy"] - before["busy"]) / hz / capacity
    shares["other processes"] = max(0.0, busy - sum(shares.values()))
    shares["idle"] = max(0.0, 1 - busy)
    shares["wall"] = wall
    return shares


def status_of(ok: bool | None) -> str:
    return "not measured" if ok is None else ("**met**" if ok else "**missed**")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "RESULTS.md")
    args = parser.parse_args()

    facts = machine()
    dataset = json.loads((OUT / "dataset.json").read_text()) if (OUT / "dataset.json").exists() else {}
    check = json.loads((OUT / "check.json").read_text()) if (OUT / "check.json").exists() else {}
    phases = []
    loads = {}
    if (OUT / "phases.txt").exists():
        for line in (OUT / "phases.txt").read_text().splitlines():
            name, seconds, load_before, load_after, *classes = line.split()
            phases.append((name, int(seconds), classes))
            loads[name] = (load_before, load_after)
    stats = {name: read_stats(name) for name, _, _ in phases}
    users = os.environ.get("BENCH_USERS", "50")
    workers = os.environ.get("BENCH_WORKERS") or str(2 * (facts["cores"] or 1) + 1)
    threads = int(os.environ.get("BENCH_THREADS") or 1)
    workers_text = (
        f"{workers} gthread workers × {threads} threads" if threads > 1 else f"{workers} sync workers"
    )
    started = (OUT / "started").read_text().strip() if (OUT / "started").exists() else "?"

    trivial_runs = [
        num(stats[name].get("trivial view"), "Requests/s")
        for name, _, _ in phases
        if name.startswith("trivial")
    ]
    trivial_runs = [value for value in trivial_runs if value]
    trivial_rps = sum(trivial_runs) / len(trivial_runs) if trivial_runs else None

    lines = [
        "# Benchmark results",
        "",
        f"Written by `bench/run.sh` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC (run started {started}). "
        "Do not edit by hand: run it again.",
        "",
        "## Machine and setup",
        "",
        f"- {facts['cores']} cores ({facts['cpu']}), {facts['memory_gb']} GB memory, Linux {facts['kernel']}",
        f"- Python {facts['python']}, PostgreSQL {facts['postgresql']}, Redis (cache, sessions' neighbour, "
        "Celery broker), one Celery worker",
        f"- gunicorn, {workers_text}, `DEBUG=false`, persistent connections (`CONN_MAX_AGE`)",
        f"- Locust (FastHttpUser), {users} users, headless, **on the same {facts['cores']} cores** as gunicorn, "
        "PostgreSQL, Redis and Celery: every figure includes the load generator's own CPU. That is why "
        "each endpoint is also given as a ratio to the trivial view measured by the same client in the "
        "same run.",
        "",
        "## Dataset",
        "",
    ]
    if dataset:
        stages = ", ".join(f"{k} {v:,}" for k, v in sorted(dataset.get("stages", {}).items()))
        lines += [
            f"- 1 announcement, {dataset.get('positions')} positions, {dataset.get('applicants'):,} applicants "
            f"with profile and education, {dataset.get('applications'):,} applications ({stages}), "
            f"{dataset.get('application_events'):,} audit events (of all three announcements when the exam ones below exist)",
            f"- {dataset.get('pool'):,} more applicants with a complete profile and no application: the Locust "
            f"applicants (one account each, one submit each); {dataset.get('reviewers')} reviewers assigned",
            f"- built in **{dataset.get('seconds', {}).get('total')} s** (PostgreSQL COPY; one Argon2 hash "
            f"shared by all accounts): {dataset.get('seconds')}",
        ]
        exam, tickets = dataset.get("exam") or {}, dataset.get("tickets") or {}
        if exam:
            lines.append(
                f"- the written exam (issue 15), two more announcements of the same applicants: **seating**: "
                f"{exam['approved']:,} approved applications over {exam['positions']} positions, an exam plan "
                f"with one session, {exam['venues']} venues, {exam['rooms']:,} rooms of 30, {exam['seats']:,} "
                f"seats, nobody seated (`bench/seating.py` seats them); **tickets**: {tickets.get('issued', 0):,} "
                f"applicants already seated (tickets numbered as the job numbers them), printing window open, "
                f"{tickets.get('with_photo', 0):,} of them with a {kb(tickets.get('photo_bytes'))} JPEG ID photo "
                f"in the snapshot, the rest without (the ticket prints the missing-photo box)"
            )
    lines += ["", "## Saturation phases: one endpoint, no think time", ""]
    lines += [
        "Each phase: the same Locust client, the same user count, no wait between requests, "
        "for the stated seconds. Throughput is requests/s; ratio = endpoint ÷ the trivial view's mean "
        f"over its {len(trivial_runs)} phases ({fmt(trivial_rps, 1)} req/s), measured before and after "
        "the read pages because the machine's load drifts.",
        "",
        "| phase | endpoint | seconds | requests | req/s | ratio to trivial | p50 ms | p95 ms | p99 ms | failures "
        "| load avg before → after |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for name, seconds, _classes in phases:
        endpoint = SATURATION.get(name)
        if not endpoint:
            continue
        row = stats[name].get(endpoint)
        rps = num(row, "Requests/s")
        ratio = f"{rps / trivial_rps:.2f}" if rps and trivial_rps else "–"
        lines.append(
            f"| {name} | {endpoint} | {seconds} | {fmt(num(row, 'Request Count'))} | {fmt(rps, 1)} | {ratio} | "
            f"{fmt(num(row, '50%'))} | {fmt(num(row, '95%'))} | {fmt(num(row, '99%'))} | "
            f"{fmt(num(row, 'Failure Count'))} | {' → '.join(loads.get(name, ('?', '?')))} |"
        )
    mix = next(((n, s, c) for n, s, c in phases if n == "mix"), None)
    if mix:
        lines += [
            "",
            f"## The realistic mix: {users} users for {mix[1]} s, "
            f"ramped up at {os.environ.get('BENCH_SPAWN_RATE', '10')} a second",
            "",
            f"Classes {', '.join(mix[2])} (weights {' : '.join(str(MIX_WEIGHTS.get(c, '?')) for c in mix[2])}), "
            "think time "
            f"{os.environ.get('BENCH_THINK_MIN', '0.5')}–{os.environ.get('BENCH_THINK_MAX', '2.0')} s. "
            "Applicants: each takes a fresh pool account, logs in, reads the announcement, applies once "
            "(form with CSRF, eligibility check and snapshot on the server), then reads its status page. "
            "Reviewers: queue pages with filters, open an application, approve or return it with the "
            "version they saw. Ticket holders (an earlier recruitment, its printing window open): each logs in "
            "with a fresh account, opens its application page, downloads its ticket PDF, and once more after "
            "a pause. Ratio: req/s ÷ trivial req/s is not meaningful here (the mix sets the rate), "
            "so latency is the figure to read.",
            "",
            f"1-minute load average before → after the phase: {' → '.join(loads.get('mix', ('?', '?')))}.",
            "",
            "| endpoint | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | failures |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for name, row in stats["mix"].items():
            lines.append(
                f"| {name} | {fmt(num(row, 'Request Count'))} | {fmt(num(row, 'Requests/s'), 1)} | "
                f"{fmt(num(row, '50%'))} | {fmt(num(row, '95%'))} | {fmt(num(row, '99%'))} | "
                f"{fmt(num(row, 'Max Response Time'))} | {fmt(num(row, 'Failure Count'))} |"
            )
    cpu_rows = [(name, cpu_shares(name)) for name, _, _ in phases]
    cpu_rows = [(name, shares) for name, shares in cpu_rows if shares]
    if cpu_rows:
        columns = [key for key in cpu_rows[0][1] if key != "wall"]
        lines += [
            "",
            "## Where the CPU went",
            "",
            "Share of the machine's capacity (cores × wall time of the phase) used by each group of "
            "processes, from /proc. *Other processes* is everything outside the benchmark (on a shared "
            "machine: other people's work), which competes with the server for the same cores.",
            "",
            "| phase | " + " | ".join(columns) + " |",
            "|---|" + "---:|" * len(columns),
        ]
        for name, shares in cpu_rows:
            lines.append(f"| {name} | " + " | ".join(f"{shares[key] * 100:.0f} %" for key in columns) + " |")
    # The written exam (issue 15): seating and the ticket surge.
    seating = read_json("seating.json")
    ticket_sat = stats.get("ticket", {}).get("ticket pdf")
    ticket_mix = stats.get("mix", {}).get("ticket pdf")
    ticket_rps = num(ticket_sat, "Requests/s")
    ticket_ratio = ticket_rps / trivial_rps if ticket_rps and trivial_rps else None
    ticket_mix_p95 = num(ticket_mix, "95%")
    sizes = {}
    for phase_name in ("ticket", "mix"):
        for kind, figures in read_json(f"tickets-{phase_name}.json").items():
            merged = sizes.setdefault(
                kind, {"count": 0, "min": figures["min"], "max": figures["max"], "sum": 0}
            )
            merged["count"] += figures["count"]
            merged["sum"] += figures["mean"] * figures["count"]
            merged["min"] = min(merged["min"], figures["min"])
            merged["max"] = max(merged["max"], figures["max"])
    if seating or ticket_sat or ticket_mix:
        lines += ["", "## The written exam (issue 15): seating and the ticket surge", ""]
    if seating:
        sec = seating["seconds"]
        labels = seating.get("labels", {})
        second = seating.get("second_run", {})
        lines += [
            f"**Seating and numbering {seating['candidates']:,} approved candidates: {sec['total']:.1f} s** "
            f"(target under {seating['target_seconds']:.0f} s: {status_of(seating['met'])}), end to end through "
            "the real service and job (`bench/seating.py`: the administrator's `issue_job_create`, then the "
            f"Celery task `exams.tasks.issue_tickets` run in-process, batches of {seating['batch_size']:,}), "
            f"{seating['seats']:,} seats; 1-minute load average {seating['load_before'][0]} before → "
            f"{seating['load_after'][0]} after; {seating['sql']['statements']} SQL statements took "
            f"{seating['sql']['seconds']:.1f} s of it. Numbers {' … '.join(seating.get('numbers', []))}.",
            "",
            "| part | seconds |",
            "|---|---:|",
        ]
        for key, label in labels.items():
            lines.append(f"| {label} | {sec.get(key, 0):.2f} |")
        lines += [
            f"| other (Python between the calls, job row reads) | {sec.get('other', 0):.2f} |",
            f"| **total** | **{sec['total']:.2f}** |",
            "",
            "Statements by kind (count, seconds): "
            + "; ".join(
                f"{kind} {n} × {value:.2f} s"
                for kind, (n, value) in list(seating["sql"]["by_kind"].items())[:6]
            )
            + ".",
            "",
            f"Second run (idempotency): the click is {second.get('click', '?')} "
            f"({second.get('click_seconds', 0):.2f} s); the first job's message delivered again does nothing "
            f"({second.get('redelivered_seconds', 0):.2f} s); a fresh job runs in "
            f"{second.get('fresh_job_seconds', 0):.2f} s ({second.get('fresh_job')}) and changes nothing "
            f"(tickets, numbers, seats, stages, audit rows compared): **{second.get('unchanged')}**. "
            f"Checks: {', '.join(k for k, v in seating['checks'].items() if v)}"
            + (
                f"; **failed: {', '.join(k for k, v in seating['checks'].items() if not v)}**"
                if not seating["ok"]
                else " — all pass"
            )
            + ".",
        ]
    if ticket_sat or ticket_mix:
        lines += [
            "",
            "| ticket PDF | requests | req/s | ratio to trivial | p50 ms | p95 ms | p99 ms | max ms | failures |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for label, row, ratio in (
            ("saturated: 50 users, each its own ticket, no think time", ticket_sat, ticket_ratio),
            ("in the realistic mix (think time 0.5–2 s)", ticket_mix, None),
        ):
            lines.append(
                f"| {label} | {fmt(num(row, 'Request Count'))} | {fmt(num(row, 'Requests/s'), 1)} | "
                f"{f'{ratio:.3f}' if ratio else '–'} | {fmt(num(row, '50%'))} | {fmt(num(row, '95%'))} | "
                f"{fmt(num(row, '99%'))} | {fmt(num(row, 'Max Response Time'))} | "
                f"{fmt(num(row, 'Failure Count'))} |"
            )
        if sizes:
            lines += [
                "",
                "PDF size (every ticket Locust received): "
                + "; ".join(
                    f"{kind}: {kb(v['sum'] / v['count'])} mean ({kb(v['min'])}–{kb(v['max'])}, {v['count']:,} PDFs)"
                    for kind, v in sizes.items()
                )
                + ". One A4 page, the CJK font embedded as a subset, the photo embedded as it is.",
            ]

    size_text = "; ".join(f"{kind} {kb(v['sum'] / v['count'])}" for kind, v in sizes.items())
    # Targets.
    detail_rps = num(stats.get("detail", {}).get("announcement detail"), "Requests/s")
    mix_stats = stats.get("mix", {})
    submit_p95 = num(mix_stats.get("apply submit"), "95%")
    queue_p95 = num(mix_stats.get("review queue"), "95%")
    queue_sat_p95 = num(stats.get("queue", {}).get("review queue"), "95%")
    detail_ratio = detail_rps / trivial_rps if detail_rps and trivial_rps else None
    submits_ok = None
    if check and check.get("submits_counted_by_locust"):
        submits_ok = (
            not check.get("lost_count") and not check.get("unexpected_count") and not check.get("duplicates")
        )
    lines += [
        "",
        "## Targets (issue #7)",
        "",
        "| target | measured | status |",
        "|---|---|---|",
        f"| announcement detail ≥ 50 % of the trivial view's throughput | "
        f"{fmt(detail_ratio * 100 if detail_ratio else None)} % | "
        f"{status_of(None if detail_ratio is None else detail_ratio >= 0.5)} |",
        f"| apply submit p95 < 300 ms with {users} users | {fmt(submit_p95)} ms | "
        f"{status_of(None if submit_p95 is None else submit_p95 < 300)} |",
        f"| reviewer queue p95 < 200 ms over 50,000 applications | mix {fmt(queue_p95)} ms; "
        f"saturated {fmt(queue_sat_p95)} ms | {status_of(None if queue_p95 is None else queue_p95 < 200)} |",
        f"| zero lost or duplicated submissions | see below | {status_of(submits_ok)} |",
        "",
        "## Targets (issue 15)",
        "",
        "| target | measured | status |",
        "|---|---|---|",
        f"| seating and numbering 50,000 approved candidates under 30 s | "
        f"{fmt(seating['seconds']['total'], 1) + ' s for ' + fmt(seating['candidates']) if seating else '–'} | "
        f"{status_of(seating['met'] if seating and seating['candidates'] >= 50_000 else None)} |",
        f"| ticket PDF saturated: throughput as a ratio to the trivial view | "
        f"{f'{ticket_ratio:.3f}' if ticket_ratio else '–'} ({fmt(ticket_rps, 1)} req/s) | reported (no target) |",
        f"| ticket PDF in the {users}-user mix: p95 < 300 ms | {fmt(ticket_mix_p95)} ms | "
        f"{status_of(None if ticket_mix_p95 is None else ticket_mix_p95 < 300)} |",
        f"| PDF size reported | {size_text or '–'} | {'reported' if sizes else 'not measured'} |",
        "",
        "## Correctness after the load",
        "",
    ]
    if check:
        lines += [
            f"- successful submits counted by Locust: **{check['submits_counted_by_locust']}**; submitted "
            f"applications of those accounts in the database: **{check['submitted_in_database']}**",
            f"- lost (Locust saw success, no row): {check['lost_count']}; unexpected (row, Locust saw a "
            f"failure): {check['unexpected_count']}; submit failures seen by Locust: "
            f"{check['submit_failures_seen_by_locust']}; drafts left: {check['drafts_left_in_database']}",
            f"- duplicate (applicant, announcement): {len(check['duplicates'])}",
            f"- 5xx responses in any phase: {check['five_xx']}; tracebacks in gunicorn's log: "
            f"{check['gunicorn_tracebacks']}",
            f"- notification deliveries by status after the run (sent by the Celery worker): "
            f"{check.get('notification_deliveries') or '–'}",
            *(
                [
                    f"- ticket PDFs received by Locust: {check['tickets']['downloads_counted_by_locust']:,}; prints "
                    f"counted in the database: {check['tickets']['print_count_in_database']:,} (the difference: "
                    "requests still in flight when a phase stopped, served but not counted by Locust); printed tickets "
                    f"without a first-print time: {check['tickets']['printed_without_first_print']}"
                ]
                if check.get("tickets")
                else []
            ),
            f"- verdict: **{'pass' if check['ok'] else 'FAIL'}**",
        ]
    else:
        lines.append("- not run")
    notes = ROOT / "bench" / "NOTES.md"
    if notes.exists():
        lines += ["", notes.read_text().strip()]
    args.out.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
