"""Reads of exam-day check-in: which sessions a proctor works, finding a ticket from a
scanned QR token or a typed number (always within the session's announcement), and the
rows of a room's sign-in sheet."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role
from applicants.masking import mask_id_number
from applicants.models import Stage

from ..models import Attendance, ExamSession, ProctorAssignment, Room, Ticket


class CheckinRefused(Exception):
    """A ticket that may not be checked in here; `message` says why (and where to go)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Access:
    """What a user may do at a session: the venue ids they check in at, and whether they
    are chief (may admit after the cut-off). Administrators: every venue, as chief."""

    venue_ids: frozenset[int]
    chief: bool
    admin: bool


def sessions_for_proctor(user) -> QuerySet[ExamSession]:
    """Sessions of plans with a venue the user is assigned to (administrators: all issued)."""
    if not user.is_authenticated:
        return ExamSession.objects.none()
    sessions = ExamSession.objects.filter(plan__tickets_issued_at__isnull=False).select_related(
        "plan__announcement"
    )
    if user.has_role(Role.ADMINISTRATOR):
        return sessions
    if not user.has_role(Role.PROCTOR):
        return ExamSession.objects.none()
    return sessions.filter(plan__venues__proctors__proctor=user).distinct()


PROCTOR_DAYS_AROUND_EXAM = 1


def sessions_open_to(user) -> QuerySet[ExamSession]:
    """The sessions whose check-in page the user may open (access_for): administrators all
    issued ones; a proctor those at a venue they are assigned to whose day is within
    PROCTOR_DAYS_AROUND_EXAM of today (no link to a page that would answer 404)."""
    sessions = sessions_for_proctor(user)
    if user.is_authenticated and user.has_role(Role.ADMINISTRATOR):
        return sessions
    today = timezone.localdate()
    first = timezone.make_aware(datetime.combine(today - timedelta(days=PROCTOR_DAYS_AROUND_EXAM), time.min))
    after = timezone.make_aware(
        datetime.combine(today + timedelta(days=PROCTOR_DAYS_AROUND_EXAM + 1), time.min)
    )
    return sessions.filter(starts_at__gte=first, starts_at__lt=after)


def access_for(user, session: ExamSession) -> Access:
    """Raises Http404 when the user has no venue in this session's plan."""
    if user.is_authenticated and user.has_role(Role.ADMINISTRATOR):
        return Access(frozenset(session.plan.venues.values_list("pk", flat=True)), True, True)
    if not (user.is_authenticated and user.has_role(Role.PROCTOR)):
        raise Http404
    rows = list(
        ProctorAssignment.objects.filter(proctor=user, venue__plan_id=session.plan_id).values_list(
            "venue_id", "chief"
        )
    )
    if not rows:
        raise Http404
    # A proctor works on exam day: the candidates of their venue (names, photos, seats) are
    # theirs to see from the day before (printing the sheets) to the day after (typing in
    # the paper marks), not weeks around it (ARCHITECTURE: "checks candidates in … on exam day").
    day = timezone.localtime(session.starts_at).date()
    if abs((timezone.localdate() - day).days) > PROCTOR_DAYS_AROUND_EXAM:
        raise Http404
    return Access(frozenset(v for v, _c in rows), any(c for _v, c in rows), False)


def session_for_proctor(user, pk) -> tuple[ExamSession, Access]:
    session = get_object_or_404(sessions_for_proctor(user).prefetch_related("positions"), pk=pk)
    return session, access_for(user, session)


def ticket_from_input(session: ExamSession, text: str) -> Ticket:
    """The ticket a scanned token or a typed number names, in this session's announcement
    only. Raises CheckinRefused (tampered, foreign or malformed token; unknown number)."""
    text = (text or "").strip()
    if not text:
        raise CheckinRefused(_("请扫描二维码或输入准考证号。"))
    announcement_id = session.plan.announcement_id
    if text.isdigit():
        number = text
    else:
        from ..tokens import BadToken, read_ticket_token

        try:
            token_announcement, number = read_ticket_token(text)
        except BadToken:
            raise CheckinRefused(
                _("二维码无效：不是本平台签发的准考证，或已被篡改。请改为输入准考证号核对。")
            )
        if token_announcement != announcement_id:
            raise CheckinRefused(
                _("该准考证不属于本次考试（%(title)s）。") % {"title": session.plan.announcement.title}
            )
    ticket = (
        Ticket.objects.filter(announcement_id=announcement_id, number=number)
        .select_related("application__position", "application__applicant", "room__venue")
        .first()
    )
    if ticket is None:
        raise CheckinRefused(_("本次考试没有准考证号为 %(number)s 的考生，请核对。") % {"number": number})
    return ticket


