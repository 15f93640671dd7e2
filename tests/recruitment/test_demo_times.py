"""QA: every demo deadline fell at the minute the demo was seeded (报名截止 22:09). They fall
at office times now (opening 09:00, deadlines 17:00), and the demo keeps its phases: one
announcement taking registrations, one upcoming, one closed."""

import io
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from recruitment import demo
from recruitment.models import Announcement

pytestmark = pytest.mark.django_db


def test_office_time_is_local_and_on_the_hour():
    now = timezone.make_aware(datetime(2026, 11, 30, 22, 9, 41))
    assert timezone.localtime(demo.office_time(now, 5, 17)) == timezone.make_aware(
        datetime(2026, 12, 5, 17, 0)
    )
    assert timezone.localtime(demo.office_time(now, -2, 9)).time() == time(9, 0)


def test_demo_deadlines_are_office_times_and_phases_hold():
    from accounts import demo as accounts_demo

    accounts_demo.seed(io.StringIO())
    demo.seed(io.StringIO())
    now = timezone.now()
    rows = list(Announcement.objects.all())
    assert len(rows) == 3
    for announcement in rows:
        opens = timezone.localtime(announcement.registration_opens_at)
        closes = timezone.localtime(announcement.registration_closes_at)
        review = timezone.localtime(announcement.review_deadline)
        assert opens.time() == time(9, 0) and closes.time() == time(17, 0) and review.time() == time(17, 0)
        assert review.date() - closes.date() == timedelta(days=3)
    current = Announcement.objects.get(title=demo.OPEN_TITLE)
    assert current.registration_opens_at < now < current.registration_closes_at
    upcoming = Announcement.objects.get(title=demo.UPCOMING_TITLE)
    assert now < upcoming.registration_opens_at
    closed = Announcement.objects.get(title=demo.CLOSED_TITLE)
    assert closed.status == Announcement.Status.CLOSED and closed.registration_closes_at < now
