"""Pages of the interview shortlist: staff (administrators, reviewers assigned to the
announcement) generate, publish, record the document re-check and signed declarations;
administrators disqualify; the public reads the published list; the applicant confirms
attendance or gives up (confirmed by SMS code). Thin: reads in exams.selectors.shortlist,
writes in exams.services.shortlist."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import role_required
from accounts.roles import Role
from applicants.models import Application
from portal.models import BackgroundJob
from recruitment.models import Announcement, Position

from ..forms_shortlist import CodeForm, DisqualifyForm, GiveUpStartForm, RecheckForm, SignedDeclarationForm
from ..models_shortlist import Declaration, ShortlistEntry
from ..panels_shortlist import WHAT_TO_BRING
from ..rules import ranking_settings_of
from ..selectors import shortlist as selectors
from ..selectors import written as written_selectors
from ..services import shortlist as services


def _error_text(error) -> str:
    if isinstance(error, ValidationError):
        return "；".join(str(m) for m in error.messages)
    return str(error) or _("没有权限执行此操作。")


def _staff_announcement(request, pk) -> Announcement:
    return written_selectors.announcement_for_staff(request.user, pk)


# ------------------------------------------------------------------ staff


@login_required
def index(request):
    if not request.user.has_role(Role.ADMINISTRATOR, Role.REVIEWER):
        raise PermissionDenied
    announcements = written_selectors.announcements_for_staff(request.user).order_by(
        "-registration_opens_at"
    )[:50]
    return render(request, "exams/shortlist/index.html", {"announcements": announcements})


@login_required
def detail(request, pk):
    announcement = _staff_announcement(request, pk)
    shortlist = selectors.shortlist_of(announcement)
    positions = list(Position.objects.filter(announcement=announcement).order_by("code"))
    chosen = None
    if request.GET.get("position", "").isdigit():
        chosen = next((p for p in positions if p.pk == int(request.GET["position"])), None)
    entries, cuts, counts = [], [], {}
    if shortlist is not None:
        cuts = selectors.cuts(shortlist)
        entries = list(selectors.staff_entries(shortlist, chosen.pk if chosen else None)[:500])
        counts = dict(
            ShortlistEntry.objects.filter(shortlist=shortlist)
            .values_list("state")
            .annotate(n=Count("pk"))
            .values_list("state", "n")
        )
        still_in = ShortlistEntry.objects.filter(shortlist=shortlist, state__in=ShortlistEntry.IN)
        counts.update(
            still_in.aggregate(
                confirmed_any=Count("pk", filter=Q(confirmed_at__isnull=False)),
                backfilled=Count("pk", filter=Q(round__gt=0)),
            )
        )
    job = (
        BackgroundJob.objects.filter(kind=services.JOB_KIND, announcement_id=announcement.pk)
        .order_by("-pk")
        .first()
    )
    return render(
        request,
        "exams/shortlist/detail.html",
        {
            "announcement": announcement,
            "shortlist": shortlist,
            "published": selectors.is_published(shortlist),
            "problems": services.compute_problems(announcement),
            "positions": positions,
            "chosen": chosen,
            "cuts": cuts,
            "entries": entries,
            "counts": counts,
            "in_count": sum(counts.get(s, 0) for s in ShortlistEntry.IN),
            "job": job,
            "is_admin": request.user.has_role(Role.ADMINISTRATOR),
            "settings_row": ranking_settings_of(announcement),
        },
    )


@login_required
@require_POST
def compute(request, pk):
    announcement = _staff_announcement(request, pk)
    try:
        job = services.compute_job_create(announcement=announcement, actor=request.user)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _error_text(error))
        return redirect("exams:shortlist", pk=pk)
    return redirect("exams:shortlist_job", pk=job.pk)


@login_required
def job(request, pk):
    found = get_object_or_404(BackgroundJob, pk=pk, kind=services.JOB_KIND)
    announcement = _staff_announcement(request, found.announcement_id)
    template = (
        "exams/shortlist/_job.html" if request.headers.get("HX-Request") else "exams/shortlist/job.html"
    )
    return render(request, template, {"job": found, "announcement": announcement})


@login_required
@require_POST
def publish(request, pk):
    announcement = _staff_announcement(request, pk)
    shortlist = selectors.shortlist_of(announcement)
    if shortlist is None:
        raise Http404
    try:
        services.publish(shortlist=shortlist, actor=request.user)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("入围名单已公布，已通知入围考生。"))
    return redirect("exams:shortlist", pk=pk)


def _entry_for_staff(request, pk, entry_pk) -> tuple[Announcement, ShortlistEntry]:
    announcement = _staff_announcement(request, pk)
    entry = get_object_or_404(
        ShortlistEntry.objects.select_related(
            "application__applicant", "application__exam_ticket", "position", "shortlist__announcement"
        ),
        pk=entry_pk,
        shortlist__announcement=announcement,
    )
    return announcement, entry


@login_required
def entry(request, pk, entry_pk):
    announcement, found = _entry_for_staff(request, pk, entry_pk)
    recheck_form = RecheckForm(prefix="r")
    signed_form = SignedDeclarationForm(prefix="g")
    disqualify_form = DisqualifyForm(prefix="d")
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "recheck":
                recheck_form = RecheckForm(request.POST, prefix="r")
                if recheck_form.is_valid():
                    services.recheck_record(
                        entry=found,
                        actor=request.user,
                        passed=recheck_form.cleaned_data["passed"],
                        reason=recheck_form.cleaned_data["reason"],
                    )
                    messages.success(request, _("资格复审结果已记录。"))
                    return redirect("exams:shortlist_entry", pk=pk, entry_pk=entry_pk)
            elif action == "signed":
                signed_form = SignedDeclarationForm(request.POST, request.FILES, prefix="g")
                if signed_form.is_valid():
                    services.give_up_signed(
                        entry=found,
                        actor=request.user,
                        reason=signed_form.cleaned_data["reason"],
                        upload=signed_form.cleaned_data["file"],
                    )
                    messages.success(request, _("书面放弃声明已登记，空出的名额已递补。"))
                    return redirect("exams:shortlist_entry", pk=pk, entry_pk=entry_pk)
            elif action == "disqualify":
                disqualify_form = DisqualifyForm(request.POST, prefix="d")
                if disqualify_form.is_valid():
                    services.disqualify(
                        application=found.application,
                        actor=request.user,
                        reason=disqualify_form.cleaned_data["reason"],
                    )
                    messages.success(request, _("已取消该考生的资格。"))
                    return redirect("exams:shortlist_entry", pk=pk, entry_pk=entry_pk)
            else:
                messages.error(request, _("请选择要办理的事项。"))
        except ValidationError as error:
            form = {"recheck": recheck_form, "signed": signed_form, "disqualify": disqualify_form}[action]
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
        except PermissionDenied as error:
            messages.error(request, _error_text(error))
        if not messages.get_messages(request) and any(
            f.is_bound and f.errors for f in (recheck_form, signed_form, disqualify_form)
        ):
            messages.error(request, _("有填写错误，请按提示修改。"))
    declarations = Declaration.objects.filter(application=found.application).order_by("-pk")
    return render(
        request,
        "exams/shortlist/entry.html",
        {
            "announcement": announcement,
            "entry": found,
            "recheck_form": recheck_form,
            "signed_form": signed_form,
            "disqualify_form": disqualify_form,
            "declarations": declarations,
            "is_admin": request.user.has_role(Role.ADMINISTRATOR),
        },
    )


@login_required
def disqualify(request, pk):
    """取消资格 at any stage: find the application by ticket number (administrators only)."""
    announcement = _staff_announcement(request, pk)
    if not request.user.has_role(Role.ADMINISTRATOR):
        raise PermissionDenied
    number = (request.GET.get("number") or request.POST.get("number") or "").strip()
    application = None
    if number:
        application = (
            Application.objects.filter(announcement=announcement, exam_ticket__number=number)
            .select_related("position", "exam_ticket")
            .first()
        )
        if application is None:
            messages.error(request, _("没有找到准考证号 %(n)s 的考生。") % {"n": number})
    form = DisqualifyForm(request.POST or None, prefix="d")
    if request.method == "POST" and application is not None and form.is_valid():
        try:
            services.disqualify(
                application=application, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error("reason", error.messages)
        except PermissionDenied as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("已取消该考生的资格。"))
            return redirect("exams:shortlist", pk=pk)
    return render(
        request,
        "exams/shortlist/disqualify.html",
        {"announcement": announcement, "application": application, "number": number, "form": form},
    )


@login_required
def declaration_file(request, pk):
    declaration = get_object_or_404(Declaration.objects.select_related("application"), pk=pk)
    _staff_announcement(request, declaration.application.announcement_id)
    if not declaration.file:
        raise Http404
    response = FileResponse(declaration.file.open("rb"))
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ------------------------------------------------------------------ public


def public(request, pk):
    announcement = get_object_or_404(Announcement, pk=pk)
    shortlist = selectors.shortlist_of(announcement)
    if not selectors.is_published(shortlist):
        raise Http404
    positions = list(Position.objects.filter(announcement=announcement).order_by("code"))
    chosen = positions[0] if positions else None
    if request.GET.get("position", "").isdigit():
        chosen = next((p for p in positions if p.pk == int(request.GET["position"])), chosen)
    cut = None
    rows = []
    if chosen is not None:
        cut = next((c for c in selectors.cuts(shortlist) if c.position_id == chosen.pk), None)
        rows = selectors.public_rows(shortlist, chosen.pk)
    return render(
        request,
        "exams/shortlist/public.html",
        {"announcement": announcement, "positions": positions, "chosen": chosen, "cut": cut, "rows": rows},
    )


# ------------------------------------------------------------------ applicant


@role_required(Role.APPLICANT)
def my(request):
    """The applicant's shortlist statuses (one line per application with a published list)."""
    applications = list(
        Application.objects.filter(applicant=request.user, shortlist_entry__isnull=False)
        .select_related("announcement", "position", "shortlist_entry__shortlist")
        .order_by("-pk")[:10]
    )
    rows = [a for a in applications if selectors.is_published(a.shortlist_entry.shortlist)]
    if len(rows) == 1:
        return redirect("exams:shortlist_mine", application_pk=rows[0].pk)
    return render(request, "exams/shortlist/my.html", {"applications": rows})


