"""Reads of admission tickets: the applicant's own ticket and its sessions, and the plain
data the PDF renderers (exams.documents) take."""

from __future__ import annotations

import posixpath

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from applicants.models import ApplicantProfile, Application

from ..models import Attendance, ExamPlan, ExamSession, Room, Ticket
from ..numbering import window_state


def ticket_of_application(application: Application) -> Ticket | None:
    return Ticket.objects.filter(application_id=application.pk).select_related("room__venue__plan").first()


def own_ticket(user, application_pk) -> Ticket:
    """The ticket of an application of `user`; anyone else's: 404."""
    ticket = (
        Ticket.objects.filter(application_id=application_pk, application__applicant=user)
        .select_related("application__position", "application__announcement", "room__venue__plan")
        .first()
    )
    if ticket is None:
        raise Http404
    return ticket


def sessions_of(plan: ExamPlan, position_id: int) -> list[ExamSession]:
    """The sessions a candidate of `position_id` sits (those naming it, and those naming none)."""
    sessions = plan.sessions.prefetch_related("positions")
    return [
        s for s in sessions if not s.positions.all() or any(p.pk == position_id for p in s.positions.all())
    ]


def print_state(plan: ExamPlan, now=None) -> str:
    return window_state(plan.print_starts_at, plan.print_ends_at, now or timezone.now())


def attendance_by_session(ticket: Ticket) -> dict[int, str]:
    return dict(Attendance.objects.filter(ticket=ticket).values_list("session_id", "status"))


def snapshot_photo(snapshot: dict) -> bytes | None:
    """The ID photo submitted with the application (its file named in the snapshot), or
    None when the snapshot has none or the file is gone."""
    name = snapshot.get("photo") if isinstance(snapshot, dict) else None
    if not isinstance(name, str) or not name.startswith("photos/") or posixpath.normpath(name) != name:
        return None
    storage = ApplicantProfile._meta.get_field("photo").storage
    try:
        with storage.open(name, "rb") as handle:
            return handle.read()
    except (FileNotFoundError, OSError):
        return None


def ticket_data(ticket: Ticket, *, qr_payload: str):
    """exams.documents.TicketData for `ticket` (plain data, no model)."""
    from recruitment.markdown import render_markdown

    from ..documents import SessionLine, TicketData

    application = ticket.application
    plan = ticket.room.venue.plan
    snapshot = application.snapshot if isinstance(application.snapshot, dict) else {}
    venue = ticket.room.venue
    return TicketData(
        announcement_title=application.announcement.title,
        candidate_name=snapshot.get("real_name", ""),
        id_number=snapshot.get("id_number", ""),
        ticket_number=ticket.number,
        position_label=f"{application.position.code} {application.position.name}",
        sessions=tuple(
            SessionLine(
                subject=s.subject,
                starts_at=timezone.localtime(s.starts_at),
                ends_at=timezone.localtime(s.ends_at),
            )
            for s in sessions_of(plan, application.position_id)
        ),
        venue_name=venue.name,
        venue_address=venue.address,
        venue_directions=venue.directions,
        room_number=_room_label(ticket.room),
        seat_number=f"{ticket.seat:02d}",
        rules_text=_plain_rules(render_markdown(plan.rules_text)),
        photo=snapshot_photo(snapshot),
        qr_payload=qr_payload,
        entry_cutoff_minutes=plan.entry_cutoff_minutes,
    )


def _room_label(room: Room) -> str:
    return f"{room.number:02d}" + (f"（{room.location}）" if room.location else "")


def _plain_rules(html: str) -> str:
    """The sanitised rules as plain lines for the PDF (no markup)."""
    import re
    from html import unescape

    text = re.sub(r"</(p|li|h\d|tr)>|<br\s*/?>", "\n", html)
    text = re.sub(r"<[^>]+>", "", text)
    return "\n".join(line.strip() for line in unescape(text).splitlines() if line.strip())


def room_sheet(session: ExamSession, room: Room, rows) -> object:
    """exams.documents.RoomSheet of a room at a session (rows from selectors.checkin.room_rows)."""
    from ..documents import RoomSheet, RoomSheetRow, SessionLine

    return RoomSheet(
        announcement_title=session.plan.announcement.title,
        session=SessionLine(
            subject=session.subject,
            starts_at=timezone.localtime(session.starts_at),
            ends_at=timezone.localtime(session.ends_at),
        ),
        venue_name=room.venue.name,
        room_number=_room_label(room),
        rows=tuple(
            RoomSheetRow(
                seat_number=f"{row.seat:02d}",
                ticket_number=row.number,
                name=row.name,
                id_number_masked=row.id_masked,
                position_label=row.position,
                photo=snapshot_photo({"photo": row.photo_name}),
            )
            for row in rows
        ),
    )


def tickets_of_announcement(announcement_id: int) -> QuerySet[Ticket]:
    return Ticket.objects.filter(announcement_id=announcement_id)
