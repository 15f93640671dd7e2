"""Side-job declarations (兼职报备): declared by the worker, decided by the unit manager of
the worker's street office, expiring at the end of the approved period (renewed by a new
declaration)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.events import Event
from notifications.services import notify, notify_many

from .. import week
from ..models import SideJob, UnitManagerAssignment, Worker, WorkforceSettings
from ..probation import add_months
from .common import WorkforceError, log


@dataclass(frozen=True)
class Declaration:
    organisation: str
    kind: str
    description: str
    paid: bool
    hours_per_week: Decimal
    slots: list  # [(weekday, time, time)] already parsed (workforce.week.parse_slot)
    starts_on: date
    ends_on: date


def duty_slots(settings: WorkforceSettings) -> list:
    return settings.duty_blocks()


def slots_overlap_duty(slots, settings: WorkforceSettings) -> list:
    return week.clashes(list(slots), duty_slots(settings))


def _validate(data: Declaration, settings: WorkforceSettings) -> None:
    if data.ends_on < data.starts_on:
        raise WorkforceError(_("结束日期不能早于开始日期。"), field="ends_on")
    limit = add_months(data.starts_on, settings.side_job_max_months)
    if data.ends_on >= limit:
        raise WorkforceError(
            _("一次报备的期限不超过%(months)s个月（至%(last)s），到期后请重新报备。")
            % {"months": settings.side_job_max_months, "last": (limit - timedelta(days=1)).isoformat()},
            field="ends_on",
        )
    if not data.slots:
        raise WorkforceError(_("请至少填写一个每周时段。"), field="slots")
    slot_hours = Decimal(sum(week.minutes(s) for s in data.slots)) / 60
    if slot_hours < data.hours_per_week:
        raise WorkforceError(
            _("每周时段合计%(slots)s小时，少于填写的每周时长%(hours)s小时。")
            % {"slots": slot_hours.quantize(Decimal("0.1")), "hours": data.hours_per_week},
            field="hours_per_week",
        )


def _managers_of(worker: Worker):
    street = worker.unit.street_office
    return [
        a.manager
        for a in UnitManagerAssignment.objects.filter(
            unit__in=[u for u in (street, worker.unit) if u]
        ).select_related("manager")
    ]


def declare(*, worker: Worker, data: Declaration, renewal_of: SideJob | None = None) -> SideJob:
    """The worker declares a side job. Overlap with duty hours is recorded and shown, not
    refused here: the unit manager refuses it with the reason "during duty time"."""
    if worker.status == Worker.Status.LEFT:
        raise WorkforceError(_("已离岗人员不能报备兼职。"))
    settings = WorkforceSettings.current()
    _validate(data, settings)
    if renewal_of is not None and (
        renewal_of.worker_id != worker.pk
        or renewal_of.status
        not in (
            SideJob.Status.APPROVED,
            SideJob.Status.EXPIRED,
        )
    ):
        raise WorkforceError(_("只能续报本人已批准或已到期的兼职。"))
    clashes = slots_overlap_duty(data.slots, settings)
    with transaction.atomic():
        job = SideJob.objects.create(
            worker=worker,
            organisation=data.organisation,
            kind=data.kind,
            description=data.description,
            paid=data.paid,
            hours_per_week=data.hours_per_week,
            slots=[[d, a.strftime("%H:%M"), b.strftime("%H:%M")] for d, a, b in data.slots],
            starts_on=data.starts_on,
            ends_on=data.ends_on,
            overlaps_duty=bool(clashes),
            renewal_of=renewal_of,
        )
        log(
            worker,
            worker.user,
            "side_job_declared",
            detail={"side_job": job.pk, "overlaps_duty": bool(clashes)},
        )
        managers = _managers_of(worker)
        if managers:
            notify_many(
                recipients=managers,
                event=Event.SIDE_JOB_DECLARED,
                context={
                    "worker_name": worker.name,
                    "organisation": job.organisation,
                    "url": reverse("workforce:side_job", args=[job.pk]),
                },
                dedupe_prefix=f"workforce:side-job:{job.pk}",
            )
    return job


def withdraw(*, worker: Worker, job: SideJob) -> SideJob:
    if job.worker_id != worker.pk or job.status != SideJob.Status.PENDING:
        raise WorkforceError(_("只能撤回本人待审批的报备。"))
    with transaction.atomic():
        job.status = SideJob.Status.WITHDRAWN
        job.save(update_fields=["status"])
        log(worker, worker.user, "side_job_withdrawn", detail={"side_job": job.pk})
    return job


def decide(*, actor, job: SideJob, approve: bool, refusal: str = "", note: str = "") -> SideJob:
    """Approve, or refuse with a reason (conflict of interest, hours above the city's limit,
    during duty time, other + words). An approval is refused by the service itself when the
    hours pass the limit or a slot falls in duty hours."""
    settings = WorkforceSettings.current()
    if job.status != SideJob.Status.PENDING:
        raise WorkforceError(_("该报备已处理。"))
    if approve:
        if job.hours_per_week > settings.side_job_max_hours:
            raise WorkforceError(
                _("每周%(hours)s小时超过规定上限%(limit)s小时，不能批准。")
                % {"hours": job.hours_per_week, "limit": settings.side_job_max_hours}
            )
        slots = [week.parse_slot(*s) for s in job.slots]
        if slots_overlap_duty(slots, settings):
            raise WorkforceError(_("兼职时段与工作时间重叠，不能批准。"))
    else:
        if refusal not in SideJob.Refusal.values:
            raise WorkforceError(_("请选择不予批准的原因。"), field="refusal")
        if refusal == SideJob.Refusal.OTHER and not note.strip():
            raise WorkforceError(_("选择“其他原因”时须填写审批意见。"), field="note")
    with transaction.atomic():
        job.status = SideJob.Status.APPROVED if approve else SideJob.Status.REFUSED
        job.refusal = "" if approve else refusal
        job.decision_note = note.strip()
        job.decided_by = actor
        job.decided_at = timezone.now()
        job.save(update_fields=["status", "refusal", "decision_note", "decided_by", "decided_at"])
        if approve and job.renewal_of_id:
            SideJob.objects.filter(pk=job.renewal_of_id, status=SideJob.Status.APPROVED).update(
                status=SideJob.Status.EXPIRED
            )
        if approve:
            reason_words = job.decision_note
        elif job.decision_note:
            reason_words = _("%(reason)s：%(note)s") % {
                "reason": SideJob.Refusal(refusal).label,
                "note": job.decision_note,
            }
        else:
            reason_words = str(SideJob.Refusal(refusal).label)
        log(
            job.worker,
            actor,
            "side_job_approved" if approve else "side_job_refused",
            detail={"side_job": job.pk, "refusal": refusal},
            reason=reason_words,
        )
        notify(
            recipient=job.worker.user,
            event=Event.SIDE_JOB_DECIDED,
            context={
                "organisation": job.organisation,
                "outcome": _("同意") if approve else _("不同意"),
                "reason": reason_words,
                "url": reverse("workforce:me_side_job", args=[job.pk]),
            },
            dedupe_key=f"workforce:side-job-decided:{job.pk}",
        )
    return job


def expire(*, today: date | None = None) -> int:
    """Beat task: approved side jobs past their end date expire; those ending within 14 days
    are reminded once to renew."""
    today = today or timezone.localdate()
    expired = 0
    with transaction.atomic():
        for job in (
            SideJob.objects.select_for_update()
            .filter(status=SideJob.Status.APPROVED, ends_on__lt=today)
            .select_related("worker")
        ):
            job.status = SideJob.Status.EXPIRED
            job.save(update_fields=["status"])
            log(job.worker, None, "side_job_expired", detail={"side_job": job.pk})
            expired += 1
    soon = SideJob.objects.filter(
        status=SideJob.Status.APPROVED, ends_on__gte=today, ends_on__lte=today + timedelta(days=14)
    ).select_related("worker__user")
    for job in soon:
        with transaction.atomic():
            notify(
                recipient=job.worker.user,
                event=Event.SIDE_JOB_EXPIRING,
                context={
                    "organisation": job.organisation,
                    "ends_on": job.ends_on.isoformat(),
                    "url": reverse("workforce:me_side_job", args=[job.pk]),
                },
                dedupe_key=f"workforce:side-job-expiring:{job.pk}",
            )
    return expired
