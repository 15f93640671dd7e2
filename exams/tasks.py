"""Celery tasks of the written exam: the ticket-issue job, and the beat tasks (not printed =
gave up, closing ended sessions, the reminder the day before). Thin: each calls a service;
each is safe to run again (the services are idempotent)."""

from celery import shared_task

from portal.models import BackgroundJob


@shared_task(name="exams.issue_tickets", acks_late=True)
def issue_tickets(job_id: int) -> None:
    from .services.tickets import issue_run

    job = BackgroundJob.objects.select_related("created_by").filter(pk=job_id).first()
    if job is not None:
        issue_run(job)


@shared_task(name="exams.ticket_notices", acks_late=True)
def ticket_notices(job_id: int) -> None:
    from .services.tickets import notices_run

    job = BackgroundJob.objects.select_related("created_by").filter(pk=job_id).first()
    if job is not None:
        notices_run(job)


@shared_task(name="exams.ticket_pdfs", acks_late=True)
def ticket_pdfs(job_id: int) -> None:
    from .services.tickets import pdfs_run

    job = BackgroundJob.objects.select_related("created_by").filter(pk=job_id).first()
    if job is not None:
        pdfs_run(job)


@shared_task(name="exams.forfeit_unprinted")
def forfeit_unprinted() -> int:
    from .services.tickets import ticket_pdfs_purge_due, unprinted_forfeit_due

    ticket_pdfs_purge_due()  # the stored ticket PDFs go once their window has closed
    return unprinted_forfeit_due()


@shared_task(name="exams.close_sessions")
def close_sessions() -> int:
    from .services.checkin import sessions_close_due

    return sessions_close_due()


@shared_task(name="exams.send_reminders")
def send_reminders() -> int:
    from .services.tickets import exam_reminders_send

    return exam_reminders_send()
