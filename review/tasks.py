"""Celery tasks of the review console: bulk approval, large exports, purging old exports.

Each job task takes a portal.BackgroundJob id, does its work through a service and records
progress on the job, which the page polls. Both are safe to run again (portal.jobs.claim).

The tasks lived in applicants.tasks before the review console had its own app. Messages
already in the broker, and beat entries a deployment kept, may still name the old tasks:
each old name stays registered as an alias running the same code (migration
review.0002 renames the stored beat entry as well).
"""

from celery import shared_task

from portal.models import BackgroundJob


def _job(job_id: int) -> BackgroundJob | None:
    return BackgroundJob.objects.select_related("created_by").filter(pk=job_id).first()


def _bulk_approve(job_id: int) -> None:
    from .services import bulk_approve_run

    job = _job(job_id)
    if job is not None:
        bulk_approve_run(job)


def _export_applications(job_id: int) -> None:
    from .exports import export_job_run

    job = _job(job_id)
    if job is not None:
        export_job_run(job)


def _purge_exports() -> int:
    from .exports import purge_old_exports

    return purge_old_exports()


bulk_approve = shared_task(name="review.bulk_approve", acks_late=True)(_bulk_approve)
export_applications = shared_task(name="review.export_applications", acks_late=True)(_export_applications)
purge_exports = shared_task(name="review.purge_exports")(_purge_exports)

# Old names (applicants.tasks), kept for messages and beat entries stored before the move.
OLD_NAMES = {
    "applicants.tasks.bulk_approve": "review.bulk_approve",
    "applicants.tasks.export_applications": "review.export_applications",
    "applicants.purge_exports": "review.purge_exports",
}
shared_task(name="applicants.tasks.bulk_approve", acks_late=True)(_bulk_approve)
shared_task(name="applicants.tasks.export_applications", acks_late=True)(_export_applications)
shared_task(name="applicants.purge_exports")(_purge_exports)
