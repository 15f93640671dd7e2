"""Beat tasks of workforce (scheduled in notifications.periodic; each idempotent)."""

from celery import shared_task


@shared_task(name="workforce.apply_grades")
def apply_grades():
    """Nightly: hires still without a worker record first, then the grade steps."""
    from .services.assessments import apply_grades as run
    from .services.workers import sync_hires

    sync_hires()
    return run()


@shared_task(name="workforce.probation_reminders")
def probation_reminders():
    from .services.reminders import probation_reminders as run

    return run()


@shared_task(name="workforce.side_jobs_expire")
def side_jobs_expire():
    from .services.side_jobs import expire

    return expire()


@shared_task(name="workforce.training_reminders")
def training_reminders():
    from .services.training import remind_behind

    return remind_behind()


@shared_task(name="workforce.worker_import", acks_late=True)
def worker_import(job_id: int) -> None:
    from portal.models import BackgroundJob

    from .services.importer import import_run

    job = BackgroundJob.objects.select_related("created_by").filter(pk=job_id).first()
    if job is not None:
        import_run(job)
