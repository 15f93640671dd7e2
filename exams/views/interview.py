"""Interview groups for administrators (create, positions, examiners, candidates, publish)
and the check-in and draw on the day (administrators and the announcement's reviewers)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import role_required
from accounts.roles import Role
from applicants.masking import mask_id_number
from recruitment.models import Announcement

from ..forms_interview import ExaminerForm, GroupForm, ReplaceForm
from ..models_interview import InterviewCandidate, InterviewExaminer, InterviewScore
from ..selectors import interview as selectors
from ..services import interview as services
from ..services import interview_day as day_services

admin_required = role_required(Role.ADMINISTRATOR)
staff_required = role_required(Role.ADMINISTRATOR, Role.REVIEWER)


def _refused(request, error) -> None:
    if isinstance(error, ValidationError):
        messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, error.message)


@admin_required
def index(request):
    return render(
        request, "exams/interview/index.html", {"announcements": selectors.announcements_for_admin()}
    )


@admin_required
def groups(request, pk):
    announcement = get_object_or_404(Announcement.objects.exclude(status=Announcement.Status.DRAFT), pk=pk)
    rows = announcement.interview_groups.prefetch_related("positions").annotate(
        candidate_count=Count("candidates", distinct=True),
        examiner_count=Count("examiners", filter=Q(examiners__active=True), distinct=True),
        conflicts=Count(
            "examiners", filter=Q(examiners__active=True, examiners__conflict_at__isnull=False), distinct=True
        ),
    )
    return render(
        request,
        "exams/interview/groups.html",
        {
            "announcement": announcement,
            "groups": rows,
            "config": selectors.settings_of(announcement),
            "pool_count": selectors.pool_count(announcement),
        },
    )


@admin_required
def group_edit(request, pk, group_pk=None):
    announcement = get_object_or_404(Announcement.objects.exclude(status=Announcement.Status.DRAFT), pk=pk)
    group = selectors.group_for_admin(pk, group_pk) if group_pk else None
    form = GroupForm(request.POST or None, instance=group, announcement=announcement)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.GROUP_FIELDS}
        try:
            group = services.group_save(
                announcement=announcement,
                actor=request.user,
                data=data,
                positions=form.cleaned_data["positions"],
                group=group,
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(request, _("面试组已保存。"))
            return redirect("exams:interview_group", pk=pk, group_pk=group.pk)
    return render(
        request,
        "exams/interview/group_form.html",
        {"announcement": announcement, "group": group, "form": form},
    )


@admin_required
def group(request, pk, group_pk):
    group = selectors.group_for_admin(pk, group_pk)
    examiners = list(
        group.examiners.select_related("user", "replaced_by__user").order_by("-active", "-chief", "pk")
    )
    candidates = [
        {
            "candidate": c,
            "name": (c.application.snapshot or {}).get("real_name", "")
            if isinstance(c.application.snapshot, dict)
            else "",
            "id_masked": mask_id_number((c.application.snapshot or {}).get("id_number", ""))
            if isinstance(c.application.snapshot, dict)
            else "",
        }
        for c in selectors.group_candidates(group)
    ]
    return render(
        request,
        "exams/interview/group.html",
        {
            "announcement": group.announcement,
            "group": group,
            "examiners": examiners,
            "active_count": sum(1 for e in examiners if e.active),
            "candidates": candidates,
            "unassigned": selectors.unassigned(group).count(),
            "config": selectors.settings_of(group.announcement),
            "started": selectors.group_started(group),
            "examiner_form": ExaminerForm(),
        },
    )


@admin_required
@require_POST
def examiner_add(request, pk, group_pk):
    group = selectors.group_for_admin(pk, group_pk)
    form = ExaminerForm(request.POST)
    if form.is_valid():
        try:
            services.examiner_add(
                group=group,
                user=form.cleaned_data["user"],
                chief=form.cleaned_data["chief"],
                actor=request.user,
            )
        except (ValidationError, services.InterviewRefused) as error:
            _refused(request, error)
        else:
            messages.success(request, _("已添加考官。"))
    else:
        messages.error(request, _("请选择考官。"))
    return redirect("exams:interview_group", pk=pk, group_pk=group.pk)


def _examiner(group, examiner_pk) -> InterviewExaminer:
    return get_object_or_404(
        InterviewExaminer.objects.select_related("user", "group"), pk=examiner_pk, group=group
    )


@admin_required
@require_POST
def examiner_action(request, pk, group_pk, examiner_pk):
    group = selectors.group_for_admin(pk, group_pk)
    examiner = _examiner(group, examiner_pk)
    action = request.POST.get("action")
    try:
        if action == "chief":
            services.examiner_make_chief(examiner=examiner, actor=request.user)
            messages.success(request, _("已设为主考官。"))
        elif action == "remove":
            services.examiner_remove(examiner=examiner, actor=request.user)
            messages.success(request, _("已移除考官。"))
        else:
            raise Http404
    except (ValidationError, services.InterviewRefused) as error:
        _refused(request, error)
    return redirect("exams:interview_group", pk=pk, group_pk=group.pk)


@admin_required
def examiner_replace(request, pk, group_pk, examiner_pk):
    group = selectors.group_for_admin(pk, group_pk)
    examiner = _examiner(group, examiner_pk)
    if not examiner.active:
        raise Http404
    form = ReplaceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.examiner_replace(examiner=examiner, user=form.cleaned_data["user"], actor=request.user)
        except ValidationError as error:
            form.add_error("user", " ".join(error.messages))
        except services.InterviewRefused as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("已替换考官。"))
            return redirect("exams:interview_group", pk=pk, group_pk=group.pk)
    return render(
        request,
        "exams/interview/replace.html",
        {"announcement": group.announcement, "group": group, "examiner": examiner, "form": form},
    )


@admin_required
@require_POST
def candidates_assign(request, pk, group_pk):
    group = selectors.group_for_admin(pk, group_pk)
    count = services.candidates_assign(group=group, actor=request.user)
    messages.success(request, _("已将 %(n)s 名入围考生编入本组。") % {"n": count})
    return redirect("exams:interview_group", pk=pk, group_pk=group.pk)


@admin_required
@require_POST
def candidate_remove(request, pk, group_pk, candidate_pk):
    group = selectors.group_for_admin(pk, group_pk)
    candidate = get_object_or_404(InterviewCandidate, pk=candidate_pk, group=group)
    try:
        services.candidate_remove(candidate=candidate, actor=request.user)
    except services.InterviewRefused as error:
        _refused(request, error)
    else:
        messages.success(request, _("已将该考生移出本组。"))
    return redirect("exams:interview_group", pk=pk, group_pk=group.pk)


@admin_required
@require_POST
def publish(request, pk, group_pk):
    group = selectors.group_for_admin(pk, group_pk)
    try:
        told = services.group_publish(group=group, actor=request.user)
    except services.InterviewRefused as error:
        _refused(request, error)
    else:
        messages.success(request, _("面试组已发布，已向 %(n)s 名考生发送面试通知。") % {"n": told})
    return redirect("exams:interview_group", pk=pk, group_pk=group.pk)


@admin_required
def group_delete(request, pk, group_pk):
    """GET: what deleting the group takes with it (examiners, positions, candidates) or why
    it cannot be deleted; POST: delete, the group's name typed to confirm."""
    group = selectors.group_for_admin(pk, group_pk)
    error = ""
    if request.method == "POST":
        try:
            services.group_delete(
                group=group, actor=request.user, confirm_name=request.POST.get("confirm_name", "")
            )
        except ValidationError as refused:
            error = " ".join(refused.messages)
        except services.InterviewRefused as refused:
            messages.error(request, refused.message)
            return redirect("exams:interview_group", pk=pk, group_pk=group.pk)
        else:
            messages.success(request, _("面试组“%(name)s”已删除。") % {"name": group.name})
            return redirect("exams:interview_groups", pk=pk)
    return render(
        request,
        "exams/interview/group_delete.html",
        {
            "announcement": group.announcement,
            "group": group,
            "examiners": list(group.examiners.select_related("user").order_by("-active", "-chief", "pk")),
            "positions": list(group.positions.all()),
            "candidate_count": group.candidates.count(),
            "blockers": services.group_delete_blockers(group),
            "error": error,
        },
    )


