"""The worker's own pages (phone-first): record, grade and pay, assessments, training,
side jobs. A worker is the account that was hired (or the account made at import); every
page is looked up through that account, so nobody sees another worker's record."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import selectors
from ..forms import SideJobForm
from ..models import Assessment, AssessmentRound, Enrolment, SideJob, WorkforceSettings
from ..services import side_jobs as side_job_services
from ..services import training as training_services
from ..services.common import WorkforceError
from ..services.side_jobs import Declaration
from .staff import week_context


@login_required
def me(request):
    worker = selectors.worker_of(request.user)
    settings = WorkforceSettings.current()
    assessments = (
        Assessment.objects.filter(worker=worker, round__status=AssessmentRound.Status.CONFIRMED)
        .select_related("round")
        .order_by("-round__year")
    )
    low, high = settings.grade_rules().ranges[worker.post]
    pay_rows = [(grade, settings.pay_for(grade)) for grade in range(low, high + 1)]
    return render(
        request,
        "workforce/me.html",
        {
            "worker": worker,
            "assessments": [(a, settings.outcome_label(a.outcome)) for a in assessments],
            "grade_changes": worker.grade_changes.order_by("-effective", "-pk"),
            "pay": settings.pay_for(worker.grade),
            "pay_rows": pay_rows,
        },
    )


@login_required
def me_training(request):
    worker = selectors.worker_of(request.user)
    settings = WorkforceSettings.current()
    from django.utils import timezone

    start, end = training_services.period_bounds(settings, timezone.localdate())
    hours = training_services.hours_by_worker([worker.pk], start, end).get(worker.pk, 0)
    enrolments = (
        Enrolment.objects.filter(worker=worker)
        .select_related("programme")
        .prefetch_related("programme__sessions")
    )
    attended = set(worker.attendances.values_list("session_id", flat=True))
    return render(
        request,
        "workforce/me_training.html",
        {
            "worker": worker,
            "enrolments": enrolments,
            "attended": attended,
            "hours": hours,
            "required": settings.training_hours_required,
            "period": (start, end),
            "behind": hours < settings.training_hours_required,
        },
    )


@login_required
def me_side_jobs(request):
    worker = selectors.worker_of(request.user)
    settings = WorkforceSettings.current()
    return render(
        request,
        "workforce/me_side_jobs.html",
        {
            "worker": worker,
            "jobs": worker.side_jobs.all(),
            "settings": settings,
            **week_context(worker, settings),
        },
    )


@login_required
def me_side_job_new(request):
    worker = selectors.worker_of(request.user)
    settings = WorkforceSettings.current()
    renewal_of = None
    initial = {}
    renew = request.POST.get("renew") or request.GET.get("renew") or ""
    if renew:
        renewal_of = get_object_or_404(worker.side_jobs, pk=int(renew) if renew.isdigit() else None)
    if renewal_of is not None:
        initial = {
            "organisation": renewal_of.organisation,
            "kind": renewal_of.kind,
            "description": renewal_of.description,
            "paid": renewal_of.paid,
            "hours_per_week": renewal_of.hours_per_week,
        }
        for i, (day, start, end) in enumerate(renewal_of.slots[:4]):
            initial |= {f"slot{i}_day": day, f"slot{i}_start": start, f"slot{i}_end": end}
    form = SideJobForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            job = side_job_services.declare(
                worker=worker,
                data=Declaration(
                    organisation=data["organisation"],
                    kind=data["kind"],
                    description=data["description"],
                    paid=data["paid"],
                    hours_per_week=data["hours_per_week"],
                    slots=data["slots"],
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                ),
                renewal_of=renewal_of,
            )
            if job.overlaps_duty:
                messages.warning(request, _("已提交。注意：兼职时段与工作时间重叠，审批时可能不予批准。"))
            else:
                messages.success(request, _("已提交，等待街道审批。"))
            return redirect("workforce:me_side_job", pk=job.pk)
        except WorkforceError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
    return render(
        request,
        "workforce/me_side_job_new.html",
        {
            "worker": worker,
            "form": form,
            "renewal_of": renewal_of,
            "settings": settings,
            **week_context(worker, settings),
        },
    )


@login_required
def me_side_job(request, pk):
    worker = selectors.worker_of(request.user)
    job = get_object_or_404(worker.side_jobs, pk=pk)
    settings = WorkforceSettings.current()
    return render(
        request,
        "workforce/me_side_job.html",
        {
            "worker": worker,
            "job": job,
            "can_renew": job.status in (SideJob.Status.APPROVED, SideJob.Status.EXPIRED),
            **week_context(worker, settings, focus=job),
        },
    )


@require_POST
@login_required
def me_side_job_withdraw(request, pk):
    worker = selectors.worker_of(request.user)
    job = get_object_or_404(worker.side_jobs, pk=pk)
    try:
        side_job_services.withdraw(worker=worker, job=job)
        messages.success(request, _("已撤回。"))
    except WorkforceError as error:
        messages.error(request, error.message)
    return redirect("workforce:me_side_job", pk=job.pk)