def check_ticket_here(session: ExamSession, access: Access, ticket: Ticket) -> None:
    """Refuse, saying which, a ticket of another venue or another session, or a candidate
    who may not sit (gave up, absent for not printing, disqualified)."""
    venue = ticket.room.venue
    if venue.pk not in access.venue_ids:
        raise CheckinRefused(
            _("该考生的考点是“%(venue)s”（%(address)s）第%(room)s考场，不在本考点。")
            % {"venue": venue.name, "address": venue.address, "room": f"{ticket.room.number:02d}"}
        )
    position_ids = {p.pk for p in session.positions.all()}
    if position_ids and ticket.application.position_id not in position_ids:
        other = (
            ExamSession.objects.filter(plan_id=session.plan_id)
            .filter(Q(positions=ticket.application.position_id) | Q(positions__isnull=True))
            .order_by("starts_at")
            .first()
        )
        if other is not None:
            raise CheckinRefused(
                _("该考生不参加本场“%(subject)s”，其考试场次是“%(other)s”（%(at)s）。")
                % {
                    "subject": session.subject,
                    "other": other.subject,
                    "at": f"{other.starts_at:%Y-%m-%d %H:%M}",
                }
            )
        raise CheckinRefused(_("该考生不参加本场“%(subject)s”。") % {"subject": session.subject})
    stage = ticket.application.stage
    if stage == Stage.DISQUALIFIED:
        raise CheckinRefused(_("该考生已因违纪被取消考试资格。"))
    if stage == Stage.ABSENT and not ticket.attendance.filter(status=Attendance.Status.ABSENT).exists():
        raise CheckinRefused(_("该考生未在规定时间内打印准考证，已视为弃考。"))
    if stage not in (Stage.TICKET_ISSUED, Stage.ABSENT):
        raise CheckinRefused(
            _("该考生当前状态为“%(stage)s”，不能签到。") % {"stage": ticket.application.get_stage_display()}
        )


def attendance_of(ticket: Ticket, session: ExamSession) -> Attendance | None:
    return Attendance.objects.filter(ticket=ticket, session=session).select_related("marked_by").first()


def session_counts(session: ExamSession, access: Access) -> dict:
    """Present so far and expected, in the user's venues."""
    expected = session_tickets(session).filter(room__venue_id__in=access.venue_ids)
    present = Attendance.objects.filter(
        session=session, status=Attendance.Status.PRESENT, ticket__room__venue_id__in=access.venue_ids
    ).count()
    return {"expected": expected.count(), "present": present}


def session_tickets(session: ExamSession) -> QuerySet[Ticket]:
    """Tickets of candidates who sit `session` (by position), whatever their stage."""
    tickets = Ticket.objects.filter(announcement_id=session.plan.announcement_id)
    position_ids = [p.pk for p in session.positions.all()]
    if position_ids:
        tickets = tickets.filter(application__position_id__in=position_ids)
    return tickets


@dataclass(frozen=True)
class SheetRow:
    ticket_id: int
    seat: int
    number: str
    name: str
    id_masked: str
    position: str
    stage: str
    attendance: str  # "", "present", "absent"
    photo_name: str


def room_rows(session: ExamSession, room: Room) -> list[SheetRow]:
    """The room's candidates for this session, by seat: one query."""
    tickets = (
        session_tickets(session)
        .filter(room=room)
        .select_related("application__position")
        .only(
            "pk",
            "seat",
            "number",
            "application__snapshot",
            "application__stage",
            "application__position__code",
            "application__position__name",
        )
        .order_by("seat")
    )
    marks = dict(
        Attendance.objects.filter(session=session, ticket__room=room).values_list("ticket_id", "status")
    )
    rows = []
    for ticket in tickets:
        snapshot = ticket.application.snapshot if isinstance(ticket.application.snapshot, dict) else {}
        photo = snapshot.get("photo")
        rows.append(
            SheetRow(
                ticket_id=ticket.pk,
                seat=ticket.seat,
                number=ticket.number,
                name=snapshot.get("real_name", ""),
                id_masked=mask_id_number(snapshot.get("id_number", "")),
                position=f"{ticket.application.position.code} {ticket.application.position.name}",
                stage=ticket.application.stage,
                attendance=marks.get(ticket.pk, ""),
                photo_name=photo if isinstance(photo, str) else "",
            )
        )
    return rows
