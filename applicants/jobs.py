"""Claiming and progress of BackgroundJob rows, shared by bulk approval and exports.

A Celery task may run twice (acks_late redelivery after a worker died, or a user's
double submit enqueuing twice): only one run claims a job. A claim is a conditional
UPDATE from PENDING, or from RUNNING whose heartbeat is older than STALE_AFTER (its worker
died), so a crashed job is picked up by the next delivery and resumes.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import F, Q
from django.db.models.functions import Least
from django.utils import timezone

from .models import BackgroundJob

STALE_AFTER = timedelta(minutes=5)


def claim(job: BackgroundJob, *, now=None) -> bool:
    now = now or timezone.now()
    claimable = Q(status=BackgroundJob.Status.PENDING) | Q(
        status=BackgroundJob.Status.RUNNING, heartbeat_at__lt=now - STALE_AFTER
    )
    claimed = BackgroundJob.objects.filter(claimable, pk=job.pk).update(
        status=BackgroundJob.Status.RUNNING, heartbeat_at=now
    )
    if claimed:
        job.refresh_from_db()
    return bool(claimed)


def add_done(job: BackgroundJob, count: int) -> None:
    """Count work done by this run (never a value read earlier: another run may have counted)."""
    BackgroundJob.objects.filter(pk=job.pk).update(
        done=Least(F("done") + count, F("total")), heartbeat_at=timezone.now()
    )


def set_done(job: BackgroundJob, done: int) -> None:
    BackgroundJob.objects.filter(pk=job.pk).update(done=Least(done, F("total")), heartbeat_at=timezone.now())


def finish(job: BackgroundJob, **fields) -> BackgroundJob:
    BackgroundJob.objects.filter(pk=job.pk).update(
        status=BackgroundJob.Status.DONE, finished_at=timezone.now(), **fields
    )
    job.refresh_from_db()
    return job


def fail(job: BackgroundJob, error: Exception) -> None:
    BackgroundJob.objects.filter(pk=job.pk).update(
        status=BackgroundJob.Status.FAILED, error=str(error)[:2000], finished_at=timezone.now()
    )