def _own_entry(request, application_pk) -> ShortlistEntry:
    application = get_object_or_404(
        Application.objects.select_related("announcement", "position"),
        pk=application_pk,
        applicant=request.user,
    )
    found = selectors.own_entry(request.user, application)
    if found is None:
        raise Http404
    return found


@login_required
def mine(request, application_pk):
    found = _own_entry(request, application_pk)
    application = found.application
    settings_row = ranking_settings_of(application.announcement)
    from .. import declarations

    pending = declarations.pending(application, services.GIVE_UP_PURPOSE)
    return render(
        request,
        "exams/shortlist/mine.html",
        {
            "entry": found,
            "application": application,
            "settings_row": settings_row,
            "can_confirm": found.state in services.UNCONFIRMED,
            "can_give_up": found.is_in and application.stage == "shortlisted",
            "pending": pending,
            "start_form": GiveUpStartForm(),
            "code_form": CodeForm(),
            "what_to_bring": WHAT_TO_BRING,
        },
    )


@login_required
@require_POST
def confirm(request, application_pk):
    found = _own_entry(request, application_pk)
    try:
        services.confirm_attendance(entry=found, actor=request.user)
    except PermissionDenied as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("已确认参加面试。请按时参加资格复审和面试。"))
    return redirect("exams:shortlist_mine", application_pk=application_pk)


