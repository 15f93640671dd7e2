"""Celery tasks of the applicants app. Thin: each calls one function and returns a count.

(The review console's tasks live in review/tasks.py.)"""

from celery import shared_task


@shared_task(name="applicants.purge_personal_data", acks_late=True)
def purge_personal_data() -> int:
    """Daily (beat entry "applicants: remove personal data past the retention period"):
    remove the personal data of applicants never hired once their retention period has
    passed (applicants.retention). Idempotent: people already handled are skipped."""
    from .retention import personal_data_purge_due

    return personal_data_purge_due()
