"""The hiring settings, the public notice (公示) of proposed hires and the objections (异议)
recorded during it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from applicants.models import Application, Stage
from applicants.transitions import transition_many
from notifications.events import Event
from notifications.services import notify
from portal import audit

from .. import periods
from ..models import HiringSettings, Objection, Proposal, PublicNotice
from . import proposals as proposal_services
from .common import Conflict, hiring_settings, today

SETTINGS_FIELDS = (
    "check_order",
    "medical_standard",
    "recheck_days",
    "notice_day_kind",
    "supervision_phone",
    "objection_address",
    "report_materials",
)


def save_settings(*, announcement, values: dict, actor) -> HiringSettings:
    with transaction.atomic():
        settings, created = HiringSettings.objects.select_for_update().get_or_create(
            announcement=announcement
        )
        changed = [name for name in SETTINGS_FIELDS if getattr(settings, name) != values[name]]
        for name in SETTINGS_FIELDS:
            setattr(settings, name, values[name])
        settings.full_clean()
        settings.save()
        audit.record(actor, settings, audit.ADDITION if created else audit.CHANGE, fields=changed)
    return settings


def planned_end(announcement, starts_on):
    """(the last day, None) by the settings, or (None, year) where the holiday library lacks
    that year and working days are set (the administrator must enter the end date)."""
    settings = hiring_settings(announcement)
    try:
        return periods.notice_end(starts_on, announcement.public_notice_days, settings.notice_day_kind), None
    except periods.NoHolidayData as missing:
        return None, missing.year


def publish_notice(
    *, announcement, proposal_ids, starts_on, actor, title: str = "", ends_on=None, end_note: str = ""
) -> PublicNotice:
    """Publish proposed candidates for public notice from `starts_on` for the announcement's
    public_notice_days, in calendar or working days as set. Where the holiday data lacks a
    year, the administrator's `ends_on` (with `end_note`) is used, audited and shown."""
    ids = sorted({int(pk) for pk in proposal_ids})
    if not ids:
        raise ValidationError({"proposals": _("请选择要公示的拟录用人员。")})
    if starts_on is None or starts_on < today():
        raise ValidationError({"starts_on": _("公示开始日期不能早于今天。")})
    settings = hiring_settings(announcement)
    end, missing_year = planned_end(announcement, starts_on)
    entered = False
    if end is None:
        end_note = (end_note or "").strip()
        if ends_on is None or not end_note:
            raise ValidationError(
                {
                    "ends_on": _(
                        "节假日数据中没有%(year)s年的放假和调休安排，系统无法按工作日计算公示结束日期。"
                        "请按国务院办公厅公布的安排填写结束日期，并说明依据。"
                    )
                    % {"year": missing_year}
                }
            )
        if ends_on < starts_on:
            raise ValidationError({"ends_on": _("公示结束日期不能早于开始日期。")})
        end, entered = ends_on, True
    else:
        end_note = ""
    title = (title or "").strip() or _("%(title)s拟录用人员公示") % {"title": announcement.title}
    with transaction.atomic():
        proposals = list(
            Proposal.objects.select_for_update()
            .filter(pk__in=ids, announcement=announcement)
            .select_related("application__applicant", "position")
            .order_by("pk")
        )
        if len(proposals) != len(ids):
            raise ValidationError({"proposals": _("所选人员不属于该公告。")})
        for proposal in proposals:
            if proposal.status != Proposal.Status.ACTIVE or proposal.notice_id is not None:
                raise Conflict(_("所选人员中有已公示、已取消或待加试的，请刷新后重新选择。"))
        notice = PublicNotice.objects.create(
            announcement=announcement,
            title=title,
            starts_on=starts_on,
            ends_on=end,
            days=announcement.public_notice_days,
            day_kind=settings.notice_day_kind,
            end_entered=entered,
            end_note=end_note,
            supervision_phone=settings.supervision_phone,
            objection_address=settings.objection_address,
            published_by=actor,
        )
        Proposal.objects.filter(pk__in=ids).update(notice=notice, version=F("version") + 1)
        moved = transition_many(
            [p.application_id for p in proposals],
            to_stage=Stage.PUBLIC_NOTICE,
            actor=actor,
            from_stages=[Stage.PROPOSED],
            reason=title,
        )
        if len(moved) != len(proposals):
            raise Conflict()
        audit.record(
            actor, notice, audit.ADDITION, fields=["starts_on", "ends_on"], note=end_note if entered else ""
        )
        url = reverse("hiring:public_notice", args=[notice.pk])
        for proposal in proposals:
            application = proposal.application
            notify(
                recipient=application.applicant,
                event=Event.PUBLIC_NOTICE,
                context={
                    "announcement_title": announcement.title,
                    "position_name": proposal.position.name,
                    "url": url,
                    "notice_from": starts_on.isoformat(),
                    "notice_until": end.isoformat(),
                },
                dedupe_key=f"hiring_notice:{notice.pk}:{proposal.pk}",
            )
    return notice


def record_objection(*, proposal: Proposal, received_on, summary: str, actor) -> Objection:
    summary = (summary or "").strip()
    if not summary:
        raise ValidationError({"summary": _("请填写异议内容摘要。")})
    notice = proposal.notice
    if notice is None or proposal.status != Proposal.Status.ACTIVE:
        raise ValidationError(_("只能对正在公示的拟录用人员登记异议。"))
    if received_on is None or not (notice.starts_on <= received_on <= notice.ends_on):
        raise ValidationError(
            {
                "received_on": _("异议须在公示期内（%(start)s至%(end)s）收到。")
                % {"start": notice.starts_on.isoformat(), "end": notice.ends_on.isoformat()}
            }
        )
    if received_on > today():
        raise ValidationError({"received_on": _("收到日期不能晚于今天。")})
    with transaction.atomic():
        objection = Objection.objects.create(
            proposal=proposal, received_on=received_on, summary=summary, recorded_by=actor
        )
        audit.record(actor, objection, audit.ADDITION)
    return objection


def decide_objection(*, objection: Objection, outcome: str, note: str, actor) -> Objection:
    """The outcome of checking an objection: upheld (属实) removes the candidate, backfilled
    as the settings say; dismissed (不属实) leaves them in."""
    note = (note or "").strip()
    if outcome not in (Objection.Outcome.UPHELD, Objection.Outcome.DISMISSED):
        raise ValidationError({"outcome": _("请选择核查结论。")})
    if not note:
        raise ValidationError({"outcome_note": _("请填写核查情况。")})
    with transaction.atomic():
        updated = Objection.objects.filter(pk=objection.pk, outcome=Objection.Outcome.PENDING).update(
            outcome=outcome, outcome_note=note, decided_by=actor, decided_at=timezone.now()
        )
        if updated != 1:
            raise Conflict()
        objection.refresh_from_db()
        audit.record(actor, objection, audit.CHANGE, fields=["outcome", "outcome_note"], note=note)
        if outcome == Objection.Outcome.UPHELD:
            proposal_services.remove(
                proposal=objection.proposal, event=Proposal.Event.OBJECTION_UPHELD, actor=actor, note=note
            )
    return objection


def notice_for_public(pk: int) -> PublicNotice | None:
    """The notice if the public may read it (from its first day on), else None."""
    notice = PublicNotice.objects.select_related("announcement").filter(pk=pk).first()
    if notice is None or today() < notice.starts_on:
        return None
    return notice


def applicants_of(notice: PublicNotice):
    return Application.objects.filter(proposal__notice=notice)
