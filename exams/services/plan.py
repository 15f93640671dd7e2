"""Writes of the exam plan: settings, sessions (场次), venues (考点), rooms (考场), proctors,
and the corrections of a plan already locked by issued tickets.

Every function is keyword-only, runs in one transaction, validates first (ValidationError
keyed by form field, Chinese source strings) and leaves an audit record (portal.audit, or
a PlanCorrection with the candidates it told). Lock order: plan row, then its children.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from applicants.models import Stage
from portal import audit
from recruitment.models import Announcement

from ..models import ExamPlan, ExamSession, PlanCorrection, ProctorAssignment, Room, Ticket, Venue
from ..numbering import overlaps
from ..selectors import plan as plan_selectors

PLAN_FIELDS = (
    "exam_code",
    "district_code",
    "number_format",
    "print_starts_at",
    "print_ends_at",
    "rules_text",
    "entry_cutoff_minutes",
    "unprinted_forfeits",
)

DEFAULT_RULES = """1. 考生须凭本人准考证和有效居民身份证原件参加考试，证件不全者不得参加考试。
2. 开考后规定时间内未进入考场者，视为自动放弃考试资格。
3. 考生只能携带黑色签字笔、2B铅笔和橡皮，手机等通讯工具须关闭后放在指定位置。
4. 考生须按准考证号对号入座，并将准考证和身份证放在桌面右上角以备查验。
5. 考试期间严禁交头接耳、抄袭、传递物品，违纪者按有关规定处理。"""


class PlanLocked(ValidationError):
    """The plan is locked (tickets issued): the change must go through a correction."""


def _locked_error() -> PlanLocked:
    return PlanLocked(
        _("准考证已发放，笔试安排已锁定；如需调整时间或考场，请使用“更正”，系统会通知受影响的考生。")
    )


def _lock_plan(plan: ExamPlan) -> ExamPlan:
    return ExamPlan.objects.select_for_update().get(pk=plan.pk)


def _local(value) -> str:
    return formats.date_format(timezone.localtime(value), "Y-m-d H:i") if value else ""


# --- The plan --------------------------------------------------------------------------------


def plan_get_or_create(*, announcement: Announcement, actor) -> ExamPlan:
    """The announcement's plan, created on first use with the defaults (no window and no
    session yet, the standard candidates' rules). The plan is the one source of truth for
    the window and the exam times (the announcement's former fields went with recruitment
    migration 0004, after exams.0002 had copied them into plans)."""
    plan = ExamPlan.objects.filter(announcement=announcement).first()
    if plan is not None:
        return plan
    with transaction.atomic():
        plan, created = ExamPlan.objects.get_or_create(
            announcement=announcement, defaults={"rules_text": DEFAULT_RULES}
        )
        if created:
            audit.record(actor, plan, audit.ADDITION)
    return plan


def _validate_window(plan: ExamPlan, starts, ends, *, sessions=None) -> dict:
    errors = {}
    if starts and ends and ends <= starts:
        errors["print_ends_at"] = _("打印截止时间必须晚于开始时间。")
    sessions = list(plan.sessions.all()) if sessions is None else sessions
    first = min((s.starts_at for s in sessions), default=None)
    if ends and first and ends > first:
        errors["print_ends_at"] = _("打印截止时间必须早于笔试开始时间（%(at)s）。") % {"at": _local(first)}
    return errors


def plan_update(*, plan: ExamPlan, actor, fields: dict) -> ExamPlan:
    """Change the plan's settings (PLAN_FIELDS). Refused once tickets are issued (PlanLocked)."""
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        raise ValueError(sorted(unknown))
    with transaction.atomic():
        plan = _lock_plan(plan)
        if plan.locked:
            raise _locked_error()
        changed = [name for name, value in fields.items() if getattr(plan, name) != value]
        for name in changed:
            setattr(plan, name, fields[name])
        errors = _validate_window(plan, plan.print_starts_at, plan.print_ends_at)
        if errors:
            raise ValidationError(errors)
        plan.full_clean(exclude=["announcement"])
        if changed:
            plan.save(update_fields=[*changed, "updated_at"])
            audit.record(actor, plan, audit.CHANGE, fields=changed)
    return plan


