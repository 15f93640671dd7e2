"""Annual assessment (年度考核) per unit and year, and the yearly grade job.

The 优秀 cap (a share of those assessed, rounded down) is enforced when results are saved
and again when the administrator confirms (a result could have been written by another
path, or the share lowered, in between)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.events import Event
from notifications.services import notify, notify_many
from portal import audit

from .. import grades
from ..models import Assessment, AssessmentRound, GradeChange, Outcome, Worker, WorkforceSettings
from .common import WorkforceError, log


def round_workers(unit, year: int):
    """Workers of the unit (its communities for a street office) on the books during `year`."""
    return (
        Worker.objects.filter(Q(unit=unit) | Q(unit__parent=unit))
        .filter(start_date__lte=date(year, 12, 31))
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=date(year, 12, 31)))
    )


def round_open(*, actor, unit, year: int) -> AssessmentRound:
    """Open the unit's assessment for `year` with one (blank) row per worker; idempotent."""
    settings = WorkforceSettings.current()
    with transaction.atomic():
        assessment_round, created = AssessmentRound.objects.get_or_create(
            unit=unit, year=year, defaults={"created_by": actor, "excellent_share": settings.excellent_share}
        )
        if assessment_round.status != AssessmentRound.Status.DRAFT:
            return assessment_round
        have = set(assessment_round.assessments.values_list("worker_id", flat=True))
        Assessment.objects.bulk_create(
            [
                Assessment(round=assessment_round, worker=w)
                for w in round_workers(unit, year).exclude(pk__in=have)
            ]
        )
    return assessment_round


def cap_of(assessment_round: AssessmentRound, assessed: int) -> int:
    return grades.excellent_cap(assessed, assessment_round.excellent_share)


def _check_cap(assessment_round: AssessmentRound, outcomes: dict[int, str]) -> None:
    assessed = len(outcomes)
    excellent = sum(1 for outcome in outcomes.values() if outcome == Outcome.EXCELLENT)
    allowed = cap_of(assessment_round, assessed)
    if excellent > allowed:
        raise WorkforceError(
            _(
                "优秀等次不得超过参加考核人数的%(share)s%%（向下取整）：本单位%(assessed)s人参加考核，"
                "最多%(allowed)s人评为优秀，现评定%(excellent)s人。"
            )
            % {
                "share": int(assessment_round.excellent_share * 100),
                "assessed": assessed,
                "allowed": allowed,
                "excellent": excellent,
            },
            field="outcome",
        )


def results_save(
    *, actor, assessment_round: AssessmentRound, outcomes: dict[int, str], comments=None
) -> None:
    """Save the outcomes {assessment id: outcome or ""} of a round still being assessed.
    Refused whole (nothing saved) when 优秀 passes the cap."""
    if assessment_round.status != AssessmentRound.Status.DRAFT:
        raise WorkforceError(_("考核结果已提交，不能再修改。"))
    comments = comments or {}
    with transaction.atomic():
        rows = {a.pk: a for a in assessment_round.assessments.select_for_update().select_related("worker")}
        for pk, outcome in outcomes.items():
            if pk not in rows:
                raise WorkforceError(_("考核名单中没有该人员。"))
            if outcome and outcome not in Outcome.values:
                raise WorkforceError(_("考核等次无效。"), field="outcome")
        merged = {pk: outcomes.get(pk, row.outcome) for pk, row in rows.items()}
        _check_cap(assessment_round, merged)
        changed = []
        for pk, row in rows.items():
            new = merged[pk]
            comment = comments.get(pk, row.comment)
            if new != row.outcome or comment != row.comment:
                row.outcome, row.comment = new, comment
                changed.append(row)
                log(
                    row.worker,
                    actor,
                    "assessment_entered",
                    detail={"year": assessment_round.year, "outcome": new},
                )
        Assessment.objects.bulk_update(changed, ["outcome", "comment"])


def _administrators():
    from django.contrib.auth import get_user_model

    from accounts.roles import Role

    return list(get_user_model().objects.filter(groups__name=Role.ADMINISTRATOR, is_active=True).distinct())


