"""Celery tasks of the review console: bulk approval and large exports.

Each takes a BackgroundJob id, does its work through a service and records progress on
the job, which the page polls. Both are safe to run again.
"""

from celery import shared_task

from .models import BackgroundJob


@shared_task(acks_late=True)
def bulk_approve(job_id: int) -> None:
    from .review_services import bulk_approve_run

    job = BackgroundJob.objects.select_related("created_by").filter(pk=job_id).first()
    if job is not None:
        bulk_approve_run(job)


@shared_task(acks_late=True)
def export_applications(job_id: int) -> None:
    from .exports import export_job_run

    job = BackgroundJob.objects.select_related("created_by").filter(pk=job_id).first()
    if job is not None:
        export_job_run(job)


@shared_task(name="applicants.purge_exports")
def purge_exports() -> int:
    from .exports import purge_old_exports

    return purge_old_exports()
