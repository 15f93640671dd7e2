"""Medical checks (体检) and background checks (考察) of proposed candidates. Only the outcome
and dates of a medical check are stored, never medical details; both are for administrators.
The order of the two checks is the announcement's setting (HiringSettings.check_order)."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from applicants.models import Application
from portal import audit

from ..models import BackgroundCheck, CheckOrder, CheckResult, MedicalCheck, Proposal
from . import proposals as proposal_services
from .common import Conflict, hiring_settings, tell, today


def medical_passed(proposal: Proposal, checks=None) -> bool:
    checks = list(proposal.medical_checks.all()) if checks is None else checks
    return bool(checks) and max(checks, key=lambda c: c.attempt).result == CheckResult.PASSED


def background_passed(proposal: Proposal) -> bool:
    try:
        return proposal.background_check.result == CheckResult.PASSED
    except BackgroundCheck.DoesNotExist:
        return False


def recheck_until(check: MedicalCheck, days: int):
    """The last day a re-check (复检) may be asked for after a failed first check."""
    return check.result_on + timedelta(days=days) if check.result_on else None


def _active(proposal: Proposal) -> Proposal:
    current = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if current.status != Proposal.Status.ACTIVE:
        raise ValidationError(_("该考生不是拟录用人员（或已被取消），不能登记体检或考察。"))
    return current


def _application(proposal: Proposal) -> Application:
    return Application.objects.select_related("applicant", "announcement", "position").get(
        pk=proposal.application_id
    )


def schedule_medical(*, proposal: Proposal, on_date, place: str, actor) -> MedicalCheck:
    """Set the date and place of the (first) medical check and tell the candidate."""
    place = (place or "").strip()
    if not place:
        raise ValidationError({"place": _("请填写体检地点。")})
    settings = hiring_settings(proposal.announcement)
    with transaction.atomic():
        current = _active(proposal)
        if settings.check_order == CheckOrder.BACKGROUND_FIRST and not background_passed(current):
            raise ValidationError(_("本公告规定先考察后体检：该考生考察合格后才能安排体检。"))
        try:
            with transaction.atomic():
                check = MedicalCheck.objects.create(
                    proposal=current,
                    attempt=1,
                    on_date=on_date,
                    place=place,
                    standard=settings.medical_standard,
                    scheduled_by=actor,
                )
        except IntegrityError:
            raise Conflict(_("该考生的体检已经安排。"))
        audit.record(actor, check, audit.ADDITION, fields=["on_date", "place"])
        application = _application(current)
        tell(
            application,
            subject=_("体检通知：%(position)s") % {"position": application.position.name},
            body=_(
                "请于%(date)s到%(place)s参加体检（体检标准：%(standard)s），携带本人身份证，空腹。未按时参加体检的视为放弃。"
            )
            % {"date": on_date.isoformat(), "place": place, "standard": check.standard},
            key=f"hiring_medical:{check.pk}",
        )
    return check


def record_medical(
    *, check: MedicalCheck, result: str, result_on, actor, expected_version: int
) -> MedicalCheck:
    """Record the outcome of a medical check: passed; failed (the first time, the candidate may
    ask for one re-check within the set days; failing the re-check removes and backfills);
    absent (not attending = gave up: removed and backfilled as the settings say)."""
    if result not in (CheckResult.PASSED, CheckResult.FAILED, CheckResult.ABSENT):
        raise ValidationError({"result": _("请选择体检结论。")})
    if result_on is None:
        raise ValidationError({"result_on": _("请填写结论日期。")})
    if result_on < check.on_date and result != CheckResult.ABSENT:
        raise ValidationError({"result_on": _("结论日期不能早于体检日期。")})
    if result_on > today():
        raise ValidationError({"result_on": _("结论日期不能晚于今天。")})
    with transaction.atomic():
        # A result recorded meanwhile by another administrator is a conflict, told as such,
        # even when that result (absent) has since removed the candidate.
        locked = Proposal.objects.select_for_update().get(pk=check.proposal_id)
        if not MedicalCheck.objects.filter(pk=check.pk, version=expected_version).exists():
            raise Conflict()
        proposal = _active(locked)
        updated = MedicalCheck.objects.filter(
            pk=check.pk, version=expected_version, result=CheckResult.PENDING
        ).update(
            result=result,
            result_on=result_on,
            recorded_by=actor,
            recorded_at=timezone.now(),
            version=F("version") + 1,
        )
        if updated != 1:
            raise Conflict()
        check.refresh_from_db()
        audit.record(actor, check, audit.CHANGE, fields=["result", "result_on"])
        application = _application(proposal)
        if result == CheckResult.ABSENT:
            proposal_services.remove(
                proposal=proposal, event=Proposal.Event.GAVE_UP, actor=actor, note=_("未按时参加体检")
            )
        elif result == CheckResult.FAILED and check.attempt == 2:
            proposal_services.remove(
                proposal=proposal, event=Proposal.Event.MEDICAL_FAIL, actor=actor, note=_("复检不合格")
            )
        elif result == CheckResult.FAILED:
            days = hiring_settings(proposal.announcement).recheck_days
            tell(
                application,
                subject=_("体检结论：%(position)s") % {"position": application.position.name},
                body=_("您的体检结论为不合格。如对结论有异议，可在%(until)s前申请复检一次。")
                % {"until": recheck_until(check, days).isoformat()},
                key=f"hiring_medical_failed:{check.pk}",
            )
        else:
            tell(
                application,
                subject=_("体检结论：%(position)s") % {"position": application.position.name},
                body=_("您的体检结论为合格。"),
                key=f"hiring_medical_passed:{check.pk}",
            )
    return check


def schedule_recheck(*, check: MedicalCheck, on_date, place: str, actor) -> MedicalCheck:
    """The one re-check (复检) the candidate asked for within the set days of a failed first check."""
    place = (place or "").strip()
    if not place:
        raise ValidationError({"place": _("请填写复检地点。")})
    settings = hiring_settings(check.proposal.announcement)
    with transaction.atomic():
        proposal = _active(check.proposal)
        if check.attempt != 1 or check.result != CheckResult.FAILED:
            raise ValidationError(_("只有首次体检不合格的才能复检，且只能复检一次。"))
        until = recheck_until(check, settings.recheck_days)
        if today() > until:
            raise ValidationError(
                _("复检申请期限已于%(until)s届满，不能再安排复检。") % {"until": until.isoformat()}
            )
        if on_date < check.on_date:
            raise ValidationError({"on_date": _("复检日期不能早于首次体检日期。")})
        try:
            with transaction.atomic():
                recheck = MedicalCheck.objects.create(
                    proposal=proposal,
                    attempt=2,
                    on_date=on_date,
                    place=place,
                    standard=check.standard,
                    recheck_requested_at=timezone.now(),
                    scheduled_by=actor,
                )
        except IntegrityError:
            raise Conflict(_("该考生已经安排过复检，只能复检一次。"))
        audit.record(actor, recheck, audit.ADDITION, fields=["on_date", "place"], note=_("复检"))
        application = _application(proposal)
        tell(
            application,
            subject=_("复检通知：%(position)s") % {"position": application.position.name},
            body=_("请于%(date)s到%(place)s参加复检。复检结论为最终结论。")
            % {"date": on_date.isoformat(), "place": place},
            key=f"hiring_recheck:{recheck.pk}",
        )
    return recheck


def confirm_medical_failure(*, check: MedicalCheck, actor) -> Proposal:
    """After the re-check window of a failed first check has passed without a request, the
    failure stands: the candidate is removed and the vacancy backfilled as the settings say."""
    settings = hiring_settings(check.proposal.announcement)
    if check.attempt != 1 or check.result != CheckResult.FAILED:
        raise ValidationError(_("只有首次体检不合格的才需要确认。"))
    until = recheck_until(check, settings.recheck_days)
    if today() <= until:
        raise ValidationError(
            _("复检申请期限至%(until)s，期满后才能确认体检不合格。") % {"until": until.isoformat()}
        )
    if check.proposal.medical_checks.filter(attempt=2).exists():
        raise ValidationError(_("该考生已申请复检，以复检结论为准。"))
    return proposal_services.remove(
        proposal=check.proposal,
        event=Proposal.Event.MEDICAL_FAIL,
        actor=actor,
        note=_("体检不合格，未申请复检"),
    )


def record_background(*, proposal: Proposal, result: str, summary: str, on_date, actor) -> BackgroundCheck:
    """The background check's outcome with a short summary; a failure removes the candidate
    (backfilled as the settings say)."""
    summary = (summary or "").strip()
    if result not in (CheckResult.PASSED, CheckResult.FAILED):
        raise ValidationError({"result": _("请选择考察结论。")})
    if not summary:
        raise ValidationError({"summary": _("请填写考察情况摘要。")})
    if on_date is None or on_date > today():
        raise ValidationError({"on_date": _("考察日期不能晚于今天。")})
    settings = hiring_settings(proposal.announcement)
    with transaction.atomic():
        current = _active(proposal)
        if settings.check_order == CheckOrder.MEDICAL_FIRST and not medical_passed(current):
            raise ValidationError(_("本公告规定先体检后考察：该考生体检合格后才能登记考察结论。"))
        try:
            with transaction.atomic():
                check = BackgroundCheck.objects.create(
                    proposal=current, result=result, summary=summary, on_date=on_date, recorded_by=actor
                )
        except IntegrityError:
            raise Conflict(_("该考生的考察结论已由其他管理员登记。"))
        audit.record(actor, check, audit.ADDITION, fields=["result", "summary"])
        if result == CheckResult.FAILED:
            proposal_services.remove(
                proposal=current, event=Proposal.Event.BACKGROUND_FAIL, actor=actor, note=summary
            )
        else:
            application = _application(current)
            tell(
                application,
                subject=_("考察结论：%(position)s") % {"position": application.position.name},
                body=_("您的考察结论为合格。"),
                key=f"hiring_background:{check.pk}",
            )
    return check
