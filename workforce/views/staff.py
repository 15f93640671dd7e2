"""Staff pages: administrators and unit managers (scoped by workforce.selectors)."""

from __future__ import annotations

from collections import Counter, defaultdict

from django.contrib import messages
from django.db.models import Count, Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import role_required
from accounts.roles import Role
from applicants.masking import mask_id_number
from portal.models import BackgroundJob
from recruitment.units import Unit

from .. import selectors, week
from ..forms import (
    OUTCOME_CHOICES,
    AssignManagerForm,
    ImportForm,
    ProbationReviewForm,
    ProbationSetForm,
    RoundOpenForm,
    SettingsForm,
    SideJobDecisionForm,
    slot_text,
)
from ..models import (
    Assessment,
    AssessmentRound,
    SideJob,
    UnitManagerAssignment,
    Worker,
    WorkforceSettings,
)
from ..services import assessments as assessment_services
from ..services import importer
from ..services import settings as settings_services
from ..services import side_jobs as side_job_services
from ..services import workers as worker_services
from ..services.common import WorkforceError

STAFF = (Role.ADMINISTRATOR, Role.UNIT_MANAGER)


@role_required(*STAFF)
def index(request):
    workers = selectors.workers_visible_to(request.user).order_by("unit__code", "name")
    status = request.GET.get("status", "")
    if status in Worker.Status.values:
        workers = workers.filter(status=status)
    query = request.GET.get("q", "").strip()
    if query:
        workers = workers.filter(name__contains=query)
    workers = list(workers[:500])
    return render(
        request,
        "workforce/index.html",
        {
            "workers": workers,
            "statuses": Worker.Status.choices,
            "status": status,
            "query": query,
            "is_admin": selectors.is_admin(request.user),
            "due_soon": [w for w in workers if w.status == Worker.Status.PROBATION],
        },
    )


@role_required(*STAFF)
def worker_detail(request, pk):
    worker = selectors.worker_for(request.user, pk)
    settings = WorkforceSettings.current()
    assessments = list(
        Assessment.objects.filter(worker=worker).select_related("round").order_by("-round__year")
    )
    return render(
        request,
        "workforce/worker.html",
        {
            "worker": worker,
            "id_masked": mask_id_number(worker.id_number) if worker.id_number else "",
            "grade_changes": worker.grade_changes.all(),
            "assessments": [(a, settings.outcome_label(a.outcome) if a.outcome else "") for a in assessments],
            "side_jobs": worker.side_jobs.all(),
            "enrolments": worker.enrolments.select_related("programme"),
            "events": worker.events.select_related("actor").order_by("-at")[:30],
            "review_form": ProbationReviewForm(),
            "set_form": ProbationSetForm(initial={"months": worker.probation_months}),
            "pay": settings.pay_for(worker.grade),
        },
    )


@require_POST
@role_required(*STAFF)
def probation_review(request, pk):
    worker = selectors.worker_for(request.user, pk)
    form = ProbationReviewForm(request.POST)
    if form.is_valid():
        try:
            worker_services.probation_review(
                actor=request.user,
                worker=worker,
                confirm=form.cleaned_data["decision"] == "confirm",
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, _("试用期考核结论已保存。"))
        except WorkforceError as error:
            messages.error(request, error.message)
    else:
        messages.error(request, _("请选择试用期考核结论。"))
    return redirect("workforce:worker", pk=worker.pk)


@require_POST
@role_required(Role.ADMINISTRATOR)
def probation_set(request, pk):
    worker = selectors.worker_for(request.user, pk)
    form = ProbationSetForm(request.POST)
    if form.is_valid():
        try:
            worker_services.probation_set(
                actor=request.user,
                worker=worker,
                months=form.cleaned_data["months"],
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, _("试用期已修改。"))
        except WorkforceError as error:
            messages.error(request, error.message)
    else:
        messages.error(request, _("试用期须为0至6个月。"))
    return redirect("workforce:worker", pk=worker.pk)


