"""Applicant pages: profile, photo, documents, apply, my applications, status timeline.
Thin: forms validate, services change, selectors read and scope (others' objects → 404)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.permissions import role_required
from accounts.roles import Role
from portal.pdf import FontMissing, pdf_response

from . import registration_form as form_pdf
from . import selectors, services
from .apply_extensions import apply_parts
from .forms import (
    DECLARATION_TEXT,
    ApplyForm,
    CertificateFormSet,
    DocumentForm,
    EducationFormSet,
    PhotoForm,
    ProfileForm,
    ResubmitForm,
    WorkFormSet,
    formset_rows,
)
from .masking import mask_id_number
from .models import (
    NOT_SUBMITTED_STAGES,
    ApplicantProfile,
    Application,
    Certificate,
    Document,
    EducationRecord,
    Stage,
    WorkRecord,
)
from .uploads import document_max_count

applicant_required = role_required(Role.APPLICANT)


def _add_errors(form, error: ValidationError):
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@applicant_required
def profile(request):
    instance = selectors.profile_for_user(request.user)
    if instance is not None:
        querysets = {
            "education": instance.education.all(),
            "work": instance.work.all(),
            "certificates": instance.certificates.all(),
        }
    else:
        querysets = {
            "education": EducationRecord.objects.none(),
            "work": WorkRecord.objects.none(),
            "certificates": Certificate.objects.none(),
        }
    data = request.POST if request.method == "POST" else None
    form = ProfileForm(data, instance=instance, user=request.user)
    education = EducationFormSet(data, queryset=querysets["education"], prefix="education")
    work = WorkFormSet(data, queryset=querysets["work"], prefix="work")
    certificates = CertificateFormSet(data, queryset=querysets["certificates"], prefix="certificates")
    adding = request.POST.get("add_row") if request.method == "POST" else None
    if adding in ("education", "work", "certificates"):
        # "添加…" without JavaScript: the same page with one more empty row, nothing saved
        # and nothing typed lost (static/js/formset.js adds the row in place instead).
        data = request.POST.copy()
        total = f"{adding}-TOTAL_FORMS"
        data[total] = str(int(data.get(total) or 0) + 1)
        form = ProfileForm(data, instance=instance, user=request.user)
        education = EducationFormSet(data, queryset=querysets["education"], prefix="education")
        work = WorkFormSet(data, queryset=querysets["work"], prefix="work")
        certificates = CertificateFormSet(data, queryset=querysets["certificates"], prefix="certificates")
    elif request.method == "POST":
        if form.is_valid() and education.is_valid() and work.is_valid() and certificates.is_valid():
            try:
                services.profile_save(
                    user=request.user,
                    fields=form.cleaned_data,
                    education=formset_rows(education),
                    work=formset_rows(work),
                    certificates=formset_rows(certificates),
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("个人信息已保存。"))
                return redirect("applicants:profile")
        messages.error(request, _("有内容需要修改，请查看标红的项目；已填写的内容不会丢失。"))
    return render(
        request,
        "applicants/profile.html",
        {
            "form": form,
            "education": education,
            "work": work,
            "certificates": certificates,
            "profile": instance,
            "masked_id": mask_id_number(instance.id_number) if instance else "",
        },
    )


@applicant_required
def files(request):
    profile = selectors.profile_for_user(request.user)
    if profile is None:
        messages.info(request, _("请先填写并保存个人信息，再上传照片和材料。"))
        return redirect("applicants:profile")
    photo_form = PhotoForm()
    document_form = DocumentForm()
    if request.method == "POST":
        if "photo" in request.FILES or request.POST.get("action") == "photo":
            photo_form = PhotoForm(request.POST, request.FILES)
            if photo_form.is_valid():
                try:
                    services.profile_set_photo(profile=profile, upload=photo_form.cleaned_data["photo"])
                except ValidationError as error:
                    photo_form.add_error("photo", error)
                else:
                    messages.success(request, _("证件照已上传。"))
                    return redirect("applicants:files")
        else:
            document_form = DocumentForm(request.POST, request.FILES)
            if document_form.is_valid():
                try:
                    services.document_upload(
                        profile=profile,
                        kind=document_form.cleaned_data["kind"],
                        upload=document_form.cleaned_data["file"],
                    )
                except ValidationError as error:
                    if hasattr(error, "error_dict"):
                        _add_errors(document_form, error)
                    else:
                        document_form.add_error("file", error)
                else:
                    messages.success(request, _("材料已上传。"))
                    return redirect("applicants:files")
    return render(
        request,
        "applicants/files.html",
        {
            "profile": profile,
            "photo_form": photo_form,
            "document_form": document_form,
            "documents": profile.documents.all(),
            "max_documents": document_max_count(),
            "photo_frozen": profile.identity_locked or selectors.under_review_or_approved(profile),
            "frozen_documents": selectors.frozen_document_uuids(profile),
        },
    )


@applicant_required
@require_http_methods(["GET", "POST"])
def document_delete(request, uuid):
    """GET: asks first (a page, so it works without JavaScript); POST with confirm=yes
    deletes. A POST without the confirmation goes back to the question."""
    profile = selectors.profile_for_user(request.user, prefetch=False)
    document = get_object_or_404(Document, uuid=uuid, profile__user=request.user) if profile else None
    if document is None:
        raise Http404
    if request.method == "GET" or request.POST.get("confirm") != "yes":
        if request.method == "POST":
            return redirect("applicants:document_delete", uuid=document.uuid)
        return render(request, "applicants/document_delete.html", {"document": document})
    try:
        services.document_delete(profile=profile, document=document)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("材料已删除。"))
    return redirect("applicants:files")


def _file_response(field, content_type, filename):
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404
    response = FileResponse(handle, content_type=content_type, filename=filename)
    response["Content-Disposition"] = response["Content-Disposition"].replace("attachment", "inline")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def document_file(request, uuid):
    document = selectors.document_for_user(request.user, uuid)
    return _file_response(document.file, document.content_type, document.original_name)


@login_required
def photo_file(request, profile_id):
    profile = ApplicantProfile.objects.filter(pk=profile_id).first()
    if profile is None or not profile.photo or not selectors.profile_files_visible_to(request.user, profile):
        raise Http404
    return _file_response(profile.photo, "image/jpeg", f"photo-{profile.pk}.jpg")


@applicant_required
def applications(request):
    mine = list(selectors.applications_for_user(request.user))
    applied_to = {application.announcement_id: application for application in mine}
    announcements = list(selectors.open_announcements())
    for announcement in announcements:
        # Where the applicant has applied, each position says so instead of offering 报名
        # again (one position per announcement): the position applied to shows its status.
        application = applied_to.get(announcement.pk)
        announcement.mine = application
        announcement.mine_is_live = bool(application) and application.stage not in NOT_SUBMITTED_STAGES
    return render(
        request,
        "applicants/applications.html",
        {
            "applications": mine,
            "announcements": announcements,
            "applied_to": applied_to,
            "has_profile": ApplicantProfile.objects.filter(user=request.user).exists(),
        },
    )


def _apply_blockers(user, position, profile, result, window_open, mine) -> tuple[list[dict], str]:
    """What stands between the applicant and submitting, shown before they press anything:
    (missing items shown as failed checks at the top, the reason the submit button is
    disabled — "" when it is enabled)."""
    missing = []
    if profile is None:
        missing.append(
            {
                "label": _("个人信息"),
                "message": _("尚未填写个人信息（姓名、身份证号码、学历等）。"),
                "url": reverse("applicants:profile"),
                "link": _("去填写"),
            }
        )
    elif not profile.photo:
        missing.append(
            {
                "label": _("证件照"),
                "message": _("尚未上传证件照。"),
                "url": reverse("applicants:files"),
                "link": _("去上传"),
            }
        )
    if not window_open:
        reason = _("当前不在报名时间内，不能提交。")
    elif mine is not None and mine.stage not in NOT_SUBMITTED_STAGES:
        reason = _("您已报名本公告的岗位“%(position)s”（%(stage)s），每个公告只能报一个岗位。") % {
            "position": f"{mine.position.code} {mine.position.name}",
            "stage": mine.get_stage_display(),
        }
    elif missing:
        reason = _("请先补全上面标为“不符合”的项目，再提交报名。")
    elif result is not None and result.outcome == "failed":
        reason = _("有不符合的条件，不能报名此岗位。")
    else:
        reason = ""
    return missing, reason


def _unsubmitted(mine):
    """The applicant's application of the announcement if it is a draft or withdrawn (what
    the apply form's parts show again), else None."""
    return mine if mine is not None and mine.stage in NOT_SUBMITTED_STAGES else None


