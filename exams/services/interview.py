"""Interviews (面试, issue 17 items 4–5): every state change of a group, its examiners, its
candidates and their scores — one function each, in a transaction, with an audit record;
notifications written in the same transaction (sent on commit by notifications).

Refusals raise InterviewRefused (a message for the page) or ValidationError (a message for
a field). The interview score itself is computed by exams.scoring.interview_score at the
chief's sign-off, and nowhere else.
"""

from __future__ import annotations

import secrets
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import Role
from applicants.models import Stage
from applicants.services import record_text
from applicants.transitions import StaleApplication, transition
from notifications.events import Event
from notifications.services import notify
from portal import audit

from .. import scoring
from ..interview_rules import ScoreInputError, check_physical_draw, draw_order, is_late, parse_score
from ..models_interview import (
    InterviewCandidate,
    InterviewExaminer,
    InterviewGroup,
    InterviewReopening,
    InterviewScore,
)
from ..rules import rules_for
from ..selectors import interview as selectors

Attendance = InterviewCandidate.Attendance


class InterviewRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def score_error_text(error: ScoreInputError) -> str:
    maximum = f"{error.maximum.normalize():f}"
    return {
        "empty": _("请填写评分。"),
        "not_a_number": _("请填写数字，例如 85 或 85.5。"),
        "negative": _("评分不能小于 0。"),
        "over_max": _("评分不能超过 %(max)s 分。") % {"max": maximum},
        "places": _("评分最多保留两位小数。"),
    }[error.code]


# ------------------------------------------------------------------ the group


GROUP_FIELDS = ("code", "name", "date", "starts_at", "report_by", "place", "waiting_room", "bring")


def group_save(*, announcement, actor, data: dict, positions, group: InterviewGroup | None = None):
    """Create or change a group (code, name, day, time, place, what to bring) and its
    positions. A published group's day, time and place change with a new notice."""
    with transaction.atomic():
        creating = group is None
        if creating:
            group = InterviewGroup(announcement=announcement, created_by=actor)
        changed = [name for name in GROUP_FIELDS if getattr(group, name) != data[name]]
        for name in GROUP_FIELDS:
            setattr(group, name, data[name])
        try:
            with transaction.atomic():
                group.save()
        except IntegrityError:
            raise ValidationError({"code": _("本次招聘已有此代码的面试组。")})
        valid = [p for p in positions if p.announcement_id == announcement.pk]
        group.positions.set(valid)
        audit.record(
            actor, group, audit.ADDITION if creating else audit.CHANGE, fields=() if creating else changed
        )
        if (
            not creating
            and group.published_at
            and {"date", "starts_at", "report_by", "place", "bring"} & set(changed)
        ):
            _notify_candidates(group, group.candidates.all(), again=True)
    return group


def group_publish(*, group: InterviewGroup, actor, now=None) -> int:
    """Publish a group: the panel is complete (settings' panel size, exactly one chief), it
    has candidates; each candidate gets the interview notice. Returns how many were told."""
    now = now or timezone.now()
    config = selectors.settings_of(group.announcement)
    with transaction.atomic():
        group = InterviewGroup.objects.select_for_update().get(pk=group.pk)
        if group.published_at:
            raise InterviewRefused(_("该面试组已发布。"))
        examiners = list(group.examiners.filter(active=True))
        if len(examiners) != config.panel_size:
            raise InterviewRefused(
                _("考官人数应为 %(size)s 人，现有 %(count)s 人。")
                % {"size": config.panel_size, "count": len(examiners)}
            )
        if sum(1 for e in examiners if e.chief) != 1:
            raise InterviewRefused(_("请指定一名主考官。"))
        candidates = list(group.candidates.select_related("application__applicant", "application__position"))
        if not candidates:
            raise InterviewRefused(_("该面试组还没有考生。"))
        group.published_at, group.published_by = now, actor
        group.save(update_fields=["published_at", "published_by", "updated_at"])
        audit.record(actor, group, audit.CHANGE, fields=["published_at"], note="published")
        told = _notify_candidates(group, candidates)
    return told


def _when(group: InterviewGroup) -> str:
    """面试时间 as the notice says it (“面试定于{interview_at}在{venue}进行”): date and start.
    The report-by time, waiting room and what to bring have their own slots in the template."""
    date = formats.date_format(group.date, "Y年n月j日")
    return f"{date} {group.starts_at:%H:%M}"


