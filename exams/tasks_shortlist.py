"""Celery tasks of the interview shortlist (imported by exams.services.shortlist.register, so
every process that runs exams.apps.ready knows them): the compute job and the beat task of
"no confirmation = gave up". Thin: each calls a service; each is safe to run again."""

from celery import shared_task

from portal.models import BackgroundJob


@shared_task(name="exams.compute_shortlist", acks_late=True)
def compute_shortlist(job_id: int) -> None:
    from .services.shortlist import compute_run

    job = BackgroundJob.objects.select_related("created_by").filter(pk=job_id).first()
    if job is not None:
        compute_run(job)


@shared_task(name="exams.shortlist_unconfirmed_sweep")
def shortlist_unconfirmed_sweep() -> int:
    from .services.shortlist import unconfirmed_sweep

    return unconfirmed_sweep()
