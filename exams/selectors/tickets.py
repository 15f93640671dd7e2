"""Reads of admission tickets: the applicant's own ticket and its sessions, the plain data
the PDF renderers (exams.documents) take, and the ticket PDF itself, rendered once per
ticket and content (``ticket_pdf``)."""

from __future__ import annotations

import hashlib
import logging
import posixpath
from dataclasses import fields
from functools import lru_cache
from pathlib import Path

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from applicants.models import ApplicantProfile, Application

from ..models import Attendance, ExamPlan, ExamSession, Room, Ticket
from ..numbering import window_state

logger = logging.getLogger(__name__)


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


def session_times(plan: ExamPlan, position_id: int) -> list[tuple[str, object, object]]:
    """[(subject, starts_at, ends_at)] of the sessions a candidate of `position_id` sits, in
    time order. Kept in the shared cache under the announcement's page version
    (recruitment.page_cache), which every change of the plan, a session or a session's
    positions moves on commit (exams.schedule): a ticket download reads no session row."""
    from recruitment import page_cache

    key = f"exams:plan-sessions:{plan.pk}:v{page_cache.version(plan.announcement_id)}"
    rows = cache.get(key)
    if rows is None:
        rows = [
            (s.subject, s.starts_at, s.ends_at, tuple(p.pk for p in s.positions.all()))
            for s in plan.sessions.prefetch_related("positions")
        ]
        cache.set(key, rows, 600)
    return [
        (subject, starts, ends)
        for subject, starts, ends, positions in rows
        if not positions or position_id in positions
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
                subject=subject, starts_at=timezone.localtime(starts), ends_at=timezone.localtime(ends)
            )
            for subject, starts, ends in session_times(plan, application.position_id)
        ),
        venue_name=venue.name,
        venue_address=venue.address,
        venue_directions=venue.directions,
        room_number=_room_label(ticket.room),
        seat_number=f"{ticket.seat:02d}",
        rules_text=_rules_lines(plan.rules_text),
        photo=snapshot_photo(snapshot),
        qr_payload=qr_payload,
        entry_cutoff_minutes=plan.entry_cutoff_minutes,
    )


@lru_cache(maxsize=64)
def _rules_lines(rules_text: str) -> str:
    """The plan's rules (Markdown through the announcements' sanitiser) as plain lines; one
    rendering per process and text, not per ticket."""
    from recruitment.markdown import render_markdown

    return _plain_rules(render_markdown(rules_text))


# --- The ticket PDF, rendered once per ticket and content --------------------------------------
#
# A ticket's PDF depends only on what it prints (exams.documents.TicketData: the snapshot's
# name, ID number and photo, number, room, seat, venue, sessions, rules, the QR token, which
# is deterministic) and on the code that lays it out. The file is kept in the private media
# storage under TICKET_PDF_DIR/<announcement>/<ticket>/<digest of all that>.pdf, so:
# - a second download (a candidate prints again; a phone then a computer) reads the file;
# - any change that shows on the ticket (seat or room moved, a session's time or a venue's
#   address corrected, the rules edited, a new layout deployed) gives another digest, so a
#   new PDF is rendered and the ticket's older files are deleted;
# - the files hold personal data: ticket_pdfs_purge() deletes a plan's once its printing
#   window has closed (exams.tasks.forfeit_unprinted, the beat task that runs after windows).
TICKET_PDF_DIR = "exam-tickets"


@lru_cache(maxsize=1)
def _layout_version() -> bytes:
    """A digest of the code that draws a ticket (exams.documents, portal.pdf): a deployment
    that changes the layout renders every ticket anew."""
    from portal import pdf

    from .. import documents

    digest = hashlib.sha256()
    for module in (documents, pdf):
        digest.update(Path(module.__file__).read_bytes())
    return digest.digest()


def ticket_digest(data) -> str:
    """A hex digest of everything a TicketData prints and of the layout code."""
    digest = hashlib.sha256(_layout_version())
    for field in fields(data):
        value = getattr(data, field.name)
        if isinstance(value, bytes):
            value = hashlib.sha256(value).hexdigest()
        digest.update(f"{field.name}={value!r}\x1f".encode())
    return digest.hexdigest()[:32]


def _ticket_dir(announcement_id: int, ticket_id: int) -> str:
    return f"{TICKET_PDF_DIR}/{announcement_id}/{ticket_id}"


def ticket_pdf(ticket: Ticket) -> bytes:
    """The admission ticket PDF of ``ticket`` (own_ticket() loaded its relations): the stored
    rendering when its content has not changed, else rendered now and stored. Raises
    portal.pdf.FontMissing when it must be rendered and the server has no CJK font."""
    from ..documents import render_ticket
    from ..tokens import ticket_token

    data = ticket_data(
        ticket, qr_payload=ticket_token(announcement_id=ticket.announcement_id, ticket_number=ticket.number)
    )
    folder = _ticket_dir(ticket.announcement_id, ticket.pk)
    name = f"{folder}/{ticket_digest(data)}.pdf"
    try:
        with default_storage.open(name, "rb") as handle:
            return handle.read()
    except (FileNotFoundError, OSError):
        pass
    pdf = render_ticket(data)
    _store(folder, name, pdf)
    return pdf


def _store(folder: str, name: str, pdf: bytes) -> None:
    """Keep ``pdf`` as ``name`` and drop the ticket's other (outdated) renderings. A failure to
    write only costs the next download a rendering."""
    try:
        try:
            _dirs, files = default_storage.listdir(folder)
        except (FileNotFoundError, NotADirectoryError):
            files = []
        for old in files:
            if f"{folder}/{old}" != name:
                default_storage.delete(f"{folder}/{old}")
        if not default_storage.exists(name):
            default_storage.save(name, ContentFile(pdf))
    except OSError as error:
        logger.warning("ticket PDF %s not stored: %s", name, error)


def ticket_pdfs_purge(announcement_id: int) -> int:
    """Delete every stored ticket PDF of an announcement; returns how many files went."""
    root = f"{TICKET_PDF_DIR}/{announcement_id}"
    removed = 0
    try:
        folders, _files = default_storage.listdir(root)
    except (FileNotFoundError, NotADirectoryError):
        return 0
    for folder in folders:
        _dirs, files = default_storage.listdir(f"{root}/{folder}")
        for name in files:
            default_storage.delete(f"{root}/{folder}/{name}")
            removed += 1
        default_storage.delete(f"{root}/{folder}")
    default_storage.delete(root)
    return removed


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
