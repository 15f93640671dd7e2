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


def settings_save(*, actor, form) -> WorkforceSettings:
    """Save the settings page's form (a valid SettingsForm); audited with the fields changed."""
    with transaction.atomic():
        saved = form.save()
        if form.changed_data:
            audit.record(actor, saved, audit.CHANGE, fields=form.changed_data)
    return saved


def manager_assign(*, actor, manager, unit):
    """Make `manager` a unit manager (街道管理员) of `unit`; audited once (assigning again is a
    no-op). Returns (assignment, created)."""
    from ..models import UnitManagerAssignment

    with transaction.atomic():
        assignment, created = UnitManagerAssignment.objects.get_or_create(
            manager=manager, unit=unit, defaults={"assigned_by": actor}
        )
        if created:
            audit.record(actor, assignment, audit.ADDITION)
    return assignment, created
