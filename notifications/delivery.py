"""Sending one delivery (e-mail or SMS) exactly once, retrying with backoff, and the
sweeper that re-queues what the broker never got.

Exactly once: a delivery is claimed with a conditional UPDATE (pending → sending); a
second task for the same delivery finds nothing to claim. A worker that dies after the
claim leaves the row `sending`; the sweeper returns it to `pending` after STALE_CLAIM,
so a crash between sending and recording may repeat that one message (at least once
beats never for a decision the applicant must learn).
"""

import logging
import random
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from portal import queue

from .models import Channel, Delivery
from .sms import send_sms

logger = logging.getLogger(__name__)

# Eight attempts with the delays below span ~1 h 45 min: a mail server down for an hour
# on the last day still delivers. Each delay stays under Redis' visibility timeout (1 h).
MAX_ATTEMPTS = getattr(settings, "NOTIFICATIONS_MAX_ATTEMPTS", 8)
BACKOFF_BASE = 60  # seconds
BACKOFF_MAX = 30 * 60
STALE_CLAIM = timedelta(minutes=10)
SWEEP_AFTER = timedelta(minutes=getattr(settings, "NOTIFICATIONS_SWEEP_AFTER_MINUTES", 2))
SWEEP_LIMIT = 5000
ENQUEUE_CHUNK = 100

# Errors that retrying cannot fix: the delivery fails at once.
PERMANENT_ERRORS = (smtplib.SMTPRecipientsRefused,)


def backoff(attempts: int) -> int:
    """Seconds before the next attempt: 60, 120, 240 … capped at 30 min, with jitter."""
    delay = min(BACKOFF_BASE * 2 ** max(attempts - 1, 0), BACKOFF_MAX)
    return delay + random.randint(0, 15)


def enqueue_task(name: str, *args, **options) -> bool:
    """Publish a task; a broker outage is logged, never raised (the row stays pending and
    the sweeper sends it later)."""
    from . import tasks

    task = {
        "notifications.send_deliveries": tasks.send_deliveries,
        "notifications.send_delivery": tasks.send_delivery,
        "notifications.run_mass_notice": tasks.run_mass_notice,
    }[name]
    return queue.publish(task, *args, **options)


def enqueue(delivery_ids: list[int]) -> None:
    for start in range(0, len(delivery_ids), ENQUEUE_CHUNK):
        chunk = delivery_ids[start : start + ENQUEUE_CHUNK]
        if not enqueue_task("notifications.send_deliveries", chunk):
            return  # the broker is down: the rest would fail the same way


def enqueue_on_commit(delivery_ids: list[int]) -> None:
    if delivery_ids:
        transaction.on_commit(lambda: enqueue(delivery_ids))


def _claim(delivery_id: int) -> Delivery | None:
    claimed = Delivery.objects.filter(
        pk=delivery_id, status=Delivery.Status.PENDING, next_attempt_at__lte=timezone.now()
    ).update(status=Delivery.Status.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1)
    if not claimed:
        return None
    return Delivery.objects.select_related("notification__recipient").get(pk=delivery_id)


def _send(delivery: Delivery) -> None:
    notification = delivery.notification
    user = notification.recipient
    if delivery.channel == Channel.EMAIL:
        EmailMessage(subject=notification.subject, body=notification.body, to=[user.email]).send()
    elif delivery.channel == Channel.SMS:
        send_sms(user.phone, f"【{notification.subject}】{notification.body}")
    else:  # pragma: no cover - guarded by the model's choices
        raise ValueError(delivery.channel)


def deliver(*, delivery_id: int) -> str:
    """Send one delivery if it is still pending. Returns sent / skipped / retry / failed."""
    delivery = _claim(delivery_id)
    if delivery is None:
        return "skipped"  # already sent, being sent, or not due yet
    try:
        _send(delivery)
    except Exception as error:
        final = isinstance(error, PERMANENT_ERRORS) or delivery.attempts >= MAX_ATTEMPTS
        delay = backoff(delivery.attempts)
        Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.SENDING).update(
            status=Delivery.Status.FAILED if final else Delivery.Status.PENDING,
            last_error=f"{type(error).__name__}: {error}"[:2000],
            next_attempt_at=timezone.now() + timedelta(seconds=delay),
        )
        logger.warning("delivery %s attempt %s failed: %s", delivery.pk, delivery.attempts, error)
        if final:
            return "failed"
        # In-process mode has no delayed queue: the sweeper (or the next run) retries.
        if not queue.is_eager():
            enqueue_task("notifications.send_delivery", delivery.pk, countdown=delay)
        return "retry"
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return "sent"


def sweep(*, older_than: timedelta = SWEEP_AFTER) -> int:
    """Re-queue deliveries still pending `older_than` after they were due (the broker was
    down at commit, or a retry message was lost). Returns how many were queued."""
    now = timezone.now()
    Delivery.objects.filter(status=Delivery.Status.SENDING, claimed_at__lt=now - STALE_CLAIM).update(
        status=Delivery.Status.PENDING
    )
    ids = list(
        Delivery.objects.filter(status=Delivery.Status.PENDING, next_attempt_at__lte=now - older_than)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:SWEEP_LIMIT]
    )
    enqueue(ids)
    return len(ids)
