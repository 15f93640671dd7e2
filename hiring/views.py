"""Hiring pages. Administrators only for everything staff (reviewers and examiners cannot
hire; medical outcomes are for administrators only); the public reads a notice from its first
day on; the applicant reads their own standing and may give up (SMS code). Thin: reads in
hiring.selectors, writes in hiring.services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import role_required
from accounts.roles import Role
from applicants.models import Application
from recruitment.models import Position

from . import exports, selectors
from .forms import (
    BackgroundForm,
    ExtraTestForm,
    GiveUpConfirmForm,
    GiveUpStartForm,
    HireForm,
    MedicalResultForm,
    MedicalScheduleForm,
    NoticeForm,
    ObjectionDecisionForm,
    ObjectionForm,
    RemoveForm,
    SettingsForm,
)
from .models import CheckResult, MedicalCheck, Objection, Proposal, PublicNotice
from .periods import notice_state
from .services import checks as check_services
from .services import hire as hire_services
from .services import notice as notice_services
from .services import proposals as proposal_services
from .services.common import hiring_settings, today

admin_only = role_required(Role.ADMINISTRATOR)


def _errors_onto(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its field where the form has it."""
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


# ------------------------------------------------------------------ administrator


@admin_only
def index(request):
    return render(request, "hiring/index.html", {"announcements": selectors.announcements()[:50]})


@admin_only
def announcement(request, pk):
    item = selectors.announcement_for_admin(pk)
    from exams.selectors.ranking import confirmed_version

    version = confirmed_version(item)
    return render(
        request,
        "hiring/announcement.html",
        {
            "announcement": item,
            "version": version,
            "blocks": selectors.overview(item),
            "notices": selectors.notices_of(item),
            "settings": hiring_settings(item),
            "today": today(),
        },
    )


@admin_only
@require_POST
def propose(request, pk):
    item = selectors.announcement_for_admin(pk)
    try:
        count, skipped = proposal_services.propose_announcement(announcement=item, actor=request.user)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, _("已确定拟录用人员 %(n)s 人。") % {"n": count})
        for text in skipped:
            messages.warning(request, text)
    return redirect("hiring:announcement", pk=item.pk)


@admin_only
def settings_edit(request, pk):
    item = selectors.announcement_for_admin(pk)
    instance = hiring_settings(item)
    form = SettingsForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        notice_services.save_settings(announcement=item, values=form.cleaned_data, actor=request.user)
        messages.success(request, _("录用设置已保存。"))
        return redirect("hiring:announcement", pk=item.pk)
    return render(request, "hiring/settings.html", {"announcement": item, "form": form})


@admin_only
def notice_new(request, pk):
    item = selectors.announcement_for_admin(pk)
    ready = list(
        Proposal.objects.filter(announcement=item, status=Proposal.Status.ACTIVE, notice__isnull=True)
        .select_related("application", "position")
        .order_by("position__code", "rank", "pk")
    )
    choices = [
        (
            str(p.pk),
            f"{p.position.code} {p.position.name} · {(p.application.snapshot or {}).get('real_name', '')} · {p.composite}",
        )
        for p in ready
    ]
    form = NoticeForm(
        request.POST or None,
        choices=choices,
        initial={"proposals": [c for c, _label in choices], "starts_on": today()},
    )
    settings = hiring_settings(item)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            published = notice_services.publish_notice(
                announcement=item,
                proposal_ids=data["proposals"],
                starts_on=data["starts_on"],
                title=data["title"],
                ends_on=data["ends_on"],
                end_note=data["end_note"],
                actor=request.user,
            )
        except ValidationError as error:
            _errors_onto(form, error)
        else:
            messages.success(
                request,
                _("公示已发布：%(start)s至%(end)s。")
                % {"start": published.starts_on, "end": published.ends_on},
            )
            return redirect("hiring:announcement", pk=item.pk)
    return render(
        request,
        "hiring/notice_new.html",
        {"announcement": item, "form": form, "settings": settings, "empty": not ready},
    )


