"""The exam's panel on the applicant's application page (registered with
applicants.panels in exams.apps): session, venue, room, seat, the print button inside the
window (outside, the window's times), and afterwards present or absent."""

from django.template.loader import render_to_string
from django.utils import timezone

from applicants.models import Stage

from .selectors import tickets as ticket_selectors

SHOWN_STAGES = {Stage.TICKET_ISSUED, Stage.ABSENT, Stage.DISQUALIFIED, Stage.WRITTEN_SCORED}


def ticket_panel(request, application) -> str:
    if application.stage not in SHOWN_STAGES:
        return ""
    ticket = ticket_selectors.ticket_of_application(application)
    if ticket is None:
        return ""
    plan = ticket.room.venue.plan
    attendance = ticket_selectors.attendance_by_session(ticket)
    sessions = [
        {"session": s, "attendance": attendance.get(s.pk, "")}
        for s in ticket_selectors.sessions_of(plan, application.position_id)
    ]
    return render_to_string(
        "exams/_application_panel.html",
        {
            "application": application,
            "ticket": ticket,
            "plan": plan,
            "venue": ticket.room.venue,
            "room": ticket.room,
            "sessions": sessions,
            "state": ticket_selectors.print_state(plan, timezone.now()),
        },
        request=request,
    )