@role_required(Role.ADMINISTRATOR)
def import_workers(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = importer.import_job_create(actor=request.user, upload=form.cleaned_data["file"])
        except WorkforceError as error:
            form.add_error("file", error.message)
        else:
            return redirect("workforce:import_job", pk=job.pk)
    recent = BackgroundJob.objects.filter(kind=importer.JOB_KIND).select_related("created_by")[:5]
    return render(
        request,
        "workforce/import.html",
        {"form": form, "headers": importer.HEADERS, "recent": recent},
    )


@role_required(Role.ADMINISTRATOR)
def import_job(request, pk):
    job = get_object_or_404(BackgroundJob, pk=pk, kind=importer.JOB_KIND)
    template_name = (
        "workforce/_import_job.html" if request.headers.get("HX-Request") else "workforce/import_job.html"
    )
    return render(request, template_name, {"job": job, "report": job.params.get("report")})


@role_required(Role.ADMINISTRATOR)
def import_template(request):
    response = HttpResponse(
        importer.template_bytes(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="workers-template.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response


@role_required(Role.ADMINISTRATOR)
def units(request):
    form = AssignManagerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        settings_services.manager_assign(
            actor=request.user, manager=form.cleaned_data["manager"], unit=form.cleaned_data["unit"]
        )
        messages.success(request, _("已分配。"))
        return redirect("workforce:units")
    districts = (
        Unit.objects.filter(kind=Unit.Kind.DISTRICT)
        .prefetch_related(
            Prefetch(
                "children",
                queryset=Unit.objects.annotate(n_communities=Count("children")).prefetch_related(
                    Prefetch(
                        "manager_assignments",
                        queryset=UnitManagerAssignment.objects.select_related("manager"),
                    )
                ),
            )
        )
        .order_by("code")
    )
    return render(request, "workforce/units.html", {"districts": districts, "form": form})


# --- assessments -------------------------------------------------------------------------------


def _manager_streets(user):
    if selectors.is_admin(user):
        return Unit.objects.filter(kind=Unit.Kind.STREET)
    return Unit.objects.filter(pk__in=selectors.managed_unit_ids(user))


@role_required(*STAFF)
def assessments(request):
    form = RoundOpenForm(
        request.POST or None,
        units=_manager_streets(request.user),
        initial={"year": timezone.localdate().year - 1},
    )
    if request.method == "POST" and form.is_valid():
        assessment_round = assessment_services.round_open(
            actor=request.user, unit=form.cleaned_data["unit"], year=form.cleaned_data["year"]
        )
        return redirect("workforce:assessment", pk=assessment_round.pk)
    rounds = selectors.rounds_visible_to(request.user).annotate(n=Count("assessments"))
    return render(request, "workforce/assessments.html", {"rounds": rounds, "form": form})


@role_required(*STAFF)
def assessment(request, pk):
    assessment_round = get_object_or_404(selectors.rounds_visible_to(request.user), pk=pk)
    settings = WorkforceSettings.current()
    rows = list(
        assessment_round.assessments.select_related("worker__unit").order_by(
            "worker__unit__code", "worker__name"
        )
    )
    error = None
    if request.method == "POST" and assessment_round.status == AssessmentRound.Status.DRAFT:
        outcomes = {row.pk: request.POST.get(f"outcome-{row.pk}", "") for row in rows}
        comments = {row.pk: request.POST.get(f"comment-{row.pk}", "")[:500] for row in rows}
        try:
            assessment_services.results_save(
                actor=request.user, assessment_round=assessment_round, outcomes=outcomes, comments=comments
            )
            if request.POST.get("submit"):
                assessment_services.round_submit(actor=request.user, assessment_round=assessment_round)
                messages.success(request, _("考核结果已提交，等待管理员确认。"))
            else:
                messages.success(request, _("已保存。"))
            return redirect("workforce:assessment", pk=assessment_round.pk)
        except WorkforceError as refused:
            error = refused.message
            # What was typed stays on the page.
            valid = {value for value, _label in OUTCOME_CHOICES}
            for row in rows:
                if outcomes.get(row.pk, "") in valid:
                    row.outcome = outcomes[row.pk]
                row.comment = comments.get(row.pk, row.comment)
    jobs = defaultdict(list)
    for job in SideJob.objects.filter(worker__in=[r.worker_id for r in rows]).exclude(
        status=SideJob.Status.WITHDRAWN
    ):
        jobs[job.worker_id].append(job)
    counts = Counter(row.outcome for row in rows)
    return render(
        request,
        "workforce/assessment.html",
        {
            "round": assessment_round,
            "rows": [(row, jobs.get(row.worker_id, [])) for row in rows],
            "choices": [
                (value, settings.outcome_label(value) if value else label) for value, label in OUTCOME_CHOICES
            ],
            "cap": assessment_services.cap_of(assessment_round, len(rows)),
            "share_percent": int(assessment_round.excellent_share * 100),
            "counts": counts,
            "error": error,
            "is_admin": selectors.is_admin(request.user),
            "editable": assessment_round.status == AssessmentRound.Status.DRAFT,
        },
    )


@require_POST
@role_required(Role.ADMINISTRATOR)
def assessment_confirm(request, pk):
    assessment_round = get_object_or_404(selectors.rounds_visible_to(request.user), pk=pk)
    try:
        if request.POST.get("action") == "return":
            assessment_services.round_return(
                actor=request.user, assessment_round=assessment_round, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("已退回街道重新评定。"))
        else:
            assessment_services.round_confirm(actor=request.user, assessment_round=assessment_round)
            messages.success(request, _("考核结果已确认并通知本人。"))
    except WorkforceError as error:
        messages.error(request, error.message)
    return redirect("workforce:assessment", pk=assessment_round.pk)


@require_POST
@role_required(Role.ADMINISTRATOR)
def grades_apply(request):
    added = assessment_services.apply_grades(actor=request.user)
    messages.success(request, _("等级调整完成：新增%(n)s次晋级。") % {"n": added})
    return redirect("workforce:assessments")


# --- side jobs ---------------------------------------------------------------------------------


@role_required(*STAFF)
def side_jobs(request):
    jobs = selectors.side_jobs_visible_to(request.user)
    status = request.GET.get("status", SideJob.Status.PENDING)
    listed = jobs.filter(status=status) if status in SideJob.Status.values else jobs
    report = (
        jobs.values("worker__unit__name", "status")
        .annotate(n=Count("pk"))
        .order_by("worker__unit__name", "status")
    )
    table = defaultdict(dict)
    for row in report:
        table[row["worker__unit__name"]][row["status"]] = row["n"]
    return render(
        request,
        "workforce/side_jobs.html",
        {
            "jobs": listed.order_by("-created_at")[:300],
            "status": status,
            "statuses": SideJob.Status.choices,
            "report": [
                (unit, [counts.get(value, 0) for value in SideJob.Status.values])
                for unit, counts in sorted(table.items())
            ],
        },
    )


@role_required(*STAFF)
def side_job(request, pk):
    job = get_object_or_404(selectors.side_jobs_visible_to(request.user), pk=pk)
    form = SideJobDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            side_job_services.decide(
                actor=request.user,
                job=job,
                approve=form.cleaned_data["decision"] == "approve",
                refusal=form.cleaned_data.get("refusal") or "",
                note=form.cleaned_data.get("note") or "",
            )
            messages.success(request, _("审批意见已保存并通知本人。"))
            return redirect("workforce:side_jobs")
        except WorkforceError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
    settings = WorkforceSettings.current()
    return render(
        request,
        "workforce/side_job.html",
        {"job": job, "form": form, "settings": settings, **week_context(job.worker, settings, focus=job)},
    )


def week_context(worker, settings, focus=None):
    """The worker's week: duty blocks and the slots of pending / approved side jobs."""
    jobs = list(worker.side_jobs.filter(status__in=[SideJob.Status.PENDING, SideJob.Status.APPROVED]))
    if focus is not None and focus not in jobs:
        jobs.append(focus)
    labelled = [(job.organisation, [week.parse_slot(*s) for s in job.slots]) for job in jobs]
    rows = week.week(settings.duty_blocks(), labelled)
    from ..forms import WEEKDAYS

    names = dict(WEEKDAYS)
    return {
        "week_rows": [
            {
                "day": names[row.weekday],
                "duty": [slot_text(s).split(" ", 1)[1] for s in row.duty],
                "side": [(slot_text(s).split(" ", 1)[1], label) for s, label in row.side],
                "clash": row.clash,
            }
            for row in rows
        ],
        "clashes": week.clashes([s for _l, slots in labelled for s in slots], settings.duty_blocks()),
    }


@role_required(Role.ADMINISTRATOR)
def settings_edit(request):
    current = WorkforceSettings.current()
    form = SettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        settings_services.settings_save(actor=request.user, form=form)
        messages.success(request, _("设置已保存。"))
        return redirect("workforce:settings")
    return render(request, "workforce/settings.html", {"form": form})


@role_required(Role.ADMINISTRATOR)
def pay_settings(request):
    from ..forms import PayHoursForm

    form = PayHoursForm(request.POST or None, settings=WorkforceSettings.current())
    if request.method == "POST" and form.is_valid():
        settings_services.pay_and_hours_save(
            actor=request.user, pay_table=form.pay_table, duty_hours=form.duty_hours
        )
        messages.success(request, _("等级工资表和工作时间已保存。"))
        return redirect("workforce:pay_settings")
    return render(request, "workforce/pay_settings.html", {"form": form})