def _apply_page(request, position, form, parts, *, mine, error=None, result=None):
    profile = selectors.profile_for_user(request.user)
    if result is None and profile is not None:
        result = services.eligibility_preview(user=request.user, position=position, profile=profile)
    window_open = services.registration_open(position.announcement)
    missing, blocked = _apply_blockers(request.user, position, profile, result, window_open, mine)
    return render(
        request,
        "applicants/apply.html",
        {
            "position": position,
            "announcement": position.announcement,
            "form": form,
            "error": error,
            "result": result,
            "missing": missing,
            "blocked": blocked,
            "mine": mine if mine is not None and mine.stage not in NOT_SUBMITTED_STAGES else None,
            "declaration": DECLARATION_TEXT,
            "window_open": window_open,
            "parts": [part.render() for part in parts],
        },
    )


@applicant_required
def apply(request, position_id):
    position = selectors.position_for_apply(position_id)
    mine = selectors.application_for_announcement(request.user, position.announcement_id)
    form = ApplyForm(request.POST if request.method == "POST" else None)
    # Parts of higher apps (e.g. bonus points claimed with proof): saved with the submission;
    # on GET they show what the draft keeps.
    parts = apply_parts(
        request, position, request.POST if request.method == "POST" else None, _unsubmitted(mine)
    )
    parts_valid = [part.is_valid() for part in parts]  # each part checked: each shows its errors
    error = None
    result = None
    if request.method == "POST" and form.is_valid() and all(parts_valid):
        try:
            with transaction.atomic():
                application = services.application_submit(
                    user=request.user,
                    position=position,
                    declaration_accepted=form.cleaned_data["declaration"],
                )
                for part in parts:
                    part.save(application)
        except services.AlreadyApplied as refusal:
            messages.warning(request, refusal.message)
            return redirect("applicants:application", pk=refusal.application.pk)
        except services.ApplicationError as refusal:
            error, result = refusal.message, refusal.eligibility_result
        except (ValidationError, PermissionDenied) as refusal:  # a part refused (e.g. a proof gone)
            error = _refusal_text(refusal)
        else:
            messages.success(request, _("报名已提交，请留意审核结果。"))
            return redirect("applicants:application", pk=application.pk)
    return _apply_page(request, position, form, parts, mine=mine, error=error, result=result)


