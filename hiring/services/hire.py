"""The hire (聘用): confirmed by an administrator once the notice has ended without an upheld
or open objection and both checks passed. hiring keeps the Hire row and, on commit, sends
hiring.signals.hire_confirmed (workforce creates the worker); hiring never imports workforce."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from applicants.models import Application, Stage
from applicants.transitions import StaleApplication, transition
from notifications.events import Event
from notifications.services import notify
from portal import audit

from ..models import Hire, Objection, Proposal
from ..signals import hire_confirmed
from .checks import background_passed, medical_passed
from .common import Conflict, hiring_settings, today


def hire_blockers(proposal: Proposal, *, on=None) -> list[str]:
    """Why the proposal cannot be hired yet (empty: it can)."""
    on = on or today()
    reasons = []
    if proposal.status != Proposal.Status.ACTIVE:
        reasons.append(_("该考生不是拟录用人员（已录用或已取消）。"))
        return reasons
    if not medical_passed(proposal):
        reasons.append(_("体检尚未合格。"))
    if not background_passed(proposal):
        reasons.append(_("考察尚未合格。"))
    notice = proposal.notice
    if notice is None:
        reasons.append(_("尚未公示。"))
    elif on <= notice.ends_on:
        reasons.append(_("公示期至%(end)s，公示期满后才能确认录用。") % {"end": notice.ends_on.isoformat()})
    if any(o.outcome == Objection.Outcome.PENDING for o in proposal.objections.all()):
        reasons.append(_("有尚未核查完毕的公示异议。"))
    return reasons


def confirm_hire(
    *,
    proposal: Proposal,
    start_date,
    contract_years,
    report_place: str,
    actor,
    report_materials: str | None = None,
) -> Hire:
    """Hire the candidate with the start (report) date and the contract term; tell them
    what to bring and when and where to report; send hire_confirmed after the commit."""
    try:
        years = Decimal(str(contract_years))
    except (InvalidOperation, TypeError):
        raise ValidationError({"contract_years": _("请填写合同期限（年）。")})
    if not Decimal("0.5") <= years <= Decimal("10"):
        raise ValidationError({"contract_years": _("合同期限须在0.5至10年之间。")})
    if start_date is None or start_date < today():
        raise ValidationError({"start_date": _("报到日期不能早于今天。")})
    report_place = (report_place or "").strip()
    if not report_place:
        raise ValidationError({"report_place": _("请填写报到地点。")})
    materials = (report_materials if report_materials is not None else "").strip() or hiring_settings(
        proposal.announcement
    ).report_materials
    with transaction.atomic():
        current = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if current.status == Proposal.Status.HIRED:
            raise Conflict(_("该考生已由其他管理员确认录用。"))
        blockers = hire_blockers(current)
        if blockers:
            raise ValidationError(blockers)
        application = Application.objects.select_related("applicant", "announcement", "position").get(
            pk=current.application_id
        )
        try:
            with transaction.atomic():
                hire = Hire.objects.create(
                    application=application,
                    proposal=current,
                    announcement_id=current.announcement_id,
                    position_id=current.position_id,
                    start_date=start_date,
                    contract_years=years,
                    report_place=report_place,
                    report_materials=materials,
                    confirmed_by=actor,
                )
        except IntegrityError:
            raise Conflict(_("该考生已由其他管理员确认录用。"))
        try:
            transition(
                application,
                to_stage=Stage.HIRED,
                actor=actor,
                from_stages=[Stage.PUBLIC_NOTICE],
                reason=_("确认录用，%(date)s报到") % {"date": start_date.isoformat()},
            )
        except StaleApplication:
            raise Conflict()
        Proposal.objects.filter(pk=current.pk).update(
            status=Proposal.Status.HIRED, version=current.version + 1
        )
        audit.record(actor, hire, audit.ADDITION, fields=["start_date", "contract_years"])
        notify(
            recipient=application.applicant,
            event=Event.HIRED,
            context={
                "announcement_title": application.announcement.title,
                "position_name": application.position.name,
                "url": reverse("applicants:application", args=[application.pk]),
                "report_at": start_date.isoformat(),
                "report_place": report_place,
                # The wording adds "报到时请携带：…。": no closing stop of its own.
                "report_materials": materials.rstrip("。．.；;，, \n"),
            },
            dedupe_key=f"hiring_hired:{hire.pk}",
        )
        transaction.on_commit(lambda: hire_confirmed.send(sender=Hire, hire=hire))
    return hire