# ------------------------------------------------------------------ the day (staff)


def _checkin_context(request, group):
    rows = []
    for c in selectors.group_candidates(group):
        snapshot = c.application.snapshot if isinstance(c.application.snapshot, dict) else {}
        rows.append(
            {
                "candidate": c,
                "name": snapshot.get("real_name", ""),
                "id_masked": mask_id_number(snapshot.get("id_number", "")),
            }
        )
    config = selectors.settings_of(group.announcement)
    starts = selectors.group_starts(group)
    return {
        "announcement": group.announcement,
        "group": group,
        "rows": rows,
        "counts": selectors.attendance_counts(group),
        "cutoff": starts + timezone.timedelta(minutes=config.late_cutoff_minutes),
        "today": timezone.localdate() == group.date,
        "present_rows": [
            r for r in rows if r["candidate"].attendance == InterviewCandidate.Attendance.PRESENT
        ],
        # The draw may be redone until the first score (asked only when it could be).
        "scoring_started": bool(group.drawn_at)
        and InterviewScore.objects.filter(candidate__group=group).exists(),
    }


@staff_required
def checkin(request, group_pk):
    group = selectors.group_for_checkin(request.user, group_pk)
    return render(request, "exams/interview/checkin.html", _checkin_context(request, group))


@staff_required
@require_POST
def checkin_mark(request, group_pk):
    group = selectors.group_for_checkin(request.user, group_pk)
    candidate_pk = request.POST.get("candidate", "")
    if not candidate_pk.isdigit():
        raise Http404
    candidate = get_object_or_404(InterviewCandidate, pk=int(candidate_pk), group=group)
    present = request.POST.get("action") == "present"
    try:
        candidate = day_services.checkin_mark(candidate=candidate, present=present, actor=request.user)
    except services.InterviewRefused as error:
        _refused(request, error)
    else:
        if candidate.attendance == InterviewCandidate.Attendance.LATE:
            messages.warning(request, _("已超过迟到截止时间：已报主考官决定是否准许入场。"))
        elif candidate.attendance == InterviewCandidate.Attendance.ABSENT:
            messages.warning(request, _("已登记缺考。"))
        else:
            messages.success(request, _("已签到。"))
    return redirect("exams:interview_checkin", group_pk=group.pk)


