"""Celery tasks of the reports: the recruitment archive (招聘档案) job."""

from celery import shared_task

from portal.models import BackgroundJob


@shared_task(name="reports.build_archive", acks_late=True)
def build_archive(job_id: int) -> None:
    from .archive import job_run

    job = BackgroundJob.objects.select_related("created_by").filter(pk=job_id).first()
    if job is not None:
        job_run(job)
