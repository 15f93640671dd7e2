"""The 加试 (extra test) of a ranking (issue 17 item 1): a group of equals straddling the last
post is decided by an extra test; its score enters the next ranking run as the subscore
"extra_test" with "subscore:extra_test" appended to the tie-breakers (exams.services.ranking).

ExtraTestResult is the one home of every 加试 score: the ranking's (extra_test_record, for
the candidates a version flags) and hiring's, when a backfill (递补) or the proposal of a
position reaches a group of equals for fewer places (extra_test_record_group, called by
hiring.services.proposals.record_extra_test, which decides the winners by
exams.scoring.extra_test_decide). Either way the next ranking run reads the same score."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal import audit

from ..models_ranking import ExtraTestResult, RankingRow, RankingVersion
from ..scoring import ExtraTestDecision, extra_test_decide
from .ranking import _check_admin

CENT = Decimal("0.01")


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


def extra_test_record_group(
    *, version: RankingVersion, actor, scores: dict[int, Decimal], places: int, why: str = ""
) -> tuple[dict[int, Decimal], ExtraTestDecision]:
    """Record the 加试 of one group of equals of the confirmed `version` competing for
    `places` posts (administrators), and say what it decided.

    scores: application id → score (0–100, at most 2 decimals; str or Decimal), one per member
    of the group: two or more applications of one position, ranked, eligible and sharing one
    rank in `version` (equal on the composite and every tie-breaker). Each score is kept in
    ExtraTestResult (a later 加试 of the same candidate replaces it, audited old → new, with
    `why`), so the next ranking run reads it as the subscore "extra_test".
    Returns ({application id: score}, exams.scoring.extra_test_decide over the group with
    str(application id) as keys): winners, the still tied with the places left (another 加试
    is needed for them), others. Raises PermissionDenied for a non-administrator,
    ValidationError for a bad score, a version not confirmed, or candidates that are not one
    group of equals of the version (nothing is written then)."""
    _check_admin(actor)
    if version.status != RankingVersion.Status.CONFIRMED:
        raise ValidationError(_("只能按已确认的排名版本录入加试成绩。"))
    # As stored (2 places; exact: parse_extra_score refuses more), so messages show 88.00.
    parsed = {int(app_id): parse_extra_score(score).quantize(CENT) for app_id, score in scores.items()}
    rows = list(
        RankingRow.objects.filter(version=version, application_id__in=list(parsed)).values_list(
            "position_id", "rank", "eligible", "absent"
        )
    )
    one_group = (
        len(parsed) >= 2
        and len(rows) == len(parsed)
        and len({(position, rank) for position, rank, _e, _a in rows}) == 1
        and all(eligible and not absent for _p, _r, eligible, absent in rows)
    )
    if not one_group or not 1 <= places < len(parsed):
        raise ValidationError(_("加试只能在确认排名中名次相同的合格考生之间进行。"))
    decision = extra_test_decide({str(app_id): score for app_id, score in parsed.items()}, places)
    with transaction.atomic():
        old = dict(
            ExtraTestResult.objects.select_for_update()
            .filter(application_id__in=list(parsed))
            .values_list("application_id", "score")
        )
        for app_id, score in sorted(parsed.items()):
            result, created = ExtraTestResult.objects.update_or_create(
                application_id=app_id,
                defaults={"announcement_id": version.announcement_id, "score": score, "entered_by": actor},
            )
            if created:
                note = _("加试成绩 %(score)s") % {"score": score}
            else:
                note = _("加试成绩 %(old)s → %(new)s") % {"old": old.get(app_id), "new": score}
            audit.record(
                actor,
                result,
                audit.ADDITION if created else audit.CHANGE,
                fields=[] if created else ["score"],
                note=f"{note}；{why}" if why else note,
            )
    return parsed, decision
