"""Claiming and progress of BackgroundJob rows, shared by bulk approval and exports.

A Celery task may run twice (acks_late redelivery after a worker died, or a user's
double submit enqueuing twice): only one run holds a job. A claim is a conditional UPDATE
from PENDING, or from RUNNING whose heartbeat is older than STALE_AFTER (its worker died),
and writes a fresh token; every later write matches that token, so a run that was presumed
dead and replaced gets JobLost instead of overwriting its successor's progress or result.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.db.models import F, Q
from django.db.models.functions import Least
from django.utils import timezone

from .models import BackgroundJob

STALE_AFTER = timedelta(minutes=5)


class JobLost(Exception):
    """Another run claimed this job: stop, writing nothing more."""


def claim(job: BackgroundJob, *, now=None) -> bool:
    now = now or timezone.now()
    stale = Q(heartbeat_at__lt=now - STALE_AFTER) | Q(heartbeat_at__isnull=True)
    claimable = Q(status=BackgroundJob.Status.PENDING) | (Q(status=BackgroundJob.Status.RUNNING) & stale)
    token = uuid.uuid4()
    claimed = BackgroundJob.objects.filter(claimable, pk=job.pk).update(
        status=BackgroundJob.Status.RUNNING, heartbeat_at=now, claim_token=token
    )
    if claimed:
        job.refresh_from_db()
    return bool(claimed)


def _held(job: BackgroundJob):
    return BackgroundJob.objects.filter(
        pk=job.pk, status=BackgroundJob.Status.RUNNING, claim_token=job.claim_token
    )


def _update_held(job: BackgroundJob, **fields) -> None:
    if not _held(job).update(**fields):
        raise JobLost(job.pk)


def add_done(job: BackgroundJob, count: int) -> None:
    """Count work done by this run (never a value read earlier: a rerun resumes the count)."""
    _update_held(job, done=Least(F("done") + count, F("total")), heartbeat_at=timezone.now())


def set_done(job: BackgroundJob, done: int) -> None:
    _update_held(job, done=Least(done, F("total")), heartbeat_at=timezone.now())


def finish(job: BackgroundJob, **fields) -> BackgroundJob:
    _update_held(job, status=BackgroundJob.Status.DONE, finished_at=timezone.now(), **fields)
    job.refresh_from_db()
    return job


def fail(job: BackgroundJob, error: Exception) -> None:
    _held(job).update(status=BackgroundJob.Status.FAILED, error=str(error)[:2000], finished_at=timezone.now())
