"""Pages of the eligibility review console (资格审核). Thin: selectors read, services write.

Every object is fetched through review.selectors, which only sees the
announcements assigned to the user (administrators: all); anything else is a 404.
"""

import posixpath
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_http_methods, require_POST

from accounts.permissions import role_required
from accounts.roles import Role
from applicants import eligibility
from applicants import registration_form as form_pdf
from applicants import selectors as applicant_selectors
from applicants.forms import DECLARATION_TEXT
from applicants.masking import mask_id_number, mask_phone
from applicants.models import ApplicantProfile, EligibilityOutcome, Sex, Stage
from applicants.transitions import StaleApplication
from portal.models import BackgroundJob
from portal.pdf import FontMissing, pdf_response
from recruitment import hooks as recruitment_hooks
from recruitment.choices import Education, PoliticalStatus
from recruitment.models import Position

from . import exports, selectors, services
from . import table as review_table
from .forms import (
    BulkApproveForm,
    DecisionForm,
    PositionAdjustForm,
    QueueFilterForm,
    RejectionReasonEditForm,
    RejectionReasonForm,
    ReopenForm,
)
from .models import RejectionReason, ReviewJob

PAGE_SIZE = 50
STAFF = (Role.REVIEWER, Role.ADMINISTRATOR)


def _querystring(filters: dict) -> str:
    return urlencode(filters)


def _with_filters(url: str, filters: dict) -> str:
    return f"{url}?{_querystring(filters)}" if filters else url


OUTCOME_BADGES = {
    EligibilityOutcome.PASSED: "text-bg-success",
    EligibilityOutcome.FAILED: "text-bg-danger",
    EligibilityOutcome.MANUAL: "text-bg-warning",
}


def _queue_rows(rows: list[dict], querystring: str) -> list[dict]:
    """The queue's rows (review_selectors.queue_page_rows) as display strings. Each label
    is translated once per page rather than per row (get_FOO_display() hashes every lazy
    label at each call)."""
    stage_labels = {value: str(label) for value, label in Stage.choices}
    outcome_labels = {value: str(label) for value, label in EligibilityOutcome.choices}
    suffix = f"?{querystring}" if querystring else ""
    # One reverse() per page, not per row (~40 µs each here).
    url_format = reverse("review:application", args=[987654321]).replace("987654321", "{}") + suffix
    return [
        {
            "pk": row["pk"],
            "url": url_format.format(row["pk"]),
            "name": row["applicant__profile__real_name"] or row["applicant__name"] or row["applicant__email"],
            "masked_id": mask_id_number(row["applicant__profile__id_number"] or ""),
            "masked_phone": mask_phone(row["applicant__phone"]),
            "position": f"{row['position__code']} {row['position__name']}",
            "stage": stage_labels.get(row["stage"], row["stage"]),
            "outcome": outcome_labels.get(row["eligibility_outcome"], ""),
            "outcome_badge": OUTCOME_BADGES.get(row["eligibility_outcome"], ""),
            "submitted": f"{timezone.localtime(row['submitted_at']):%Y-%m-%d %H:%M}"
            if row["submitted_at"]
            else "",
            "reviewer": (row["reviewed_by__name"] or row["reviewed_by__email"])
            if row["reviewed_by_id"]
            else "",
        }
        for row in rows
    ]