def _proposal_forms(proposal: Proposal) -> dict:
    checks = list(proposal.medical_checks.order_by("attempt"))
    latest = checks[-1] if checks else None
    forms = {}
    if proposal.status == Proposal.Status.ACTIVE:
        if not checks:
            forms["medical"] = MedicalScheduleForm(prefix="medical")
        if latest is not None and latest.result == CheckResult.PENDING:
            forms["medical_result"] = MedicalResultForm(
                prefix="mr", initial={"version": latest.version, "result_on": today()}
            )
        if latest is not None and latest.attempt == 1 and latest.result == CheckResult.FAILED:
            forms["recheck"] = MedicalScheduleForm(prefix="recheck")
        if getattr(proposal, "background_check", None) is None:
            forms["background"] = BackgroundForm(prefix="background", initial={"on_date": today()})
        if proposal.notice_id:
            forms["objection"] = ObjectionForm(prefix="objection", initial={"received_on": today()})
        forms["remove"] = RemoveForm(prefix="remove", initial={"version": proposal.version})
        forms["hire"] = HireForm(prefix="hire")
    elif proposal.status == Proposal.Status.PENDING_TIE:
        forms["remove"] = RemoveForm(prefix="remove", initial={"version": proposal.version})
    return forms


def _proposal_page(request, item, proposal, forms=None, status=200):
    page_forms = _proposal_forms(proposal)
    page_forms.update(forms or {})
    checks = list(proposal.medical_checks.order_by("attempt"))
    settings = hiring_settings(item)
    latest = checks[-1] if checks else None
    until = None
    if latest is not None and latest.attempt == 1 and latest.result == CheckResult.FAILED:
        until = check_services.recheck_until(latest, settings.recheck_days)
    objections = list(proposal.objections.order_by("received_on", "pk"))
    decide_forms = [
        (o, ObjectionDecisionForm(prefix=f"od{o.pk}", initial={"objection": o.pk}))
        for o in objections
        if o.outcome == Objection.Outcome.PENDING and proposal.status == Proposal.Status.ACTIVE
    ]
    if forms and "objection_decide" in forms:
        bound = forms["objection_decide"]
        decide_forms = [
            (o, bound if str(o.pk) == str(bound.data.get(f"{bound.prefix}-objection")) else f)
            for o, f in decide_forms
        ]
    snapshot = proposal.application.snapshot or {}
    from applicants.masking import mask_id_number

    return render(
        request,
        "hiring/proposal.html",
        {
            "announcement": item,
            "proposal": proposal,
            "name": snapshot.get("real_name", ""),
            "masked_id": mask_id_number(snapshot.get("id_number", "")),
            "checks": checks,
            "recheck_until": until,
            "recheck_open": until is not None and today() <= until,
            "background": getattr(proposal, "background_check", None),
            "objections": objections,
            "decide_forms": decide_forms,
            "forms": page_forms,
            "blockers": hire_services.hire_blockers(proposal)
            if proposal.status == Proposal.Status.ACTIVE
            else [],
            "settings": settings,
            "hire": getattr(proposal, "hire", None),
            "replacements": list(proposal.replacements.select_related("application")),
            "extra_test_score": selectors.extra_test_scores([proposal.application_id]).get(
                proposal.application_id
            ),
            "today": today(),
        },
        status=status,
    )


@admin_only
def proposal_detail(request, pk, proposal_pk):
    item = selectors.announcement_for_admin(pk)
    proposal = selectors.proposal_in(item, proposal_pk)
    return _proposal_page(request, item, proposal)


ACTIONS = {
    "medical": (MedicalScheduleForm, "medical"),
    "medical_result": (MedicalResultForm, "mr"),
    "recheck": (MedicalScheduleForm, "recheck"),
    "medical_confirm": (None, None),
    "background": (BackgroundForm, "background"),
    "objection": (ObjectionForm, "objection"),
    "objection_decide": (ObjectionDecisionForm, None),
    "remove": (RemoveForm, "remove"),
    "hire": (HireForm, "hire"),
}


def _latest_check(proposal) -> MedicalCheck:
    check = proposal.medical_checks.order_by("-attempt").first()
    if check is None:
        raise ValidationError(_("尚未安排体检。"))
    return check