# --- Sessions --------------------------------------------------------------------------------


def clean_parts(raw, full_marks: Decimal) -> list[dict]:
    """Parse the parts of a paper, one "name marks" a line ("公共基础知识 40"); they must add
    up to `full_marks`. Empty: one paper. Raises ValidationError on the field "parts"."""
    parts = []
    for line in (raw or "").splitlines():
        line = line.strip()
        if not line:
            continue
        name, _sep, marks = line.rpartition(" ")
        try:
            value = Decimal(marks)
        except InvalidOperation:
            value = None
        if not name.strip() or value is None or value <= 0:
            raise ValidationError({"parts": _("每行写一个部分：名称、空格、分值，例如“公共基础知识 40”。")})
        parts.append({"name": name.strip(), "marks": str(value)})
    if parts and sum(Decimal(p["marks"]) for p in parts) != full_marks:
        total = sum(Decimal(p["marks"]) for p in parts)
        raise ValidationError(
            {
                "parts": _("各部分分值合计 %(total)s，与满分 %(full)s 不一致。")
                % {"total": total, "full": full_marks}
            }
        )
    return parts


def _position_ids(plan: ExamPlan, positions) -> set[int]:
    chosen = {p.pk for p in positions}
    return chosen or set(plan.announcement.positions.values_list("pk", flat=True))


def _validate_session(plan: ExamPlan, session: ExamSession, position_ids: set[int]) -> None:
    errors = {}
    if session.ends_at <= session.starts_at:
        errors["ends_at"] = _("结束时间必须晚于开始时间。")
    others = [s for s in plan.sessions.prefetch_related("positions") if s.pk != session.pk]
    all_ids = set(plan.announcement.positions.values_list("pk", flat=True))
    for other in others:
        other_ids = {p.pk for p in other.positions.all()} or all_ids
        shared = position_ids & other_ids
        if shared and overlaps(session.starts_at, session.ends_at, other.starts_at, other.ends_at):
            errors["starts_at"] = _(
                "与场次“%(other)s”（%(start)s–%(end)s）时间重叠，且有岗位同时参加这两场考试。"
                "不同岗位的考试可以同时进行，同一岗位不可以。"
            ) % {"other": other.subject, "start": _local(other.starts_at), "end": _local(other.ends_at)}
            break
    if plan.print_ends_at and plan.print_ends_at > session.starts_at:
        errors["starts_at"] = _("笔试开始时间必须晚于准考证打印截止时间（%(at)s）。") % {
            "at": _local(plan.print_ends_at)
        }
    if errors:
        raise ValidationError(errors)


def session_save(
    *, plan: ExamPlan, actor, session: ExamSession | None = None, fields: dict, positions=()
) -> ExamSession:
    """Create or change a session: subject, starts_at, ends_at, full_marks, parts (list of
    {"name", "marks"}); `positions` the positions that sit it (empty: all). Refused when
    locked, when it overlaps another session sharing a position, or when it starts before
    the printing window closes."""
    with transaction.atomic():
        plan = _lock_plan(plan)
        if plan.locked:
            raise _locked_error()
        creating = session is None
        session = session or ExamSession(plan=plan)
        for name, value in fields.items():
            setattr(session, name, value)
        _validate_session(plan, session, _position_ids(plan, positions))
        session.full_clean(exclude=["plan", "positions"])
        session.save()
        session.positions.set(list(positions))
        audit.record(actor, session, audit.ADDITION if creating else audit.CHANGE, fields=list(fields))
    return session


def session_delete(*, session: ExamSession, actor) -> None:
    with transaction.atomic():
        plan = _lock_plan(session.plan)
        if plan.locked:
            raise _locked_error()
        audit.record(actor, session, audit.DELETION)
        session.delete()


