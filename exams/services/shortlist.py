"""The interview shortlist (进入面试人员名单): computed per position by exams.scoring.shortlist
in a background job, published and notified, attendance confirmed by a deadline, the
document re-check (资格复审), giving up (the applicant's declaration confirmed by SMS code,
or a signed paper uploaded by staff), disqualification (取消资格, at any stage), and the
backfill round (递补, exams.scoring.shortlist_backfill) every vacated place runs.

Rules:
- Nothing here computes a score or a rank: exams.scoring does, through exams.rules.rules_for
  and exams.selectors.shortlist.written_inputs.
- Before publication the job may run again (after a score correction): the same inputs give
  the same list, stages are moved to match (SHORTLISTED / NOT_SHORTLISTED). After
  publication the list only grows: backfill rounds and a correction that wronged a
  candidate add people; nobody already notified is removed by a recomputation.
- Leaving (gave up → DECLINED, re-check failed → FAILED_CHECK, disqualified → DISQUALIFIED)
  before the interview vacates the place, and the position's backfill round runs in the
  same transaction (until the backfill deadline and the round limit of the settings).
- Every change: one transaction with its audit record(s) and notifications.

This module keeps the job and the publication (and the corrections hook); leaving the list
(attendance, giving up, re-check, disqualification, the deadline sweep) is in
exams.services.shortlist_leaving, the backfill round and the notices in
exams.services.shortlist_backfill. Both are re-exported here: callers import this module.
"""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applicants.models import Application, Stage
from applicants.services import record_text
from applicants.transitions import transition_many
from portal import audit, jobs
from portal.models import BackgroundJob
from recruitment.models import Position

from .. import scoring
from ..models_shortlist import Shortlist, ShortlistCut, ShortlistEntry, ShortlistRound
from ..models_written import WrittenResults
from ..selectors import shortlist as selectors

# Re-exported: callers (views, tasks, the demo, tests) import every name of the shortlist
# services from this module.
from .shortlist_backfill import (  # noqa: F401 - re-exported, see above
    State,
    _check_staff,
    _local,
    _notify_entries,
    backfill_problems,
    backfill_round,
)
from .shortlist_leaving import (  # noqa: F401 - re-exported, see above
    DISQUALIFY_FROM,
    GIVE_UP_PURPOSE,
    LEAVE_STAGE,
    UNCONFIRMED,
    _check_admin,
    _leave,
    _lock_in,
    _notify_application,
    _notify_one,
    confirm_attendance,
    disqualify,
    give_up_confirm,
    give_up_signed,
    give_up_start,
    give_up_text,
    recheck_record,
    unconfirmed_sweep,
)

logger = logging.getLogger(__name__)

JOB_KIND = "exam_shortlist"
JOB_LABEL = gettext_lazy("生成面试入围名单")


def register() -> None:
    """Called from exams.apps.ExamsConfig.ready: the job kind and the applicant's panel."""
    from applicants.panels import register_panel

    from ..panels_shortlist import shortlist_panel
    from ..tasks_shortlist import compute_shortlist

    jobs.register_kind(JOB_KIND, label=JOB_LABEL, task=compute_shortlist)
    register_panel("exams.shortlist", render=shortlist_panel, order=30)


def _my_url(application_id: int) -> str:
    return reverse("exams:shortlist_mine", args=[application_id])


# ------------------------------------------------------------------ the job


def compute_problems(announcement) -> list[str]:
    """Why the shortlist cannot be computed now (empty: it can)."""
    results = WrittenResults.objects.filter(announcement_id=announcement.pk).first()
    problems = []
    if results is None or not results.published_at:
        problems.append(_("笔试成绩尚未发布。"))
    elif results.stale:
        problems.append(_("笔试成绩有更正，请先在笔试成绩页面重新计算。"))
    shortlist = selectors.shortlist_of(announcement)
    if shortlist is not None and shortlist.published_at:
        problems.append(_("入围名单已公布，不能重新生成；人员变动通过递补办理。"))
    return problems


def compute_job_create(*, announcement, actor) -> BackgroundJob:
    """Start the shortlist job of `announcement`. Raises PermissionDenied (not staff),
    ValidationError (see compute_problems; a job already running)."""
    _check_staff(actor, announcement.pk)
    problems = compute_problems(announcement)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        Shortlist.objects.get_or_create(announcement=announcement)
        Shortlist.objects.select_for_update().get(announcement=announcement)
        running = BackgroundJob.objects.filter(
            kind=JOB_KIND,
            announcement_id=announcement.pk,
            status__in=[BackgroundJob.Status.PENDING, BackgroundJob.Status.RUNNING],
        ).first()
        if running is not None:
            return running
        job = BackgroundJob.objects.create(
            kind=JOB_KIND,
            created_by=actor,
            announcement_id=announcement.pk,
            total=Position.objects.filter(announcement=announcement).count(),
        )
        jobs.start_on_commit(job)
    return job