def _refusal_text(refusal) -> str:
    if isinstance(refusal, ValidationError):
        return " ".join(refusal.messages)
    return str(refusal) or _("没有权限执行此操作。")


@applicant_required
@require_POST
def save_draft(request, position_id):
    """Keep the position picked (暂存) without submitting, with what the parts of the form
    hold (e.g. the bonus items ticked, with their proof); a reminder goes out before the
    registration closes if it is still not submitted. A part with faults (a bonus item
    ticked without proof): the form again with the faults, nothing saved."""
    position = selectors.position_for_apply(position_id)
    parts = apply_parts(request, position, request.POST)
    parts_valid = [part.is_valid() for part in parts]  # each part checked: each shows its errors
    if not all(parts_valid):
        mine = selectors.application_for_announcement(request.user, position.announcement_id)
        error = _("未暂存：请改正下面标出的问题后再暂存。")
        return _apply_page(request, position, ApplyForm(), parts, mine=mine, error=error)
    try:
        with transaction.atomic():
            application = services.application_save_draft(user=request.user, position=position)
            for part in parts:
                save = getattr(part, "save_draft", None)
                if save is not None:
                    save(application)
    except services.ApplicationError as refusal:
        messages.warning(request, refusal.message)
        if refusal.application is not None:
            return redirect("applicants:application", pk=refusal.application.pk)
        return redirect("applicants:apply", position_id=position.pk)
    except (ValidationError, PermissionDenied) as refusal:
        messages.warning(request, _refusal_text(refusal))
        return redirect("applicants:apply", position_id=position.pk)
    messages.success(
        request,
        _("已暂存所选岗位，尚未提交。请在 %(at)s 前提交报名。")
        % {"at": f"{timezone.localtime(position.announcement.registration_closes_at):%Y-%m-%d %H:%M}"},
    )
    return redirect("applicants:application", pk=application.pk)