@login_required
@require_POST
def give_up_start(request, application_pk):
    found = _own_entry(request, application_pk)
    form = GiveUpStartForm(request.POST)
    if form.is_valid():
        try:
            services.give_up_start(entry=found, actor=request.user, reason=form.cleaned_data["reason"])
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("验证码已发送到您的手机，请在10分钟内输入。"))
    return redirect("exams:shortlist_mine", application_pk=application_pk)


@login_required
@require_POST
def give_up_confirm(request, application_pk):
    found = _own_entry(request, application_pk)
    form = CodeForm(request.POST)
    if form.is_valid():
        try:
            services.give_up_confirm(entry=found, actor=request.user, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error(
                "code",
                error.message_dict.get("code", error.messages)
                if hasattr(error, "error_dict")
                else error.messages,
            )
        except PermissionDenied as error:
            messages.error(request, _error_text(error))
            return redirect("exams:shortlist_mine", application_pk=application_pk)
        else:
            messages.success(request, _("您已放弃面试资格。"))
            return redirect("exams:shortlist_mine", application_pk=application_pk)
    from .. import declarations

    application = found.application
    return render(
        request,
        "exams/shortlist/mine.html",
        {
            "entry": found,
            "application": application,
            "settings_row": ranking_settings_of(application.announcement),
            "can_confirm": found.state in services.UNCONFIRMED,
            "can_give_up": True,
            "pending": declarations.pending(application, services.GIVE_UP_PURPOSE),
            "start_form": GiveUpStartForm(),
            "code_form": form,
            "what_to_bring": WHAT_TO_BRING,
        },
    )
