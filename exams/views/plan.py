"""Administrator pages of the exam plan: the list, the plan page (settings, sessions,
venues and rooms, proctors, issuing tickets), edits before the lock and corrections after.
Thin: forms validate, exams.services change, exams.selectors read and scope (404)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import role_required
from accounts.roles import Role
from portal.models import BackgroundJob
from recruitment.markdown import render_markdown

from ..forms import (
    PlanForm,
    ProctorForm,
    RoomCorrectionForm,
    RoomForm,
    RoomsAddForm,
    SessionForm,
    SessionTimeCorrectionForm,
    VenueCorrectionForm,
    VenueForm,
    WindowCorrectionForm,
)
from ..models import ExamPlan, ProctorAssignment
from ..selectors import plan as selectors
from ..services import plan as services
from ..services import tickets as ticket_services

admin_required = role_required(Role.ADMINISTRATOR)


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _plan_url(plan: ExamPlan) -> str:
    return reverse("exams:plan", args=[plan.announcement_id])


@admin_required
def index(request):
    announcements = (
        selectors.announcements_for_admin(request.user)
        .select_related("exam_plan")
        .annotate(n_positions=Count("positions", distinct=True))
        .order_by("-registration_opens_at")
    )
    return render(request, "exams/index.html", {"announcements": announcements})


@admin_required
@require_POST
def plan_create(request, pk):
    announcement = selectors.announcement_for_admin(request.user, pk)
    plan = services.plan_get_or_create(announcement=announcement, actor=request.user)
    return redirect(_plan_url(plan))


@admin_required
def plan(request, pk):
    plan = selectors.plan_for_admin(request.user, pk)
    overview = selectors.plan_overview(plan)
    job = (
        BackgroundJob.objects.filter(kind=ticket_services.JOB_KIND, announcement_id=plan.announcement_id)
        .order_by("-pk")
        .first()
    )
    return render(
        request,
        "exams/plan.html",
        {
            "plan": plan,
            "announcement": plan.announcement,
            "rules_html": render_markdown(plan.rules_text),
            "job": job,
            "issue_errors": request.session.pop("exams_issue_errors", None),
            **overview,
        },
    )


def _form_page(request, *, plan, form, title, action_label, danger=False, extra=None):
    return render(
        request,
        "exams/form.html",
        {
            "plan": plan,
            "form": form,
            "title": title,
            "action_label": action_label,
            "back": _plan_url(plan),
            "extra": extra,
            "danger": danger,
        },
    )


def _renamed(error: ValidationError, names: dict[str, str]) -> ValidationError:
    """The service's field names as the form's (e.g. starts_at → start)."""
    if names and hasattr(error, "error_dict"):
        for service_name, form_name in names.items():
            if service_name in error.error_dict:
                error.error_dict[form_name] = error.error_dict.pop(service_name)
    return error


def _form_flow(request, *, plan, form, save, success, title, action_label, danger=False, rename=None):
    """Every edit and correction page: a valid POST calls ``save(cleaned_data)`` (one
    service); its ValidationError lands at the form's fields (``rename``: service field →
    form field) and the page shows again with what was typed; else ``success`` (a message,
    or a callable taking what ``save`` returned and giving one) and back to the plan."""
    if request.method == "POST" and form.is_valid():
        try:
            result = save(form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, _renamed(error, rename or {}))
        else:
            messages.success(request, success(result) if callable(success) else success)
            return redirect(_plan_url(plan))
    return _form_page(request, plan=plan, form=form, title=title, action_label=action_label, danger=danger)


def _delete_flow(request, *, plan, delete, success):
    """Every delete button: ``delete()`` (one service); its refusal as an error message,
    else ``success``; back to the plan either way."""
    try:
        delete()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect(_plan_url(plan))


@admin_required
def plan_edit(request, pk):
    plan = selectors.plan_for_admin(request.user, pk)
    if plan.locked:
        return redirect("exams:window_correct", pk=pk)
    form = PlanForm(request.POST or None, instance=ExamPlan.objects.get(pk=plan.pk))
    return _form_flow(
        request,
        plan=plan,
        form=form,
        save=lambda data: services.plan_update(
            plan=plan, actor=request.user, fields={name: data[name] for name in form.Meta.fields}
        ),
        success=_("笔试安排已保存。"),
        title=_("笔试设置"),
        action_label=_("保存"),
    )


@admin_required
def session_edit(request, pk, session_pk=None):
    plan = selectors.plan_for_admin(request.user, pk)
    session = get_object_or_404(plan.sessions, pk=session_pk) if session_pk else None
    if session is not None and plan.locked:
        return redirect("exams:session_correct", pk=pk, session_pk=session.pk)
    form = SessionForm(request.POST or None, plan=plan, session=session)

    def save(data):
        services.session_save(
            plan=plan,
            actor=request.user,
            session=session,
            fields={
                "subject": data["subject"],
                "starts_at": data["starts_at"],
                "ends_at": data["ends_at"],
                "full_marks": data["full_marks"],
                "parts": services.clean_parts(data["parts"], data["full_marks"]),
            },
            positions=data["positions"],
        )

    return _form_flow(
        request,
        plan=plan,
        form=form,
        save=save,
        success=_("考试场次已保存。"),
        title=_("修改考试场次") if session else _("添加考试场次"),
        action_label=_("保存"),
        rename={"starts_at": "start", "ends_at": "end"},
    )


@admin_required
@require_POST
def session_delete(request, pk, session_pk):
    plan = selectors.plan_for_admin(request.user, pk)
    session = get_object_or_404(plan.sessions, pk=session_pk)
    return _delete_flow(
        request,
        plan=plan,
        delete=lambda: services.session_delete(session=session, actor=request.user),
        success=_("考试场次已删除。"),
    )


@admin_required
def venue_edit(request, pk, venue_pk=None):
    plan = selectors.plan_for_admin(request.user, pk)
    venue = get_object_or_404(plan.venues, pk=venue_pk) if venue_pk else None
    if venue is not None and plan.locked:
        return redirect("exams:venue_correct", pk=pk, venue_pk=venue.pk)
    return _form_flow(
        request,
        plan=plan,
        form=VenueForm(request.POST or None, instance=venue),
        save=lambda data: services.venue_save(
            plan=plan,
            actor=request.user,
            venue=venue,
            fields={name: data[name] for name in ("name", "address", "directions", "code")},
        ),
        success=_("考点已保存。"),
        title=_("修改考点") if venue else _("添加考点"),
        action_label=_("保存"),
    )


@admin_required
@require_POST
def venue_delete(request, pk, venue_pk):
    plan = selectors.plan_for_admin(request.user, pk)
    venue = get_object_or_404(plan.venues, pk=venue_pk)
    return _delete_flow(
        request,
        plan=plan,
        delete=lambda: services.venue_delete(venue=venue, actor=request.user),
        success=_("考点已删除。"),
    )


@admin_required
def rooms_add(request, pk, venue_pk):
    plan = selectors.plan_for_admin(request.user, pk)
    venue = get_object_or_404(plan.venues, pk=venue_pk)
    return _form_flow(
        request,
        plan=plan,
        form=RoomsAddForm(request.POST or None),
        save=lambda data: services.rooms_add(venue=venue, actor=request.user, **data),
        success=_("考场已添加。"),
        title=_("为“%(venue)s”添加考场") % {"venue": venue.name},
        action_label=_("添加"),
    )


@admin_required
def room_edit(request, pk, room_pk):
    plan = selectors.plan_for_admin(request.user, pk)
    room = get_object_or_404(_rooms(plan), pk=room_pk)
    if plan.locked:
        return redirect("exams:room_correct", pk=pk, room_pk=room.pk)
    return _form_flow(
        request,
        plan=plan,
        form=RoomForm(request.POST or None, instance=room),
        save=lambda data: services.room_save(room=room, actor=request.user, fields=data),
        success=_("考场已保存。"),
        title=_("修改考场"),
        action_label=_("保存"),
    )


@admin_required
@require_POST
def room_delete(request, pk, room_pk):
    plan = selectors.plan_for_admin(request.user, pk)
    room = get_object_or_404(_rooms(plan), pk=room_pk)
    return _delete_flow(
        request,
        plan=plan,
        delete=lambda: services.room_delete(room=room, actor=request.user),
        success=_("考场已删除。"),
    )


def _rooms(plan):
    from ..models import Room

    return Room.objects.filter(venue__plan=plan).select_related("venue")


@admin_required
def proctor_add(request, pk, venue_pk):
    plan = selectors.plan_for_admin(request.user, pk)
    venue = get_object_or_404(plan.venues, pk=venue_pk)
    return _form_flow(
        request,
        plan=plan,
        form=ProctorForm(request.POST or None),
        save=lambda data: services.proctor_assign(venue=venue, actor=request.user, **data),
        success=_("监考人员已安排。"),
        title=_("为“%(venue)s”安排监考") % {"venue": venue.name},
        action_label=_("安排"),
    )


@admin_required
@require_POST
def proctor_remove(request, pk, assignment_pk):
    plan = selectors.plan_for_admin(request.user, pk)
    assignment = get_object_or_404(ProctorAssignment, pk=assignment_pk, venue__plan=plan)
    services.proctor_remove(assignment=assignment, actor=request.user)
    messages.success(request, _("已取消该监考安排。"))
    return redirect(_plan_url(plan))


@admin_required
@require_POST
def issue(request, pk):
    plan = selectors.plan_for_admin(request.user, pk)
    try:
        job = ticket_services.issue_job_create(plan=plan, actor=request.user)
    except ValidationError as error:
        request.session["exams_issue_errors"] = error.messages
        return redirect(_plan_url(plan))
    return redirect("exams:job", pk=job.pk)


@admin_required
def job(request, pk):
    found = get_object_or_404(BackgroundJob, pk=pk, kind=ticket_services.JOB_KIND)
    plan = selectors.plan_for_admin(request.user, found.announcement_id)
    template = "exams/_job_progress.html" if request.headers.get("HX-Request") else "exams/job.html"
    return render(request, template, {"job": found, "plan": plan})


# --- Corrections after the lock --------------------------------------------------------------


def _corrected(correction) -> str:
    return _("更正已保存，已通知 %(n)s 名受影响的考生。") % {"n": correction.notified}


def _correction_flow(request, *, plan, form, save, title, rename=None):
    return _form_flow(
        request,
        plan=plan,
        form=form,
        save=save,
        success=_corrected,
        title=title,
        action_label=_("保存更正并通知考生"),
        danger=True,
        rename=rename,
    )


@admin_required
def session_correct(request, pk, session_pk):
    plan = selectors.plan_for_admin(request.user, pk)
    session = get_object_or_404(plan.sessions, pk=session_pk)
    if not plan.locked:
        return redirect("exams:session_edit", pk=pk, session_pk=session.pk)
    initial = SessionForm(plan=plan, session=session).initial
    return _correction_flow(
        request,
        plan=plan,
        form=SessionTimeCorrectionForm(request.POST or None, initial=initial),
        save=lambda data: services.session_correct_time(
            session=session,
            actor=request.user,
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            reason=data["reason"],
        ),
        title=_("更正考试时间：%(subject)s") % {"subject": session.subject},
        rename={"starts_at": "start"},
    )


@admin_required
def room_correct(request, pk, room_pk):
    plan = selectors.plan_for_admin(request.user, pk)
    room = get_object_or_404(_rooms(plan), pk=room_pk)
    return _correction_flow(
        request,
        plan=plan,
        form=RoomCorrectionForm(request.POST or None, initial={"location": room.location}),
        save=lambda data: services.room_correct(room=room, actor=request.user, **data),
        title=_("更正考场位置：%(room)s") % {"room": str(room)},
    )


@admin_required
def venue_correct(request, pk, venue_pk):
    plan = selectors.plan_for_admin(request.user, pk)
    venue = get_object_or_404(plan.venues, pk=venue_pk)
    return _correction_flow(
        request,
        plan=plan,
        form=VenueCorrectionForm(
            request.POST or None, initial={"address": venue.address, "directions": venue.directions}
        ),
        save=lambda data: services.venue_correct(venue=venue, actor=request.user, **data),
        title=_("更正考点：%(venue)s") % {"venue": venue.name},
    )


@admin_required
def window_correct(request, pk):
    plan = selectors.plan_for_admin(request.user, pk)
    if not plan.locked:
        return redirect("exams:plan_edit", pk=pk)
    return _correction_flow(
        request,
        plan=plan,
        form=WindowCorrectionForm(
            request.POST or None,
            initial={"print_starts_at": plan.print_starts_at, "print_ends_at": plan.print_ends_at},
        ),
        save=lambda data: services.window_correct(plan=plan, actor=request.user, **data),
        title=_("更正准考证打印时间"),
    )
