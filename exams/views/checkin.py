"""Exam-day check-in (签到) for proctors on a phone: scan the ticket's QR code or type the
number, compare photo, name and seat with the person, one tap marks present. The rooms'
paper sign-in sheets are typed in on a per-room form. Administrators may do everything."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import role_required
from accounts.roles import Role

from ..forms import AdmitForm, CheckinForm, DisqualifyForm
from ..models import Attendance, Room, Ticket
from ..selectors import checkin as selectors
from ..selectors.tickets import snapshot_photo
from ..services import checkin as services

proctor_required = role_required(Role.PROCTOR, Role.ADMINISTRATOR)


@proctor_required
def index(request):
    sessions = list(selectors.sessions_open_to(request.user).order_by("starts_at"))
    # The proctor's later sessions, named but not linked: their page opens the day before.
    later = (
        selectors.sessions_for_proctor(request.user)
        .filter(starts_at__gte=timezone.now())
        .exclude(pk__in=[s.pk for s in sessions])
        .order_by("starts_at")[:10]
    )
    return render(
        request,
        "exams/checkin_index.html",
        {"sessions": sessions, "later": later, "now": timezone.now()},
    )


def _candidate(session, ticket: Ticket) -> dict:
    snapshot = ticket.application.snapshot if isinstance(ticket.application.snapshot, dict) else {}
    attendance = selectors.attendance_of(ticket, session)
    return {
        "ticket": ticket,
        "name": snapshot.get("real_name", ""),
        "id_tail": (snapshot.get("id_number") or "")[-4:],
        "has_photo": bool(snapshot.get("photo")),
        "attendance": attendance,
    }


@proctor_required
def session(request, pk):
    session, access = selectors.session_for_proctor(request.user, pk)
    now = timezone.now()
    form = CheckinForm(request.POST if request.POST.get("action") == "lookup" else None)
    candidate = refusal = None
    admit_form = None
    via = "typed"
    if form.is_bound and form.is_valid():
        via = "typed" if form.cleaned_data["code"].strip().isdigit() else "scan"
        try:
            ticket = selectors.ticket_from_input(session, form.cleaned_data["code"])
            selectors.check_ticket_here(session, access, ticket)
        except selectors.CheckinRefused as error:
            refusal = error.message
        else:
            candidate = _candidate(session, ticket)
            admit_form = AdmitForm(initial={"ticket": ticket.pk, "via": via})
    late = now >= services.entry_cutoff(session)
    rooms = (
        Room.objects.filter(venue_id__in=access.venue_ids)
        .select_related("venue")
        .order_by("venue__code", "number")
    )
    return render(
        request,
        "exams/checkin.html",
        {
            "session": session,
            "access": access,
            "form": CheckinForm() if candidate else form,
            "candidate": candidate,
            "refusal": refusal,
            "admit_form": admit_form,
            "disqualify_form": DisqualifyForm(initial={"ticket": candidate["ticket"].pk})
            if candidate
            else None,
            "late": late,
            "cutoff": services.entry_cutoff(session),
            "counts": selectors.session_counts(session, access),
            "rooms": rooms,
        },
        status=200,
    )


def _ticket_here(session, access, pk) -> Ticket:
    ticket = (
        Ticket.objects.filter(pk=pk, announcement_id=session.plan.announcement_id)
        .select_related("application__position", "application__applicant", "room__venue")
        .first()
    )
    if ticket is None:
        raise Http404
    return ticket


@proctor_required
@require_POST
def admit(request, pk):
    session, access = selectors.session_for_proctor(request.user, pk)
    form = AdmitForm(request.POST)
    if not form.is_valid():
        raise Http404
    ticket = _ticket_here(session, access, form.cleaned_data["ticket"])
    via = Attendance.Via.SCAN if form.cleaned_data["via"] == "scan" else Attendance.Via.TYPED
    try:
        attendance = services.checkin_mark_present(
            session=session,
            access=access,
            actor=request.user,
            ticket=ticket,
            via=via,
            reason=form.cleaned_data["reason"],
        )
    except selectors.CheckinRefused as error:
        messages.error(request, error.message)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        snapshot = ticket.application.snapshot if isinstance(ticket.application.snapshot, dict) else {}
        if (
            attendance.marked_by_id != request.user.pk
            or attendance.marked_at < timezone.now() - timezone.timedelta(seconds=5)
        ):
            messages.info(
                request,
                _("%(name)s 已签到（座位 %(seat)s）。")
                % {"name": snapshot.get("real_name", ""), "seat": f"{ticket.seat:02d}"},
            )
        else:
            messages.success(
                request,
                _("%(name)s 签到成功，第%(room)s考场 %(seat)s 号座位。")
                % {
                    "name": snapshot.get("real_name", ""),
                    "room": f"{ticket.room.number:02d}",
                    "seat": f"{ticket.seat:02d}",
                },
            )
    return redirect("exams:checkin", pk=session.pk)


@proctor_required
@require_POST
def disqualify(request, pk):
    session, access = selectors.session_for_proctor(request.user, pk)
    form = DisqualifyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写违纪情况。"))
        return redirect("exams:checkin", pk=session.pk)
    ticket = _ticket_here(session, access, form.cleaned_data["ticket"])
    try:
        services.candidate_disqualify(
            session=session,
            access=access,
            actor=request.user,
            ticket=ticket,
            reason=form.cleaned_data["reason"],
        )
    except selectors.CheckinRefused as error:
        messages.error(request, error.message)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.warning(request, _("已登记违纪，准考证号 %(number)s。") % {"number": ticket.number})
    return redirect("exams:checkin", pk=session.pk)


@proctor_required
def photo(request, pk, ticket_pk):
    """The submitted photo of a candidate of one of the user's venues."""
    session, access = selectors.session_for_proctor(request.user, pk)
    ticket = _ticket_here(session, access, ticket_pk)
    if ticket.room.venue_id not in access.venue_ids:
        raise Http404
    data = snapshot_photo(ticket.application.snapshot)
    if data is None:
        raise Http404
    response = HttpResponse(data, content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@proctor_required
def room_marks(request, pk, room_pk):
    """Type in a room's paper sign-in sheet: tick who signed."""
    session, access = selectors.session_for_proctor(request.user, pk)
    room = get_object_or_404(
        Room.objects.select_related("venue"),
        pk=room_pk,
        venue__plan_id=session.plan_id,
        venue_id__in=access.venue_ids,
    )
    rows = selectors.room_rows(session, room)
    error = None
    if request.method == "POST":
        allowed = {row.ticket_id for row in rows}
        chosen = set()
        for value in request.POST.getlist("present"):
            if value.isdigit() and int(value) in allowed:
                chosen.add(int(value))
        try:
            count = services.paper_marks_record(
                session=session, room=room, actor=request.user, present_ticket_ids=chosen
            )
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        else:
            messages.success(request, _("已补录 %(n)s 名考生的签到。") % {"n": count})
            return redirect("exams:room_marks", pk=session.pk, room_pk=room.pk)
    return render(
        request, "exams/room_marks.html", {"session": session, "room": room, "rows": rows, "error": error}
    )


@role_required(Role.ADMINISTRATOR)
@require_POST
def close(request, pk):
    session, _access = selectors.session_for_proctor(request.user, pk)
    try:
        count = services.session_close(session=session, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("本场考试已结束，%(n)s 名未签到考生登记为缺考。") % {"n": count})
    return redirect("exams:checkin", pk=session.pk)
