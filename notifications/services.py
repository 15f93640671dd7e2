"""Every write of the notifications app. Other apps call `notify` / `notify_many` inside
the transaction of the state change they report: the rows commit or roll back with it,
and delivery is queued only after commit."""

import json
import logging
from collections.abc import Iterable
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from portal import audit

from .audiences import as_member, get_audience
from .delivery import enqueue_on_commit, enqueue_task
from .events import DEFAULT_CHANNELS, Event
from .models import Channel, Delivery, MassNotice, MessageTemplate, Notification
from .rendering import compile_template, default_wording, render
from .selectors import unread_count_invalidate

logger = logging.getLogger(__name__)
User = get_user_model()

LANGUAGE_CODES = ("zh-hans", "en")
MASS_BATCH_SIZE = 500


def _language_of(user) -> str:
    language = getattr(user, "language", "") or "zh-hans"
    return language if language in LANGUAGE_CODES else "zh-hans"


def _wordings(event: str) -> dict[str, tuple[str, str]]:
    """{language: (subject, body)}: the administrators' rows, else the shipped defaults."""
    rows = {
        language: (subject, body)
        for language, subject, body in MessageTemplate.objects.filter(event=event).values_list(
            "language", "subject", "body"
        )
    }
    return {language: rows.get(language) or default_wording(event, language) for language in LANGUAGE_CODES}


def _render_for(*, user, event: str, context: dict, wordings: dict) -> tuple[str, str, str]:
    language = _language_of(user)
    subject, body = wordings[language]
    name = getattr(user, "name", "") or str(user)
    try:
        rendered = render(subject=subject, body=body, context=context, language=language, recipient_name=name)
    except Exception:
        # A saved template can still fail at run time (a filter on an unexpected value):
        # the applicant must be told anyway, in the shipped wording.
        logger.exception("template %s/%s failed; using the default wording", event, language)
        subject, body = default_wording(event, language)
        rendered = render(subject=subject, body=body, context=context, language=language, recipient_name=name)
    return language, *rendered


def _check(event: str, context: dict, channels) -> set[str]:
    if event not in Event.values:
        raise ValueError(f"unknown notification event: {event!r}")
    if not isinstance(context, dict):
        raise TypeError("context must be a dict")
    json.dumps(context, cls=DjangoJSONEncoder)  # raises TypeError early, in the caller's code
    chosen = set(DEFAULT_CHANNELS if channels is None else channels) - {"inbox"}
    unknown = chosen - set(Channel.values)
    if unknown:
        raise ValueError(f"unknown channels: {sorted(unknown)}")
    return chosen


def _deliveries_for(notification: Notification, user, channels: set[str]) -> list[Delivery]:
    address = {Channel.EMAIL: user.email, Channel.SMS: getattr(user, "phone", None)}
    return [
        Delivery(
            notification=notification,
            channel=channel,
            # Recorded rather than silently dropped: staff can see why nothing was sent.
            status=Delivery.Status.PENDING if address[channel] else Delivery.Status.SKIPPED,
            created_at=notification.created_at,
            next_attempt_at=notification.created_at,
        )
        for channel in sorted(channels)
    ]


def notify(
    *,
    recipient,
    event: str,
    context: dict,
    channels: set[str] | None = None,
    dedupe_key: str | None = None,
) -> Notification:
    """Write one notification (the inbox entry) and its deliveries; send after commit.

    Call it inside the transaction of the state change. With a `dedupe_key` a second call
    returns the first notification and sends nothing more.
    """
    chosen = _check(event, context, channels)
    if dedupe_key:
        existing = Notification.objects.filter(dedupe_key=dedupe_key).first()
        if existing is not None:
            return existing
    language, subject, body = _render_for(
        user=recipient, event=event, context=context, wordings=_wordings(event)
    )
    with transaction.atomic():
        try:
            # A savepoint: a concurrent duplicate must not break the caller's transaction.
            with transaction.atomic():
                notification = Notification.objects.create(
                    recipient=recipient,
                    event=event,
                    context=context,
                    language=language,
                    subject=subject,
                    body=body,
                    dedupe_key=dedupe_key or None,
                )
        except IntegrityError:
            if not dedupe_key:
                raise
            return Notification.objects.get(dedupe_key=dedupe_key)
        deliveries = Delivery.objects.bulk_create(_deliveries_for(notification, recipient, chosen))
        enqueue_on_commit([d.pk for d in deliveries if d.status == Delivery.Status.PENDING])
        _badge_changed_on_commit([recipient.pk])
    return notification