def _typed_orders(post) -> dict[int, int | None]:
    """The numbers typed in from a physical draw: order-<candidate pk> → number (None when
    empty or not a number)."""
    orders = {}
    for key, value in post.items():
        if key.startswith("order-") and key[6:].isdigit():
            value = value.strip()
            orders[int(key[6:])] = int(value) if value.isdigit() else None
    return orders


@staff_required
@require_POST
def draw(request, group_pk):
    group = selectors.group_for_checkin(request.user, group_pk)
    try:
        if request.POST.get("method") == "physical":
            day_services.draw_physical(group=group, actor=request.user, orders=_typed_orders(request.POST))
        else:
            day_services.draw_portal(group=group, actor=request.user)
    except (ValidationError, services.InterviewRefused) as error:
        _refused(request, error)
    else:
        messages.success(request, _("抽签完成。"))
    return redirect("exams:interview_checkin", group_pk=group.pk)


@staff_required
@require_POST
def draw_redo(request, group_pk):
    """Redo the draw with a reason (whoever may draw), only before any score is given."""
    group = selectors.group_for_checkin(request.user, group_pk)
    physical = request.POST.get("method") == "physical"
    try:
        day_services.draw_redo(
            group=group,
            actor=request.user,
            reason=request.POST.get("reason", ""),
            orders=_typed_orders(request.POST) if physical else None,
        )
    except (ValidationError, services.InterviewRefused) as error:
        _refused(request, error)
    else:
        messages.success(request, _("已重新抽签，原抽签结果已记入操作记录。"))
    return redirect("exams:interview_checkin", group_pk=group.pk)
