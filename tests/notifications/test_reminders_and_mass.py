"""Reminders and mass notices call audiences registered by other apps (faked here)."""

import pytest
from django.core import mail

from notifications import audiences
from notifications.audiences import AudienceMember
from notifications.events import Event
from notifications.models import MassNotice, Notification
from notifications.services import mass_notice_create, mass_notice_run
from notifications.tasks import run_mass_notice, send_reminders
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_mass_notice_is_sent_in_batches_with_progress(
    administrator, fake_audience, django_capture_on_commit_callbacks
):
    users = UserFactory.create_batch(7)
    with django_capture_on_commit_callbacks(execute=False):
        notice = mass_notice_create(
            author=administrator,
            audience=fake_audience,
            params={"ids": [u.pk for u in users]},
            subject="面试时间调整",
            body="改为4月21日。",
            channels=["email"],
        )
    with django_capture_on_commit_callbacks(execute=True):
        notice = mass_notice_run(notice_id=notice.pk, batch_size=3)
    assert (notice.status, notice.total, notice.sent, notice.percent) == ("done", 7, 7, 100)
    assert notice.finished_at is not None
    assert Notification.objects.filter(event=Event.MASS_NOTICE).count() == 7
    assert Notification.objects.get(recipient=users[0]).dedupe_key == f"mass:{notice.pk}:{users[0].pk}"
    assert len(mail.outbox) == 7
    assert mail.outbox[0].subject == "面试时间调整"


def test_running_a_mass_notice_again_sends_nothing_more(
    administrator, fake_audience, django_capture_on_commit_callbacks
):
    users = UserFactory.create_batch(4)
    with django_capture_on_commit_callbacks(execute=True):
        notice = mass_notice_create(
            author=administrator,
            audience=fake_audience,
            params={"ids": [u.pk for u in users]},
            subject="S",
            body="B",
            channels=["email"],
        )
    assert MassNotice.objects.get(pk=notice.pk).status == "done"  # eager: ran after commit
    # A worker crashed and the sweeper queued it again: nobody hears it twice.
    MassNotice.objects.filter(pk=notice.pk).update(status="queued")
    with django_capture_on_commit_callbacks(execute=True):
        assert run_mass_notice(notice.pk) == 4
    assert Notification.objects.count() == 4
    assert len(mail.outbox) == 4


def test_a_failing_audience_marks_the_notice_failed(administrator):
    def broken(**params):
        raise LookupError("announcement 99 not found")

    audiences.register_audience("broken", broken)
    try:
        notice = MassNotice.objects.create(author=administrator, audience="broken", subject="S", body="B")
        notice = mass_notice_run(notice_id=notice.pk)
    finally:
        audiences.unregister_audience("broken")
    assert notice.status == "failed"
    assert "announcement 99" in notice.error


def test_reminders_go_once_a_day_per_member_with_their_context(django_capture_on_commit_callbacks):
    user = UserFactory()

    def drafts(*, within_hours):
        assert within_hours == 48
        yield AudienceMember(
            user=user,
            context={"announcement_title": "公告A", "position_name": "岗A", "deadline": "3月10日"},
            key="application:1",
        )

    audiences.register_audience("draft_unsubmitted", drafts)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            kwargs = {"audience": "draft_unsubmitted", "event": Event.REMINDER_DRAFT_UNSUBMITTED}
            assert send_reminders(**kwargs, params={"within_hours": 48}) == 1
            send_reminders(**kwargs, params={"within_hours": 48})
    finally:
        audiences.unregister_audience("draft_unsubmitted")
    notification = Notification.objects.get()
    assert "3月10日" in notification.body
    assert len(mail.outbox) == 1


def test_a_reminder_whose_audience_is_not_registered_yet_does_nothing():
    assert send_reminders(audience="reviewers_with_pending_queue", event=Event.REMINDER_REVIEWER_QUEUE) == 0


def test_a_mass_notice_sent_off_while_the_broker_is_down_waits_says_so_and_goes_out_after(
    client, administrator, fake_audience, django_capture_on_commit_callbacks
):
    """Issue 14, item 6: the notice is recorded, its page says it will start when the service
    is back, and the sweeper sends it then, once."""
    from datetime import timedelta

    from django.urls import reverse
    from django.utils import timezone

    from notifications.services import mass_notices_resume_stale
    from portal import queue
    from portal.celery import app

    users = UserFactory.create_batch(3)
    saved = {key: app.conf[key] for key in ("task_always_eager", "broker_url")}
    app.conf.update(task_always_eager=False, broker_url="redis://127.0.0.1:9/0")  # nobody listens
    queue.drop_connection()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            notice = mass_notice_create(
                author=administrator,
                audience=fake_audience,
                params={"ids": [u.pk for u in users]},
                subject="S",
                body="B",
                channels=["email"],
            )
        assert MassNotice.objects.get(pk=notice.pk).status == "queued"
        MassNotice.objects.filter(pk=notice.pk).update(created_at=timezone.now() - timedelta(minutes=2))
        client.force_login(administrator)
        page = client.get(reverse("notifications:mass_detail", args=[notice.pk])).content.decode()
        assert "服务恢复后将自动开始发送" in page
        assert mass_notices_resume_stale(older_than=timedelta(minutes=10)) == [notice.pk]  # still down
        assert MassNotice.objects.get(pk=notice.pk).status == "queued"
    finally:
        app.conf.update(saved)
        queue.drop_connection()
        app._pool = None
        if "amqp" in app.__dict__:
            app.amqp._producer_pool = None
    # The broker is back (in-process here): the sweeper hands it over and it goes out once.
    with django_capture_on_commit_callbacks(execute=True):
        mass_notices_resume_stale(older_than=timedelta(minutes=10))
    notice.refresh_from_db()
    assert (notice.status, notice.sent) == ("done", 3)
    assert Notification.objects.filter(event=Event.MASS_NOTICE).count() == 3
    assert (
        "服务恢复后"
        not in client.get(reverse("notifications:mass_detail", args=[notice.pk])).content.decode()
    )
