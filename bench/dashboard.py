"""Time the reports (issue 20) in-process on the bench dataset: the announcement dashboard of
the 50,000-application announcement, cold and warm, and the public registration statistics
against the trivial view.

    DATABASE_URL=postgres://…/bench REDIS_URL=redis://127.0.0.1:6379/5 \\
      DJANGO_SETTINGS_MODULE=bench.settings python bench/dashboard.py [--rounds 5] [--seconds 5]

(after bench/build_dataset.py; `manage.py collectstatic` once, as bench/run.sh does.)

- cold: the shared cache (Redis, the production backend) and the process cache flushed
  before each request, in the same process (connections and templates already warm):
  every aggregate is recomputed from PostgreSQL;
- warm: the same page again with the figures cached;
- public statistics vs the trivial view: each served to an anonymous client in a loop
  for --seconds, alternated --rounds times (trivial, public, trivial, public, …) so that
  the shared host's drift hits both alike; the ratio is of the summed request counts.

The dataset's audit rows: bench/build_dataset.py writes ApplicationEvent rows through
COPY after `pre_save`, which stamps `at` (auto_now_add) with the build time, so every
submission and decision of the dataset happened "now". With --audit-times (the default)
this script first gives the bench announcement's audit rows the times the dataset meant:
a submission at the application's submitted_at, a decision at its decided_at (one
UPDATE each, idempotent). Registrations per day then show the dataset's five days.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import caches  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import User  # noqa: E402
from applicants.models import Application  # noqa: E402
from portal.cache import GENERATION_SECONDS  # noqa: E402
from recruitment.models import Announcement  # noqa: E402


def audit_times(announcement: Announcement) -> tuple[int, int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE applicants_applicationevent e SET at = a.submitted_at FROM applicants_application a"
            " WHERE a.id = e.application_id AND a.announcement_id = %s AND e.to_stage = 'submitted'"
            " AND a.submitted_at IS NOT NULL AND e.at <> a.submitted_at",
            [announcement.pk],
        )
        submitted = cursor.rowcount
        cursor.execute(
            "UPDATE applicants_applicationevent e SET at = a.decided_at FROM applicants_application a"
            " WHERE a.id = e.application_id AND a.announcement_id = %s"
            " AND e.to_stage IN ('approved', 'rejected', 'returned')"
            " AND a.decided_at IS NOT NULL AND e.at <> a.decided_at",
            [announcement.pk],
        )
        return submitted, cursor.rowcount


def flush() -> None:
    """Empty both caches. portal.cache moves its generation when it finds Redis emptied (at
    most GENERATION_SECONDS later), abandoning what was written in between: wait that out,
    so the timed request is the only one computing."""
    for alias in settings.CACHES:
        caches[alias].clear()
    caches["default"].get("reports:bench-probe")
    time.sleep(GENERATION_SECONDS + 0.2)
    caches["default"].get("reports:bench-probe")


def timed(client: Client, url: str) -> tuple[float, int, int]:
    with CaptureQueriesContext(connection) as ctx:
        started = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return elapsed, len(ctx.captured_queries), len(response.content)


def throughput(client: Client, url: str, seconds: float) -> int:
    count, deadline = 0, time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        client.get(url)
        count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--warm", type=int, default=30)
    parser.add_argument("--no-audit-times", action="store_true")
    parser.add_argument("--announcement", type=int, help="another announcement's id (default: the first)")
    args = parser.parse_args()

    announcements = Announcement.objects.order_by("pk")
    announcement = announcements.get(pk=args.announcement) if args.announcement else announcements.first()
    applications = Application.objects.filter(announcement=announcement).count()
    if not args.no_audit_times:
        print("audit rows given the dataset's times (submitted, decided):", audit_times(announcement))
    admin = User.objects.get(email="bench-admin@bench.cn")
    staff = Client()
    staff.force_login(admin)
    dashboard = f"/reports/{announcement.pk}/"
    load = os.getloadavg()
    print(
        f"announcement {announcement.pk}: {applications} applications; load average {load[0]:.2f} {load[1]:.2f}"
    )

    timed(staff, dashboard)  # the process's first request (templates, URL resolver, font-free)
    cold = []
    for _ in range(args.rounds):
        flush()
        staff.force_login(admin)  # the session lived in the flushed cache
        cold.append(timed(staff, dashboard))
    timed(staff, dashboard)
    warm = [timed(staff, dashboard) for _ in range(args.warm)]
    print(
        f"dashboard cold: median {statistics.median(t for t, _q, _b in cold):.0f} ms, max"
        f" {max(t for t, _q, _b in cold):.0f} ms, min {min(t for t, _q, _b in cold):.0f} ms,"
        f" {cold[0][1]} queries, {cold[0][2] // 1024} KB"
    )
    print(
        f"dashboard warm: median {statistics.median(t for t, _q, _b in warm):.1f} ms, max"
        f" {max(t for t, _q, _b in warm):.1f} ms, {statistics.median(q for _t, q, _b in warm):.0f} queries"
    )

    public = f"/reports/public/{announcement.pk}/"
    visitor = Client()
    timed(visitor, public)
    timed(visitor, "/bench/trivial")
    totals = {"trivial": 0, "public": 0}
    for _ in range(args.rounds):
        totals["trivial"] += throughput(visitor, "/bench/trivial", args.seconds)
        totals["public"] += throughput(visitor, public, args.seconds)
    span = args.rounds * args.seconds
    trivial_rate, public_rate = totals["trivial"] / span, totals["public"] / span
    print(
        f"trivial view {trivial_rate:.0f} req/s; public statistics {public_rate:.0f} req/s;"
        f" ratio {public_rate / trivial_rate:.2f} (one in-process client, {args.rounds} alternating rounds of"
        f" {args.seconds:.0f} s)"
    )
    load = os.getloadavg()
    print(f"load average at the end {load[0]:.2f} {load[1]:.2f}")


if __name__ == "__main__":
    main()