# --- Venues and rooms ------------------------------------------------------------------------


def _next_venue_code(plan: ExamPlan) -> str:
    used = set(plan.venues.values_list("code", flat=True))
    used |= set(
        Room.objects.filter(venue__plan=plan)
        .exclude(ticket_venue_code="")
        .values_list("ticket_venue_code", flat=True)
    )
    for number in range(1, 100):
        if f"{number:02d}" not in used:
            return f"{number:02d}"
    raise ValidationError({"code": _("考点代码 01–99 已全部使用。")})


def venue_save(*, plan: ExamPlan, actor, venue: Venue | None = None, fields: dict) -> Venue:
    """Create or change a venue (name, address, directions, code; an empty code takes the
    next free one). Refused when locked (use venue_correct) or when the code is taken."""
    with transaction.atomic():
        plan = _lock_plan(plan)
        if plan.locked:
            raise _locked_error()
        creating = venue is None
        venue = venue or Venue(plan=plan)
        for name, value in fields.items():
            setattr(venue, name, value)
        if not venue.code:
            venue.code = _next_venue_code(plan)
        taken = (
            plan.venues.filter(code=venue.code).exclude(pk=venue.pk).exists()
            or Room.objects.filter(venue__plan=plan, ticket_venue_code=venue.code)
            .exclude(venue_id=venue.pk)
            .exists()
        )
        if taken:
            raise ValidationError({"code": _("考点代码 %(code)s 已被使用。") % {"code": venue.code}})
        venue.full_clean(exclude=["plan"])
        venue.save()
        audit.record(actor, venue, audit.ADDITION if creating else audit.CHANGE, fields=list(fields))
    return venue


def venue_delete(*, venue: Venue, actor) -> None:
    with transaction.atomic():
        plan = _lock_plan(venue.plan)
        if plan.locked:
            raise _locked_error()
        audit.record(actor, venue, audit.DELETION)
        venue.delete()


def _check_seats_after(plan: ExamPlan, *, removed: int) -> None:
    """Refuse a change that leaves fewer seats than approved candidates (field "capacity")."""
    needed = plan_selectors.candidates_count(plan)
    seats = plan_selectors.seat_count(plan) - removed
    if seats < needed:
        raise ValidationError(
            {
                "capacity": _("座位不足：共有 %(needed)s 名审核通过的考生，修改后只剩 %(seats)s 个座位。")
                % {"needed": needed, "seats": seats}
            }
        )


def rooms_add(*, venue: Venue, actor, count: int, capacity: int = 30, location: str = "") -> list[Room]:
    """Add `count` rooms numbered after the venue's last, each with `capacity` seats (≤ 99)."""
    with transaction.atomic():
        plan = _lock_plan(venue.plan)
        if plan.locked:
            raise _locked_error()
        last = venue.rooms.order_by("-number").values_list("number", flat=True).first() or 0
        rooms = []
        for offset in range(1, count + 1):
            room = Room(venue=venue, number=last + offset, capacity=capacity, location=location)
            room.full_clean(exclude=["venue"])
            rooms.append(room)
        Room.objects.bulk_create(rooms)
        for room in rooms:
            audit.record(actor, room, audit.ADDITION)
    return rooms


def room_save(*, room: Room, actor, fields: dict) -> Room:
    """Change a room's number, location or seats; refused when locked or when the seats left
    would not hold the approved candidates."""
    with transaction.atomic():
        plan = _lock_plan(room.venue.plan)
        if plan.locked:
            raise _locked_error()
        before = Room.objects.get(pk=room.pk).capacity
        for name, value in fields.items():
            setattr(room, name, value)
        room.full_clean(exclude=["venue"])
        if room.capacity < before:
            _check_seats_after(plan, removed=before - room.capacity)
        if room.venue.rooms.filter(number=room.number).exclude(pk=room.pk).exists():
            raise ValidationError({"number": _("本考点已有这个考场号。")})
        room.save()
        audit.record(actor, room, audit.CHANGE, fields=list(fields))
    return room