def _notify_candidates(group: InterviewGroup, candidates, *, again: bool = False) -> int:
    """The interview notice (面试通知): date and time, place, report-by time and waiting room
    (order of arrival: report, then the order drawn), what to bring."""
    told = 0
    stamp = int(timezone.now().timestamp()) if again else 0
    for candidate in candidates:
        application = candidate.application
        notify(
            recipient=application.applicant,
            event=Event.INTERVIEW_SCHEDULED,
            context={
                "announcement_title": group.announcement.title,
                "position_name": application.position.name,
                "url": reverse("applicants:application", args=[application.pk]),
                "interview_at": _when(group),
                "venue": group.place,
                "bring": group.bring,
                "report_by": f"{group.report_by:%H:%M}" if group.report_by else "",
                "waiting_room": group.waiting_room,
            },
            dedupe_key=f"interview_notice:{group.pk}:{application.pk}:{stamp}",
        )
        told += 1
    return told


# ------------------------------------------------------------------ examiners


def _not_started(group: InterviewGroup, now=None) -> None:
    if selectors.group_started(group, now):
        raise InterviewRefused(_("面试已开始，不能再调整考官。"))


def examiner_add(*, group: InterviewGroup, user, chief: bool, actor, now=None) -> InterviewExaminer:
    """Seat an examiner (a user with the examiner role) on the group before it starts."""
    if not user.has_role(Role.EXAMINER):
        raise ValidationError({"user": _("只能选择具有面试考官角色的账号。")})
    config = selectors.settings_of(group.announcement)
    with transaction.atomic():
        group = InterviewGroup.objects.select_for_update().get(pk=group.pk)
        _not_started(group, now)
        if group.examiners.filter(active=True).count() >= config.panel_size:
            raise InterviewRefused(_("考官已满 %(size)s 人。") % {"size": config.panel_size})
        if chief and group.examiners.filter(active=True, chief=True).exists():
            raise ValidationError({"chief": _("该面试组已有主考官。")})
        if group.examiners.filter(user=user).exists():
            raise ValidationError({"user": _("该考官已在本组。")})
        examiner = InterviewExaminer.objects.create(group=group, user=user, chief=chief, added_by=actor)
        audit.record(actor, examiner, audit.ADDITION, note="chief" if chief else "")
    return examiner


def examiner_make_chief(*, examiner: InterviewExaminer, actor, now=None) -> InterviewExaminer:
    with transaction.atomic():
        group = InterviewGroup.objects.select_for_update().get(pk=examiner.group_id)
        _not_started(group, now)
        group.examiners.filter(active=True, chief=True).update(chief=False)
        InterviewExaminer.objects.filter(pk=examiner.pk, active=True).update(chief=True)
        audit.record(actor, examiner, audit.CHANGE, fields=["chief"])
    examiner.refresh_from_db()
    return examiner


def examiner_remove(*, examiner: InterviewExaminer, actor, now=None) -> None:
    """Take an examiner off a group before it starts (a seat with scores is never removed)."""
    with transaction.atomic():
        group = InterviewGroup.objects.select_for_update().get(pk=examiner.group_id)
        _not_started(group, now)
        if examiner.scores.exists():
            raise InterviewRefused(_("该考官已有评分，不能移除。"))
        audit.record(actor, examiner, audit.DELETION)
        examiner.delete()


