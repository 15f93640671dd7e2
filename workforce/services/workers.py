"""Worker records: created by a confirmed hire (hiring.signals.hire_confirmed) or imported;
probation set at creation and reviewed before it ends."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.events import Event
from notifications.services import notify
from recruitment.units import Unit, unit_get_or_create

from .. import grades, probation
from ..models import GradeChange, Post, Worker, WorkforceSettings
from .common import WorkforceError, join_worker_group, log

logger = logging.getLogger(__name__)


def education_from_snapshot(snapshot: dict | None) -> int | None:
    levels = [int(item["level"]) for item in (snapshot or {}).get("education", []) if item.get("level")]
    return max(levels) if levels else None


@dataclass(frozen=True)
class NewWorker:
    user: object
    name: str
    unit: Unit
    start_date: date
    contract_years: Decimal
    post: str = Post.OTHER
    education: int | None = None
    probation_months: int | None = None  # None: the legal maximum for the term
    grade: int | None = None  # None: the entry grade the rules give
    id_number: str = ""
    application: object = None
    source: str = Worker.Source.HIRE
    contract_end: date | None = None  # None: start + term (an import may give a renewed contract's end)


def _probation(contract_years, months) -> int:
    try:
        return probation.check_probation(contract_years, months)
    except probation.ProbationTooLong as refused:
        raise WorkforceError(
            _("试用期不得超过劳动合同法规定的上限：合同期限%(years)s年，试用期最长%(limit)s个月。")
            % {"years": contract_years, "limit": refused.limit},
            field="probation_months",
        ) from refused


def worker_create(*, actor, data: NewWorker, settings: WorkforceSettings | None = None) -> Worker:
    """Create one worker with the entry grade, probation and audit row (inside a transaction)."""
    settings = settings or WorkforceSettings.current()
    rules = settings.grade_rules()
    months = _probation(data.contract_years, data.probation_months)
    low, high = rules.ranges[data.post]
    if data.grade is None:
        grade, _counted = grades.entry(data.post, data.education, rules)
    else:
        grade = data.grade
        if not low <= grade <= high:
            raise WorkforceError(
                _("%(post)s的等级范围是%(low)s至%(high)s级。")
                % {"post": Post(data.post).label, "low": low, "high": high},
                field="grade",
            )
    probation_ends = probation.probation_end(data.start_date, months)
    contract_end = data.contract_end or probation.contract_end(data.start_date, data.contract_years)
    if contract_end <= data.start_date:
        raise WorkforceError(_("合同到期日须晚于入职日期。"), field="contract_end")
    # An imported worker whose probation ended before the import is on duty; a hire always
    # goes through the probation review.
    on_probation = bool(months) and not (
        data.source == Worker.Source.IMPORT and probation_ends < timezone.localdate()
    )
    with transaction.atomic():
        worker = Worker.objects.create(
            user=data.user,
            application=data.application,
            source=data.source,
            name=data.name,
            id_number=data.id_number,
            unit=data.unit,
            post=data.post,
            education=data.education,
            grade=grade,
            start_date=data.start_date,
            contract_years=data.contract_years,
            contract_end=contract_end,
            probation_months=months,
            probation_ends=probation_ends,
            status=Worker.Status.PROBATION if on_probation else Worker.Status.ON_DUTY,
        )
        GradeChange.objects.create(
            worker=worker, kind=GradeChange.Kind.ENTRY, effective=data.start_date, grade_to=grade
        )
        log(
            worker,
            actor,
            "created",
            detail={"source": data.source, "grade": grade, "probation_months": months, "unit": data.unit.pk},
        )
        join_worker_group(data.user)
        from .training import enrol_new_hire

        enrol_new_hire(worker)
    return worker


def worker_create_from_hire(hire) -> Worker | None:
    """The worker record of a confirmed hire; idempotent (one worker per application)."""
    existing = Worker.objects.filter(application_id=hire.application_id).first()
    if existing is not None:
        return existing
    application = hire.application
    position = hire.position
    unit = position.unit or unit_get_or_create(position.district, position.street, position.community)
    if unit is None:
        logger.error("hire %s: position %s names no unit; no worker created", hire.pk, position.pk)
        return None
    snapshot = application.snapshot or {}
    data = NewWorker(
        user=application.applicant,
        name=snapshot.get("real_name")
        or getattr(application.applicant, "name", "")
        or str(application.applicant),
        unit=unit,
        start_date=hire.start_date,
        contract_years=Decimal(str(hire.contract_years)),
        education=education_from_snapshot(snapshot),
        id_number="",  # kept in the applicant's profile; not copied again
        application=application,
        source=Worker.Source.HIRE,
    )
    try:
        with transaction.atomic():
            return worker_create(actor=getattr(hire, "confirmed_by", None), data=data)
    except IntegrityError:
        # A second delivery of the signal (or the nightly catch-up) made it meanwhile.
        existing = Worker.objects.filter(application_id=hire.application_id).first()
        if existing is None:
            raise
        return existing


def on_hire_confirmed(sender, hire, **kwargs):
    """Receiver of hiring.signals.hire_confirmed (connected in WorkforceConfig.ready). It
    runs after the hire's commit: a failure is logged, never undoes the hire, and the
    nightly `sync_hires` makes the record then."""
    try:
        worker_create_from_hire(hire)
    except Exception:
        logger.exception("hire %s: worker record not created; the nightly catch-up retries", hire.pk)


def sync_hires() -> int:
    """Every confirmed hire without a worker record gets one (idempotent; nightly)."""
    from hiring.models import Hire

    made = 0
    for hire in Hire.objects.filter(application__worker__isnull=True).select_related(
        "application__applicant", "position__unit", "confirmed_by"
    ):
        if worker_create_from_hire(hire) is not None:
            made += 1
    return made


# --- probation -------------------------------------------------------------------------------


def probation_set(*, actor, worker: Worker, months: int, reason: str = "") -> Worker:
    """Shorten (or restore up to the legal maximum) a probation not yet reviewed."""
    months = _probation(worker.contract_years, months)
    with transaction.atomic():
        worker.status = Worker.objects.select_for_update().values_list("status", flat=True).get(pk=worker.pk)
        if worker.status != Worker.Status.PROBATION and worker.probation_months:
            raise WorkforceError(_("试用期已结束，不能再修改。"))
        before = worker.probation_months
        worker.probation_months = months
        worker.probation_ends = probation.probation_end(worker.start_date, months)
        if months == 0:
            worker.status = Worker.Status.ON_DUTY
        worker.save(update_fields=["probation_months", "probation_ends", "status"])
        log(worker, actor, "probation_set", detail={"from": before, "to": months}, reason=reason)
        if before != months:  # the worker is told, in the words of the person who changed it
            outcome = (
                _("试用期调整为%(months)s个月，至%(ends)s届满")
                % {"months": months, "ends": worker.probation_ends.isoformat()}
                if months
                else _("不再约定试用期，即日起转为在岗")
            )
            notify(
                recipient=worker.user,
                event=Event.PROBATION_DECIDED,
                context={"outcome": outcome, "reason": reason, "url": reverse("workforce:me")},
                dedupe_key=f"workforce:probation_set:{worker.pk}:{before}:{months}",
            )
    return worker


def probation_review(*, actor, worker: Worker, confirm: bool, reason: str = "") -> Worker:
    """Confirm the worker (转正) or end the appointment at the probation review. The status
    is read under the worker's row lock: of two reviews at once, the second is refused (and
    the worker is never told one outcome while the record holds the other)."""
    if not confirm and not reason.strip():
        raise WorkforceError(_("不予转正须填写原因。"), field="reason")
    today = timezone.localdate()
    with transaction.atomic():
        worker.status = Worker.objects.select_for_update().values_list("status", flat=True).get(pk=worker.pk)
        if worker.status != Worker.Status.PROBATION:
            raise WorkforceError(_("该人员不在试用期内。"))
        if confirm:
            worker.status = Worker.Status.ON_DUTY
            worker.save(update_fields=["status"])
        else:
            worker.status = Worker.Status.LEFT
            worker.left_on = today
            worker.save(update_fields=["status", "left_on"])
        log(worker, actor, "probation_confirmed" if confirm else "probation_ended", reason=reason)
        notify(
            recipient=worker.user,
            event=Event.PROBATION_DECIDED,
            context={
                "outcome": _("试用期满考核合格，予以转正") if confirm else _("试用期考核不合格，解除聘用"),
                "reason": reason,
                "url": reverse("workforce:me"),
            },
            dedupe_key=f"workforce:probation:{worker.pk}",
        )
    return worker
