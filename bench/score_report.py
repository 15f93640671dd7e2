"""Write bench/SCORE_SURGE.md from the last bench/score_run.sh (bench/out/score/): the
score query saturated as a ratio to the trivial view, and its p95 in the realistic mix."""

import csv
import json
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(os.environ.get("BENCH_OUT", ROOT / "bench" / "out" / "score"))


def stats(phase: str) -> dict:
    path = OUT / f"{phase}_stats.csv"
    if not path.exists():
        return {}
    with path.open(newline="") as handle:
        return {row["Name"]: row for row in csv.DictReader(handle)}


def num(row, key):
    try:
        return float(row[key])
    except (KeyError, TypeError, ValueError):
        return None


def main():
    trivial = [num(stats(p).get("trivial view"), "Requests/s") for p in ("trivial", "trivial2")]
    trivial = [t for t in trivial if t]
    trivial_rps = sum(trivial) / len(trivial) if trivial else None
    score = stats("score").get("score query")
    score_rps = num(score, "Requests/s")
    ratio = score_rps / trivial_rps if score_rps and trivial_rps else None
    mix = stats("mix")
    mix_score = mix.get("score query")
    p95 = num(mix_score, "95%")
    dataset = json.loads((OUT / "dataset.json").read_text()) if (OUT / "dataset.json").exists() else {}
    facts = dataset.get("scores", {})
    load = lambda name: (OUT / name).read_text().strip() if (OUT / name).exists() else "?"  # noqa: E731
    phases = (OUT / "phases.txt").read_text().splitlines() if (OUT / "phases.txt").exists() else []
    lines = [
        "# Results-day surge: the score query (issue 16)",
        "",
        f"Run started {load('started')}; load average (1/5/15 min) {load('load_start')} at the start and "
        f"{load('load_end')} at the end, on a 2-core host (maybe shared: the figures move with "
        "the neighbours' load). 50 Locust users, gunicorn 5 sync workers, DEBUG off, PostgreSQL, Redis "
        "cache and sessions. Reproduce: `bench/score_run.sh`.",
        "",
        f"Dataset: bench/build_dataset.py (50,000 applicants) plus bench/score_dataset.py: "
        f"{facts.get('candidates', 0):,} candidates of one announcement with tickets and final scores "
        f"({facts.get('scored', 0):,} scored, the rest 缺考/违纪; {facts.get('parts', 0):,} part scores; "
        f"{facts.get('bonus_claims', 0):,} confirmed bonus claims), results computed by the service and "
        "published.",
        "",
        "| phase | endpoint | requests | req/s | p50 ms | p95 ms | p99 ms | failures |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for phase, endpoint in (
        ("trivial", "trivial view"),
        ("score", "score query"),
        ("trivial2", "trivial view"),
    ):
        row = stats(phase).get(endpoint)
        lines.append(
            f"| {phase} | {endpoint} | {row and row['Request Count']} | {row and float(row['Requests/s']):.1f} | "
            f"{row and row['50%']} | {row and row['95%']} | {row and row['99%']} | {row and row['Failure Count']} |"
            if row
            else f"| {phase} | {endpoint} | – | – | – | – | – | – |"
        )
    lines += [
        "",
        "The realistic mix (think time 0.5–2 s, 60 s, ramp 10 users/s): AnonymousVisitor 5, Applicant 3, "
        "Reviewer 2, TicketHolder 2, ScoreHolder 2 (weights).",
        "",
        "| endpoint | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | failures |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, row in sorted(mix.items()):
        lines.append(
            f"| {name} | {row['Request Count']} | {float(row['Requests/s']):.1f} | {row['50%']} | {row['95%']} | "
            f"{row['99%']} | {float(row['Max Response Time']):.0f} | {row['Failure Count']} |"
        )
    lines += [
        "",
        "| target | measured | status |",
        "|---|---|---|",
        f"| score query saturated ≥ 30 % of the trivial view (same run) | "
        f"{f'{ratio * 100:.1f} %' if ratio else '–'} ({score_rps or 0:.1f} vs {trivial_rps or 0:.1f} req/s) | "
        f"{'met' if ratio and ratio >= 0.30 else 'NOT met'} |",
        f"| score query p95 < 200 ms in the 50-user mix | {p95 if p95 is not None else '–'} ms | "
        f"{'met' if p95 is not None and p95 < 200 else 'NOT met'} |",
        "",
        "Phases (name, seconds, load before, load after, user classes):",
        "",
        *[f"- {line}" for line in phases],
    ]
    (ROOT / "bench" / "SCORE_SURGE.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
