"""Celery tasks of written results (imported by exams.services.written.register, so every
process that runs exams.apps.ready knows them): the score-import job and the beat task that
publishes scheduled results. Thin: each calls a service; each is safe to run again."""

from celery import shared_task

from portal.models import BackgroundJob


@shared_task(name="exams.score_import", acks_late=True)
def score_import(job_id: int) -> None:
    from .services.written_import import import_run

    job = BackgroundJob.objects.select_related("created_by").filter(pk=job_id).first()
    if job is not None:
        import_run(job)


@shared_task(name="exams.publish_written_results")
def publish_written_results() -> int:
    from .services.written import publish_due

    return publish_due()
