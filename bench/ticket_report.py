"""The tables of bench/ticket_run.sh: python bench/ticket_report.py OUT RUN [RUN ...].

For each run (a directory OUT/RUN with Locust's CSVs and phases.txt): the trivial view's
throughput (mean of its two phases), the ticket download saturated (own ticket again and
again; first downloads only) as req/s and as a ratio to that trivial mean, their p50/p95,
the ticket download in the realistic mix (p50/p95/p99), the whole mix's p95, the PDF sizes
Locust received, and the 1-minute load average before → after each phase.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path


def stats(folder: Path, phase: str) -> dict[str, dict]:
    path = folder / f"{phase}_stats.csv"
    if not path.exists():
        return {}
    with path.open() as handle:
        return {row["Name"]: row for row in csv.DictReader(handle)}


def phases(folder: Path) -> dict[str, tuple[str, str]]:
    result = {}
    path = folder / "phases.txt"
    if path.exists():
        for line in path.read_text().splitlines():
            parts = line.split()
            result[parts[0]] = (parts[2], parts[3])
    return result


def number(value, digits=0) -> str:
    try:
        value = float(value)
    except (TypeError, ValueError):
        return "–"
    return f"{value:,.{digits}f}"


def main(out: Path, runs: list[str]) -> None:
    lines = [
        "| run | started (UTC) | trivial req/s (mean of 2) | own ticket again: req/s | ratio | p50 / p95 ms "
        "| first downloads: req/s | ratio | p50 / p95 ms | mix: ticket p50 / p95 / p99 ms (n) "
        "| mix: all requests p95 ms | load avg over the run |",
        "|---|---|---:|---:|---:|---|---:|---:|---|---|---:|---|",
    ]
    sizes_lines = []
    for run in runs:
        folder = out / run
        loads = phases(folder)
        trivial = [
            float(stats(folder, p).get("Aggregated", {}).get("Requests/s", 0) or 0)
            for p in ("trivial", "trivial2")
        ]
        trivial_mean = sum(trivial) / len(trivial) if trivial else 0
        cells = [
            run,
            (folder / "started").read_text().strip()[11:19] if (folder / "started").exists() else "–",
        ]
        cells.append(f"{number(trivial_mean, 1)} ({' / '.join(number(t) for t in trivial)})")
        for phase in ("ticket", "ticketcold"):
            row = stats(folder, phase).get("ticket pdf", {})
            rate = float(row.get("Requests/s", 0) or 0)
            cells.append(
                f"{number(rate, 1)} ({number(row.get('Request Count'))} req, {number(row.get('Failure Count'))} failed)"
            )
            cells.append(f"**{rate / trivial_mean:.3f}**" if trivial_mean else "–")
            cells.append(f"{number(row.get('50%'))} / {number(row.get('95%'))}")
        mix = stats(folder, "mix")
        row = mix.get("ticket pdf", {})
        cells.append(
            f"{number(row.get('50%'))} / **{number(row.get('95%'))}** / {number(row.get('99%'))} ({number(row.get('Request Count'))})"
        )
        cells.append(number(mix.get("Aggregated", {}).get("95%")))
        all_loads = [float(x) for pair in loads.values() for x in pair]
        cells.append(f"{min(all_loads):.1f}–{max(all_loads):.1f}" if all_loads else "–")
        lines.append("| " + " | ".join(cells) + " |")
        phase_loads = ", ".join(f"{name} {a}→{b}" for name, (a, b) in loads.items())
        sizes = []
        for phase in ("ticket", "ticketcold", "mix"):
            path = folder / f"tickets-{phase}.json"
            if path.exists():
                for kind, figures in json.loads(path.read_text()).items():
                    sizes.append(f"{phase} {kind}: {figures['mean'] / 1024:.1f} KB ({figures['count']})")
        stored = (folder / "stored_kb").read_text().strip() if (folder / "stored_kb").exists() else ""
        tracebacks = (folder / "tracebacks").read_text().strip() if (folder / "tracebacks").exists() else "?"
        sizes_lines.append(
            f"- **{run}**: load average per phase {phase_loads}; PDF sizes {'; '.join(sizes) or '–'}; "
            f"stored renderings {stored or '0'} KB; tracebacks in gunicorn's log: {tracebacks}"
        )
    print("\n".join(lines))
    print()
    print("\n".join(sizes_lines))


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2:])