def compute_run(job: BackgroundJob) -> BackgroundJob:
    """Compute every position's shortlist (one transaction per position). Safe to run again:
    each position's list is replaced by the same list (same inputs, same keys) and the stages
    are moved to match; a published list is never recomputed."""
    if not jobs.claim(job):
        return job
    actor = job.created_by
    try:
        from recruitment.models import Announcement

        announcement = Announcement.objects.get(pk=job.announcement_id)
        shortlist = Shortlist.objects.get(announcement=announcement)
        if shortlist.published_at:
            return jobs.finish(job, params={**job.params, "skipped": "published"})
        positions = list(Position.objects.filter(announcement=announcement).order_by("code", "pk"))
        inputs = selectors.written_inputs(announcement, positions)
        BackgroundJob.objects.filter(pk=job.pk).update(total=len(positions), done=0)
        job.refresh_from_db(fields=["total", "done"])
        counts = {"shortlisted": 0, "not_shortlisted": 0}
        for position in positions:
            with transaction.atomic():
                locked = Shortlist.objects.select_for_update().get(pk=shortlist.pk)
                if locked.published_at:
                    raise ValidationError(_("入围名单已公布。"))
                entered, left = _compute_position(locked, position, inputs[position.pk], actor=actor)
                counts["shortlisted"] += entered
                counts["not_shortlisted"] += left
                jobs.add_done(job, 1)
        with transaction.atomic():
            results = WrittenResults.objects.filter(announcement=announcement).first()
            Shortlist.objects.filter(pk=shortlist.pk).update(
                computed_at=timezone.now(),
                computed_by=actor,
                results_version=results.version if results else 0,
            )
            audit.record(actor, shortlist, audit.CHANGE, fields=["computed_at"])
        return jobs.finish(job, params={**job.params, **counts})
    except jobs.JobLost:
        job.refresh_from_db()
        return job
    except ValidationError as error:
        jobs.fail(job, ValidationError("；".join(error.messages)))
        return job
    except Exception as error:
        jobs.fail(job, error)
        raise


def _compute_position(shortlist: Shortlist, position: Position, inputs, *, actor) -> tuple[int, int]:
    """Replace one position's list before publication; returns (shortlisted, not shortlisted)."""
    candidates = inputs.candidates
    sat = [c for c in candidates if c.written is not None]
    keys: tuple[str, ...] = ()
    target = 0
    if position.quota >= 1 and position.status != Position.Status.CANCELLED:
        target = scoring.shortlist_target(position.quota, inputs.rules)
        keys = scoring.shortlist(candidates, inputs.rules, position.quota, inputs.line)
    totals = {c.key: scoring.written_total(c, inputs.rules) for c in sat}
    chosen = [int(k) for k in keys]
    others = [int(c.key) for c in sat if c.key not in set(keys)]
    entries = ShortlistEntry.objects.filter(shortlist=shortlist, position=position)
    # Those who already left (disqualified before publication…) keep their entry and stage;
    # everyone else is recomputed from scratch, backfill rounds included (run again below).
    left = set(entries.filter(state__in=ShortlistEntry.OUT).values_list("application_id", flat=True))
    entries.exclude(application_id__in=chosen).exclude(state__in=ShortlistEntry.OUT).delete()
    entries.filter(application_id__in=chosen, round__gt=0).exclude(state__in=ShortlistEntry.OUT).update(
        round=0, state=State.SHORTLISTED, reason=""
    )
    ShortlistRound.objects.filter(position=position).delete()  # refilled_in falls back to NULL
    existing = set(
        ShortlistEntry.objects.filter(shortlist=shortlist, position=position).values_list(
            "application_id", flat=True
        )
    )
    ShortlistEntry.objects.bulk_create(
        [
            ShortlistEntry(
                shortlist=shortlist,
                application_id=pk,
                position=position,
                round=0,
                state=State.SHORTLISTED,
                written_total=totals[str(pk)],
            )
            for pk in chosen
            if pk not in existing
        ]
    )
    for pk in existing:
        ShortlistEntry.objects.filter(shortlist=shortlist, application_id=pk).update(
            written_total=totals[str(pk)]
        )
    qualified = sum(1 for c in sat if scoring.qualifies(c, inputs.rules, inputs.line))
    ShortlistCut.objects.update_or_create(
        position=position,
        defaults={
            "shortlist": shortlist,
            "line": inputs.line,
            "target": target,
            "cut": min((totals[k] for k in keys), default=None),
            "qualified": qualified,
            "entered": len(keys),
        },
    )
    reason = record_text(gettext_lazy("面试入围名单"))
    transition_many(
        chosen,
        to_stage=Stage.SHORTLISTED,
        actor=actor,
        from_stages=[Stage.WRITTEN_SCORED, Stage.NOT_SHORTLISTED],
        reason=reason,
    )
    transition_many(
        others,
        to_stage=Stage.NOT_SHORTLISTED,
        actor=actor,
        from_stages=[Stage.WRITTEN_SCORED, Stage.SHORTLISTED],
        reason=reason,
    )
    if left:
        backfill_round(shortlist=shortlist, position=position, actor=actor)
    return len(chosen), len(others)


