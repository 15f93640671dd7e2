"""Celery tasks of the portal itself: the background-job sweeper (beat, every minute)."""

from celery import shared_task


@shared_task(name="portal.sweep_jobs")
def sweep_jobs() -> int:
    from .jobs import sweep

    return sweep()
