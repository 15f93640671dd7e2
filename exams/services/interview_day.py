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
from ..models_interview import InterviewCandidate, InterviewExaminer, InterviewGroup
from ..selectors import interview as selectors
from .interview import InterviewRefused

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