@role_required(*STAFF)
def queue(request):
    # Built only when the template's cached filter fragment has expired (~1 ms a page).
    filters = selectors.clean_filters(request.GET, default_stage=True)
    form = SimpleLazyObject(
        lambda: QueueFilterForm(
            {**request.GET.dict(), "stage": filters["stage"]},
            announcements=selectors.announcements_for_reviewer(request.user),
        )
    )
    announcement_ids = selectors.announcement_ids_for_reviewer(request.user)
    ids = selectors.applications_for_reviewer(
        request.user, filters, announcement_ids=announcement_ids
    ).values_list("pk", flat=True)
    counts = selectors.stage_counts(request.user, filters, announcement_ids=announcement_ids)
    paginator = Paginator(ids, PAGE_SIZE)
    # The per-stage counts (same filters but the stage) already hold the total: no second COUNT.
    stage = filters.get("stage")
    paginator.count = counts.get(stage, 0) if stage in Stage.values else sum(counts.values())
    page = paginator.get_page(request.GET.get("page"))
    # Each counter is a link to its stage, with the other filters kept.
    stage_counts = [
        {
            "stage": value,
            "label": label,
            "count": counts.get(value, 0),
            "querystring": _querystring({**filters, "stage": value}),
        }
        for value, label in Stage.choices
        if counts.get(value) or value in (Stage.SUBMITTED, Stage.APPROVED, Stage.REJECTED, Stage.RETURNED)
    ]
    rows = _queue_rows(selectors.queue_page_rows(list(page.object_list)), _querystring(filters))
    return render(
        request,
        "review/queue.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "table_body": review_table.table_body(rows),
            "column_labels": review_table.column_labels(),
            "filters": filters,
            "querystring": _querystring(filters),
            "stage_counts": stage_counts,
            "total": sum(counts.values()),
            "all_querystring": _querystring({**filters, "stage": selectors.ALL_STAGES}),
            "can_bulk": bool(filters.get("announcement")),
        },
    )


@role_required(*STAFF)
@require_http_methods(["GET", "POST"])
def application_detail(request, pk):
    application = selectors.application_for_review(request.user, pk)
    filters = selectors.clean_filters(request.GET)
    form = None
    if request.method == "POST":
        form = DecisionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["decision"] == DecisionForm.APPROVE:
                    services.application_approve(
                        application=application, actor=request.user, expected_version=data["version"]
                    )
                    messages.success(request, _("已审核通过。"))
                elif data["decision"] == DecisionForm.REJECT:
                    services.application_reject(
                        application=application,
                        actor=request.user,
                        expected_version=data["version"],
                        reason=data["reason"],
                        note=data["note"],
                    )
                    messages.success(request, _("已审核不通过，报考人员将收到通知。"))
                else:
                    services.application_return(
                        application=application,
                        actor=request.user,
                        expected_version=data["version"],
                        instructions=data["instructions"],
                    )
                    messages.success(request, _("已退回修改，报考人员将收到通知。"))
            except StaleApplication as error:
                messages.error(request, str(error))
                return redirect(_with_filters(reverse("review:application", args=[application.pk]), filters))
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                following = selectors.next_pending(request.user, filters, after=application)
                if following is not None:
                    return redirect(
                        _with_filters(reverse("review:application", args=[following.pk]), filters)
                    )
                messages.info(request, _("当前筛选条件下已没有待审核的报名。"))
                return redirect(_with_filters(reverse("review:queue"), filters))
    if form is None and application.stage == Stage.SUBMITTED:
        form = DecisionForm(initial={"version": application.version})
    snapshot = application.snapshot if isinstance(application.snapshot, dict) else {}
    documents = selectors.submitted_documents(application)
    following = selectors.next_pending(request.user, filters, after=application)
    return render(
        request,
        "review/detail.html",
        {
            "application": application,
            "profile": getattr(application.applicant, "profile", None),
            "snapshot_items": _snapshot_items(snapshot),
            "snapshot_lists": _snapshot_lists(snapshot),
            "documents": documents,
            "has_photo": bool(selectors.submitted_photo_name(application)),
            "eligibility": _eligibility(application.eligibility),
            "events": selectors.application_events(application),
            "position_events": applicant_selectors.position_events(application),
            "form": form,
            "reasons_version": selectors.rejection_reasons_version() if form is not None else None,
            "next_application": following,
            "reopen_form": ReopenForm(initial={"version": application.version})
            if services.can_reopen(application, request.user)
            else None,
            "filters": filters,
            "querystring": _querystring(filters),
            # The bonus-claim page (exams) exists once the announcement has an exam plan.
            "bonus_review": recruitment_hooks.exam_schedule(application.announcement_id) is not None,
        },
    )