def conflict_declare(*, examiner: InterviewExaminer, reason: str, now=None) -> InterviewExaminer:
    """The examiner declares a conflict of interest (回避) with someone of the group's
    positions; the administrator replaces them before the group starts."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请说明需要回避的原因。")})
    with transaction.atomic():
        examiner = InterviewExaminer.objects.select_for_update().get(pk=examiner.pk)
        if not examiner.active:
            raise InterviewRefused(_("您已不在该面试组。"))
        if selectors.group_started(examiner.group, now):
            raise InterviewRefused(_("面试已开始，请当面向主考官和工作人员提出回避。"))
        examiner.conflict_at = now or timezone.now()
        examiner.conflict_reason = reason
        examiner.save(update_fields=["conflict_at", "conflict_reason"])
        audit.record(examiner.user, examiner, audit.CHANGE, fields=["conflict_reason"], note=reason)
    return examiner


def examiner_replace(*, examiner: InterviewExaminer, user, actor, now=None) -> InterviewExaminer:
    """Replace an examiner (after a conflict declaration, or otherwise) before the group
    starts: the old seat is kept, inactive, pointing to the new one; the chief's role
    passes to the replacement."""
    if not user.has_role(Role.EXAMINER):
        raise ValidationError({"user": _("只能选择具有面试考官角色的账号。")})
    now = now or timezone.now()
    with transaction.atomic():
        group = InterviewGroup.objects.select_for_update().get(pk=examiner.group_id)
        _not_started(group, now)
        examiner = InterviewExaminer.objects.select_for_update().get(pk=examiner.pk)
        if not examiner.active:
            raise InterviewRefused(_("该考官已被替换。"))
        if group.examiners.filter(user=user).exists():
            raise ValidationError({"user": _("该考官已在本组。")})
        chief = examiner.chief
        examiner.active, examiner.chief, examiner.removed_at = False, False, now
        examiner.save(update_fields=["active", "chief", "removed_at"])
        new = InterviewExaminer.objects.create(group=group, user=user, chief=chief, added_by=actor)
        examiner.replaced_by = new
        examiner.save(update_fields=["replaced_by"])
        note = f"replaced by user {user.pk}"
        if examiner.conflict_reason:
            note += f"; 回避: {examiner.conflict_reason}"
        audit.record(actor, examiner, audit.CHANGE, fields=["active", "replaced_by"], note=note)
        audit.record(actor, new, audit.ADDITION, note=f"replaces user {examiner.user_id}")
    return new


# ------------------------------------------------------------------ candidates


def candidates_assign(*, group: InterviewGroup, actor) -> int:
    """Put the shortlisted of the group's positions who are in no group yet into it; told
    at once when the group is already published. Returns how many were added."""
    with transaction.atomic():
        group = InterviewGroup.objects.select_for_update().get(pk=group.pk)
        applications = list(selectors.unassigned(group).select_related("applicant"))
        rows = InterviewCandidate.objects.bulk_create(
            [InterviewCandidate(group=group, application=a) for a in applications], ignore_conflicts=True
        )
        added = InterviewCandidate.objects.filter(group=group, application__in=applications).select_related(
            "application__applicant", "application__position"
        )
        audit.record(actor, group, audit.CHANGE, note=f"candidates added: {len(rows)}")
        if group.published_at:
            _notify_candidates(group, added)
    return len(applications)


def candidate_remove(*, candidate: InterviewCandidate, actor) -> None:
    if candidate.attendance != Attendance.PENDING or candidate.scores.exists():
        raise InterviewRefused(_("该考生已签到或已有评分，不能移出。"))
    with transaction.atomic():
        audit.record(
            actor, candidate.group, audit.CHANGE, note=f"candidate removed: {candidate.application_id}"
        )
        candidate.delete()


# ------------------------------------------------------------------ the day: check-in, draw


def _on_the_day(group: InterviewGroup, now) -> None:
    if timezone.localdate(now) != group.date:
        raise InterviewRefused(_("只能在面试当天（%(date)s）签到。") % {"date": group.date.isoformat()})
    if not group.published_at:
        raise InterviewRefused(_("该面试组尚未发布。"))


def _next_order(group: InterviewGroup) -> int | None:
    if group.drawn_at is None:
        return None
    last = group.candidates.exclude(order=None).order_by("-order").values_list("order", flat=True).first()
    return (last or 0) + 1


def checkin_mark(*, candidate: InterviewCandidate, present: bool, actor, now=None) -> InterviewCandidate:
    """Staff mark a candidate present or absent on the day. Present after the late-arrival
    cut-off (setting) waits for the chief's decision (LATE). Absent moves the application
    to ABSENT (缺考)."""
    now = now or timezone.now()
    with transaction.atomic():
        candidate = (
            InterviewCandidate.objects.select_for_update()
            .select_related("group__announcement", "application")
            .get(pk=candidate.pk)
        )
        group = candidate.group
        _on_the_day(group, now)
        if candidate.attendance in (Attendance.PRESENT, Attendance.ABSENT):
            if candidate.attendance == (Attendance.PRESENT if present else Attendance.ABSENT):
                return candidate
            raise InterviewRefused(
                _("该考生已登记为“%(state)s”。") % {"state": candidate.get_attendance_display()}
            )
        candidate.marked_by = actor
        if present:
            cutoff = selectors.settings_of(group.announcement).late_cutoff_minutes
            candidate.arrived_at = now
            if is_late(now, selectors.group_starts(group), cutoff):
                candidate.attendance = Attendance.LATE
            else:
                candidate.attendance = Attendance.PRESENT
                candidate.order = _next_order(group)
            candidate.save(update_fields=["attendance", "arrived_at", "marked_by", "order"])
            audit.record(actor, candidate, audit.CHANGE, fields=["attendance"], note=candidate.attendance)
        else:
            _mark_absent(candidate, actor, reason=record_text(gettext_lazy("面试缺考")))
    return candidate


def _mark_absent(candidate: InterviewCandidate, actor, *, reason: str) -> None:
    candidate.attendance = Attendance.ABSENT
    candidate.marked_by = actor
    candidate.save(update_fields=["attendance", "marked_by"])
    try:
        transition(
            candidate.application,
            to_stage=Stage.ABSENT,
            actor=actor,
            from_stages=[Stage.SHORTLISTED],
            reason=reason,
        )
    except StaleApplication:
        raise InterviewRefused(_("该考生的状态已变化，请刷新后再操作。"))
    audit.record(actor, candidate, audit.CHANGE, fields=["attendance"], note=reason)


def late_decide(
    *, candidate: InterviewCandidate, seat: InterviewExaminer, admit: bool, reason: str, now=None
):
    """The chief admits a late candidate (with a reason) or refuses (absent)."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not (seat.chief and seat.active and seat.group_id == candidate.group_id):
        raise InterviewRefused(_("只有本组主考官可以决定迟到考生是否入场。"))
    if admit and not reason:
        raise ValidationError({"reason": _("放行迟到考生，请填写原因。")})
    with transaction.atomic():
        candidate = (
            InterviewCandidate.objects.select_for_update()
            .select_related("group", "application")
            .get(pk=candidate.pk)
        )
        if candidate.attendance != Attendance.LATE:
            raise InterviewRefused(_("该考生不在迟到待定名单中。"))
        if admit:
            candidate.attendance = Attendance.PRESENT
            candidate.late_reason = reason
            candidate.order = _next_order(candidate.group)
            candidate.save(update_fields=["attendance", "late_reason", "order"])
            audit.record(
                seat.user, candidate, audit.CHANGE, fields=["attendance", "late_reason"], note=reason
            )
        else:
            _mark_absent(
                candidate,
                seat.user,
                reason=record_text(
                    gettext_lazy("面试迟到，超过入场截止时间：%(reason)s"), reason=reason or "-"
                ),
            )
    return candidate


