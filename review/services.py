"""Eligibility decisions (资格审核): approve, reject, return for correction, bulk approval,
and the rejection-reason catalogue.

Every decision goes through applicants.transitions.transition with the version the
reviewer saw, so a decision made on an application that has changed since (another
reviewer, another tab, a resubmission) raises StaleApplication and overwrites nothing.
The applicant's notification is written in the same transaction.
"""

from __future__ import annotations

import contextlib
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from applicants.models import ApplicantProfile, Application, Stage
from applicants.notify import notify_applicant
from applicants.services import profile_lock_identity, profile_unlock_identity, record_text
from applicants.transitions import StaleApplication, transition
from portal import audit, jobs
from portal.models import BackgroundJob

from .models import RejectionReason, ReviewJob

BULK_BATCH_SIZE = 200

__all__ = [
    "StaleApplication",
    "application_approve",
    "application_reject",
    "application_reopen",
    "application_return",
    "bulk_approve_run",
    "rejection_reason_create",
    "rejection_reason_update",
]


def _sentence(text: str) -> str:
    """Words for a notification template that adds its own full stop."""
    return text.rstrip("。.；;，, \n")


def _context(application: Application, **context) -> dict:
    with contextlib.suppress(NoReverseMatch):
        context["url"] = reverse("applicants:application", args=[application.pk])
    return context


def _deadline(application: Application) -> str:
    return formats.date_format(timezone.localtime(application.announcement.review_deadline), "Y-m-d H:i")


class IdentityChanged(StaleApplication):
    """The profile's name or ID number is no longer what the application was submitted with."""

    message = _("报考人员的姓名或身份证号码与提交时不一致，不能审核通过；请退回修改，由其核对后重新提交。")


def _require_identity_as_submitted(application: Application) -> None:
    """Approval locks the profile's identity: it must be the identity the reviewer judged.
    The profile row is locked so the applicant cannot change it in between."""
    current = (
        ApplicantProfile.objects.select_for_update()
        .filter(user_id=application.applicant_id)
        .values_list("real_name", "id_number")
        .first()
    )
    snapshot = application.snapshot if isinstance(application.snapshot, dict) else {}
    if current is None or current != (snapshot.get("real_name"), snapshot.get("id_number")):
        raise IdentityChanged(IdentityChanged.message)


def application_approve(
    *, application: Application, actor, expected_version: int, require_passed: bool = False
) -> Application:
    """Approve an application awaiting review (审核通过)."""
    with transaction.atomic():
        # Bulk approval: only while the automatic check still says "passed".
        if (
            require_passed
            and not Application.objects.filter(pk=application.pk, eligibility_outcome="passed").exists()
        ):
            raise StaleApplication(StaleApplication.message)
        _require_identity_as_submitted(application)
        application = transition(
            application,
            to_stage=Stage.APPROVED,
            actor=actor,
            from_stages=[Stage.SUBMITTED],
            expected_version=expected_version,
            reason=record_text(_("资格审核通过")),
            reviewed_by=actor,
            decided_at=timezone.now(),
            rejection_reason=None,
            rejection_note="",
            return_instructions="",
        )
        profile_lock_identity(
            application.applicant.profile, actor=actor, note=f"application {application.pk} approved"
        )
        notify_applicant(application, "application_approved", **_context(application))
    return application


def application_reject(
    *, application: Application, actor, expected_version: int, reason: RejectionReason | None, note: str
) -> Application:
    """Reject (审核不通过): a reason from the catalogue plus words, both shown to the applicant."""
    note = (note or "").strip()
    errors = {}
    if reason is None or not reason.active:
        errors["reason"] = _("请选择不通过原因。")
    if not note:
        errors["note"] = _("请填写不通过的具体说明，报考人员会看到这段文字。")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        application = transition(
            application,
            to_stage=Stage.REJECTED,
            actor=actor,
            from_stages=[Stage.SUBMITTED],
            expected_version=expected_version,
            reason=f"{reason.label}：{note}",
            reviewed_by=actor,
            decided_at=timezone.now(),
            rejection_reason=reason,
            rejection_note=note,
            return_instructions="",
        )
        english = getattr(application.applicant, "language", "") == "en"
        label = (reason.label_en or reason.label) if english else reason.label
        separator = ": " if english else "："
        notify_applicant(
            application,
            "application_rejected",
            **_context(
                application,
                reason=_sentence(f"{label}{separator}{note}"),
                reason_code=reason.code,
                deadline=_deadline(application),
            ),
        )
    return application


