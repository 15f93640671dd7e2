"""Written scores (笔试成绩), results: pass lines, results computed and published (the
candidates told once), and score review requests (成绩复核).

Every score is computed by exams.scoring (through exams.rules.rules_for); nothing here
rounds or ranks by its own rules except the competition rank (1, 2, 2, 4) of written totals
within a position, which scoring's Ranking does for composites only.

Split from exams.services.written, which re-exports every name here (callers import that).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from applicants.models import Application
from notifications.events import Event
from notifications.services import notify, notify_many
from portal import audit

from .. import scoring
from ..models_written import (
    BonusClaim,
    PositionPassLine,
    PositionResult,
    ScoreReviewRequest,
    ScoreStatus,
    WrittenResults,
    WrittenScore,
)
from ..rules import pass_setting, rules_for
from ..selectors import written as selectors
from .written_scores import TWO_PLACES, _check_staff, _score_text, results_touch, written_score_correct

# ------------------------------------------------------------------ pass lines and results


def position_pass_line_set(*, position, actor, mode: str, value: Decimal | None) -> PositionPassLine | None:
    """Set (or with mode "" clear) a position's own pass line. Marks results out of date."""
    _check_staff(actor, position.announcement_id)
    with transaction.atomic():
        if not mode:
            PositionPassLine.objects.filter(position=position).delete()
            line = None
        else:
            if mode not in PositionPassLine.Mode.values:
                raise ValidationError({"mode": _("合格线方式无效。")})
            if mode != PositionPassLine.Mode.NONE and value is None:
                raise ValidationError({"value": _("请填写分数线。")})
            if mode == PositionPassLine.Mode.RELATIVE and not (0 < value <= 100):
                raise ValidationError({"value": _("比例须大于0且不超过100。")})
            line, _created = PositionPassLine.objects.update_or_create(
                position=position, defaults={"mode": mode, "value": value, "set_by": actor}
            )
            audit.record(actor, line, audit.CHANGE, fields=["mode", "value"])
        results_touch(position.announcement_id)
    return line


def explain_line(mode: str, value, line: Decimal | None, sat_scores: list[Decimal], on_total: bool) -> dict:
    """How a pass line was obtained, as data (JSON): the stored mode and value, the line,
    and for a relative line the count, sum and mean of the raw scores of those who sat.
    `explanation_text` puts it in words in the reader's language."""
    data = {"mode": mode, "line": str(line) if line is not None else None, "on_total": bool(on_total)}
    if mode == "relative" and sat_scores:
        total = sum(sat_scores, Decimal(0))
        data.update(
            {
                "pct": str(Decimal(value).normalize()),
                "n": len(sat_scores),
                "sum": str(total),
                "mean": str((total / len(sat_scores)).quantize(Decimal("0.0001"))),
            }
        )
    return data


def explanation_text(data: dict) -> str:
    """The arithmetic of a pass line in words (PositionResult.explanation)."""
    if not data:
        return ""
    basis = _("原始成绩加加分") if data.get("on_total") else _("笔试原始成绩")
    mode = data.get("mode")
    if mode == "none":
        return _("本岗位不设笔试合格分数线，参加考试者均视为合格。")
    if mode == "relative":
        if not data.get("n"):
            return _("无人参加考试，未计算合格分数线。")
        return _(
            "按参加考试的%(n)s人原始成绩平均分的%(pct)s%%划定：总分%(sum)s ÷ %(n)s人 = 平均分%(mean)s，"
            "× %(pct)s%% = %(line)s分（四舍五入保留两位小数）；比较对象为%(basis)s。"
        ) % {**data, "basis": basis}
    if mode == "manual":
        return _("考后划定的分数线：%(line)s分；比较对象为%(basis)s。") % {
            "line": data["line"],
            "basis": basis,
        }
    return _("固定分数线：%(line)s分；比较对象为%(basis)s。") % {"line": data["line"], "basis": basis}