@role_required(Role.ADMINISTRATOR)
@require_POST
def application_reopen(request, pk):
    """An administrator withdraws a decision made in error: back to 待审核 (audited, notified)."""
    application = selectors.application_for_review(request.user, pk)
    filters = selectors.clean_filters(request.GET)
    url = _with_filters(reverse("review:application", args=[application.pk]), filters)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect(url)
    try:
        services.application_reopen(
            application=application,
            actor=request.user,
            expected_version=form.cleaned_data["version"],
            reason=form.cleaned_data["reason"],
        )
    except StaleApplication as error:
        messages.error(request, str(error))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已撤销审核结论，报名回到待审核，报考人员将收到通知。"))
    return redirect(url)


SNAPSHOT_LABELS = {
    "real_name": _lazy("姓名"),
    "id_number": _lazy("身份证号码"),
    "sex": _lazy("性别"),
    "birth_date": _lazy("出生日期"),
    "ethnicity": _lazy("民族"),
    "political_status": _lazy("政治面貌"),
    "phone": _lazy("手机号码"),
    "email": _lazy("电子邮箱"),
    "household_province": _lazy("户籍所在省"),
    "household_city": _lazy("户籍所在市"),
    "household_district": _lazy("户籍所在区（县）"),
    "household_region": _lazy("户籍"),
    "household_settled_on": _lazy("户籍迁入日期"),
    "address": _lazy("现居住地址"),
}


RULE_LABELS = {
    "age": _lazy("年龄"),
    "education": _lazy("学历"),
    "major": _lazy("专业"),
    "household": _lazy("户籍"),
    "political": _lazy("政治面貌"),
    "experience": _lazy("工作经历"),
    "other": _lazy("其他条件"),
}


def _eligibility(rules) -> list[dict]:
    """The automatic check's rules with a readable name for each, worded for the reviewer
    (third person: applicants.eligibility.staff_message)."""
    if not isinstance(rules, list):
        return []
    return [
        {
            **item,
            "label": RULE_LABELS.get(item.get("rule"), item.get("rule", "")),
            "message": eligibility.staff_message(item),
        }
        for item in rules
        if isinstance(item, dict)
    ]


COLUMN_LABELS = {
    "level": _lazy("学历"),
    "school": _lazy("毕业院校"),
    "major": _lazy("专业"),
    "graduated_on": _lazy("毕业时间"),
    "full_time": _lazy("全日制"),
    "employer": _lazy("工作单位"),
    "role": _lazy("职务"),
    "started_on": _lazy("开始时间"),
    "ended_on": _lazy("结束时间"),
    "community_work": _lazy("社区工作经历"),
    "name": _lazy("证书名称"),
    "number": _lazy("证书编号"),
    "issued_on": _lazy("取得时间"),
}
LIST_LABELS = {"education": _lazy("学历"), "work": _lazy("工作经历"), "certificates": _lazy("证书")}


def _display(key, value):
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if key == "level":
        try:
            return Education(int(value)).label
        except (TypeError, ValueError):
            return value
    if key == "sex":
        return dict(Sex.choices).get(value, value)
    if key == "political_status":
        return dict(PoliticalStatus.choices).get(value, value)
    return value


def _snapshot_items(snapshot: dict) -> list[tuple[str, str]]:
    """Scalar entries of the snapshot, known ones first with their Chinese labels."""
    items = []
    for key, label in SNAPSHOT_LABELS.items():
        if key in snapshot and not isinstance(snapshot[key], list | dict):
            items.append((str(label), _display(key, snapshot[key])))
    return items


def _snapshot_lists(snapshot: dict) -> list[tuple[str, list[str], list[list]]]:
    """Education, work and certificates as small tables."""
    out = []
    for key, label in LIST_LABELS.items():
        value = snapshot.get(key)
        if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
            columns = [c for c in dict.fromkeys(c for item in value for c in item) if c in COLUMN_LABELS]
            out.append(
                (
                    str(label),
                    [str(COLUMN_LABELS[c]) for c in columns],
                    [[_display(c, item.get(c, "")) for c in columns] for item in value],
                )
            )
    return out


@xframe_options_sameorigin
@role_required(*STAFF)
def document(request, pk, uuid):
    """A document of an application in the reviewer's scope, inline (private storage)."""
    application = selectors.application_for_review(request.user, pk)
    if str(uuid) not in selectors.submitted_document_uuids(application):
        raise Http404
    doc = get_object_or_404(application.applicant.profile.documents, uuid=uuid)
    return _inline_file(doc.file.storage, doc.file.name, doc.content_type)


