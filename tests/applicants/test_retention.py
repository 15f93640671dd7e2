"""Personal data of applicants never hired is removed after the retention period, counts
kept (issue 13, kind 14; applicants/retention.py)."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.storage import default_storage
from django.db.models import Count
from django.utils import timezone

from accounts.models import User
from applicants import retention
from applicants.models import ApplicantProfile, Application, ApplicationEvent, Document, Stage
from notifications.models import Notification
from notifications.periodic import PERIODIC_TASKS
from recruitment.models import Announcement
from tests.applicants.factories import ApplicationFactory, DocumentFactory, ProfileFactory, ReasonFactory
from tests.factories import UserFactory
from tests.recruitment.factories import AnnouncementFactory, PositionFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")


# --- The rule, without the database ------------------------------------------------------


def test_due_on_counts_from_the_end_of_the_last_announcement():
    # Last announcement ended 2026-03-31 18:00 in Beijing; 180 days later:
    # April 30 + May 31 + June 30 + July 31 + August 31 = 153 days to 2026-08-31, +27 → 2026-09-27.
    ends = [
        datetime(2025, 12, 1, 9, 0, tzinfo=SHANGHAI),
        datetime(2026, 3, 31, 18, 0, tzinfo=SHANGHAI),
    ]
    assert retention.due_on(announcement_ends=ends, last_seen=None, days=180) == date(2026, 9, 27)


def test_due_on_uses_the_local_date_of_the_end():
    # 2026-03-31 23:30 UTC is 2026-04-01 07:30 in Beijing: 2026-04-01 + 180 days = 2026-09-28.
    end = datetime(2026, 3, 31, 23, 30, tzinfo=UTC)
    assert retention.due_on(announcement_ends=[end], last_seen=None, days=180) == date(2026, 9, 28)


def test_nothing_is_due_while_one_announcement_is_still_running():
    old = datetime(2020, 1, 1, tzinfo=SHANGHAI)
    assert retention.due_on(announcement_ends=[old, None], last_seen=None, days=1) is None


def test_a_person_who_never_applied_counts_from_the_last_sign_in():
    # Last sign-in 2026-01-10 10:00 Beijing + 30 days = 2026-02-09.
    seen = datetime(2026, 1, 10, 10, 0, tzinfo=SHANGHAI)
    assert retention.due_on(announcement_ends=[], last_seen=seen, days=30) == date(2026, 2, 9)


# --- On the database ------------------------------------------------------------------------

pytestmark_db = pytest.mark.django_db


def _ended_announcement(days_ago: int, status=Announcement.Status.CLOSED):
    """An announcement whose last milestone (the review deadline) was `days_ago` days ago."""
    end = timezone.now() - timedelta(days=days_ago)
    return AnnouncementFactory(
        status=status,
        registration_opens_at=end - timedelta(days=20),
        registration_closes_at=end - timedelta(days=10),
        review_deadline=end,
        published_at=end - timedelta(days=21),
    )


def _application(announcement, stage=Stage.SUBMITTED, **kwargs):
    position = PositionFactory(announcement=announcement)
    return ApplicationFactory(
        position=position,
        announcement=announcement,
        applicant=ProfileFactory(real_name="李四").user,
        stage=stage,
        **kwargs,
    )


@pytest.fixture
def settings_180(settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = 180
    return settings


@pytest.mark.django_db
def test_a_never_hired_applicant_past_the_period_loses_personal_data_counts_kept(
    settings_180, django_capture_on_commit_callbacks
):
    announcement = _ended_announcement(days_ago=200)  # 200 ≥ 180: due
    application = _application(
        announcement, stage=Stage.REJECTED, rejection_reason=ReasonFactory(), rejection_note="李四的证书模糊"
    )
    _application(announcement, stage=Stage.APPROVED)
    position_id = application.position_id
    user = application.applicant
    profile = user.profile
    document = DocumentFactory(profile=profile)
    files = [profile.photo.name, document.file.name]
    assert all(default_storage.exists(name) for name in files)
    Notification.objects.create(
        recipient=user, event="mass_notice", context={}, language="zh-hans", subject="李四您好", body="李四"
    )
    before = list(
        Application.objects.filter(announcement=announcement)
        .values("position", "stage")
        .annotate(n=Count("pk"))
        .order_by("position", "stage")
    )

    with django_capture_on_commit_callbacks(execute=True):  # files go after the commit
        assert retention.personal_data_purge_due() == 2  # both applicants: neither was hired

    user.refresh_from_db()
    application.refresh_from_db()
    assert not ApplicantProfile.objects.filter(pk=profile.pk).exists()
    assert not Document.objects.filter(pk=document.pk).exists()
    assert not any(default_storage.exists(name) for name in files)
    assert (user.name, user.phone, user.is_active, user.has_usable_password()) == ("", None, False, False)
    assert user.email == f"removed-{user.pk}@invalid.invalid" and user.personal_data_removed_at
    assert not Notification.objects.filter(recipient=user).exists()
    # The application row stays with its stage, position and dates; personal words are gone.
    assert (application.stage, application.position_id) == (Stage.REJECTED, position_id)
    assert application.submitted_at is not None
    assert application.snapshot == {} and application.rejection_note == ""
    after = list(
        Application.objects.filter(announcement=announcement)
        .values("position", "stage")
        .annotate(n=Count("pk"))
        .order_by("position", "stage")
    )
    assert after == before


@pytest.mark.django_db
def test_the_hired_and_the_once_hired_keep_their_data(settings_180):
    announcement = _ended_announcement(days_ago=400)
    hired = _application(announcement, stage=Stage.HIRED)
    once = _application(announcement, stage=Stage.DECLINED)
    ApplicationEvent.objects.create(application=once, from_stage=Stage.PUBLIC_NOTICE, to_stage=Stage.HIRED)
    assert retention.personal_data_purge_due() == 0
    assert ApplicantProfile.objects.filter(user__in=[hired.applicant, once.applicant]).count() == 2
    assert retention.personal_data_remove(user_id=hired.applicant_id) is False


@pytest.mark.django_db
def test_the_period_is_counted_to_the_day(settings_180):
    # The review deadline (the last milestone) ended 179 days ago: local end date D, due on
    # D + 180 = tomorrow; on that day it goes.
    announcement = _ended_announcement(days_ago=179)
    application = _application(announcement)
    end_date = timezone.localtime(announcement.review_deadline).date()
    assert retention.due_user_ids(today=end_date + timedelta(days=179)) == []
    assert retention.due_user_ids(today=end_date + timedelta(days=180)) == [application.applicant_id]


@pytest.mark.django_db
def test_a_running_announcement_protects_everything_of_its_applicants(settings_180):
    old = _ended_announcement(days_ago=900)
    running = _ended_announcement(days_ago=900, status=Announcement.Status.PUBLISHED)
    first = _application(old)
    Application.objects.create(
        applicant=first.applicant,
        announcement=running,
        position=PositionFactory(announcement=running),
        stage=Stage.SUBMITTED,
    )
    assert retention.due_user_ids() == []


@pytest.mark.django_db
def test_never_applied_accounts_go_after_the_period_staff_never(settings_180):
    idle = UserFactory(role="applicant")
    User.objects.filter(pk=idle.pk).update(
        last_login=timezone.now() - timedelta(days=181), date_joined=timezone.now() - timedelta(days=400)
    )
    recent = UserFactory(role="applicant")
    User.objects.filter(pk=recent.pk).update(last_login=timezone.now() - timedelta(days=10))
    staff = UserFactory(role="reviewer", is_staff=True)
    User.objects.filter(pk=staff.pk).update(last_login=timezone.now() - timedelta(days=900))
    assert retention.due_user_ids() == [idle.pk]
    assert retention.personal_data_remove(user_id=staff.pk) is False


@pytest.mark.django_db
def test_running_twice_removes_once(settings_180):
    _application(_ended_announcement(days_ago=365))
    assert retention.personal_data_purge_due() == 1
    assert retention.personal_data_purge_due() == 0


@pytest.mark.django_db
def test_admin_history_no_longer_names_the_person(settings_180, administrator):
    from portal import audit

    application = _application(_ended_announcement(days_ago=365))
    audit.record(administrator, application, audit.CHANGE, fields=["stage"])
    audit.record(administrator, application.applicant.profile, audit.CHANGE, fields=["real_name"])
    assert retention.personal_data_purge_due() == 1
    from django.contrib.admin.models import LogEntry

    assert set(LogEntry.objects.values_list("object_repr", flat=True)) == {retention.REMOVED_TEXT}


@pytest.mark.django_db
def test_removing_one_person_takes_a_bounded_number_of_queries(settings_180, django_assert_max_num_queries):
    application = _application(_ended_announcement(days_ago=365))
    DocumentFactory(profile=application.applicant.profile)
    # lock user, hired check (2), profile, content types, log entries (3), delete profile and
    # its 4 child tables, 2 application updates, notifications, e-mail addresses, user save,
    # plus savepoints: at most 25.
    with django_assert_max_num_queries(25):
        assert retention.personal_data_remove(user_id=application.applicant_id)


def test_the_purge_runs_daily_from_beat_and_is_a_registered_task():
    from applicants.tasks import purge_personal_data
    from portal.celery import app

    task, (kind, value), kwargs = PERIODIC_TASKS["applicants: remove personal data past the retention period"]
    assert (task, kind, kwargs) == ("applicants.purge_personal_data", "crontab", {})
    assert purge_personal_data.name == task and task in app.tasks