def _managers_of_round(assessment_round: AssessmentRound):
    """The unit managers of the round's unit (a street office) and of its communities."""
    from ..models import UnitManagerAssignment

    unit_id = assessment_round.unit_id
    return list(
        {
            a.manager
            for a in UnitManagerAssignment.objects.filter(
                Q(unit_id=unit_id) | Q(unit__parent_id=unit_id), manager__is_active=True
            ).select_related("manager")
        }
    )


def round_submit(*, actor, assessment_round: AssessmentRound) -> AssessmentRound:
    with transaction.atomic():
        # The round's row is the lock: two submissions (or a submission and a return) one
        # after the other, the second sees the first's status.
        assessment_round.status = (
            AssessmentRound.objects.select_for_update()
            .values_list("status", flat=True)
            .get(pk=assessment_round.pk)
        )
        if assessment_round.status != AssessmentRound.Status.DRAFT:
            raise WorkforceError(_("考核结果已提交。"))
        rows = list(assessment_round.assessments.select_for_update())
        if not rows:
            raise WorkforceError(_("考核名单为空。"))
        if any(not row.outcome for row in rows):
            raise WorkforceError(_("还有人员未评定考核等次。"), field="outcome")
        _check_cap(assessment_round, {row.pk: row.outcome for row in rows})
        assessment_round.status = AssessmentRound.Status.SUBMITTED
        assessment_round.submitted_at = timezone.now()
        assessment_round.save(update_fields=["status", "submitted_at"])
        audit.record(actor, assessment_round, audit.CHANGE, fields=["status"], note="submitted")
        admins = _administrators()
        if admins:
            notify_many(
                recipients=admins,
                event=Event.ASSESSMENT_SUBMITTED,
                context={
                    "unit_name": assessment_round.unit.name,
                    "year": assessment_round.year,
                    "url": reverse("workforce:assessment", args=[assessment_round.pk]),
                },
                dedupe_prefix=f"workforce:round-submitted:{assessment_round.pk}:{assessment_round.submitted_at.timestamp():.0f}",
            )
    return assessment_round


def round_return(*, actor, assessment_round: AssessmentRound, reason: str) -> AssessmentRound:
    """The administrator sends a submitted round back to the unit manager."""
    if not reason.strip():
        raise WorkforceError(_("退回须填写原因。"), field="reason")
    with transaction.atomic():
        assessment_round.status = (
            AssessmentRound.objects.select_for_update()
            .values_list("status", flat=True)
            .get(pk=assessment_round.pk)
        )
        if assessment_round.status != AssessmentRound.Status.SUBMITTED:
            raise WorkforceError(_("只有待确认的考核可以退回。"))
        assessment_round.status = AssessmentRound.Status.DRAFT
        assessment_round.save(update_fields=["status"])
        audit.record(actor, assessment_round, audit.CHANGE, fields=["status"], note=f"returned: {reason}")
        managers = _managers_of_round(assessment_round)
        if managers:
            notify_many(
                recipients=managers,
                event=Event.ASSESSMENT_RETURNED,
                context={
                    "unit_name": assessment_round.unit.name,
                    "year": assessment_round.year,
                    "reason": reason.strip(),
                    "url": reverse("workforce:assessment", args=[assessment_round.pk]),
                },
                dedupe_prefix=f"workforce:round-returned:{assessment_round.pk}:{timezone.now().timestamp():.0f}",
            )
    return assessment_round


