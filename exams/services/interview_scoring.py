"""Interviews (面试, issue 17 item 5), blind scoring: an examiner's score of the candidate
in the room, the chief's reopening of a submitted score (with a reason), and the chief's
sign-off, where the interview score is computed by exams.scoring.interview_score — and
nowhere else. Each in a transaction with a row lock on the candidate (taken first, then
the score), with an audit record.

Refusals raise exams.services.interview.InterviewRefused or ValidationError.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applicants.models import Stage
from applicants.services import record_text
from applicants.transitions import StaleApplication, transition
from portal import audit

from .. import scoring
from ..interview_rules import ScoreInputError, parse_score
from ..models_interview import InterviewCandidate, InterviewExaminer, InterviewReopening, InterviewScore
from ..rules import rules_for
from ..selectors import interview as selectors
from .interview import InterviewRefused, lock_candidate

Attendance = InterviewCandidate.Attendance


def score_error_text(error: ScoreInputError) -> str:
    maximum = f"{error.maximum.normalize():f}"
    return {
        "empty": _("请填写评分。"),
        "not_a_number": _("请填写数字，例如 85 或 85.5。"),
        "negative": _("评分不能小于 0。"),
        "over_max": _("评分不能超过 %(max)s 分。") % {"max": maximum},
        "places": _("评分最多保留两位小数。"),
    }[error.code]


def _parse(config, total, parts) -> tuple[Decimal, dict]:
    if config.by_dimensions:
        values, errors = {}, {}
        for dimension in config.dimensions:
            try:
                values[dimension.name] = parse_score((parts or {}).get(dimension.name), dimension.maximum)
            except ScoreInputError as error:
                errors[dimension.name] = score_error_text(error)
        if errors:
            raise ValidationError(errors)
        total_value = sum(values.values(), Decimal(0))
        if total_value > 100:
            raise ValidationError({"total": _("各要素合计不能超过 100 分，请管理员检查评分要素的满分。")})
        return total_value, {name: str(value) for name, value in values.items()}
    try:
        return parse_score(total), {}
    except ScoreInputError as error:
        raise ValidationError({"total": score_error_text(error)})


def score_submit(*, seat: InterviewExaminer, candidate: InterviewCandidate, total=None, parts=None, now=None):
    """An examiner's score of the candidate in the room: 0–100, at most 2 decimals (or the
    dimensions within their maxima, summed). Submitting locks it; a second submission is
    refused unless the chief reopened it."""
    now = now or timezone.now()
    if not seat.active or candidate.group_id != seat.group_id:
        raise InterviewRefused(_("您不是该考生所在面试组的考官。"))
    group = seat.group
    if timezone.localdate(now) != group.date:
        raise InterviewRefused(_("只能在面试当天评分。"))
    config = selectors.settings_of(group.announcement)
    value, stored_parts = _parse(config, total, parts)
    with transaction.atomic():
        candidate = lock_candidate(candidate.pk)
        if candidate.attendance != Attendance.PRESENT or candidate.order is None:
            raise InterviewRefused(_("该考生尚未到场抽签，不能评分。"))
        if candidate.signed_off_at:
            raise InterviewRefused(_("主考官已确认该考生的成绩，不能再评分。"))
        existing = (
            InterviewScore.objects.select_for_update().filter(candidate=candidate, examiner=seat).first()
        )
        if existing is not None and existing.locked:
            raise InterviewRefused(_("您已提交对该考生的评分，不能重复提交。如需修改，请主考官重新开放。"))
        if existing is None:
            score = InterviewScore.objects.create(
                candidate=candidate, examiner=seat, total=value, parts=stored_parts
            )
            audit.record(seat.user, score, audit.ADDITION)
        else:
            existing.total, existing.parts, existing.locked = value, stored_parts, True
            existing.save(update_fields=["total", "parts", "locked", "submitted_at"])
            score = existing
            audit.record(seat.user, score, audit.CHANGE, fields=["total"], note="resubmitted after reopening")
    return score


def score_reopen(*, score: InterviewScore, seat: InterviewExaminer, reason: str) -> InterviewScore:
    """The chief reopens one submitted score so its examiner may change it (reason kept)."""
    reason = (reason or "").strip()
    if not (seat.chief and seat.active and seat.group_id == score.candidate.group_id):
        raise InterviewRefused(_("只有本组主考官可以重新开放评分。"))
    if not reason:
        raise ValidationError({"reason": _("请填写重新开放评分的原因。")})
    with transaction.atomic():
        lock_candidate(score.candidate_id)  # candidate, then score: the order score_submit takes
        score = (
            InterviewScore.objects.select_for_update(of=("self",))
            .select_related("candidate")
            .get(pk=score.pk)
        )
        if score.candidate.signed_off_at:
            raise InterviewRefused(_("主考官已确认该考生的成绩，不能再修改。"))
        if not score.locked:
            raise InterviewRefused(_("该评分已重新开放，等待考官重新提交。"))
        InterviewReopening.objects.create(score=score, old_total=score.total, reason=reason, by=seat.user)
        score.locked = False
        score.save(update_fields=["locked"])
        audit.record(
            seat.user, score, audit.CHANGE, fields=["locked"], note=f"reopened ({score.total}): {reason}"
        )
    return score


def candidate_sign_off(
    *, candidate: InterviewCandidate, seat: InterviewExaminer, now=None
) -> InterviewCandidate:
    """The chief signs a candidate off: every active examiner has a locked score; the
    interview score is exams.scoring.interview_score of them; stage → INTERVIEWED."""
    now = now or timezone.now()
    if not (seat.chief and seat.active and seat.group_id == candidate.group_id):
        raise InterviewRefused(_("只有本组主考官可以确认成绩。"))
    with transaction.atomic():
        candidate = lock_candidate(candidate.pk, "group__announcement", "application")
        if candidate.signed_off_at:
            raise InterviewRefused(_("该考生的成绩已确认。"))
        examiners = list(candidate.group.examiners.filter(active=True).values_list("pk", flat=True))
        scores = {
            s.examiner_id: s
            for s in InterviewScore.objects.filter(
                candidate=candidate, examiner_id__in=examiners, locked=True
            )
        }
        missing = len(examiners) - len(scores)
        if missing or not examiners:
            raise InterviewRefused(
                _("还有 %(n)s 位考官未提交评分，不能确认。") % {"n": missing or len(examiners) or 1}
            )
        rules = rules_for(candidate.group.announcement)
        value = scoring.interview_score([scores[pk].total for pk in examiners], rules)
        candidate.score = value
        candidate.signed_off_at, candidate.signed_off_by = now, seat.user
        candidate.save(update_fields=["score", "signed_off_at", "signed_off_by"])
        try:
            transition(
                candidate.application,
                to_stage=Stage.INTERVIEWED,
                actor=seat.user,
                from_stages=[Stage.SHORTLISTED],
                reason=record_text(gettext_lazy("面试成绩 %(score)s"), score=value),
            )
        except StaleApplication:
            raise InterviewRefused(_("该考生的状态已变化，请刷新后再操作。"))
        audit.record(seat.user, candidate, audit.CHANGE, fields=["score", "signed_off_at"], note=str(value))
    return candidate