def _competition_ranks(pairs: list[tuple[Decimal, int]]) -> dict[int, int]:
    """{score id: rank} by total descending, equals sharing a rank (1, 2, 2, 4)."""
    ordered = sorted(pairs, key=lambda pair: -pair[0])
    ranks, previous, rank = {}, None, 0
    for index, (total, pk) in enumerate(ordered, start=1):
        if total != previous:
            rank, previous = index, total
        ranks[pk] = rank
    return ranks


def _save_computed(scores: list[WrittenScore], version: int) -> None:
    """Write bonus, total, passed and rank: on PostgreSQL one UPDATE … FROM (VALUES …) per
    5,000 rows (bulk_update's CASE expressions took minutes for 50,000), bulk_update elsewhere."""
    from django.db import connection

    if connection.vendor != "postgresql":
        WrittenScore.objects.bulk_update(
            scores, ["bonus", "total", "passed", "rank", "computed_version"], batch_size=2000
        )
        return
    table = connection.ops.quote_name(WrittenScore._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(scores), 5000):
            batch = scores[start : start + 5000]
            values = ", ".join(["(%s, %s::numeric, %s::numeric, %s::boolean, %s::integer)"] * len(batch))
            params = []
            for score in batch:
                params += [score.pk, score.bonus, score.total, score.passed, score.rank]
            # Only placeholders and the quoted table name go into the text.
            sql = (
                f"UPDATE {table} SET bonus = v.bonus, total = v.total, passed = v.passed, rank = v.rank,"  # noqa: S608
                f" computed_version = %s FROM (VALUES {values}) AS v(id, bonus, total, passed, rank)"
                f" WHERE {table}.id = v.id"
            )
            cursor.execute(sql, [version, *params])


@transaction.atomic
def results_compute(*, announcement, actor=None) -> WrittenResults:
    """Compute bonus, written total, pass line, passed and rank of every score of the
    announcement with exams.scoring, store them on the scores and PositionResult rows, and
    mark the results current. Safe to repeat (the same inputs give the same figures)."""
    results, _created = WrittenResults.objects.get_or_create(announcement=announcement)
    results = WrittenResults.objects.select_for_update().get(pk=results.pk)
    scores = list(
        WrittenScore.objects.filter(announcement=announcement).values(
            "pk", "position_id", "status", "raw", "ticket__application_id"
        )
    )
    bonus: dict[int, list[Decimal]] = {}
    for application_id, points in BonusClaim.objects.filter(
        application__announcement=announcement, status=BonusClaim.Status.CONFIRMED
    ).values_list("application_id", "category__points"):
        bonus.setdefault(application_id, []).append(points)
    overrides = {
        o.position_id: o for o in PositionPassLine.objects.filter(position__announcement=announcement)
    }
    candidates = {
        row["pk"]: scoring.Candidate(
            key=str(row["pk"]),
            written=row["raw"] if row["status"] == ScoreStatus.SCORED else None,
            bonus=tuple(bonus.get(row["ticket__application_id"], ())),
        )
        for row in scores
    }
    sat = [c for c in candidates.values() if c.written is not None]
    sat_scores = [c.written for c in sat]
    by_position: dict[int, list[dict]] = {}
    for row in scores:
        by_position.setdefault(row["position_id"], []).append(row)
    updates = []
    PositionResult.objects.filter(announcement=announcement).delete()
    position_rows = []
    for position_id, rows in by_position.items():
        override = overrides.get(position_id)
        rules = rules_for(announcement, override=override)
        line = scoring.pass_line(sat, rules)  # the mean is over everyone who sat the announcement's exam
        mode, value = pass_setting(announcement, override)
        explanation = explain_line(mode, value, line, sat_scores, rules.pass_line_on_total)
        pairs = []
        for row in rows:
            candidate = candidates[row["pk"]]
            score = WrittenScore(pk=row["pk"])
            if candidate.written is None:
                score.bonus = score.total = score.passed = score.rank = None
            else:
                score.bonus = scoring.bonus_points(candidate, rules)
                score.total = scoring.written_total(candidate, rules)
                score.passed = scoring.qualifies(candidate, rules, line)
                pairs.append((score.total, row["pk"]))
            updates.append(score)
        ranks = _competition_ranks(pairs)
        for score in updates[-len(rows) :]:
            score.rank = ranks.get(score.pk)
            score.computed_version = results.version
        position_rows.append(
            PositionResult(
                announcement=announcement,
                position_id=position_id,
                line=line,
                explanation=explanation,
                sat=len(pairs),
                computed_version=results.version,
            )
        )
    _save_computed(updates, results.version)
    PositionResult.objects.bulk_create(position_rows)
    results.computed_version = results.version
    results.computed_at = timezone.now()
    results.save(update_fields=["computed_version", "computed_at"])
    selectors.forget_figures(announcement.pk)
    if actor is not None:
        audit.record(actor, results, audit.CHANGE, fields=["computed_version"])
    return results


