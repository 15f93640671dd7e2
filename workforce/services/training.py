"""Training (岗前培训 / 在岗培训): programmes, sessions, enrolment, check-in, results and the
hours each worker has against the city's requirement per period."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.events import Event
from notifications.services import notify_many

from ..models import (
    Enrolment,
    TrainingAttendance,
    TrainingProgramme,
    TrainingSession,
    Worker,
    WorkforceSettings,
)
from .common import WorkforceError, log


def enrol_new_hire(worker: Worker) -> int:
    """A new worker joins every onboarding programme marked for new hires (in the caller's
    transaction) and is told when its first session is."""
    count = 0
    for programme in TrainingProgramme.objects.filter(auto_enrol_new_hires=True):
        _enrolment, created = Enrolment.objects.get_or_create(programme=programme, worker=worker)
        if created:
            count += 1
            _tell_enrolled(programme, [worker])
    return count


def _tell_enrolled(programme: TrainingProgramme, workers) -> None:
    first = programme.sessions.order_by("starts_at").first()
    if first is None:
        return
    notify_many(
        recipients=[w.user for w in workers],
        event=Event.TRAINING_SCHEDULED,
        context={
            "programme_name": programme.name,
            "starts_at": timezone.localtime(first.starts_at).strftime("%Y-%m-%d %H:%M"),
            "venue": first.place,
            "url": reverse("workforce:me_training"),
        },
        dedupe_prefix=f"workforce:training:{programme.pk}",
    )


def programme_create(
    *, actor, name: str, kind: str, description: str = "", auto_enrol: bool = False, pass_score=None
):
    with transaction.atomic():
        programme = TrainingProgramme.objects.create(
            name=name,
            kind=kind,
            description=description,
            auto_enrol_new_hires=auto_enrol,
            pass_score=pass_score,
            created_by=actor,
        )
    return programme


def session_add(
    *, actor, programme: TrainingProgramme, title: str, starts_at, hours, place: str, teacher: str = ""
):
    with transaction.atomic():
        return TrainingSession.objects.create(
            programme=programme, title=title, starts_at=starts_at, hours=hours, place=place, teacher=teacher
        )


def enrol(*, actor, programme: TrainingProgramme, workers) -> int:
    """Enrol workers (already enrolled ones are skipped); they are told of the first session."""
    workers = [w for w in workers if w.status != Worker.Status.LEFT]
    with transaction.atomic():
        have = set(Enrolment.objects.filter(programme=programme).values_list("worker_id", flat=True))
        new = [w for w in workers if w.pk not in have]
        Enrolment.objects.bulk_create(
            [Enrolment(programme=programme, worker=w) for w in new], ignore_conflicts=True
        )
        for worker in new:
            log(worker, actor, "training_enrolled", detail={"programme": programme.pk})
        _tell_enrolled(programme, new)
    return len(new)


def check_in(*, actor, session: TrainingSession, worker: Worker) -> tuple[TrainingAttendance, bool]:
    """Record attendance (once). Only enrolled workers are admitted."""
    if not Enrolment.objects.filter(programme_id=session.programme_id, worker=worker).exists():
        raise WorkforceError(_("%(name)s未报名该培训。") % {"name": worker.name}, field="worker")
    try:
        with transaction.atomic():
            attendance = TrainingAttendance.objects.create(
                session=session, worker=worker, checked_in_at=timezone.now(), checked_by=actor
            )
            log(worker, actor, "training_checked_in", detail={"session": session.pk})
            return attendance, True
    except IntegrityError:
        return TrainingAttendance.objects.get(session=session, worker=worker), False


def result_set(*, actor, enrolment: Enrolment, passed: bool, score=None) -> Enrolment:
    """Record the result; a pass gets a certificate number (for the certificate PDF)."""
    programme = enrolment.programme
    if score is not None and programme.pass_score is not None:
        passed = Decimal(score) >= programme.pass_score
    with transaction.atomic():
        enrolment.result = Enrolment.Result.PASSED if passed else Enrolment.Result.FAILED
        enrolment.score = score
        if passed and not enrolment.certificate_number:
            enrolment.certificate_number = f"PX{programme.pk:04d}-{enrolment.pk:06d}"
        enrolment.save(update_fields=["result", "score", "certificate_number"])
        log(
            enrolment.worker,
            actor,
            "training_result",
            detail={"programme": programme.pk, "result": enrolment.result, "score": score or ""},
        )
    return enrolment


# --- hours against the requirement -------------------------------------------------------------


def period_bounds(settings: WorkforceSettings, today: date) -> tuple[date, date]:
    """Periods of `training_period_years` calendar years counted from 2020 (2020–2021,
    2022–2023, … for 2 years)."""
    years = settings.training_period_years
    first = 2020 + ((today.year - 2020) // years) * years
    return date(first, 1, 1), date(first + years - 1, 12, 31)


def hours_by_worker(worker_ids, start: date, end: date) -> dict[int, Decimal]:
    rows = (
        TrainingAttendance.objects.filter(
            worker_id__in=list(worker_ids),
            session__starts_at__date__gte=start,
            session__starts_at__date__lte=end,
        )
        .values("worker_id")
        .annotate(total=Sum("session__hours"))
    )
    return {row["worker_id"]: row["total"] or Decimal("0") for row in rows}


def remind_behind(*, today: date | None = None) -> int:
    """Beat task: remind workers on duty whose hours this period are below the requirement.
    Sent at most once a month per worker (dedupe key by month)."""
    settings = WorkforceSettings.current()
    today = today or timezone.localdate()
    start, end = period_bounds(settings, today)
    required = settings.training_hours_required
    workers = list(Worker.objects.exclude(status=Worker.Status.LEFT).select_related("user"))
    hours = hours_by_worker([w.pk for w in workers], start, end)
    behind = {}
    for worker in workers:
        done = hours.get(worker.pk, Decimal("0"))
        if done < required:
            behind.setdefault(done, []).append(worker.user)
    sent = 0
    for done, users in behind.items():
        with transaction.atomic():
            sent += notify_many(
                recipients=users,
                event=Event.TRAINING_BEHIND,
                context={
                    "hours": str(done),
                    "required": str(required),
                    "period_end": end.isoformat(),
                    "url": reverse("workforce:me_training"),
                },
                dedupe_prefix=f"workforce:training-behind:{today:%Y-%m}",
            )
    return sent