def application_return(
    *, application: Application, actor, expected_version: int, instructions: str
) -> Application:
    """Return for correction (退回修改): what to fix is required and sent to the applicant."""
    instructions = (instructions or "").strip()
    if not instructions:
        raise ValidationError({"instructions": _("请写明需要修改的内容。")})
    with transaction.atomic():
        application = transition(
            application,
            to_stage=Stage.RETURNED,
            actor=actor,
            from_stages=[Stage.SUBMITTED],
            expected_version=expected_version,
            reason=instructions,
            reviewed_by=actor,
            decided_at=timezone.now(),
            return_instructions=instructions,
            rejection_reason=None,
            rejection_note="",
        )
        notify_applicant(
            application,
            "application_returned",
            fix_instructions=instructions,
            deadline=_deadline(application),
        )
    return application


# --- Reopening a decision made in error ------------------------------------------------------

REOPENABLE_STAGES = (Stage.APPROVED, Stage.REJECTED, Stage.RETURNED)


def can_reopen(application: Application, user, now=None) -> bool:
    """Whether `user` may reopen `application` now (the review page shows the form)."""
    now = now or timezone.now()
    return (
        user.has_role(Role.ADMINISTRATOR)
        and application.stage in REOPENABLE_STAGES
        and now < application.announcement.review_deadline
    )