def _badge_changed_on_commit(user_ids) -> None:
    ids = list(user_ids)
    transaction.on_commit(lambda: unread_count_invalidate(ids))


def notify_many(
    *,
    recipients: Iterable,
    event: str,
    context: dict,
    dedupe_prefix: str,
    channels: set[str] | None = None,
) -> int:
    """The same message to many people with a few queries (bulk inserts).

    Each person's dedupe key is `<dedupe_prefix>:<user id>`, so running it again for the
    same people adds nothing. Returns how many recipients were handled.
    """
    chosen = _check(event, context, channels)
    users = {user.pk: user for user in recipients}
    if not users:
        return 0
    wordings = _wordings(event)
    now = timezone.now()
    keys = {f"{dedupe_prefix}:{pk}": pk for pk in users}
    objects = []
    for key, pk in keys.items():
        language, subject, body = _render_for(user=users[pk], event=event, context=context, wordings=wordings)
        objects.append(
            Notification(
                recipient_id=pk,
                event=event,
                context=context,
                language=language,
                subject=subject,
                body=body,
                dedupe_key=key,
                created_at=now,
            )
        )
    with transaction.atomic():
        # ignore_conflicts: people already notified by an earlier run keep their one message.
        Notification.objects.bulk_create(objects, ignore_conflicts=True)
        saved = Notification.objects.filter(dedupe_key__in=list(keys)).only(
            "pk", "recipient_id", "created_at"
        )
        deliveries = []
        for notification in saved:
            deliveries.extend(_deliveries_for(notification, users[notification.recipient_id], chosen))
        Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
        pending = Delivery.objects.filter(
            notification__dedupe_key__in=list(keys), status=Delivery.Status.PENDING
        ).values_list("pk", flat=True)
        enqueue_on_commit(list(pending))
        _badge_changed_on_commit(users)
    return len(users)


# --- Inbox ------------------------------------------------------------------------------


def notification_mark_read(*, user, notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, recipient=user, read_at__isnull=True).update(
            read_at=notification.read_at
        )
        _badge_changed_on_commit([user.pk])


def notification_mark_all_read(*, user) -> int:
    marked = Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
    _badge_changed_on_commit([user.pk])
    return marked


# --- Templates --------------------------------------------------------------------------


def message_template_save(*, event: str, language: str, subject: str, body: str, user) -> MessageTemplate:
    """Save the wording of one event in one language. Raises InvalidTemplate."""
    compile_template(subject)
    compile_template(body)
    with transaction.atomic():
        template, created = MessageTemplate.objects.update_or_create(
            event=event, language=language, defaults={"subject": subject, "body": body, "updated_by": user}
        )
        audit.record(user, template, audit.ADDITION if created else audit.CHANGE, fields=["subject", "body"])
    return template


def message_template_reset(*, event: str, language: str, user) -> MessageTemplate:
    subject, body = default_wording(event, language)
    return message_template_save(event=event, language=language, subject=subject, body=body, user=user)


def seed_default_templates(template_model=MessageTemplate) -> int:
    """Create a row for every (event, language) that has none. Used by a data migration."""
    existing = set(template_model.objects.values_list("event", "language"))
    rows = [
        template_model(event=event, language=language, subject=subject, body=body)
        for event in Event.values
        for language in LANGUAGE_CODES
        if (event, language) not in existing
        for subject, body in [default_wording(event, language)]
    ]
    template_model.objects.bulk_create(rows)
    return len(rows)


# --- Reminders and mass notices ---------------------------------------------------------


def reminders_send(*, audience: str, event: str, params: dict | None = None) -> int:
    """Notify each member of a registered audience, at most once a day per member."""
    today = timezone.localdate().isoformat()
    count = 0
    for item in get_audience(audience).func(**(params or {})):
        member = as_member(item)
        key = f"reminder:{event}:{today}:{member.user.pk}:{member.key}"[:150]
        with transaction.atomic():
            notify(recipient=member.user, event=event, context=member.context, dedupe_key=key)
        count += 1
    return count


