"""Pages of announcements and positions. Thin: reads in selectors, writes in services."""

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.permissions import role_required
from accounts.roles import Role

from . import importer, page_cache, position_table, selectors, services
from .forms import (
    AnnouncementForm,
    AttachmentForm,
    BonusCategoryFormSet,
    PositionForm,
    PositionImportForm,
    ReasonForm,
    ReduceForm,
    ReviewerAssignForm,
    bonus_categories_from,
)
from .models import Announcement, AnnouncementAttachment, Position

ADMIN = (Role.ADMINISTRATOR,)
STAFF = (Role.ADMINISTRATOR, Role.REVIEWER)


def _phase_tabs():
    return [
        ("open", _("正在报名")),
        ("upcoming", _("即将报名")),
        ("closed", _("已截止")),
        ("", _("全部")),
    ]


def _position_rows(announcement):
    counts = selectors.position_counts(announcement.pk)
    return [
        (position, counts.get(position.pk, selectors.ZERO_COUNTS))
        for position in announcement.positions.all()
    ]


# --- Public -------------------------------------------------------------------------------


def announcement_list(request):
    # Anonymous visitors share one rendering per query string, as on the detail page.
    key = page_cache.shared_list_key(request)
    if key and (page := page_cache.get(key)) is not None:
        return page_cache.response(request, page)
    phase = request.GET.get("phase", "open")
    if phase not in {"open", "upcoming", "closed", ""}:
        phase = "open"
    query = request.GET.get("q", "").strip()[:100]
    page = Paginator(selectors.public_announcements(phase=phase, query=query), 10).get_page(
        request.GET.get("page")
    )
    html = render_to_string(
        "recruitment/announcement_list.html",
        {"page": page, "phase": phase, "query": query, "tabs": _phase_tabs()},
        request=request,
    )
    if key:
        page_cache.store(key, html)
    return HttpResponse(html)


def announcement_detail(request, pk):
    # Anonymous visitors share one rendering (see page_cache); others get their own page.
    key = page_cache.shared_key(request, pk)
    if key and (page := page_cache.get(key)) is not None:
        return page_cache.response(request, page)
    try:
        announcement = selectors.announcement_detail(pk=pk, user=request.user, with_positions=False)
    except Announcement.DoesNotExist:
        raise Http404
    viewer = position_table.viewer_for(request.user, announcement)
    context = {
        "announcement": announcement,
        # Lazy: positions are read only when the cached table fragment has expired.
        "table": position_table.PositionTable(
            announcement=announcement, params=request.GET, user=request.user, viewer=viewer
        ),
        "viewer": viewer,
        "phase": selectors.announcement_phase(announcement),
        "is_staff_reader": selectors.is_staff_reader(request.user),
        "page_version": page_cache.version(announcement.pk),
    }
    html = render_to_string("recruitment/announcement_detail.html", context, request=request)
    if key and announcement.status != Announcement.Status.DRAFT:
        page_cache.store(key, html)
    return HttpResponse(html)


def positions_xlsx(request, pk):
    """The position table as Excel (岗位表), with the same filters as the page."""
    try:
        announcement = selectors.announcement_detail(pk=pk, user=request.user, with_positions=False)
    except Announcement.DoesNotExist:
        raise Http404
    table = position_table.PositionTable(
        announcement=announcement,
        params=request.GET,
        user=request.user,
        viewer=position_table.viewer_for(request.user, announcement),
    )
    response = HttpResponse(
        position_table.workbook(table),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = quote(f"{_('岗位表')}-{announcement.pk}.xlsx")
    response["Content-Disposition"] = (
        f"attachment; filename=\"positions-{announcement.pk}.xlsx\"; filename*=UTF-8''{filename}"
    )
    return response


def attachment_download(request, pk, attachment_pk):
    attachment = get_object_or_404(
        AnnouncementAttachment.objects.select_related("announcement"), pk=attachment_pk, announcement_id=pk
    )
    if attachment.announcement.status == Announcement.Status.DRAFT and not selectors.is_staff_reader(
        request.user
    ):
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404
    return FileResponse(
        handle,
        as_attachment=request.GET.get("download") == "1",
        filename=f"{attachment.title}.pdf",
        content_type="application/pdf",
    )


# --- Staff: reading (administrators and reviewers) ----------------------------------------


@role_required(*STAFF)
def manage_list(request):
    status = request.GET.get("status", "")
    if status not in Announcement.Status.values:
        status = ""
    query = request.GET.get("q", "").strip()[:100]
    page = Paginator(selectors.staff_announcements(status=status, query=query), 20).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "recruitment/manage/list.html",
        {
            "page": page,
            "status": status,
            "query": query,
            "statuses": Announcement.Status.choices,
            "is_admin": request.user.has_role(Role.ADMINISTRATOR),
        },
    )