def results_publish(*, announcement, actor, at=None, now=None) -> WrittenResults:
    """Publish the announcement's written results now (at None or past) or schedule them
    for `at`. Computes stale figures first. Each candidate with a score is told once, ever
    (dedupe keys): publishing twice sends nothing more. Raises PermissionDenied for
    non-staff, ValidationError when nothing is scored."""
    _check_staff(actor, announcement.pk)
    now = now or timezone.now()
    if not WrittenScore.objects.filter(announcement=announcement).exists():
        raise ValidationError(_("尚无成绩，不能发布。"))
    with transaction.atomic():
        results, _created = WrittenResults.objects.get_or_create(announcement=announcement)
        results = WrittenResults.objects.select_for_update().get(pk=results.pk)
        if at is not None and at > now:
            results.scheduled_for = at
            results.published_by = actor
            results.save(update_fields=["scheduled_for", "published_by"])
            audit.record(actor, results, audit.CHANGE, fields=["scheduled_for"])
            selectors.forget_figures(announcement.pk)
            return results
        return _publish(results, actor=actor, now=now)


def _publish(results: WrittenResults, *, actor, now) -> WrittenResults:
    announcement = results.announcement
    if results.stale:
        results_compute(announcement=announcement, actor=actor)
        results.refresh_from_db()
    if results.published_at is None:
        results.published_at = now
        results.bonus_published_at = results.bonus_published_at or now
        results.published_by = results.published_by or actor
        results.save(update_fields=["published_at", "bonus_published_at", "published_by"])
        audit.record(actor, results, audit.CHANGE, fields=["published_at"])
        selectors.forget_figures(announcement.pk)
    _notify_published(results)
    return results


def _notify_published(results: WrittenResults) -> int:
    """One 成绩已公布 notice per candidate with a score, per position (the same words for
    all of a position); dedupe keys make a second run add nothing."""
    from accounts.models import User

    announcement = results.announcement
    told = 0
    rows = (
        WrittenScore.objects.filter(announcement=announcement)
        .values_list("position_id", "position__name", "ticket__application__applicant_id")
        .order_by("position_id")
    )
    by_position: dict[int, tuple[str, list[int]]] = {}
    for position_id, name, user_id in rows:
        by_position.setdefault(position_id, (name, []))[1].append(user_id)
    for position_id, (name, user_ids) in by_position.items():
        users = User.objects.filter(pk__in=user_ids)
        told += notify_many(
            recipients=users,
            event=Event.SCORES_PUBLISHED,
            context={
                "announcement_title": announcement.title,
                "position_name": name,
                "url": reverse("exams:written_my_scores"),
            },
            dedupe_prefix=f"written_published:{announcement.pk}:{position_id}",
        )
    WrittenResults.objects.filter(pk=results.pk).update(notified_at=timezone.now())
    return told


def publish_due(*, now=None) -> int:
    """Beat task: publish every scheduled result whose time has come. Idempotent."""
    now = now or timezone.now()
    done = 0
    for pk in WrittenResults.objects.filter(scheduled_for__lte=now, published_at__isnull=True).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            results = (
                WrittenResults.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("announcement", "published_by")
                .filter(pk=pk, published_at__isnull=True)
                .first()
            )
            if results is None:
                continue
            _publish(results, actor=results.published_by, now=results.scheduled_for)
            done += 1
    return done


