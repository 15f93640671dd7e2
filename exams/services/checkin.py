"""Exam-day check-in (签到): marking a candidate present at a session (scan, typed number or
the paper sheet typed in afterwards), the chief proctor's late admission, disqualification
(违纪), and closing a session: everyone unmarked becomes absent (缺考) — a state, never a
score.

Times (DOMAIN-RULES §2.1): check-in opens CHECKIN_OPENS_BEFORE before the start; entry
closes `plan.entry_cutoff_minutes` after the start (default 30), after which only a chief
proctor admits, with a reason; a session is closed by the beat task
EXAMS_SESSION_CLOSE_AFTER_MINUTES (default 120) after its end, leaving time to type in the
paper sign-in sheets, or at once by an administrator.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applicants.models import Stage
from applicants.services import record_text
from applicants.transitions import StaleApplication, transition, transition_many
from portal import audit

from ..models import Attendance, ExamSession, Room, Ticket
from ..selectors.checkin import Access, CheckinRefused, check_ticket_here, session_tickets

CHECKIN_OPENS_BEFORE = timedelta(minutes=90)


def close_after() -> timedelta:
    return timedelta(minutes=int(getattr(settings, "EXAMS_SESSION_CLOSE_AFTER_MINUTES", 120)))


def entry_cutoff(session: ExamSession) -> timezone.datetime:
    return session.starts_at + timedelta(minutes=session.plan.entry_cutoff_minutes)


def checkin_mark_present(
    *,
    session: ExamSession,
    access: Access,
    actor,
    ticket: Ticket,
    via: str,
    reason: str = "",
    now=None,
) -> Attendance:
    """Mark `ticket` present at `session`. Refused (CheckinRefused) for another venue or
    session, before check-in opens, after the session closed, and after the entry cut-off
    unless the user is chief and gives a reason. Marking twice returns the first mark."""
    now = now or timezone.now()
    check_ticket_here(session, access, ticket)
    existing = Attendance.objects.filter(ticket=ticket, session=session).first()
    if existing is not None and existing.status == Attendance.Status.PRESENT:
        return existing
    if session.closed_at is not None:
        raise CheckinRefused(_("本场考试已结束并已登记缺考，不能再签到。"))
    if now < session.starts_at - CHECKIN_OPENS_BEFORE:
        raise CheckinRefused(
            _("签到尚未开始：开考前 %(minutes)s 分钟开始签到。")
            % {"minutes": int(CHECKIN_OPENS_BEFORE.total_seconds() // 60)}
        )
    late = now >= entry_cutoff(session)
    reason = (reason or "").strip()
    if late and via != Attendance.Via.PAPER:
        if not access.chief:
            raise CheckinRefused(
                _("已超过开考后 %(minutes)s 分钟的入场截止时间，只有主考可以放行。")
                % {"minutes": session.plan.entry_cutoff_minutes}
            )
        if not reason:
            raise ValidationError({"reason": _("截止入场后放行，请填写原因。")})
    with transaction.atomic():
        try:
            with transaction.atomic():
                attendance = Attendance.objects.create(
                    ticket=ticket,
                    session=session,
                    status=Attendance.Status.PRESENT,
                    via=via,
                    late=late and via != Attendance.Via.PAPER,
                    reason=reason if late else "",
                    marked_by=actor,
                )
        except IntegrityError:  # marked by another proctor a moment ago
            return Attendance.objects.get(ticket=ticket, session=session)
    return attendance


def paper_marks_record(*, session: ExamSession, room: Room, actor, present_ticket_ids, now=None) -> int:
    """Type in a room's paper sign-in sheet (考场签到表) before the session closes: the
    ticked candidates are marked present (via paper). Returns how many were marked."""
    now = now or timezone.now()
    if session.closed_at is not None:
        raise ValidationError({"present": _("本场考试已结束并已登记缺考，不能再补录签到。")})
    if now < session.starts_at:
        raise ValidationError({"present": _("考试开始后才能补录纸质签到表。")})
    wanted = set(present_ticket_ids)
    tickets = session_tickets(session).filter(
        room=room, pk__in=wanted, application__stage=Stage.TICKET_ISSUED
    )
    already = set(
        Attendance.objects.filter(session=session, ticket__in=tickets).values_list("ticket_id", flat=True)
    )
    rows = [
        Attendance(
            ticket_id=ticket_id,
            session=session,
            status=Attendance.Status.PRESENT,
            via=Attendance.Via.PAPER,
            marked_by=actor,
        )
        for ticket_id in tickets.values_list("pk", flat=True)
        if ticket_id not in already
    ]
    with transaction.atomic():
        Attendance.objects.bulk_create(rows, ignore_conflicts=True)
        audit.record(
            actor, room, audit.CHANGE, note=f"paper sign-in, session {session.pk}: {len(rows)} present"
        )
    return len(rows)


def session_close(*, session: ExamSession, actor=None, now=None) -> int:
    """After the session: every candidate of it without a mark is absent (缺考) — an
    Attendance row and the stage ABSENT (one bulk transition). Idempotent. Returns how
    many were marked absent."""
    now = now or timezone.now()
    if now < session.ends_at:
        raise ValidationError({"session": _("考试尚未结束，不能登记缺考。")})
    with transaction.atomic():
        session = ExamSession.objects.select_for_update().select_related("plan").get(pk=session.pk)
        if session.closed_at is not None:
            return 0
        marked = set(Attendance.objects.filter(session=session).values_list("ticket_id", flat=True))
        rows = [
            (ticket_id, application_id)
            for ticket_id, application_id in session_tickets(session)
            .filter(application__stage__in=[Stage.TICKET_ISSUED, Stage.ABSENT])
            .values_list("pk", "application_id")
            if ticket_id not in marked
        ]
        # Those already absent for not printing have no ticket to sit: not counted again.
        forfeited = set(
            session_tickets(session)
            .filter(application__stage=Stage.ABSENT, attendance__isnull=True)
            .values_list("pk", flat=True)
        )
        rows = [row for row in rows if row[0] not in forfeited]
        Attendance.objects.bulk_create(
            [
                Attendance(
                    ticket_id=ticket_id,
                    session=session,
                    status=Attendance.Status.ABSENT,
                    via=Attendance.Via.SESSION_END,
                    marked_by=actor,
                )
                for ticket_id, _app in rows
            ],
            ignore_conflicts=True,
            batch_size=2000,
        )
        transition_many(
            [app for _ticket, app in rows],
            to_stage=Stage.ABSENT,
            actor=actor,
            from_stages=[Stage.TICKET_ISSUED],
            reason=record_text(gettext_lazy("缺考（%(subject)s）"), subject=session.subject),
        )
        session.closed_at = now
        session.save(update_fields=["closed_at"])
    return len(rows)


def sessions_close_due(*, now=None) -> int:
    """The beat task's work: close every session ended EXAMS_SESSION_CLOSE_AFTER_MINUTES ago."""
    now = now or timezone.now()
    total = 0
    for session in ExamSession.objects.filter(
        closed_at__isnull=True, plan__tickets_issued_at__isnull=False, ends_at__lte=now - close_after()
    ):
        total += session_close(session=session, now=now)
    return total


def candidate_disqualify(
    *, session: ExamSession, access: Access, actor, ticket: Ticket, reason: str
) -> Ticket:
    """A chief proctor (or administrator) records a violation (违纪): stage DISQUALIFIED,
    with the reason in the audit row."""
    reason = (reason or "").strip()
    if not access.chief:
        raise CheckinRefused(_("只有主考可以登记违纪。"))
    if not reason:
        raise ValidationError({"reason": _("请填写违纪情况。")})
    if ticket.room.venue_id not in access.venue_ids:
        raise CheckinRefused(_("该考生不在本考点。"))
    with transaction.atomic():
        try:
            transition(
                ticket.application,
                to_stage=Stage.DISQUALIFIED,
                actor=actor,
                from_stages=[Stage.TICKET_ISSUED, Stage.ABSENT],
                reason=record_text(
                    gettext_lazy("违纪（%(subject)s）：%(reason)s"), subject=session.subject, reason=reason
                ),
            )
        except StaleApplication:
            raise CheckinRefused(_("该考生的状态已变化，请刷新后再操作。"))
    return ticket