@role_required(*STAFF)
def manage_detail(request, pk):
    announcement = get_object_or_404(
        Announcement.objects.select_related("created_by").prefetch_related(
            "positions", "attachments", "bonus_categories", "reviewer_assignments__reviewer"
        ),
        pk=pk,
    )
    is_admin = request.user.has_role(Role.ADMINISTRATOR)
    context = {
        "announcement": announcement,
        "rows": _position_rows(announcement),
        "is_admin": is_admin,
        "is_draft": announcement.status == Announcement.Status.DRAFT,
        "events": announcement.events.select_related("actor", "position").order_by("-at", "-pk")[:50],
        "publish_problems": (
            services.publish_problems(announcement)
            if is_admin and announcement.status == Announcement.Status.DRAFT
            else []
        ),
        "attachment_form": AttachmentForm() if is_admin else None,
    }
    return render(request, "recruitment/manage/detail.html", context)


# --- Staff: administrators only -----------------------------------------------------------


def _draft_or_redirect(request, announcement, position=None):
    """A published announcement changes only through a correction notice: send the
    administrator to the correction form (for that position, where one is being edited)."""
    if announcement.status == Announcement.Status.DRAFT:
        return None
    if announcement.status in (Announcement.Status.PUBLISHED, Announcement.Status.CLOSED):
        messages.error(
            request,
            _("公告已发布，不能直接修改；请发布更正公告或补充公告，修改内容会在公告页面公开并通知报考人员。"),
        )
        url = reverse("recruitment:correction_create", args=[announcement.pk])
        if position is not None:
            url += f"?position={position.pk}"
        return redirect(url)
    messages.error(request, _("已归档的公告不能修改。"))
    return redirect("recruitment:manage_detail", pk=announcement.pk)


def _apply_errors(form, error: ValidationError):
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@role_required(*ADMIN)
def announcement_edit(request, pk=None):
    announcement = get_object_or_404(Announcement, pk=pk) if pk else None
    if announcement and (response := _draft_or_redirect(request, announcement)):
        return response
    form = AnnouncementForm(request.POST or None, instance=announcement)
    formset = BonusCategoryFormSet(request.POST or None, instance=announcement, prefix="bonus")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            if announcement:
                announcement = services.announcement_update(
                    actor=request.user,
                    announcement=announcement,
                    fields=fields,
                    bonus_categories=bonus_categories_from(formset),
                )
            else:
                announcement = services.announcement_create(
                    actor=request.user, fields=fields, bonus_categories=bonus_categories_from(formset)
                )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("公告草稿已保存。"))
            return redirect("recruitment:manage_detail", pk=announcement.pk)
    return render(
        request,
        "recruitment/manage/announcement_form.html",
        {"form": form, "formset": formset, "announcement": announcement},
    )


def _transition(request, pk, service, success_message, **kwargs):
    announcement = get_object_or_404(Announcement, pk=pk)
    try:
        service(actor=request.user, announcement=announcement, **kwargs)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, success_message)
    return redirect("recruitment:manage_detail", pk=pk)


@require_POST
@role_required(*ADMIN)
def announcement_close(request, pk):
    return _transition(
        request,
        pk,
        services.announcement_close,
        _("公告已结束。"),
        reason=request.POST.get("reason", "")[:500],
    )


@require_POST
@role_required(*ADMIN)
def announcement_archive(request, pk):
    return _transition(request, pk, services.announcement_archive, _("公告已归档。"))


@role_required(*ADMIN)
def position_edit(request, pk, position_pk=None):
    announcement = get_object_or_404(Announcement, pk=pk)
    position = get_object_or_404(Position, pk=position_pk, announcement=announcement) if position_pk else None
    if response := _draft_or_redirect(request, announcement, position):
        return response
    form = PositionForm(request.POST or None, instance=position, announcement=announcement)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            if position:
                services.position_update(actor=request.user, position=position, fields=fields)
            else:
                services.position_create(actor=request.user, announcement=announcement, fields=fields)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("岗位已保存。"))
            if "save_add" in request.POST:
                return redirect("recruitment:position_create", pk=pk)
            return redirect("recruitment:manage_detail", pk=pk)
    return render(
        request,
        "recruitment/manage/position_form.html",
        {"form": form, "announcement": announcement, "position": position},
    )


@require_POST
@role_required(*ADMIN)
def position_delete(request, pk, position_pk):
    position = get_object_or_404(
        Position.objects.select_related("announcement"), pk=position_pk, announcement_id=pk
    )
    try:
        services.position_delete(actor=request.user, position=position)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("岗位已删除。"))
    return redirect("recruitment:manage_detail", pk=pk)