def draw_portal(*, group: InterviewGroup, actor, seed: int | None = None, now=None) -> dict[int, int]:
    """The portal draws the order of the candidates present, from a recorded random seed:
    the same seed and candidates give the same order (exams.interview_rules.draw_order)."""
    now = now or timezone.now()
    with transaction.atomic():
        group = InterviewGroup.objects.select_for_update().get(pk=group.pk)
        _on_the_day(group, now)
        if group.drawn_at:
            raise InterviewRefused(_("本组已抽签。"))
        present = list(group.candidates.filter(attendance=Attendance.PRESENT).values_list("pk", flat=True))
        if not present:
            raise InterviewRefused(_("还没有到场的考生，不能抽签。"))
        seed = secrets.randbits(62) if seed is None else seed
        orders = draw_order(present, seed)
        _save_orders(group, orders)
        group.draw_method, group.draw_seed, group.drawn_at, group.drawn_by = (
            InterviewGroup.DrawMethod.PORTAL,
            seed,
            now,
            actor,
        )
        group.save(update_fields=["draw_method", "draw_seed", "drawn_at", "drawn_by", "updated_at"])
        audit.record(actor, group, audit.CHANGE, fields=["draw_seed"], note=f"draw seed {seed}")
    return orders


def draw_physical(*, group: InterviewGroup, actor, orders: dict[int, int | None], now=None) -> dict[int, int]:
    """The numbers drawn from physical lots, typed in: every candidate present has one,
    exactly 1…n, once each."""
    now = now or timezone.now()
    with transaction.atomic():
        group = InterviewGroup.objects.select_for_update().get(pk=group.pk)
        _on_the_day(group, now)
        if group.drawn_at:
            raise InterviewRefused(_("本组已抽签。"))
        present = set(group.candidates.filter(attendance=Attendance.PRESENT).values_list("pk", flat=True))
        if not present:
            raise InterviewRefused(_("还没有到场的考生，不能抽签。"))
        chosen = {pk: orders.get(pk) for pk in present}
        faults = check_physical_draw(chosen)
        if faults:
            raise ValidationError(
                {
                    "orders": _("请为每位到场考生填写抽签序号，序号须为 1 至 %(n)s，且不能重复。")
                    % {"n": len(present)}
                }
            )
        _save_orders(group, chosen)
        group.draw_method, group.drawn_at, group.drawn_by = InterviewGroup.DrawMethod.PHYSICAL, now, actor
        group.save(update_fields=["draw_method", "drawn_at", "drawn_by", "updated_at"])
        audit.record(
            actor, group, audit.CHANGE, fields=["draw_method"], note=f"physical draw {sorted(chosen.items())}"
        )
    return chosen


def _save_orders(group: InterviewGroup, orders: dict[int, int]) -> None:
    rows = list(InterviewCandidate.objects.filter(group=group, pk__in=list(orders)))
    for row in rows:
        row.order = orders[row.pk]
    InterviewCandidate.objects.bulk_update(rows, ["order"])


# ------------------------------------------------------------------ scoring


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
        candidate = InterviewCandidate.objects.select_for_update().get(pk=candidate.pk)
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
        score = InterviewScore.objects.select_for_update().select_related("candidate").get(pk=score.pk)
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
        candidate = (
            InterviewCandidate.objects.select_for_update()
            .select_related("group__announcement", "application")
            .get(pk=candidate.pk)
        )
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
