"""The day before an exam is a Beijing day: between 00:00 and 08:00 Beijing time the UTC date
is still the previous one, and a "tomorrow" taken from the UTC date would miss the reminder."""

from datetime import UTC, datetime

import pytest

from applicants.models import Application
from exams.models import ExamSession
from exams.services import tickets as services
from notifications.models import Notification
from tests.exams.factories import make_exam

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(administrator, django_capture_on_commit_callbacks):
    plan, apps = make_exam(candidates=3, positions=1, rooms=(("01", 1, 30),))
    with django_capture_on_commit_callbacks(execute=True):
        services.issue_job_create(plan=plan, actor=administrator)
    plan.refresh_from_db()
    return plan, [Application.objects.get(pk=a.pk) for a in apps]


def test_the_reminder_follows_the_beijing_date_not_the_utc_date(issued):
    plan, _apps = issued
    # The exam: 2026-12-02 08:30 Beijing = 2026-12-02 00:30 UTC.
    starts = datetime(2026, 12, 2, 0, 30, tzinfo=UTC)
    ExamSession.objects.filter(plan=plan).update(starts_at=starts, ends_at=starts.replace(hour=2, minute=30))
    # 2026-11-30 23:50 Beijing (15:50 UTC): tomorrow is 12-01, not the exam day.
    assert services.exam_reminders_send(now=datetime(2026, 11, 30, 15, 50, tzinfo=UTC)) == 0
    # 2026-12-01 00:10 Beijing = 2026-11-30 16:10 UTC: the UTC date is still 11-30, but in
    # Beijing tomorrow is the exam day.
    assert services.exam_reminders_send(now=datetime(2026, 11, 30, 16, 10, tzinfo=UTC)) == 3
    assert Notification.objects.filter(event="exam_reminder").count() == 3