@applicant_required
def application_detail(request, pk):
    application = selectors.application_for_owner(request.user, pk)
    now = timezone.now()
    return render(
        request,
        "applicants/application_detail.html",
        {
            "application": application,
            "timeline": selectors.application_timeline(application),
            "position_events": selectors.position_events(application),
            "can_withdraw": application.stage in (Stage.SUBMITTED, Stage.RETURNED)
            and now < application.announcement.registration_closes_at,
            "can_resubmit": services.can_resubmit(application, now)
            or services.can_switch_after_cancel(application, now),
            "switch_after_cancel": services.can_switch_after_cancel(application, now),
            "can_submit_draft": application.stage in (Stage.DRAFT, Stage.WITHDRAWN)
            and services.registration_open(application.announcement, now),
        },
    )


@applicant_required
@require_POST
def application_withdraw(request, pk):
    application = selectors.application_for_owner(request.user, pk)
    try:
        services.application_withdraw(application=application, user=request.user)
    except services.ApplicationError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("报名已撤回。报名截止前可重新报名。"))
    return redirect("applicants:application", pk=pk)


@applicant_required
def application_resubmit(request, pk):
    application = selectors.application_for_owner(request.user, pk)
    form = ResubmitForm(
        request.POST or None,
        announcement=application.announcement,
        initial={"position": application.position_id},
    )
    error = result = None
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.application_resubmit(
                    application=application,
                    user=request.user,
                    position=form.cleaned_data["position"],
                    declaration_accepted=form.cleaned_data["declaration"],
                )
        except services.ApplicationError as refusal:
            error, result = refusal.message, refusal.eligibility_result
        else:
            messages.success(request, _("报名已重新提交，请留意审核结果。"))
            return redirect("applicants:application", pk=pk)
    return render(
        request,
        "applicants/resubmit.html",
        {
            # Its own words when the position was cancelled: a switch, not a correction.
            "switch_after_cancel": services.can_switch_after_cancel(application)
            and not services.can_resubmit(application),
            "application": application,
            "form": form,
            "error": error,
            "result": result,
            "declaration": DECLARATION_TEXT,
        },
    )


@applicant_required
def registration_form(request, pk):
    """The submitted registration form (报名登记表) of the user's own application as a PDF,
    to sign and bring to the document re-check. Others' applications, drafts and withdrawn
    ones: 404. Without a CJK font on the server: back to the application page, saying so."""
    application = get_object_or_404(
        Application.objects.select_related("announcement", "position", "applicant", "applicant__profile")
        .defer("announcement__body")
        .exclude(stage__in=NOT_SUBMITTED_STAGES),
        pk=pk,
        applicant=request.user,
    )
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
        return redirect("applicants:application", pk=pk)
    return pdf_response(content, _("报名登记表-%(number)s.pdf") % {"number": data.application_number})
