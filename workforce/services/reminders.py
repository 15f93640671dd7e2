"""Reminders to unit managers: probations ending within the set number of days."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from notifications.events import Event
from notifications.services import notify_many

from ..models import UnitManagerAssignment, Worker, WorkforceSettings


def probation_reminders(*, today: date | None = None) -> int:
    """Each unit manager is told once per worker whose probation ends within
    `probation_reminder_days` and is not yet reviewed."""
    settings = WorkforceSettings.current()
    today = today or timezone.localdate()
    due = Worker.objects.filter(
        status=Worker.Status.PROBATION,
        probation_ends__lte=today + timedelta(days=settings.probation_reminder_days),
    ).select_related("unit__parent")
    assignments = list(UnitManagerAssignment.objects.select_related("manager"))
    sent = 0
    for worker in due:
        units = {worker.unit_id, worker.unit.parent_id}
        managers = [a.manager for a in assignments if a.unit_id in units]
        if not managers:
            continue
        with transaction.atomic():
            sent += notify_many(
                recipients=managers,
                event=Event.PROBATION_DUE,
                context={
                    "worker_name": worker.name,
                    "ends_on": worker.probation_ends.isoformat(),
                    "url": reverse("workforce:worker", args=[worker.pk]),
                },
                dedupe_prefix=f"workforce:probation-due:{worker.pk}",
            )
    return sent