def application_reopen(
    *, application: Application, actor, expected_version: int, reason: str, now=None
) -> Application:
    """Withdraw an eligibility decision made in error (approve, reject or return) and put the
    application back to awaiting review (待审核), with its place in the queue (submitted_at
    unchanged). The one exception to "stages only move forward": administrators only,
    before the announcement's review deadline, with a reason; audited (ApplicationEvent
    through applicants.transitions.transition, the reason in it) and notified
    (application_reopened, the reason as written). Withdrawing an approval unfreezes name and
    ID number unless another application of the applicant is still approved.

    `expected_version`: the version the administrator saw. Raises PermissionDenied (not an
    administrator), ValidationError (no reason, past the deadline, a stage that cannot be
    reopened: checked before anything is written) or StaleApplication (changed since)."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not actor.has_role(Role.ADMINISTRATOR):
        raise PermissionDenied
    if not reason:
        raise ValidationError({"reason": _("请写明撤销审核结论的原因，报考人员会看到这段文字。")})
    if now >= application.announcement.review_deadline:
        raise ValidationError(_("资格审核已截止，不能再撤销审核结论。"))
    if application.stage not in REOPENABLE_STAGES:
        raise ValidationError(_("只有审核通过、审核不通过或退回修改的报名可以撤销结论、重新审核。"))
    previous = application.stage
    with transaction.atomic():
        application = transition(
            application,
            to_stage=Stage.SUBMITTED,
            actor=actor,
            from_stages=REOPENABLE_STAGES,
            expected_version=expected_version,
            reason=record_text(_("撤销审核结论，重新审核。原因：%(reason)s"), reason=reason),
            reviewed_by=None,
            decided_at=None,
            rejection_reason=None,
            rejection_note="",
            return_instructions="",
        )
        if previous == Stage.APPROVED:
            profile = ApplicantProfile.objects.filter(user_id=application.applicant_id).first()
            if profile is not None:
                profile_unlock_identity(profile, actor=actor, note=f"application {application.pk} reopened")
        notify_applicant(
            application, "application_reopened", **_context(application, reason=_sentence(reason))
        )
    return application


# --- Bulk approval ---------------------------------------------------------------------------


def bulk_approve_job_create(*, actor, announcement, filters: dict, total: int, as_of) -> BackgroundJob:
    """Queue the approval the reviewer confirmed: `total` applications of `filters` that were
    awaiting review, fully passed, and submitted by `as_of` (when the count was shown)."""
    job = BackgroundJob.objects.create(
        kind=ReviewJob.BULK_APPROVE,
        created_by=actor,
        announcement_id=announcement.pk,
        params={"filters": filters, "submitted_by": as_of.isoformat()},
        total=total,
    )
    # After commit, and never an error page when the broker is down: the job waits for
    # portal.sweep_jobs and its page says so.
    jobs.start_on_commit(job)
    return job


def export_job_create(*, actor, announcement, filters: dict, total: int) -> BackgroundJob:
    """Queue an export of `total` applications of `filters` (a large one runs in Celery)."""
    job = BackgroundJob.objects.create(
        kind=ReviewJob.EXPORT,
        created_by=actor,
        announcement_id=announcement.pk if announcement else None,
        params={"filters": filters},
        total=total,
    )
    jobs.start_on_commit(job)
    return job


def bulk_approve_run(job: BackgroundJob) -> BackgroundJob:
    """Approve, in batches of BULK_BATCH_SIZE per transaction, what the job's reviewer
    confirmed and is still awaiting review. Safe to run twice or after a crash: one run
    claims the job (portal.jobs), what is already decided is no longer selected, and
    an application changed since is skipped."""
    from .selectors import bulk_approvable

    if not jobs.claim(job):
        return job
    actor = job.created_by
    filters = dict(job.params.get("filters") or {}, announcement=str(job.announcement_id))
    submitted_by = job.params.get("submitted_by")
    submitted_by = datetime.fromisoformat(submitted_by) if submitted_by else job.created_at
    skipped: set[int] = set()
    try:
        while True:
            batch = list(
                bulk_approvable(actor, filters, submitted_by=submitted_by)
                .exclude(pk__in=skipped)
                .select_related("applicant", "applicant__profile", "announcement", "position")[
                    :BULK_BATCH_SIZE
                ]
            )
            if not batch:
                break
            with transaction.atomic():
                approved = 0
                for application in batch:
                    try:
                        with transaction.atomic():
                            application_approve(
                                application=application,
                                actor=actor,
                                expected_version=application.version,
                                require_passed=True,
                            )
                        approved += 1
                    except StaleApplication:
                        skipped.add(application.pk)
                jobs.add_done(job, approved)  # JobLost rolls this batch back
        return jobs.finish(job, params={**job.params, "skipped": len(skipped)})
    except jobs.JobLost:  # another run holds the job now; it carries on from here
        job.refresh_from_db()
        return job
    except Exception as error:  # recorded for the progress page, then re-raised for the worker log
        jobs.fail(job, error)
        raise


# --- Rejection reason catalogue ----------------------------------------------------------------


def rejection_reason_create(
    *, actor, code: str, label: str, label_en: str, order: int = 100
) -> RejectionReason:
    reason = RejectionReason(code=code, label=label, label_en=label_en, order=order, active=True)
    reason.full_clean()
    with transaction.atomic():
        reason.save()
        audit.record(actor, reason, audit.ADDITION)
    return reason


def rejection_reason_update(*, actor, reason: RejectionReason, **fields) -> RejectionReason:
    """Edit wording, order or whether it is offered. A reason is never deleted: decisions
    already made keep pointing at it."""
    allowed = {"label", "label_en", "order", "active"}
    for name, value in fields.items():
        if name not in allowed:
            raise ValueError(name)
        setattr(reason, name, value)
    reason.full_clean()
    with transaction.atomic():
        reason.save(update_fields=list(fields) or None)
        audit.record(actor, reason, audit.CHANGE, fields=list(fields))
    return reason