# ------------------------------------------------------------------ score review (成绩复核)


def review_deadline(results: WrittenResults):
    """The last day to ask for a score review: N working days after the publication day
    (exams.workdays; calendar days where the year has no holiday data: `exact` False)."""
    from ..workdays import add_workdays

    published = timezone.localtime(results.published_at).date()
    return add_workdays(published, results.review_working_days)


def review_request_create(*, score: WrittenScore, actor, reason: str, now=None) -> ScoreReviewRequest:
    """The candidate asks once for their score to be re-checked, with a reason, within the
    window after publication. Raises PermissionDenied (not theirs; not published; past the
    window; asked already), ValidationError (no reason)."""
    now = now or timezone.now()
    application = score.ticket.application
    if application.applicant_id != actor.pk:
        raise PermissionDenied
    results = selectors.results_of(score.announcement_id)
    if not selectors.is_published(results, now):
        raise PermissionDenied(_("成绩尚未发布。"))
    if timezone.localtime(now).date() > review_deadline(results).day:
        raise PermissionDenied(_("成绩复核申请期限已过。"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写申请复核的理由。")})
    try:
        with transaction.atomic():
            request = ScoreReviewRequest.objects.create(score=score, reason=reason, requested_by=actor)
            audit.record(actor, request, audit.ADDITION, note=reason)
    except IntegrityError:
        raise PermissionDenied(_("每位考生只能申请一次成绩复核。"))
    return request


def review_answer(
    *, request: ScoreReviewRequest, actor, outcome: str, rechecked_raw: Decimal | None = None, note: str = ""
) -> ScoreReviewRequest:
    """Staff record the re-check: unchanged, or corrected with the re-checked total (the
    score is then corrected through written_score_correct, audited and stale-marking). The
    candidate is told. Raises PermissionDenied (not staff; answered already), ValidationError."""
    score = request.score
    _check_staff(actor, score.announcement_id)
    if outcome not in (ScoreReviewRequest.Outcome.UNCHANGED, ScoreReviewRequest.Outcome.CORRECTED):
        raise ValidationError({"outcome": _("请选择复核结果。")})
    with transaction.atomic():
        locked = ScoreReviewRequest.objects.select_for_update().get(pk=request.pk)
        if locked.outcome:
            raise PermissionDenied(_("该复核申请已办结。"))
        if outcome == ScoreReviewRequest.Outcome.CORRECTED:
            if rechecked_raw is None:
                raise ValidationError({"rechecked_raw": _("请填写复核后的分数。")})
            parts = None
            paper_parts = list(score.parts.all())
            if len(paper_parts) == 1:
                parts = [(paper_parts[0].name, rechecked_raw.quantize(TWO_PLACES), paper_parts[0].full_marks)]
            score = written_score_correct(
                score=score,
                actor=actor,
                status=ScoreStatus.SCORED,
                raw=rechecked_raw,
                parts=parts,
                reason=_("成绩复核：%(note)s") % {"note": note or _("复核更正")},
                expected_version=score.version,
            )
        locked.outcome = outcome
        locked.rechecked_raw = score.raw
        locked.note = (note or "").strip()
        locked.answered_by = actor
        locked.answered_at = timezone.now()
        locked.save(update_fields=["outcome", "rechecked_raw", "note", "answered_by", "answered_at"])
        audit.record(actor, locked, audit.CHANGE, fields=["outcome", "rechecked_raw"], note=locked.note)
        application = Application.objects.select_related("applicant", "announcement", "position").get(
            pk=score.ticket.application_id
        )
        notify(
            recipient=application.applicant,
            event=Event.SCORE_REVIEW_ANSWERED,
            context={
                "announcement_title": application.announcement.title,
                "position_name": application.position.name,
                "url": reverse("exams:written_my_score", args=[application.pk]),
                "outcome": str(ScoreReviewRequest.Outcome(outcome).label),
                "score": _score_text(score.status, score.raw),
                "reason": locked.note,
            },
            dedupe_key=f"score_review_answered:{locked.pk}",
        )
    return locked
