"""What every hiring service shares: the position lock, the settings, the applicant's
notification and the refusals."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.events import Event
from notifications.services import notify
from recruitment.models import Position

from ..models import HiringSettings


class Conflict(ValidationError):
    """Another administrator changed the same record first (two tabs, two people)."""

    def __init__(self, message=None):
        super().__init__(message or _("该记录已被其他管理员处理，请刷新页面查看最新情况后再操作。"))


def today():
    return timezone.localdate()


def lock_position(position_id: int) -> Position:
    """Lock the position row for the rest of the transaction: every change of a position's
    proposals (proposing, removing, backfilling, a 加试) goes one at a time, so two
    administrators never fill the same vacancy twice."""
    return Position.objects.select_for_update().get(pk=position_id)


def hiring_settings(announcement) -> HiringSettings:
    """The announcement's HiringSettings (unsaved defaults where none was stored)."""
    try:
        return announcement.hiring_settings
    except HiringSettings.DoesNotExist:
        return HiringSettings(announcement=announcement)


def ranking_settings(announcement):
    """exams.RankingSettings of the announcement or None (every default)."""
    from exams.models_rules import RankingSettings

    try:
        return announcement.ranking_settings
    except RankingSettings.DoesNotExist:
        return None


def tell(application, *, subject: str, body: str, key: str) -> None:
    """A message to the applicant about their hiring (in-site inbox and SMS/email as the
    notification settings say), written in the caller's transaction."""
    notify(
        recipient=application.applicant,
        event=Event.MASS_NOTICE,
        context={
            "subject": subject,
            "body": body,
            "announcement_title": application.announcement.title,
            "position_name": application.position.name,
            "url": reverse("applicants:application", args=[application.pk]),
        },
        dedupe_key=key,
    )


def on_commit(function):
    transaction.on_commit(function)