def _run(action, form, proposal, user):
    data = form.cleaned_data if form is not None else {}
    if action == "medical":
        check_services.schedule_medical(
            proposal=proposal, on_date=data["on_date"], place=data["place"], actor=user
        )
        return _("体检已安排，已通知考生。")
    if action == "medical_result":
        check_services.record_medical(
            check=_latest_check(proposal),
            result=data["result"],
            result_on=data["result_on"],
            actor=user,
            expected_version=data["version"],
        )
        return _("体检结论已登记。")
    if action == "recheck":
        check_services.schedule_recheck(
            check=_latest_check(proposal), on_date=data["on_date"], place=data["place"], actor=user
        )
        return _("复检已安排，已通知考生。")
    if action == "medical_confirm":
        check_services.confirm_medical_failure(check=_latest_check(proposal), actor=user)
        return _("已确认体检不合格。")
    if action == "background":
        check_services.record_background(
            proposal=proposal,
            result=data["result"],
            summary=data["summary"],
            on_date=data["on_date"],
            actor=user,
        )
        return _("考察结论已登记。")
    if action == "objection":
        notice_services.record_objection(
            proposal=proposal, received_on=data["received_on"], summary=data["summary"], actor=user
        )
        return _("异议已登记，请核查后登记结论。")
    if action == "objection_decide":
        objection = get_object_or_404(Objection, pk=data["objection"], proposal=proposal)
        notice_services.decide_objection(
            objection=objection, outcome=data["outcome"], note=data["outcome_note"], actor=user
        )
        return _("核查结论已登记。")
    if action == "remove":
        if data["event"] == Proposal.Event.GAVE_UP:
            proposal_services.give_up_signed(
                proposal=proposal, actor=user, reason=data["note"], upload=data["file"]
            )
        else:
            proposal_services.remove(
                proposal=proposal,
                event=data["event"],
                actor=user,
                note=data["note"],
                expected_version=data["version"],
            )
        return _("已取消该考生的拟录用资格。")
    if action == "hire":
        hire_services.confirm_hire(
            proposal=proposal,
            start_date=data["start_date"],
            contract_years=data["contract_years"],
            report_place=data["report_place"],
            report_materials=data["report_materials"],
            actor=user,
        )
        return _("已确认录用，已通知考生报到。")
    raise Http404


@admin_only
@require_POST
def proposal_action(request, pk, proposal_pk, action):
    item = selectors.announcement_for_admin(pk)
    proposal = selectors.proposal_in(item, proposal_pk)
    if action not in ACTIONS:
        raise Http404
    form_class, prefix = ACTIONS[action]
    form = None
    if form_class is not None:
        if action == "objection_decide":
            raw = next((k for k in request.POST if k.endswith("-objection")), "")
            prefix = raw[: -len("-objection")] if raw else "od"
        form = form_class(request.POST, request.FILES, prefix=prefix)
        if not form.is_valid():
            return _proposal_page(request, item, proposal, {action: form})
    try:
        text = _run(action, form, proposal, request.user)
    except ValidationError as error:
        if form is None:
            messages.error(request, "；".join(error.messages))
            return redirect("hiring:proposal", pk=item.pk, proposal_pk=proposal.pk)
        _errors_onto(form, error)
        proposal = selectors.proposal_in(item, proposal_pk)
        return _proposal_page(request, item, proposal, {action: form})
    except PermissionDenied as error:
        messages.error(request, str(error) or _("没有权限执行此操作。"))
        return redirect("hiring:proposal", pk=item.pk, proposal_pk=proposal.pk)
    messages.success(request, text)
    return redirect("hiring:proposal", pk=item.pk, proposal_pk=proposal.pk)


@admin_only
def extra_test(request, pk, position_pk):
    item = selectors.announcement_for_admin(pk)
    position = get_object_or_404(Position, pk=position_pk, announcement=item)
    waiting = selectors.tie_waiting(position)
    form = ExtraTestForm(request.POST or None, waiting=waiting)
    if request.method == "POST" and waiting and form.is_valid():
        scores = {w.proposal.pk: form.cleaned_data[f"score_{w.proposal.pk}"] for w in waiting}
        try:
            won, _lost, tied = proposal_services.record_extra_test(
                position=position, scores=scores, actor=request.user
            )
        except ValidationError as error:
            _errors_onto(form, error)
        else:
            messages.success(request, _("加试成绩已登记，%(n)s人确定为拟录用人员。") % {"n": len(won)})
            if tied:
                messages.warning(
                    request,
                    _("%(n)s人加试成绩仍然相同，争%(places)s个名额，请再次组织加试后录入。")
                    % {"n": len(tied), "places": tied[0].tie_places},
                )
                return redirect("hiring:extra_test", pk=item.pk, position_pk=position.pk)
            return redirect("hiring:announcement", pk=item.pk)
    places = max((w.proposal.tie_places for w in waiting), default=0)
    return render(
        request,
        "hiring/extra_test.html",
        {"announcement": item, "position": position, "form": form, "waiting": waiting, "places": places},
    )


