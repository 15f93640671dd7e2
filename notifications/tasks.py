"""Celery tasks: thin wrappers that pass ids and call the services."""

from datetime import timedelta

from celery import shared_task

from . import delivery, services


@shared_task(name="notifications.send_deliveries", acks_late=True)
def send_deliveries(delivery_ids: list[int]) -> dict[str, int]:
    outcomes: dict[str, int] = {}
    for delivery_id in delivery_ids:
        outcome = delivery.deliver(delivery_id=delivery_id)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


@shared_task(name="notifications.send_delivery", acks_late=True)
def send_delivery(delivery_id: int) -> str:
    return delivery.deliver(delivery_id=delivery_id)


@shared_task(name="notifications.sweep")
def sweep_unsent(older_than_minutes: float | None = None) -> dict[str, int]:
    older = delivery.SWEEP_AFTER if older_than_minutes is None else timedelta(minutes=older_than_minutes)
    queued = delivery.sweep(older_than=older)
    resumed = services.mass_notices_resume_stale(older_than=timedelta(minutes=10))
    return {"deliveries": queued, "mass_notices": len(resumed)}


@shared_task(name="notifications.send_reminders")
def send_reminders(audience: str, event: str, params: dict | None = None) -> int:
    from .audiences import UnknownAudience

    try:
        return services.reminders_send(audience=audience, event=event, params=params)
    except UnknownAudience:
        # The app that owns this audience is not installed yet: nothing to remind.
        return 0


@shared_task(name="notifications.run_mass_notice")
def run_mass_notice(notice_id: int) -> int:
    return services.mass_notice_run(notice_id=notice_id).sent