def mass_notice_create(
    *,
    author,
    audience: str,
    params: dict,
    subject: str,
    body: str,
    channels: list[str],
    audience_text: str = "",
) -> MassNotice:
    """Queue a mass notice. `params`: the audience's keyword arguments (ints for ids);
    `audience_text`: who receives it in words, as the sender confirmed it (default: the
    audience's own words). Raises UnknownAudience for a name nobody registered. Audited."""
    registered = get_audience(audience)  # an unknown name fails here, not later in a worker
    with transaction.atomic():
        notice = MassNotice.objects.create(
            author=author,
            audience=audience,
            params=params,
            audience_text=(audience_text or registered.words(params))[:300],
            subject=subject,
            body=body,
            channels=channels,
        )
        audit.record(author, notice, audit.ADDITION, fields=["audience", "subject", "body", "channels"])
        transaction.on_commit(lambda: enqueue_task("notifications.run_mass_notice", notice.pk))
    return notice


def _batches(result, size: int):
    if isinstance(result, QuerySet):
        # Keyset pagination: no cursor held across the per-batch commits.
        result = result.order_by("pk")
        last = 0
        while batch := list(result.filter(pk__gt=last)[:size]):
            yield [as_member(user) for user in batch]
            last = batch[-1].pk
        return
    members = [as_member(item) for item in result]
    for start in range(0, len(members), size):
        yield members[start : start + size]


def _count(result) -> tuple[int, object]:
    if isinstance(result, QuerySet):
        return result.count(), result
    result = list(result)
    return len(result), result


def mass_notice_run(*, notice_id: int, batch_size: int = MASS_BATCH_SIZE) -> MassNotice:
    """Send a mass notice in batches, recording progress. Safe to run again: people
    already notified are skipped through their dedupe key `mass:<id>:<user id>`."""
    claimed = MassNotice.objects.filter(pk=notice_id, status=MassNotice.Status.QUEUED).update(
        status=MassNotice.Status.RUNNING, sent=0, updated_at=timezone.now()
    )
    notice = MassNotice.objects.get(pk=notice_id)
    if not claimed:
        return notice  # another worker has it, or it is finished
    try:
        total, result = _count(get_audience(notice.audience).func(**notice.params))
        MassNotice.objects.filter(pk=notice.pk).update(total=total, updated_at=timezone.now())
        context = {"subject": notice.subject, "body": notice.body}
        for batch in _batches(result, batch_size):
            with transaction.atomic():
                notify_many(
                    recipients=[member.user for member in batch],
                    event=Event.MASS_NOTICE,
                    context=context,
                    dedupe_prefix=f"mass:{notice.pk}",
                    channels=set(notice.channels),
                )
                MassNotice.objects.filter(pk=notice.pk).update(
                    sent=F("sent") + len(batch), updated_at=timezone.now()
                )
    except Exception as error:
        logger.exception("mass notice %s failed", notice.pk)
        MassNotice.objects.filter(pk=notice.pk).update(
            status=MassNotice.Status.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
    else:
        MassNotice.objects.filter(pk=notice.pk).update(
            status=MassNotice.Status.DONE, finished_at=timezone.now()
        )
    notice.refresh_from_db()
    return notice


QUEUED_RESEND_AFTER = timedelta(minutes=1)


def mass_notices_resume_stale(*, older_than: timedelta) -> list[int]:
    """Put back in the queue the notices whose worker died mid-way (no progress lately)."""
    cutoff = timezone.now() - older_than
    stale = list(
        MassNotice.objects.filter(status=MassNotice.Status.RUNNING, updated_at__lt=cutoff).values_list(
            "pk", flat=True
        )
    )
    # Queued but never taken (the broker was down when it was sent off): hand it over again
    # a minute on; the claim (queued → running) makes a doubled message harmless.
    queued_long = MassNotice.objects.filter(
        status=MassNotice.Status.QUEUED, created_at__lt=timezone.now() - QUEUED_RESEND_AFTER
    )
    MassNotice.objects.filter(pk__in=stale).update(status=MassNotice.Status.QUEUED)
    ids = stale + list(queued_long.values_list("pk", flat=True))
    for pk in ids:
        enqueue_task("notifications.run_mass_notice", pk)
    return ids
