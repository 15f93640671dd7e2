"""The applicant's admission ticket PDF (own ticket only, inside the window, first print
recorded) and the staff's per-room sign-in sheet and seating chart PDFs."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.permissions import role_required
from accounts.roles import Role
from applicants.models import Stage

from ..models import Room
from ..selectors import checkin as checkin_selectors
from ..selectors import tickets as selectors
from ..services import tickets as services


def _local(value) -> str:
    return formats.date_format(timezone.localtime(value), "Y-m-d H:i") if value else ""


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _font_missing(request, error) -> HttpResponse:
    return render(request, "exams/font_missing.html", {"error": str(error)}, status=503)


@role_required(Role.APPLICANT)
def ticket_pdf(request, pk):
    ticket = selectors.own_ticket(request.user, pk)
    back = redirect("applicants:application", pk=pk)
    if ticket.application.stage != Stage.TICKET_ISSUED:
        messages.error(request, _("当前报名状态不能打印准考证。"))
        return back
    plan = ticket.room.venue.plan
    state = selectors.print_state(plan)
    if state != "open":
        window = {"start": _local(plan.print_starts_at), "end": _local(plan.print_ends_at)}
        if state == "before":
            messages.error(request, _("准考证打印尚未开始，打印时间：%(start)s 至 %(end)s。") % window)
        else:
            messages.error(request, _("准考证打印时间（%(start)s 至 %(end)s）已结束。") % window)
        return back
    from portal.pdf import FontMissing

    try:
        pdf = selectors.ticket_pdf(ticket)  # rendered once per ticket and content, then stored
    except FontMissing as error:
        return _font_missing(request, error)
    services.ticket_record_print(ticket=ticket, refresh=False)
    return _pdf_response(pdf, f"zkz-{ticket.number}.pdf")


def _room_for_staff(request, session_pk, room_pk):
    session, access = checkin_selectors.session_for_proctor(request.user, session_pk)
    room = get_object_or_404(
        Room.objects.select_related("venue"),
        pk=room_pk,
        venue__plan_id=session.plan_id,
        venue_id__in=access.venue_ids,
    )
    return session, access, room


@role_required(Role.PROCTOR, Role.ADMINISTRATOR)
def room_sheet_pdf(request, pk, room_pk, kind):
    """考场签到表 (kind "sign-in") or 座次表 (kind "seating") of a room at a session."""
    if kind not in ("sign-in", "seating"):
        raise Http404
    session, _access, room = _room_for_staff(request, pk, room_pk)
    from portal.pdf import FontMissing

    from ..documents import render_seating_chart, render_sign_in_sheet

    sheet = selectors.room_sheet(session, room, checkin_selectors.room_rows(session, room))
    render_pdf = render_sign_in_sheet if kind == "sign-in" else render_seating_chart
    try:
        pdf = render_pdf(sheet)
    except FontMissing as error:
        return _font_missing(request, error)
    return _pdf_response(pdf, f"{kind}-{session.pk}-{room.venue.code}{room.number:02d}.pdf")
