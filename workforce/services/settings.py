"""The city's settings after hire: saved by an administrator, audited."""

from __future__ import annotations

from django.db import transaction

from portal import audit

from ..models import WorkforceSettings


def pay_and_hours_save(*, actor, pay_table: dict[str, str], duty_hours: list[list]) -> WorkforceSettings:
    """Save the pay table (grade → monthly yuan, as text) and the duty hours ([weekday,
    "HH:MM", "HH:MM"], Monday = 0); audited with the fields that changed."""
    with transaction.atomic():
        settings, _created = WorkforceSettings.objects.select_for_update().get_or_create(
            pk=WorkforceSettings.SINGLETON_PK
        )
        changed = [
            name
            for name, value in (("pay_table", pay_table), ("duty_hours", duty_hours))
            if getattr(settings, name) != value
        ]
        if changed:
            settings.pay_table = pay_table
            settings.duty_hours = duty_hours
            settings.save(update_fields=changed)
            audit.record(actor, settings, audit.CHANGE, fields=changed)
    return settings
