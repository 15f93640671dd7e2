"""Publication of a confirmed ranking (issue 17 item 7): the composite list per position and
each candidate's own result, as a portal.BackgroundJob (kind "exam_ranking_publish").

The administrator's click only records the job (`ranking_publish_job_create`); the job
(`ranking_publish_run`) marks the version published, then tells every ranked candidate their
composite and rank in batches of PUBLISH_BATCH_SIZE, one transaction each, with progress.
100,000 candidates take minutes: never in a web request.

One job per version: a second click (or a second administrator) while a job waits, runs or
has finished gets that job back. Idempotent: each message has the dedupe key
"ranking_published:<version>:<application>", so a rerun after a crash (a failed job started
again, or a dead worker's job claimed again by portal.jobs.sweep) tells only those not yet
told; nobody is told twice.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notifications.events import Event
from notifications.models import Notification
from notifications.services import notify
from portal import audit, jobs
from portal.models import BackgroundJob

from ..models_ranking import RankingRow, RankingVersion
from .ranking import _check_admin

PUBLISH_KIND = "exam_ranking_publish"
PUBLISH_LABEL = gettext_lazy("公布综合成绩并通知考生")
PUBLISH_BATCH_SIZE = 500


def register() -> None:
    """From exams.services.ranking.register (exams.apps.ExamsConfig.ready): the job kind."""
    from ..tasks_ranking import publish_ranking

    jobs.register_kind(PUBLISH_KIND, label=PUBLISH_LABEL, task=publish_ranking)


def dedupe_key(version_id: int, application_id: int) -> str:
    return f"ranking_published:{version_id}:{application_id}"


def publish_job_of(version: RankingVersion) -> BackgroundJob | None:
    """The latest publication job of `version` (any status), or None."""
    return (
        BackgroundJob.objects.filter(
            kind=PUBLISH_KIND, announcement_id=version.announcement_id, params__version=version.pk
        )
        .order_by("-pk")
        .first()
    )


def ranking_publish_job_create(*, version: RankingVersion, actor, start: bool = True) -> BackgroundJob:
    """Record the publication of the confirmed `version` as a job (administrators) and hand it
    to a worker after commit (`start` False: the caller runs it itself).

    Under the version's row lock: a publication job of this version that is waiting, running
    or done is returned instead of a second one; after a failed one a new job finishes the
    work. total = the ranked candidates to tell (the absent are not told).
    Raises PermissionDenied (not an administrator), ValidationError (not confirmed)."""
    _check_admin(actor)
    with transaction.atomic():
        fresh = RankingVersion.objects.select_for_update().get(pk=version.pk)
        if fresh.status != RankingVersion.Status.CONFIRMED:
            raise ValidationError(_("只能公布已确认的排名版本。"))
        latest = publish_job_of(fresh)
        if latest is not None and latest.status != BackgroundJob.Status.FAILED:
            return latest
        job = BackgroundJob.objects.create(
            kind=PUBLISH_KIND,
            created_by=actor,
            announcement_id=fresh.announcement_id,
            params={"version": fresh.pk},
            total=RankingRow.objects.filter(version=fresh, absent=False).count(),
        )
        audit.record(actor, job, audit.ADDITION, note=_("公布第 %(n)s 版综合成绩排名") % {"n": fresh.number})
        if start:
            jobs.start_on_commit(job)
    return job


def ranking_publish_run(job: BackgroundJob, *, batch_size: int | None = None) -> BackgroundJob | None:
    """The job's body: claim; mark the version published (if not already: audited); tell
    each ranked candidate in batches (one transaction each: the notifications are written
    with the batch and sent after its commit), progress after each batch; finish with
    params["told"] = messages written by this run. None when another run holds the job.
    A version superseded before it was published fails the job (nothing is published)."""
    if not jobs.claim(job):
        return None
    size = batch_size or PUBLISH_BATCH_SIZE
    try:
        version = _mark_published(job)
        rows = RankingRow.objects.filter(version=version, absent=False)
        total = rows.count()
        BackgroundJob.objects.filter(pk=job.pk, claim_token=job.claim_token).update(total=total, done=0)
        job.total = total
        url = reverse("exams:ranking_mine")
        done = told = last_pk = 0
        while True:
            batch = list(
                rows.filter(pk__gt=last_pk)
                .select_related("application__applicant", "position")
                .order_by("pk")[:size]
            )
            if not batch:
                break
            with transaction.atomic():
                _still_confirmed(version)
                told += _notify_batch(version, batch, url)
            last_pk = batch[-1].pk
            done += len(batch)
            jobs.set_done(job, done)
    except jobs.JobLost:
        return None
    except ValidationError as error:
        jobs.fail(job, Exception("；".join(error.messages)))
        return None
    except Exception as error:
        jobs.fail(job, error)
        raise
    return jobs.finish(job, params={**job.params, "told": told}, done=total)


def _still_confirmed(version: RankingVersion) -> None:
    """Under the version's row lock (a confirmation of another version waits for the batch):
    ValidationError when another version was confirmed since — those not yet told are not
    told a rank that no longer holds (they will be told the new version's when it is published)."""
    status = RankingVersion.objects.select_for_update().values_list("status", flat=True).get(pk=version.pk)
    if status != RankingVersion.Status.CONFIRMED:
        raise ValidationError(
            _("第 %(n)s 版已被新确认的排名版本取代，尚未通知的考生不再通知。") % {"n": version.number}
        )


def _mark_published(job: BackgroundJob) -> RankingVersion:
    with transaction.atomic():
        version = (
            RankingVersion.objects.select_for_update()
            .select_related("announcement")
            .get(pk=job.params["version"])
        )
        if version.published_at is not None:
            return version
        if version.status != RankingVersion.Status.CONFIRMED:
            raise ValidationError(_("第 %(n)s 版已不是确认的排名版本，未公布。") % {"n": version.number})
        version.published_at = timezone.now()
        version.published_by = job.created_by
        version.save(update_fields=["published_at", "published_by"])
        audit.record(job.created_by, version, audit.CHANGE, fields=["published_at"])
    return version


def _notify_batch(version: RankingVersion, rows: list[RankingRow], url: str) -> int:
    """Tell the candidates of `rows` not yet told; returns how many messages were written."""
    return notify_untold(
        (
            (
                row.application.applicant,
                {
                    "announcement_title": version.announcement.title,
                    "position_name": row.position.name,
                    "url": url,
                    "rank": row.rank,
                    "composite_score": str(row.composite),
                },
                dedupe_key(version.pk, row.application_id),
            )
            for row in rows
        ),
        event=Event.RANKED,
    )


def notify_untold(items, *, event: str) -> int:
    """items: (recipient, context, dedupe key) each. Writes the notification of each whose key
    has none yet (one query finds those told before, e.g. by a run that died halfway), in the
    caller's transaction (sent after commit); returns how many were written."""
    items = list(items)
    told_before = set(
        Notification.objects.filter(dedupe_key__in=[key for _r, _c, key in items]).values_list(
            "dedupe_key", flat=True
        )
    )
    written = 0
    for recipient, context, key in items:
        if key in told_before:
            continue
        notify(recipient=recipient, event=event, context=context, dedupe_key=key)
        written += 1
    return written


def ranking_publish(*, version: RankingVersion, actor) -> RankingVersion:
    """Publish the confirmed `version` and tell every ranked candidate, in this process (the
    demo and scripts; pages start the job instead): the job is recorded as for a click, then
    run here. Returns the version as it now stands. Raises PermissionDenied,
    ValidationError (not confirmed)."""
    job = ranking_publish_job_create(version=version, actor=actor, start=False)
    if job.status == BackgroundJob.Status.PENDING:
        ranking_publish_run(BackgroundJob.objects.select_related("created_by").get(pk=job.pk))
    return RankingVersion.objects.get(pk=version.pk)