@admin_only
def chain(request, pk, position_pk):
    item = selectors.announcement_for_admin(pk)
    position = get_object_or_404(Position, pk=position_pk, announcement=item)
    rows = selectors.chain(position)
    return render(request, "hiring/chain.html", {"announcement": item, "position": position, "rows": rows})


@admin_only
def chain_xlsx(request, pk, position_pk):
    item = selectors.announcement_for_admin(pk)
    position = get_object_or_404(Position, pk=position_pk, announcement=item)
    return exports.chain_xlsx(position, selectors.chain(position))


EXPORT_KINDS = ("proposed", "hires")


@admin_only
def export(request, pk, kind, fmt):
    item = selectors.announcement_for_admin(pk)
    if kind not in EXPORT_KINDS or fmt not in ("xlsx", "pdf"):
        raise Http404
    return exports.announcement_export(request, item, kind, fmt)


@admin_only
def notice_export(request, pk, notice_pk, fmt):
    item = selectors.announcement_for_admin(pk)
    notice = get_object_or_404(PublicNotice, pk=notice_pk, announcement=item)
    if fmt not in ("xlsx", "pdf"):
        raise Http404
    return exports.notice_export(request, notice, fmt)


# ------------------------------------------------------------------ public


def public_notices(request):
    return render(request, "hiring/public_notices.html", {"notices": selectors.public_notices()[:50]})


def public_notice(request, pk):
    """The notice from its first day on (during and after its period); 404 before. ID
    numbers masked."""
    notice = notice_services.notice_for_public(pk)
    if notice is None:
        raise Http404
    return render(
        request,
        "hiring/public_notice.html",
        {
            "notice": notice,
            "rows": selectors.notice_rows(notice),
            "state": notice_state(notice.starts_on, notice.ends_on, today()),
        },
    )


# ------------------------------------------------------------------ applicant


def _own_proposal(request, application_pk) -> Proposal:
    application = get_object_or_404(Application, pk=application_pk, applicant=request.user)
    proposal = (
        Proposal.objects.select_related("announcement", "position", "notice", "application")
        .filter(application=application)
        .first()
    )
    if proposal is None:
        raise Http404
    return proposal


@login_required
def give_up(request, application_pk):
    """The applicant gives up their proposal: a declaration confirmed by an SMS code."""
    proposal = _own_proposal(request, application_pk)
    from exams import declarations

    declaration = declarations.pending(proposal.application, proposal_services.DECLARATION_PURPOSE)
    start_form = GiveUpStartForm(prefix="start")
    confirm_form = GiveUpConfirmForm(prefix="confirm")
    can = proposal.status in proposal_services.IN_PLAY
    if request.method == "POST" and can:
        if "start-agree" in request.POST or request.POST.get("step") == "start":
            start_form = GiveUpStartForm(request.POST, prefix="start")
            if start_form.is_valid():
                try:
                    declaration = proposal_services.start_give_up(
                        proposal=proposal, actor=request.user, reason=start_form.cleaned_data["reason"]
                    )
                except (ValidationError, PermissionDenied) as error:
                    start_form.add_error(None, getattr(error, "messages", None) or str(error))
                else:
                    messages.info(request, _("验证码已发送到您的手机，请在10分钟内输入。"))
                    return redirect("hiring:give_up", application_pk=application_pk)
        elif declaration is not None:
            confirm_form = GiveUpConfirmForm(request.POST, prefix="confirm")
            if confirm_form.is_valid():
                try:
                    proposal_services.confirm_give_up(
                        proposal=proposal,
                        declaration=declaration,
                        code=confirm_form.cleaned_data["code"],
                        actor=request.user,
                    )
                except ValidationError as error:
                    _errors_onto(confirm_form, error)
                except PermissionDenied as error:
                    confirm_form.add_error(None, str(error) or _("该声明已办结。"))
                else:
                    messages.success(request, _("您已放弃拟录用资格。"))
                    return redirect(reverse("applicants:application", args=[application_pk]))
    return render(
        request,
        "hiring/give_up.html",
        {
            "proposal": proposal,
            "text": proposal_services.declaration_text(proposal),
            "declaration": declaration,
            "start_form": start_form,
            "confirm_form": confirm_form,
            "can": can,
        },
    )
