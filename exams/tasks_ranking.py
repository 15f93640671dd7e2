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
