"""Reads shared by the notifications pages. A user sees only their own notifications."""

from django.core.cache import cache
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from .events import Event
from .models import MassNotice, MessageTemplate, Notification
from .rendering import default_wording

LANGUAGE_CODES = ("zh-hans", "en")


def inbox_for(*, user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).only(
        "pk", "subject", "event", "created_at", "read_at", "recipient_id"
    )


def notification_for(*, user, pk: int) -> Notification:
    """Another user's notification is a 404, not a 403: its existence is not disclosed."""
    return get_object_or_404(Notification, pk=pk, recipient=user)


UNREAD_SECONDS = 60


def unread_cache_key(user_id) -> str:
    """The cache key of the user's unread count (a page cache may read it with its own)."""
    return f"notifications:unread:{user_id}"


def unread_count(*, user) -> int:
    """The navbar badge, on every signed-in page: cached, and dropped after each commit that
    adds or reads a notification of the user (notifications.services)."""
    key = unread_cache_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        cache.set(key, count, UNREAD_SECONDS)
    return count


def unread_count_invalidate(user_ids) -> None:
    cache.delete_many([unread_cache_key(pk) for pk in user_ids])


def templates_overview() -> list[dict]:
    """One entry per event: its label and, per language, the subject in use."""
    rows = {(t.event, t.language): t for t in MessageTemplate.objects.all()}
    overview = []
    for event in Event:
        languages = []
        for language in LANGUAGE_CODES:
            row = rows.get((event.value, language))
            subject = row.subject if row else default_wording(event.value, language)[0]
            customized = bool(row) and (row.subject, row.body) != default_wording(event.value, language)
            languages.append({"code": language, "subject": subject, "customized": customized})
        overview.append({"event": event.value, "label": event.label, "languages": languages})
    return overview


def wording_for(*, event: str, language: str) -> tuple[str, str]:
    row = (
        MessageTemplate.objects.filter(event=event, language=language).values_list("subject", "body").first()
    )
    return row or default_wording(event, language)


def mass_notices() -> QuerySet[MassNotice]:
    return MassNotice.objects.select_related("author")