# ------------------------------------------------------------------ publication


def publish(*, shortlist: Shortlist, actor, now=None) -> Shortlist:
    """Publish the computed list and tell each shortlisted candidate once (dedupe keys).
    Raises PermissionDenied (not staff), ValidationError (not computed; computed from scores
    since corrected)."""
    _check_staff(actor, shortlist.announcement_id)
    now = now or timezone.now()
    with transaction.atomic():
        locked = Shortlist.objects.select_for_update().select_related("announcement").get(pk=shortlist.pk)
        if locked.computed_at is None:
            raise ValidationError(_("请先生成入围名单。"))
        results = WrittenResults.objects.filter(announcement_id=locked.announcement_id).first()
        if locked.published_at is None and results is not None and results.version != locked.results_version:
            raise ValidationError(_("生成名单后笔试成绩有更正，请重新生成入围名单后再公布。"))
        if locked.published_at is None:
            locked.published_at = now
            locked.published_by = actor
            locked.save(update_fields=["published_at", "published_by"])
            audit.record(actor, locked, audit.CHANGE, fields=["published_at"])
        _notify_entries(locked, ShortlistEntry.objects.filter(shortlist=locked, notified_at__isnull=True))
    return locked


# ------------------------------------------------------------------ written score corrections


def on_score_corrected(*, announcement_id: int, application_id: int, actor) -> list[int]:
    """Called by exams.services.written.written_score_correct inside its transaction (issue 16
    item 6). Before publication: nothing (the list is to be generated again; publish refuses a
    stale one). After: the corrected candidate's written total is updated on their entry, and
    anyone the corrected scores now put on the position's list who is not on it (the wronged
    candidate) is added (ADDED_BY_CORRECTION) and told; nobody is removed. Returns the ids added."""
    shortlist = (
        Shortlist.objects.select_related("announcement").filter(announcement_id=announcement_id).first()
    )
    if shortlist is None or shortlist.published_at is None:
        return []
    application = Application.objects.select_related("position").get(pk=application_id)
    position = application.position
    inputs = selectors.written_inputs(shortlist.announcement, [position])[position.pk]
    totals = {
        c.key: scoring.written_total(c, inputs.rules) for c in inputs.candidates if c.written is not None
    }
    entry = ShortlistEntry.objects.filter(application_id=application_id).first()
    if entry is not None and str(application_id) in totals:
        ShortlistEntry.objects.filter(pk=entry.pk).update(written_total=totals[str(application_id)])
    if position.quota < 1 or position.status == Position.Status.CANCELLED:
        return []
    keys = scoring.shortlist(inputs.candidates, inputs.rules, position.quota, inputs.line)
    listed = set(ShortlistEntry.objects.filter(position=position).values_list("application_id", flat=True))
    wronged = [int(k) for k in keys if int(k) not in listed]
    if not wronged:
        return []
    moved = transition_many(
        wronged,
        to_stage=Stage.SHORTLISTED,
        actor=actor,
        from_stages=[Stage.NOT_SHORTLISTED, Stage.WRITTEN_SCORED],
        reason=record_text(gettext_lazy("笔试成绩更正后补入面试名单")),
    )
    created = ShortlistEntry.objects.bulk_create(
        [
            ShortlistEntry(
                shortlist=shortlist,
                application_id=pk,
                position=position,
                round=0,
                state=State.ADDED_BY_CORRECTION,
                written_total=totals[str(pk)],
                reason=record_text(gettext_lazy("笔试成绩更正后补入")),
            )
            for pk in moved
        ]
    )
    for item in created:
        audit.record(actor, item, audit.ADDITION, note=item.reason)
    _notify_entries(shortlist, ShortlistEntry.objects.filter(pk__in=[e.pk for e in created]))
    return moved


__all__ = [
    "JOB_KIND",
    "backfill_round",
    "compute_job_create",
    "compute_run",
    "confirm_attendance",
    "disqualify",
    "give_up_confirm",
    "give_up_signed",
    "give_up_start",
    "on_score_corrected",
    "publish",
    "recheck_record",
    "unconfirmed_sweep",
]