@role_required(*STAFF)
def photo(request, pk):
    """The ID photo submitted with an application in the reviewer's scope."""
    application = selectors.application_for_review(request.user, pk)
    name = selectors.submitted_photo_name(application)
    if not name.startswith("photos/") or posixpath.normpath(name) != name:
        raise Http404
    return _inline_file(ApplicantProfile._meta.get_field("photo").storage, name, "image/jpeg")


@role_required(*STAFF)
def registration_form(request, pk):
    """The registration form (报名登记表) of an application in the reviewer's scope, as the
    applicant submitted it, for the document re-check (资格复审); out of scope: 404."""
    application = selectors.application_for_review(request.user, pk)
    data = form_pdf.registration_form(
        application,
        photo=form_pdf.read_submitted_photo(application),
        declaration_text=DECLARATION_TEXT,
        sections=form_pdf.extra_sections(application),
    )
    try:
        content = form_pdf.render(data)
    except FontMissing as error:
        messages.error(request, str(error))
        return redirect("review:application", pk=pk)
    return pdf_response(content, _("报名登记表-%(number)s.pdf") % {"number": data.application_number})


def _inline_file(storage, name: str, content_type: str) -> FileResponse:
    try:
        handle = storage.open(name, "rb")
    except FileNotFoundError:
        raise Http404
    response = FileResponse(handle, content_type=content_type or "application/octet-stream")
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@role_required(*STAFF)
@require_http_methods(["GET", "POST"])
def bulk_approve(request):
    filters = selectors.clean_filters(request.GET if request.method == "GET" else request.POST)
    announcement = selectors.announcement_for_reviewer(request.user, filters.get("announcement") or 0)
    form = BulkApproveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        as_of = form.cleaned_data["as_of"]
        count = selectors.bulk_approvable(request.user, filters, submitted_by=as_of).count()
        if count == 0:
            messages.info(request, _("没有可以批量审核通过的报名。"))
            return redirect(_with_filters(reverse("review:queue"), filters))
        if form.cleaned_data["expected"] == count:
            with transaction.atomic():
                job = services.bulk_approve_job_create(
                    actor=request.user, announcement=announcement, filters=filters, total=count, as_of=as_of
                )
            return redirect("review:job", pk=job.pk)
        messages.warning(request, _("待批量通过的数量已变化，请重新核对后确认。"))
        form = None
    elif request.method == "POST" and "as_of" in form.errors:
        messages.warning(request, form.errors["as_of"][0])
        form = None
    if form is not None and form.is_bound:  # the box was not ticked: the same count again
        count = selectors.bulk_approvable(
            request.user, filters, submitted_by=form.cleaned_data["as_of"]
        ).count()
    else:
        as_of = selectors.bulk_approval_cutoff()
        count = selectors.bulk_approvable(request.user, filters, submitted_by=as_of).count()
        form = BulkApproveForm(initial={"expected": count, "as_of": as_of})
    submitted_by = form.cleaned_data["as_of"] if form.is_bound else form.initial["as_of"]
    return render(
        request,
        "review/bulk_confirm.html",
        {
            "form": form,
            "count": count,
            "announcement": announcement,
            "filters": filters,
            # Which positions the approval covers: the one filtered, or each with its count.
            "positions": selectors.bulk_approvable_positions(request.user, filters, submitted_by=submitted_by)
            if count
            else [],
            "one_position": bool(filters.get("position")),
        },
    )


@role_required(*STAFF)
def job(request, pk):
    job = selectors.job_for_user(request.user, pk)
    return render(
        request, "review/job.html", {"job": job, "announcement_title": selectors.job_announcement_title(job)}
    )


@role_required(*STAFF)
def job_progress(request, pk):
    return render(request, "review/job_progress.html", {"job": selectors.job_for_user(request.user, pk)})


