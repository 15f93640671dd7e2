"""Publication of a confirmed ranking (issue 17 item 7): the composite list per position and
each candidate's own result."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.events import Event
from notifications.services import notify
from portal import audit

from ..models_ranking import RankingRow, RankingVersion
from .ranking import _check_admin


def ranking_publish(*, version: RankingVersion, actor) -> RankingVersion:
    """Publish the confirmed version's composite list (administrators): the public list per
    position and each candidate's own result; every ranked candidate is told their composite
    and rank once (dedupe key per version). ValidationError for a version not confirmed."""
    _check_admin(actor)
    with transaction.atomic():
        fresh = RankingVersion.objects.select_for_update().select_related("announcement").get(pk=version.pk)
        if fresh.status != RankingVersion.Status.CONFIRMED:
            raise ValidationError(_("只能公布已确认的排名版本。"))
        if fresh.published_at is not None:
            return fresh
        fresh.published_at = timezone.now()
        fresh.published_by = actor
        fresh.save(update_fields=["published_at", "published_by"])
        audit.record(actor, fresh, audit.CHANGE, fields=["published_at"])
        _notify_published(fresh)
    return fresh


def _notify_published(version: RankingVersion) -> int:
    rows = (
        RankingRow.objects.filter(version=version, absent=False)
        .select_related("application__applicant", "position")
        .order_by("position_id", "order")
    )
    url = reverse("exams:ranking_mine")
    told = 0
    for row in rows:
        notify(
            recipient=row.application.applicant,
            event=Event.RANKED,
            context={
                "announcement_title": version.announcement.title,
                "position_name": row.position.name,
                "url": url,
                "rank": row.rank,
                "composite_score": str(row.composite),
            },
            dedupe_key=f"ranking_published:{version.pk}:{row.application_id}",
        )
        told += 1
    return told
