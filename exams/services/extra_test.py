"""The 加试 (extra test) of a ranking (issue 17 item 1): a group of equals straddling the last
post is decided by an extra test; its score enters the next ranking run as the subscore
"extra_test" with "subscore:extra_test" appended to the tie-breakers (exams.services.ranking)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal import audit

from ..models_ranking import ExtraTestResult, RankingRow, RankingVersion
from .ranking import _check_admin


def parse_extra_score(text) -> Decimal:
    """A 加试 score: 0–100 with at most 2 decimals; ValidationError otherwise."""
    try:
        value = Decimal(str(text).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(_("请输入 0 到 100 之间的分数，最多两位小数。"))
    if not value.is_finite() or value < 0 or value > 100:
        raise ValidationError(_("请输入 0 到 100 之间的分数，最多两位小数。"))
    if value.as_tuple().exponent < -2:
        raise ValidationError(_("分数最多保留两位小数。"))
    return value


def extra_test_record(*, version: RankingVersion, actor, scores: dict[int, Decimal]) -> int:
    """Record the 加试 scores of candidates flagged for it in `version` (administrators).
    Each is kept per application (a later entry replaces it, audited); the next ranking run
    reads them as the subscore "extra_test", appended to the tie-breakers, and makes a new
    version. Returns how many were recorded. ValidationError for a candidate not flagged."""
    _check_admin(actor)
    flagged = set(
        RankingRow.objects.filter(version=version, extra_test=True).values_list("application_id", flat=True)
    )
    unknown = set(scores) - flagged
    if unknown or not scores:
        raise ValidationError(_("只能为本版排名中需要加试的考生录入加试成绩。"))
    with transaction.atomic():
        for app_id, score in sorted(scores.items()):
            score = parse_extra_score(score)
            result, created = ExtraTestResult.objects.update_or_create(
                application_id=app_id,
                defaults={"announcement_id": version.announcement_id, "score": score, "entered_by": actor},
            )
            audit.record(
                actor,
                result,
                audit.ADDITION if created else audit.CHANGE,
                fields=[] if created else ["score"],
                note=_("加试成绩 %(score)s") % {"score": score},
            )
    return len(scores)