def room_delete(*, room: Room, actor) -> None:
    with transaction.atomic():
        plan = _lock_plan(room.venue.plan)
        if plan.locked:
            raise _locked_error()
        _check_seats_after(plan, removed=room.capacity)
        audit.record(actor, room, audit.DELETION)
        room.delete()


# --- Proctors --------------------------------------------------------------------------------


def proctor_assign(*, venue: Venue, proctor, chief: bool, actor) -> ProctorAssignment:
    """Assign a proctor (role 监考人员) to a venue, or change whether they are chief."""
    from accounts.roles import Role

    if not proctor.has_role(Role.PROCTOR):
        raise ValidationError({"proctor": _("只能安排具有“监考人员”角色的账号。")})
    with transaction.atomic():
        assignment, created = ProctorAssignment.objects.get_or_create(
            venue=venue, proctor=proctor, defaults={"chief": chief, "assigned_by": actor}
        )
        if not created and assignment.chief != chief:
            assignment.chief = chief
            assignment.save(update_fields=["chief"])
        audit.record(actor, assignment, audit.ADDITION if created else audit.CHANGE, fields=["chief"])
    return assignment


def proctor_remove(*, assignment: ProctorAssignment, actor) -> None:
    with transaction.atomic():
        audit.record(actor, assignment, audit.DELETION)
        assignment.delete()


# --- Corrections of a locked plan ------------------------------------------------------------


def _notify_tickets(tickets, *, plan: ExamPlan, correction: PlanCorrection, what: str) -> int:
    """Tell the holders of `tickets` (a queryset) about `correction`: one message each."""
    from notifications.events import Event
    from notifications.services import notify_many

    by_position = defaultdict(list)
    names = {}
    for ticket in tickets.select_related("application__applicant", "application__position"):
        application = ticket.application
        by_position[application.position_id].append(application.applicant)
        names[application.position_id] = f"{application.position.code} {application.position.name}"
    told = 0
    for position_id, users in by_position.items():
        told += notify_many(
            recipients=users,
            event=Event.EXAM_CHANGED,
            context={
                "announcement_title": plan.announcement.title,
                "position_name": names[position_id],
                "change": what,
                "reason": correction.reason,
                "url": reverse("applicants:applications"),
            },
            dedupe_prefix=f"exam-correction:{correction.pk}",
        )
    return told


def _correct(*, plan: ExamPlan, actor, kind: str, target, changes: dict, reason: str, tickets, what: str):
    correction = PlanCorrection.objects.create(
        plan=plan, actor=actor, kind=kind, target_id=target.pk, changes=changes, reason=reason
    )
    correction.notified = _notify_tickets(tickets, plan=plan, correction=correction, what=what)
    correction.save(update_fields=["notified"])
    audit.record(actor, target, audit.CHANGE, fields=list(changes), note=reason)
    return correction


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写更正原因，考生会看到这段文字。")})
    return reason


def _holders(plan: ExamPlan):
    return Ticket.objects.filter(announcement_id=plan.announcement_id, application__stage=Stage.TICKET_ISSUED)


def session_correct_time(*, session: ExamSession, actor, starts_at, ends_at, reason: str) -> PlanCorrection:
    """Move a session of a locked plan; tells exactly the candidates whose position sits it."""
    reason = _reason(reason)
    with transaction.atomic():
        plan = _lock_plan(session.plan)
        old = (session.starts_at, session.ends_at)
        session.starts_at, session.ends_at = starts_at, ends_at
        position_ids = {p.pk for p in session.positions.all()}
        _validate_session(plan, session, position_ids or _position_ids(plan, ()))
        session.save(update_fields=["starts_at", "ends_at"])
        tickets = _holders(plan)
        if position_ids:
            tickets = tickets.filter(application__position_id__in=position_ids)
        what = _("“%(subject)s”考试时间由 %(old)s 调整为 %(new)s") % {
            "subject": session.subject,
            "old": f"{_local(old[0])}–{_local(old[1])[-5:]}",
            "new": f"{_local(starts_at)}–{_local(ends_at)[-5:]}",
        }
        return _correct(
            plan=plan,
            actor=actor,
            kind="session_time",
            target=session,
            changes={
                "starts_at": [_local(old[0]), _local(starts_at)],
                "ends_at": [_local(old[1]), _local(ends_at)],
            },
            reason=reason,
            tickets=tickets,
            what=what,
        )


