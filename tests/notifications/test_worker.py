"""Through real Redis and a real Celery worker: end to end, and a broker outage at commit
that loses nothing once the sweeper runs after Redis is back."""

import time
import uuid
from contextlib import contextmanager

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core import mail
from django.db import transaction

from notifications.events import Event
from notifications.models import Delivery, Notification
from notifications.services import notify
from notifications.tasks import sweep_unsent
from portal import queue
from portal.celery import app

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

CONTEXT = {"announcement_title": "公告", "position_name": "岗A", "url": "/a/1/"}


def _reset_connections():
    """Forget pooled and kept broker connections so a new broker_url takes effect."""
    app._pool = None
    app.__dict__.get("amqp") and setattr(app.amqp, "_producer_pool", None)
    queue.drop_connection()


# A queue of our own: another test run's worker on the same Redis must not take our tasks.
QUEUE = f"notifications-test-{uuid.uuid4().hex[:8]}"


def _reset_routes():
    app.amqp.flush_routes()
    app.amqp.__dict__.pop("router", None)


@contextmanager
def broker(url: str):
    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager", "task_routes")}
    app.conf.update(
        broker_url=url, task_always_eager=False, task_routes={"notifications.*": {"queue": QUEUE}}
    )
    _reset_connections()
    _reset_routes()
    try:
        yield
    finally:
        app.conf.update(saved)
        _reset_connections()
        _reset_routes()


def worker():
    return start_worker(app, perform_ping_check=False, loglevel="WARNING", pool="solo", queues=[QUEUE])


def _wait_until_sent(count: int, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if Delivery.objects.filter(status="sent").count() == count:
            return
        time.sleep(0.1)
    raise AssertionError(list(Delivery.objects.values_list("channel", "status", "last_error")))


def test_a_real_worker_delivers_after_commit(needs_redis, applicant, sms_outbox):
    with (
        broker(settings.TEST_REDIS_URL),
        worker(),
    ):
        with transaction.atomic():
            notify(recipient=applicant, event=Event.APPLICATION_APPROVED, context=CONTEXT)
        _wait_until_sent(2)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [applicant.email]
    assert len(sms_outbox) == 1


def test_with_the_broker_down_the_change_commits_and_the_sweeper_sends_later(needs_redis, applicant):
    with broker("redis://127.0.0.1:1/0"):
        started = time.monotonic()
        with transaction.atomic():
            notify(
                recipient=applicant, event=Event.APPLICATION_REJECTED, context={**CONTEXT, "reason": "学历"}
            )
        assert time.monotonic() - started < 5  # the failed publish does not hang the request
    # The state change committed; the message waits in the outbox.
    assert Notification.objects.filter(recipient=applicant).count() == 1
    assert set(Delivery.objects.values_list("status", flat=True)) == {"pending"}
    assert mail.outbox == []

    with (
        broker(settings.TEST_REDIS_URL),
        worker(),
    ):
        # The beat task, run as beat would (older_than 0: no need to wait the minutes).
        assert sweep_unsent(older_than_minutes=0)["deliveries"] == 2
        _wait_until_sent(2)
        # A second sweep finds nothing: each message goes out once.
        assert sweep_unsent(older_than_minutes=0)["deliveries"] == 0
    assert len(mail.outbox) == 1
    assert "学历" in mail.outbox[0].body


def test_the_kept_broker_connection_is_reused_and_replaced_when_stale(needs_redis, applicant, sms_outbox):
    with broker(settings.TEST_REDIS_URL), worker():
        with transaction.atomic():
            notify(recipient=applicant, event=Event.APPLICATION_APPROVED, context=CONTEXT)
        _wait_until_sent(2)
        kept = queue._connection()
        assert queue._connection() is kept  # one connection per process, not one per message
        # The broker restarted under it: the kept connection is dead.
        queue._local.connection = app.connection_for_write(
            url="redis://127.0.0.1:1/0", transport_options={"max_retries": 0}
        )
        with transaction.atomic():
            notify(
                recipient=applicant,
                event=Event.APPLICATION_RETURNED,
                context={**CONTEXT, "fix_instructions": "补"},
            )
        _wait_until_sent(4)  # published at once on a new connection, not left for the sweeper
        assert queue._connection() is not kept
