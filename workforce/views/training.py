"""Training pages: programmes and sessions (administrators), check-in at a session (the
exams' check-in pattern: a list of the enrolled, one tap each), results, certificates."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import role_required
from accounts.roles import Role
from portal.pdf import FontMissing, pdf_response

from .. import selectors
from ..forms import ProgrammeForm, ResultForm, SessionForm
from ..models import Enrolment, TrainingProgramme, TrainingSession, Worker
from ..services import training as training_services
from ..services.common import WorkforceError
from .common import posted_id


@role_required(Role.ADMINISTRATOR)
def programmes(request):
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        programme = training_services.programme_create(
            actor=request.user,
            name=data["name"],
            kind=data["kind"],
            description=data["description"],
            auto_enrol=data["auto_enrol_new_hires"],
            pass_score=data["pass_score"],
        )
        return redirect("workforce:programme", pk=programme.pk)
    rows = TrainingProgramme.objects.annotate(hours=Sum("sessions__hours")).order_by("-created_at")
    return render(request, "workforce/programmes.html", {"programmes": rows, "form": form})


@role_required(Role.ADMINISTRATOR)
def programme(request, pk):
    programme = get_object_or_404(TrainingProgramme, pk=pk)
    session_form = SessionForm(request.POST or None if request.POST.get("form") == "session" else None)
    if request.method == "POST":
        action = request.POST.get("form")
        if action == "session" and session_form.is_valid():
            training_services.session_add(
                actor=request.user, programme=programme, **session_form.cleaned_data
            )
            messages.success(request, _("课程已添加。"))
            return redirect("workforce:programme", pk=programme.pk)
        if action == "enrol":
            scope = Worker.objects.exclude(status=Worker.Status.LEFT)
            if request.POST.get("scope") == "probation":
                scope = scope.filter(status=Worker.Status.PROBATION)
            count = training_services.enrol(
                actor=request.user, programme=programme, workers=list(scope.select_related("user"))
            )
            messages.success(request, _("新报名%(n)s人。") % {"n": count})
            return redirect("workforce:programme", pk=programme.pk)
        if action == "result":
            enrolment = get_object_or_404(programme.enrolments, pk=posted_id(request, "enrolment"))
            form = ResultForm(request.POST)
            if form.is_valid():
                training_services.result_set(
                    actor=request.user,
                    enrolment=enrolment,
                    passed=form.cleaned_data["result"] == "passed",
                    score=form.cleaned_data["score"],
                )
                messages.success(request, _("培训结果已保存。"))
            else:
                messages.error(request, _("成绩须为0至100。"))
            return redirect("workforce:programme", pk=programme.pk)
    enrolments = list(programme.enrolments.select_related("worker__unit").order_by("worker__name"))
    sessions = list(programme.sessions.all())
    attended = {}
    for worker_id, hours in (
        programme.sessions.filter(attendances__isnull=False)
        .values_list("attendances__worker_id")
        .annotate(total=Sum("hours"))
    ):
        attended[worker_id] = hours
    return render(
        request,
        "workforce/programme.html",
        {
            "programme": programme,
            "sessions": sessions,
            "rows": [(e, attended.get(e.worker_id, 0)) for e in enrolments],
            "session_form": session_form,
            "total_hours": sum((s.hours for s in sessions), 0),
        },
    )


@role_required(Role.ADMINISTRATOR, Role.UNIT_MANAGER)
def checkin(request, pk):
    """Check-in at a session: the enrolled workers (a unit manager sees their units' only),
    each with a button; those checked in are marked."""
    session = get_object_or_404(TrainingSession.objects.select_related("programme"), pk=pk)
    visible = selectors.workers_visible_to(request.user)
    enrolled = visible.filter(enrolments__programme=session.programme).order_by("name")
    if not selectors.is_admin(request.user) and not enrolled.exists():
        raise Http404
    if request.method == "POST":
        worker = get_object_or_404(enrolled, pk=posted_id(request, "worker"))
        try:
            _attendance, created = training_services.check_in(
                actor=request.user, session=session, worker=worker
            )
            if created:
                messages.success(request, _("%(name)s已签到。") % {"name": worker.name})
            else:
                messages.info(request, _("%(name)s此前已签到。") % {"name": worker.name})
        except WorkforceError as error:
            messages.error(request, error.message)
        return redirect("workforce:training_checkin", pk=session.pk)
    present = set(session.attendances.values_list("worker_id", flat=True))
    return render(
        request,
        "workforce/checkin.html",
        {"session": session, "workers": [(w, w.pk in present) for w in enrolled], "present": len(present)},
    )


def _certificate(enrolment: Enrolment):
    from portal.site import identity

    hours = (
        enrolment.programme.sessions.filter(attendances__worker=enrolment.worker).aggregate(h=Sum("hours"))[
            "h"
        ]
        or 0
    )
    issuer = identity()["authority_name"] or _("社区工作者招聘平台")
    from ..certificate import render_certificate

    return render_certificate(
        name=enrolment.worker.name,
        programme=enrolment.programme.name,
        kind=enrolment.programme.get_kind_display(),
        hours=hours,
        number=enrolment.certificate_number,
        issuer=issuer,
        issued_on=timezone.localdate(),
    )


@login_required
def me_certificate(request, pk):
    worker = selectors.worker_of(request.user)
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("programme", "worker"),
        pk=pk,
        worker=worker,
        result=Enrolment.Result.PASSED,
    )
    try:
        data = _certificate(enrolment)
    except FontMissing as error:
        return render(request, "exams/font_missing.html", {"error": error}, status=503)
    return pdf_response(data, f"certificate-{enrolment.certificate_number}.pdf")


@require_POST
@role_required(Role.ADMINISTRATOR)
def send_reminders(request):
    count = training_services.remind_behind()
    messages.success(request, _("已提醒%(n)s名学时不足的人员。") % {"n": count})
    return redirect("workforce:programmes")