def round_confirm(*, actor, assessment_round: AssessmentRound) -> AssessmentRound:
    """The administrator confirms: the cap is checked again, each worker is told, and the
    grade job picks the year up."""
    settings = WorkforceSettings.current()
    with transaction.atomic():
        locked = AssessmentRound.objects.select_for_update().get(pk=assessment_round.pk)
        if locked.status != AssessmentRound.Status.SUBMITTED:
            raise WorkforceError(_("只有待确认的考核可以确认。"))
        rows = list(locked.assessments.select_related("worker__user"))
        if any(not row.outcome for row in rows):
            raise WorkforceError(_("还有人员未评定考核等次。"))
        _check_cap(locked, {row.pk: row.outcome for row in rows})
        locked.status = AssessmentRound.Status.CONFIRMED
        locked.confirmed_by = actor
        locked.confirmed_at = timezone.now()
        locked.save(update_fields=["status", "confirmed_by", "confirmed_at"])
        audit.record(actor, locked, audit.CHANGE, fields=["status", "confirmed_at"], note="confirmed")
        for row in rows:
            log(
                row.worker,
                actor,
                "assessment_confirmed",
                detail={"year": locked.year, "outcome": row.outcome},
            )
            notify(
                recipient=row.worker.user,
                event=Event.ASSESSMENT_CONFIRMED,
                context={
                    "year": locked.year,
                    "outcome": settings.outcome_label(row.outcome),
                    "url": reverse("workforce:me"),
                },
                dedupe_key=f"workforce:assessment:{row.pk}",
            )
    return locked


# --- the yearly grade job ----------------------------------------------------------------------


def confirmed_outcomes(worker_ids) -> dict[int, dict[int, str]]:
    result: dict[int, dict[int, str]] = {}
    rows = Assessment.objects.filter(
        worker_id__in=list(worker_ids), round__status=AssessmentRound.Status.CONFIRMED
    ).values_list("worker_id", "round__year", "outcome")
    for worker_id, year, outcome in rows:
        result.setdefault(worker_id, {})[year] = outcome
    return result


def apply_grades(*, today: date | None = None, actor=None) -> int:
    """Replay every worker's career from the confirmed assessments and store the steps not
    yet stored (effective on or before the next 1 January). Idempotent: a step is unique per
    worker and year, so a second run adds nothing. Returns how many steps were added."""
    settings = WorkforceSettings.current()
    rules = settings.grade_rules()
    today = today or timezone.localdate()
    horizon = date(today.year + 1, 1, 1)
    workers = list(Worker.objects.exclude(status=Worker.Status.LEFT).select_related("user"))
    outcomes = confirmed_outcomes([w.pk for w in workers])
    stored = set(GradeChange.objects.filter(worker__in=workers).values_list("worker_id", "year"))
    added = 0
    for worker in workers:
        career = grades.career(
            post=worker.post,
            education=worker.education,
            start=worker.start_date,
            assessments=outcomes.get(worker.pk, {}),
            rules=rules,
        )
        high = rules.ranges[worker.post][1]
        for change in career.changes[1:]:
            if change.effective > horizon or (worker.pk, change.year) in stored:
                continue
            with transaction.atomic():
                current = Worker.objects.select_for_update().get(pk=worker.pk)
                if current.grade >= high:  # an imported grade may already be at the top
                    continue
                _obj, created = GradeChange.objects.get_or_create(
                    worker=current,
                    year=change.year,
                    defaults={
                        "kind": change.kind,
                        "effective": change.effective,
                        "grade_from": current.grade,
                        "grade_to": current.grade + 1,
                    },
                )
                if not created:
                    continue
                current.grade += 1
                current.save(update_fields=["grade"])
                log(
                    current,
                    actor,
                    "grade_changed",
                    detail={
                        "from": current.grade - 1,
                        "to": current.grade,
                        "year": change.year,
                        "kind": change.kind,
                    },
                )
                notify(
                    recipient=worker.user,
                    event=Event.GRADE_CHANGED,
                    context={
                        "grade_from": current.grade - 1,
                        "grade_to": current.grade,
                        "effective": change.effective.isoformat(),
                        "url": reverse("workforce:me"),
                    },
                    dedupe_key=f"workforce:grade:{worker.pk}:{change.year}",
                )
                added += 1
    AssessmentRound.objects.filter(
        status=AssessmentRound.Status.CONFIRMED, grades_applied_at__isnull=True
    ).update(grades_applied_at=timezone.now())
    return added
