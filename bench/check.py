"""Correctness after the load: the database against what Locust counted.

- submitted applications of the Locust pool accounts (bench-p*) == successful submits
  Locust counted, and the very same accounts;
- no duplicate (applicant, announcement);
- no 5xx in any phase (Locust's failure CSVs) and no traceback in gunicorn's log;
- every ticket PDF Locust received was counted as a print (Ticket.print_count; a few more
  when requests were still in flight as a phase stopped), and the first print of each of
  those tickets recorded.

Writes a JSON verdict (--out) for bench/report.py; exits 1 if any check fails.
"""

import argparse
import csv
import json
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.db.models import Count  # noqa: E402

from applicants.models import Application, Stage  # noqa: E402

OUT = Path(os.environ.get("BENCH_OUT", ROOT / "bench" / "out"))
FIVE_XX = re.compile(r"\b5\d\d\b")


def five_xx_failures() -> list[dict]:
    rows = []
    for path in sorted(OUT.glob("*_failures.csv")):
        with path.open(newline="") as handle:
            for row in csv.DictReader(handle):
                if FIVE_XX.search(row.get("Error", "")):
                    rows.append({"phase": path.stem.removesuffix("_failures"), **row})
    return rows


def ticket_downloads() -> int:
    """Successful "ticket pdf" requests over every phase (Locust's stats CSVs)."""
    total = 0
    for path in sorted(OUT.glob("*_stats.csv")):
        with path.open(newline="") as handle:
            for row in csv.DictReader(handle):
                if row.get("Name") == "ticket pdf":
                    total += int(row["Request Count"]) - int(row["Failure Count"])
    return total


def ticket_prints() -> dict:
    dataset = json.loads((OUT / "dataset.json").read_text()) if (OUT / "dataset.json").exists() else {}
    announcement = dataset.get("tickets", {}).get("announcement_id")
    if not announcement:
        return {}
    from django.db.models import Q, Sum

    from exams.models import Ticket

    tickets = Ticket.objects.filter(announcement_id=announcement)
    return {
        "downloads_counted_by_locust": ticket_downloads(),
        "print_count_in_database": tickets.aggregate(n=Sum("print_count"))["n"] or 0,
        "printed_without_first_print": tickets.filter(
            Q(print_count__gt=0) & Q(first_printed_at__isnull=True)
        ).count(),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()

    counted, failures = [], []
    for path in sorted(OUT.glob("submits-*.json")):
        data = json.loads(path.read_text())
        counted += data.get("submits", [])
        failures += data.get("failures", [])
    counted_emails = [item["email"] for item in counted]

    pool = Application.objects.filter(applicant__email__startswith="bench-p")
    submitted = pool.exclude(stage__in=[Stage.DRAFT, Stage.WITHDRAWN])
    db_emails = list(submitted.values_list("applicant__email", flat=True))
    db_ids = set(submitted.values_list("pk", flat=True))
    counted_ids = {item.get("application") for item in counted}
    drafts = pool.filter(stage=Stage.DRAFT).count()
    duplicates = list(
        Application.objects.order_by()
        .values("applicant_id", "announcement_id")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list("applicant_id", "announcement_id", "n")[:20]
    )
    errors_5xx = five_xx_failures()
    gunicorn_log = OUT / "gunicorn.log"
    tracebacks = gunicorn_log.read_text(errors="replace").count("Traceback") if gunicorn_log.exists() else 0

    deliveries = {}
    try:  # the outbox: what the Celery worker sent during the run, and what is still pending
        from django.apps import apps

        delivery = apps.get_model("notifications", "Delivery")
        deliveries = dict(delivery.objects.order_by().values_list("status").annotate(n=Count("pk")))
    except LookupError:
        pass

    missing = sorted(set(counted_emails) - set(db_emails))  # Locust saw success, DB has none
    unexpected = sorted(set(db_emails) - set(counted_emails))  # DB has it, Locust saw failure
    verdict = {
        "submits_counted_by_locust": len(counted_emails),
        "submits_counted_twice_by_locust": len(counted_emails) - len(set(counted_emails)),
        "submit_failures_seen_by_locust": len(failures),
        "submitted_in_database": len(db_emails),
        "drafts_left_in_database": drafts,
        "lost": missing[:20],
        "lost_count": len(missing),
        "unexpected": unexpected[:20],
        "unexpected_count": len(unexpected),
        "application_ids_match": db_ids == counted_ids,
        "duplicates": duplicates,
        "five_xx": len(errors_5xx),
        "five_xx_rows": errors_5xx[:20],
        "gunicorn_tracebacks": tracebacks,
        "notification_deliveries": deliveries,
        "tickets": ticket_prints(),
    }
    # A download still in flight when a phase stops (Locust gives up on it after
    # --stop-timeout) was counted by the server, not by Locust: at most one per user and phase.
    prints = verdict["tickets"]
    in_flight = int(os.environ.get("BENCH_USERS", 50)) * 2
    prints_ok = not prints or (
        0 <= prints["print_count_in_database"] - prints["downloads_counted_by_locust"] <= in_flight
        and not prints["printed_without_first_print"]
    )
    verdict["ok"] = (
        len(counted_emails) == len(db_emails)
        and not missing
        and not unexpected
        and not duplicates
        and verdict["application_ids_match"]
        and not errors_5xx
        and not tracebacks
        and verdict["submits_counted_twice_by_locust"] == 0
        and prints_ok
    )
    print(json.dumps(verdict, ensure_ascii=False, indent=1))
    if args.out:
        args.out.write_text(json.dumps(verdict, ensure_ascii=False, indent=1))
    sys.exit(0 if verdict["ok"] else 1)


if __name__ == "__main__":
    main()
