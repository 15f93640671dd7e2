"""The outbox: rows commit with the caller's transaction, delivery happens once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from notifications import delivery as delivery_module
from notifications.events import Event
from notifications.models import Delivery, Notification
from notifications.services import notify, notify_many
from notifications.tasks import send_deliveries, sweep_unsent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CONTEXT = {
    "announcement_title": "2026年公告",
    "position_name": "社区工作者（一）",
    "reason": "学历不符",
    "url": "/a/1/",
}


class Boom(Exception):
    pass


def test_a_rolled_back_transaction_leaves_no_notification(applicant, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Boom),
        transaction.atomic(),
    ):
        notify(recipient=applicant, event=Event.APPLICATION_REJECTED, context=CONTEXT)
        raise Boom
    assert not Notification.objects.exists()
    assert not Delivery.objects.exists()
    assert callbacks == []
    assert mail.outbox == []


def test_notify_sends_after_commit_by_email_and_sms(
    applicant, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        notification = notify(recipient=applicant, event=Event.APPLICATION_REJECTED, context=CONTEXT)
    # Nothing is sent before commit.
    assert mail.outbox == [] and sms_outbox == []
    for callback in callbacks:
        callback()
    assert [d.status for d in notification.deliveries.order_by("channel")] == ["sent", "sent"]
    assert mail.outbox[0].to == [applicant.email]
    assert "学历不符" in mail.outbox[0].body
    assert sms_outbox[0][0] == applicant.phone
    assert notification.subject == "资格审核未通过：社区工作者（一）"
    assert notification.read_at is None


def test_a_task_run_twice_delivers_once(applicant, sms_outbox):
    with transaction.atomic():  # no on_commit execution: we run the task by hand
        notification = notify(recipient=applicant, event=Event.APPLICATION_APPROVED, context=CONTEXT)
    ids = list(notification.deliveries.values_list("pk", flat=True))
    assert send_deliveries(ids) == {"sent": 2}
    assert send_deliveries(ids) == {"skipped": 2}
    assert len(mail.outbox) == 1 and len(sms_outbox) == 1
    assert set(Delivery.objects.values_list("attempts", flat=True)) == {1}


def test_dedupe_key_makes_a_caller_idempotent(applicant, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = notify(
            recipient=applicant, event=Event.APPLICATION_SUBMITTED, context=CONTEXT, dedupe_key="submitted:1"
        )
        second = notify(
            recipient=applicant, event=Event.APPLICATION_SUBMITTED, context=CONTEXT, dedupe_key="submitted:1"
        )
    assert first.pk == second.pk
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1


def test_inbox_only_and_missing_phone(django_capture_on_commit_callbacks):
    user = UserFactory(phone=None)
    with django_capture_on_commit_callbacks(execute=True):
        inbox_only = notify(recipient=user, event=Event.HIRED, context=CONTEXT, channels={"inbox"})
        both = notify(recipient=user, event=Event.HIRED, context=CONTEXT)
    assert not inbox_only.deliveries.exists()
    assert dict(both.deliveries.values_list("channel", "status")) == {"email": "sent", "sms": "skipped"}


def test_bad_calls_are_refused_in_the_callers_code(applicant):
    with pytest.raises(ValueError, match="unknown notification event"):
        notify(recipient=applicant, event="nope", context={})
    with pytest.raises(TypeError):
        notify(recipient=applicant, event=Event.HIRED, context={"x": object()})
    with pytest.raises(ValueError, match="unknown channels"):
        notify(recipient=applicant, event=Event.HIRED, context={}, channels={"fax"})


def test_context_is_stored_as_json_and_dates_accepted(applicant):
    when = timezone.now()
    with transaction.atomic():
        notification = notify(
            recipient=applicant, event=Event.INTERVIEW_SCHEDULED, context={"interview_at": when}
        )
    notification.refresh_from_db()
    assert isinstance(notification.context["interview_at"], str)


def test_recipient_language_decides_the_wording(django_capture_on_commit_callbacks):
    english = UserFactory(language="en", name="Alice")
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(recipient=english, event=Event.APPLICATION_APPROVED, context=CONTEXT)
    assert notification.language == "en"
    assert notification.subject == "Application approved: 社区工作者（一）"
    assert mail.outbox[0].body.startswith("Dear Alice")


def test_transient_failures_retry_with_backoff_then_fail(applicant, monkeypatch):
    calls = []

    def failing(phone, text):
        calls.append(phone)
        raise ConnectionError("gateway down")

    monkeypatch.setattr(delivery_module, "send_sms", failing)
    with transaction.atomic():
        notification = notify(recipient=applicant, event=Event.HIRED, context=CONTEXT, channels={"sms"})
    sms = notification.deliveries.get()
    assert send_deliveries([sms.pk]) == {"retry": 1}
    sms.refresh_from_db()
    assert (sms.status, sms.attempts) == ("pending", 1)
    assert "gateway down" in sms.last_error
    assert sms.next_attempt_at > timezone.now() + timedelta(seconds=50)
    # Not due yet: a second run (e.g. a duplicate message) does nothing.
    assert send_deliveries([sms.pk]) == {"skipped": 1}
    for _attempt in range(2, delivery_module.MAX_ATTEMPTS + 1):
        Delivery.objects.filter(pk=sms.pk).update(next_attempt_at=timezone.now())
        outcome = send_deliveries([sms.pk])
    assert outcome == {"failed": 1}
    sms.refresh_from_db()
    assert (sms.status, sms.attempts) == ("failed", delivery_module.MAX_ATTEMPTS)
    assert len(calls) == delivery_module.MAX_ATTEMPTS


def test_backoff_grows_and_stays_under_the_visibility_timeout():
    delays = [delivery_module.backoff(n) for n in range(1, 9)]
    assert delays[0] < delays[3] < 3600
    assert max(delays) <= 30 * 60 + 15
    assert sum(delays) > 3600  # an hour-long outage is outlasted


def test_the_sweeper_resends_what_is_still_pending(applicant):
    with transaction.atomic():  # the broker "lost" the message: no task ran
        notification = notify(recipient=applicant, event=Event.HIRED, context=CONTEXT, channels={"email"})
    assert sweep_unsent() == {"deliveries": 0, "mass_notices": 0}  # too recent: a task may be on its way
    Delivery.objects.update(next_attempt_at=timezone.now() - timedelta(minutes=5))
    assert sweep_unsent() == {"deliveries": 1, "mass_notices": 0}
    assert notification.deliveries.get().status == "sent"
    assert len(mail.outbox) == 1


def test_the_sweeper_recovers_a_claim_left_by_a_dead_worker(applicant):
    with transaction.atomic():
        notification = notify(recipient=applicant, event=Event.HIRED, context=CONTEXT, channels={"email"})
    long_ago = timezone.now() - timedelta(minutes=30)
    Delivery.objects.update(status="sending", claimed_at=long_ago, next_attempt_at=long_ago)
    sweep_unsent()
    assert notification.deliveries.get().status == "sent"


def test_notify_many_is_bulk_and_idempotent(
    django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    users = UserFactory.create_batch(30)
    users[0].language = "en"
    with django_capture_on_commit_callbacks(execute=True):
        with django_assert_max_num_queries(10):
            assert (
                notify_many(recipients=users, event=Event.PUBLIC_NOTICE, context=CONTEXT, dedupe_prefix="p:1")
                == 30
            )
        notify_many(recipients=users, event=Event.PUBLIC_NOTICE, context=CONTEXT, dedupe_prefix="p:1")
    assert Notification.objects.count() == 30
    assert Delivery.objects.filter(status="sent").count() == 60
    assert len(mail.outbox) == 30
    assert Notification.objects.get(recipient=users[0]).subject.startswith("Public notice")
    assert Notification.objects.filter(dedupe_key=f"p:1:{users[1].pk}").exists()


def test_a_broker_outage_at_commit_does_not_break_the_state_change(applicant, monkeypatch):
    from notifications import tasks

    def down(*args, **kwargs):
        raise OSError("Connection refused")

    monkeypatch.setattr(tasks.send_deliveries, "apply_async", down)
    with transaction.atomic():
        notify(recipient=applicant, event=Event.HIRED, context=CONTEXT)
    # Run the on_commit callback as Django would after commit: it must not raise.
    delivery_module.enqueue(list(Delivery.objects.values_list("pk", flat=True)))
    assert set(Delivery.objects.values_list("status", flat=True)) == {"pending"}
