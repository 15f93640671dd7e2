"""Time the benchmark's pages in-process, without a profiler: median ms of N warm requests.

DATABASE_URL=... python bench/time_views.py [N]   (after bench/run.sh built the dataset)
Steadier than the load figures for before/after comparisons of one change: no client, no
queueing, one process. "first ms" is each page's first request in this process (for the
ticket PDF: the CJK font's registration, once per process). Run it twice on a quiet machine; differences under ~5 % are noise.
"""

import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402

from accounts.models import User  # noqa: E402
from applicants.models import Application  # noqa: E402
from exams.models import Ticket  # noqa: E402
from recruitment.models import Announcement  # noqa: E402


def pages():
    announcement = Announcement.objects.order_by("pk").first()
    position = announcement.positions.order_by("pk").first()
    application = Application.objects.filter(stage="submitted").order_by("pk").first()
    owner = User.objects.get(pk=application.applicant_id)
    reviewer = User.objects.get(email="bench-r0@bench.cn")
    # A pool account has no application: its apply form is the one Locust fills in.
    pool = User.objects.filter(email__startswith="bench-p").exclude(applications__isnull=False).first()
    queue = f"/review/?announcement={announcement.pk}&stage=submitted"
    # Ticket holders (the dataset's ticket announcement, window open): with and without photo.
    holders = list(
        Ticket.objects.filter(announcement__title__contains="准考证打印")
        .select_related("application__applicant")
        .order_by("pk")[:20]
    )
    tickets = []
    for label, has_photo in (("ticket pdf (photo)", True), ("ticket pdf (no photo)", False)):
        ticket = next((t for t in holders if bool(t.application.snapshot.get("photo")) == has_photo), None)
        if ticket is not None:
            url = f"/exams/applications/{ticket.application_id}/ticket.pdf"
            tickets.append((label, url, ticket.application.applicant))
    return [
        ("trivial view", "/bench/trivial", None),
        ("announcement detail", f"/announcements/{announcement.pk}/", None),
        ("announcement list", "/announcements/", None),
        ("status page", f"/me/applications/{application.pk}/", owner),
        ("my applications", "/me/applications/", owner),
        ("apply form", f"/me/apply/{position.pk}/", pool),
        ("review queue", f"{queue}&page=7", reviewer),
        ("review queue search", f"{queue}&outcome=passed&q=王", reviewer),
        ("review application", f"/review/applications/{application.pk}/", reviewer),
        *tickets,
    ]


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    print(f"{'page':<22} {'status':>6} {'median ms':>10} {'min ms':>8} {'first ms':>9}")
    for name, url, user in pages():
        client = Client()
        if user is not None:
            client.force_login(user)
        started = time.perf_counter()
        response = client.get(url)
        first = (time.perf_counter() - started) * 1000  # the first of its kind in this process
        for _ in range(3):
            client.get(url)
        timings = []
        for _ in range(count):
            started = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        print(
            f"{name:<22} {response.status_code:>6} {statistics.median(timings):>10.2f} {min(timings):>8.2f} "
            f"{first:>9.1f}"
        )


if __name__ == "__main__":
    main()