@role_required(*ADMIN)
def position_import(request, pk):
    announcement = get_object_or_404(Announcement, pk=pk)
    if response := _draft_or_redirect(request, announcement):
        return response
    form = PositionImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        replace = form.cleaned_data["replace"]
        existing = (
            frozenset() if replace else frozenset(announcement.positions.values_list("code", flat=True))
        )
        result = importer.read_positions(form.cleaned_data["file"], existing_codes=existing)
        if result.ok:
            try:
                created = services.positions_import(
                    actor=request.user, announcement=announcement, rows=result.rows, replace=replace
                )
            except ValidationError as error:
                errors = [{"row": None, "column": "", "message": message} for message in error.messages]
            else:
                messages.success(request, _("已导入 %(count)d 个岗位。") % {"count": len(created)})
                return redirect("recruitment:manage_detail", pk=pk)
        else:
            errors = result.errors
    return render(
        request,
        "recruitment/manage/position_import.html",
        {
            "form": form,
            "announcement": announcement,
            "errors": errors,
            "column_help": importer.COLUMN_HELP,
            "columns": importer.COLUMNS,
        },
        status=400 if errors else 200,
    )


@role_required(*ADMIN)
def position_import_template(request):
    response = HttpResponse(
        importer.template_workbook(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        "attachment; filename=\"positions-template.xlsx\"; filename*=UTF-8''%E5%B2%97%E4%BD%8D%E8%A1%A8%E6%A8%A1%E6%9D%BF.xlsx"
    )
    return response


def _position_change(request, pk, position_pk, *, reduce: bool):
    position = get_object_or_404(
        Position.objects.select_related("announcement"), pk=position_pk, announcement_id=pk
    )
    form_class = ReduceForm if reduce else ReasonForm
    kwargs = {"position": position} if reduce else {}
    form = form_class(request.POST or None, **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            if reduce:
                services.position_reduce(
                    actor=request.user,
                    position=position,
                    quota=form.cleaned_data["quota"],
                    reason=form.cleaned_data["reason"],
                )
            else:
                services.position_cancel(
                    actor=request.user, position=position, reason=form.cleaned_data["reason"]
                )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("岗位名额已核减。") if reduce else _("岗位已取消。"))
            return redirect("recruitment:manage_detail", pk=pk)
    return render(
        request,
        "recruitment/manage/position_change.html",
        {"form": form, "position": position, "announcement": position.announcement, "reduce": reduce},
    )


@role_required(*ADMIN)
def position_reduce(request, pk, position_pk):
    return _position_change(request, pk, position_pk, reduce=True)


@role_required(*ADMIN)
def position_cancel(request, pk, position_pk):
    return _position_change(request, pk, position_pk, reduce=False)


@require_POST
@role_required(*ADMIN)
def attachment_upload(request, pk):
    announcement = get_object_or_404(Announcement, pk=pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(
                actor=request.user,
                announcement=announcement,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("附件已上传。"))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("recruitment:manage_detail", pk=pk)


@require_POST
@role_required(*ADMIN)
def attachment_delete(request, pk, attachment_pk):
    attachment = get_object_or_404(AnnouncementAttachment, pk=attachment_pk, announcement_id=pk)
    try:
        services.attachment_delete(actor=request.user, attachment=attachment)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("附件已删除。"))
    return redirect("recruitment:manage_detail", pk=pk)


@role_required(*ADMIN)
def reviewers(request, pk):
    announcement = get_object_or_404(Announcement, pk=pk)
    form = ReviewerAssignForm(request.POST or None)
    if request.method == "POST":
        if "remove" in request.POST:
            remove = request.POST.get("remove") or ""
            if not remove.isdigit():  # a tampered form: 404, not a server error
                raise Http404
            reviewer = get_object_or_404(User, pk=remove)
            services.reviewer_unassign(actor=request.user, announcement=announcement, reviewer=reviewer)
            messages.success(request, _("已取消分配。"))
            return redirect("recruitment:reviewers", pk=pk)
        if form.is_valid():
            try:
                services.reviewer_assign(
                    actor=request.user, announcement=announcement, reviewer=form.cleaned_data["reviewer"]
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("已分配审核人员。"))
                return redirect("recruitment:reviewers", pk=pk)
    assignments = announcement.reviewer_assignments.select_related("reviewer", "assigned_by").order_by("pk")
    return render(
        request,
        "recruitment/manage/reviewers.html",
        {"announcement": announcement, "form": form, "assignments": assignments},
    )
