"""Celery task of the ranking (issue 17): thin, calls exams.services.ranking.ranking_run;
safe to run again (a second delivery finds the job claimed; a rerun after a crash writes the
same version, recognised by its fingerprint)."""

from celery import shared_task

from portal.models import BackgroundJob


@shared_task(name="exams.rank_announcement", acks_late=True)
def rank_announcement(job_id: int) -> None:
    from .services.ranking import ranking_run

    job = BackgroundJob.objects.select_related("created_by").filter(pk=job_id).first()
    if job is not None:
        ranking_run(job)


@shared_task(name="exams.publish_ranking", acks_late=True)
def publish_ranking(job_id: int) -> None:
    """Publish a confirmed ranking and tell its candidates (exams.services.ranking_publish);
    a rerun tells only those not yet told."""
    from .services.ranking_publish import ranking_publish_run

    job = BackgroundJob.objects.select_related("created_by").filter(pk=job_id).first()
    if job is not None:
        ranking_publish_run(job)