@role_required(*STAFF)
def job_download(request, pk):
    found = selectors.job_for_user(request.user, pk)
    if found.kind != ReviewJob.EXPORT or found.status != BackgroundJob.Status.DONE or not found.result_file:
        raise Http404
    # Still assigned to the announcement now, not only when the export was made.
    selectors.announcement_for_reviewer(request.user, found.announcement_id)
    try:
        handle = found.result_file.open("rb")
    except FileNotFoundError:  # purged after REVIEW_EXPORT_KEEP_DAYS
        raise Http404
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=found.result_file.name.rsplit("/", 1)[-1],
        content_type=exports.XLSX,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@role_required(*STAFF)
def export(request):
    filters = selectors.clean_filters(request.GET)
    if filters.get("announcement", "").isdigit():
        # An announcement the user is not assigned to is 404, not an empty spreadsheet.
        selectors.announcement_for_reviewer(request.user, filters["announcement"])
    qs = selectors.applications_for_reviewer(request.user, filters)
    total = qs.count()
    if total < exports.inline_limit():
        content = exports.build_workbook(qs, full=exports.may_export_full(request.user))
        response = HttpResponse(content, content_type=exports.XLSX)
        response["Content-Disposition"] = (
            f'attachment; filename="{exports.filename(filters.get("announcement"))}"'
        )
        response["Cache-Control"] = "private, no-store"
        return response
    if not filters.get("announcement"):
        messages.error(request, _("导出数量较多，请先选择招聘公告再导出。"))
        return redirect(_with_filters(reverse("review:queue"), filters))
    announcement = selectors.announcement_for_reviewer(request.user, filters["announcement"])
    with transaction.atomic():
        created = services.export_job_create(
            actor=request.user, announcement=announcement, filters=filters, total=total
        )
    return redirect("review:job", pk=created.pk)


@role_required(*STAFF)
def opening_ratio(request, pk):
    announcement = selectors.announcement_for_reviewer(request.user, pk)
    rows = selectors.opening_ratio_rows(announcement)
    return render(
        request,
        "review/opening_ratio.html",
        {
            "announcement": announcement,
            "rows": rows,
            "can_adjust": request.user.has_role(Role.ADMINISTRATOR),
            "below_count": sum(1 for row in rows if row.below),
        },
    )


@role_required(Role.ADMINISTRATOR)
@require_POST
def position_adjust(request, pk, position_pk):
    from recruitment import services as recruitment_services

    announcement = selectors.announcement_for_reviewer(request.user, pk)
    position = get_object_or_404(Position, pk=position_pk, announcement=announcement)
    form = PositionAdjustForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["action"] == PositionAdjustForm.REDUCE:
                recruitment_services.position_reduce(
                    actor=request.user, position=position, quota=data["quota"], reason=data["reason"]
                )
                messages.success(request, _("已核减岗位名额，相关报考人员将收到通知。"))
            else:
                recruitment_services.position_cancel(
                    actor=request.user, position=position, reason=data["reason"]
                )
                messages.success(request, _("已取消岗位，相关报考人员将收到通知。"))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("review:opening_ratio", pk=announcement.pk)


@role_required(Role.ADMINISTRATOR)
@require_http_methods(["GET", "POST"])
def reasons(request):
    form = RejectionReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.rejection_reason_create(
            actor=request.user,
            code=data["code"],
            label=data["label"],
            label_en=data["label_en"],
            order=data["order"],
        )
        messages.success(request, _("已添加不通过原因。"))
        return redirect("review:reasons")
    return render(request, "review/reasons.html", {"form": form, "reasons": RejectionReason.objects.all()})


@role_required(Role.ADMINISTRATOR)
@require_http_methods(["GET", "POST"])
def reason_edit(request, pk):
    reason = get_object_or_404(RejectionReason, pk=pk)
    form = RejectionReasonEditForm(request.POST or None, instance=reason)
    if request.method == "POST" and form.is_valid():
        services.rejection_reason_update(
            actor=request.user, reason=reason, **{name: form.cleaned_data[name] for name in form.fields}
        )
        messages.success(request, _("已保存。"))
        return redirect("review:reasons")
    return render(request, "review/reason_edit.html", {"form": form, "reason": reason})
