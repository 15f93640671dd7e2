"""Interviews (面试, issue 17 item 4), the day: check-in (签到), the chief's decision on a
late arrival, and the draw (抽签) of the candidates' order — by the portal from a recorded
seed, or typed in from a physical draw. One function per state change, in a transaction
with a row lock on the group or candidate, with an audit record.

Refusals raise exams.services.interview.InterviewRefused or ValidationError.
"""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applicants.models import Stage
from applicants.services import record_text
from applicants.transitions import StaleApplication, transition
from portal import audit

from ..interview_rules import check_physical_draw, draw_order, is_late
from ..models_interview import InterviewCandidate, InterviewExaminer, InterviewGroup, InterviewScore
from ..selectors import interview as selectors
from .interview import InterviewRefused, lock_candidate, lock_group

Attendance = InterviewCandidate.Attendance


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
        group = lock_group(candidate.group_id)  # serialises the numbers given after the draw
        candidate = lock_candidate(candidate.pk, "group__announcement", "application")
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
        lock_group(candidate.group_id)  # serialises the numbers given after the draw
        candidate = lock_candidate(candidate.pk, "group", "application")
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
        group = lock_group(group.pk)
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
        group = lock_group(group.pk)
        _on_the_day(group, now)
        if group.drawn_at:
            raise InterviewRefused(_("本组已抽签。"))
        present = set(group.candidates.filter(attendance=Attendance.PRESENT).values_list("pk", flat=True))
        if not present:
            raise InterviewRefused(_("还没有到场的考生，不能抽签。"))
        chosen = _typed_in(present, orders)
        _save_orders(group, chosen)
        group.draw_method, group.drawn_at, group.drawn_by = InterviewGroup.DrawMethod.PHYSICAL, now, actor
        group.save(update_fields=["draw_method", "drawn_at", "drawn_by", "updated_at"])
        audit.record(
            actor, group, audit.CHANGE, fields=["draw_method"], note=f"physical draw {sorted(chosen.items())}"
        )
    return chosen


def _typed_in(present, orders: dict[int, int | None]) -> dict[int, int]:
    """The typed-in numbers of the candidates present: exactly 1…n, once each, else
    ValidationError."""
    chosen = {pk: orders.get(pk) for pk in present}
    if check_physical_draw(chosen):
        raise ValidationError(
            {
                "orders": _("请为每位到场考生填写抽签序号，序号须为 1 至 %(n)s，且不能重复。")
                % {"n": len(present)}
            }
        )
    return chosen


def draw_redo(
    *,
    group: InterviewGroup,
    actor,
    reason: str,
    orders: dict[int, int | None] | None = None,
    seed: int | None = None,
    now=None,
) -> dict[int, int]:
    """Redo the draw (重新抽签) — e.g. drawn before a late candidate checked in, or by
    mistake — with a reason, by whoever may draw (views: the check-in staff), on the day,
    ONLY while no examiner of the group has submitted any score. Every candidate present
    (those admitted after the first draw too) is drawn again: by the portal from a new
    recorded seed (`orders` None; `seed` for tests), or from physical lots typed in
    (`orders`: candidate pk → number, exactly 1…n).

    The audit record keeps the previous draw: from (method, seed, orders) → to (method,
    seed, orders), and the reason. Returns the new orders {candidate pk: number}.
    Raises ValidationError (no reason; typed-in numbers not 1…n) or InterviewRefused (not
    drawn yet, not the day, scoring has started, nobody present).

    Lock order (exams.services.interview.lock_group): the group, then its candidates in
    pk order, then the check for scores — a score being submitted holds its candidate's
    row, so the check runs after that score is committed and sees it.
    """
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写重新抽签的原因。")})
    with transaction.atomic():
        group = lock_group(group.pk)
        _on_the_day(group, now)
        if not group.drawn_at:
            raise InterviewRefused(_("本组尚未抽签，请直接抽签。"))
        rows = list(InterviewCandidate.objects.select_for_update().filter(group=group).order_by("pk"))
        if InterviewScore.objects.filter(candidate__group=group).exists():
            raise InterviewRefused(_("考官已开始评分，不能重新抽签。"))
        present = [row.pk for row in rows if row.attendance == Attendance.PRESENT]
        if not present:
            raise InterviewRefused(_("还没有到场的考生，不能抽签。"))
        before = sorted((row.order, row.pk) for row in rows if row.order is not None)
        old_method, old_seed = group.draw_method, group.draw_seed
        if orders is None:
            method = InterviewGroup.DrawMethod.PORTAL
            seed = secrets.randbits(62) if seed is None else seed
            new = draw_order(present, seed)
        else:
            method, seed = InterviewGroup.DrawMethod.PHYSICAL, None
            new = _typed_in(present, orders)
        # The numbers are unique per group, checked row by row: clear them, then set.
        InterviewCandidate.objects.filter(group=group, order__isnull=False).update(order=None)
        _save_orders(group, new)
        group.draw_method, group.draw_seed, group.drawn_at, group.drawn_by = method, seed, now, actor
        group.save(update_fields=["draw_method", "draw_seed", "drawn_at", "drawn_by", "updated_at"])
        after = sorted((number, pk) for pk, number in new.items())
        audit.record(
            actor,
            group,
            audit.CHANGE,
            fields=["draw_method", "draw_seed", "drawn_at"],
            note=(
                f"draw redone: {reason}; from {old_method} seed {old_seed} order (number, candidate) {before}"
                f" → to {method} seed {seed} order {after}"
            ),
        )
    return new


def _save_orders(group: InterviewGroup, orders: dict[int, int]) -> None:
    rows = list(InterviewCandidate.objects.filter(group=group, pk__in=list(orders)))
    for row in rows:
        row.order = orders[row.pk]
    InterviewCandidate.objects.bulk_update(rows, ["order"])