def room_correct(*, room: Room, actor, location: str, reason: str) -> PlanCorrection:
    """A room moved (新的考场位置): tells exactly the candidates seated in it."""
    reason = _reason(reason)
    location = (location or "").strip()
    if not location:
        raise ValidationError({"location": _("请填写考场的新位置。")})
    with transaction.atomic():
        plan = _lock_plan(room.venue.plan)
        old = room.location
        room.location = location
        room.save(update_fields=["location"])
        what = _("%(venue)s 第%(number)s考场的位置改为：%(location)s") % {
            "venue": room.venue.name,
            "number": f"{room.number:02d}",
            "location": location,
        }
        return _correct(
            plan=plan,
            actor=actor,
            kind="room",
            target=room,
            changes={"location": [old, location]},
            reason=reason,
            tickets=_holders(plan).filter(room=room),
            what=what,
        )


def venue_correct(*, venue: Venue, actor, address: str, directions: str, reason: str) -> PlanCorrection:
    """A venue's address or directions changed: tells exactly the candidates seated there."""
    reason = _reason(reason)
    address = (address or "").strip()
    if not address:
        raise ValidationError({"address": _("请填写考点地址。")})
    with transaction.atomic():
        plan = _lock_plan(venue.plan)
        changes = {}
        if venue.address != address:
            changes["address"] = [venue.address, address]
        if venue.directions != directions:
            changes["directions"] = [venue.directions, directions]
        if not changes:
            raise ValidationError({"address": _("地址和交通指引都没有变化。")})
        venue.address, venue.directions = address, directions
        venue.save(update_fields=["address", "directions"])
        what = _("考点“%(venue)s”地址为：%(address)s") % {"venue": venue.name, "address": address}
        return _correct(
            plan=plan,
            actor=actor,
            kind="venue",
            target=venue,
            changes=changes,
            reason=reason,
            tickets=_holders(plan).filter(room__venue=venue),
            what=what,
        )


def window_correct(*, plan: ExamPlan, actor, print_starts_at, print_ends_at, reason: str) -> PlanCorrection:
    """Change the printing window of a locked plan: tells every ticket holder."""
    reason = _reason(reason)
    with transaction.atomic():
        plan = _lock_plan(plan)
        errors = _validate_window(plan, print_starts_at, print_ends_at)
        if errors:
            raise ValidationError(errors)
        old = (plan.print_starts_at, plan.print_ends_at)
        plan.print_starts_at, plan.print_ends_at = print_starts_at, print_ends_at
        plan.save(update_fields=["print_starts_at", "print_ends_at", "updated_at"])
        what = _("准考证打印时间调整为 %(start)s 至 %(end)s") % {
            "start": _local(print_starts_at),
            "end": _local(print_ends_at),
        }
        return _correct(
            plan=plan,
            actor=actor,
            kind="window",
            target=plan,
            changes={
                "print_starts_at": [_local(old[0]), _local(print_starts_at)],
                "print_ends_at": [_local(old[1]), _local(print_ends_at)],
            },
            reason=reason,
            tickets=_holders(plan),
            what=what,
        )


__all__ = [
    "DEFAULT_RULES",
    "PlanLocked",
    "clean_parts",
    "plan_get_or_create",
    "plan_update",
    "proctor_assign",
    "proctor_remove",
    "room_correct",
    "room_delete",
    "room_save",
    "rooms_add",
    "session_correct_time",
    "session_delete",
    "session_save",
    "venue_correct",
    "venue_delete",
    "venue_save",
    "window_correct",
]
