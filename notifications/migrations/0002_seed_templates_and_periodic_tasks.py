"""Seed the default wording (so administrators see and edit rows) and the beat schedule.

Both steps are idempotent: rows that exist are left as the administrators set them."""

from django.db import migrations


def forwards(apps, schema_editor):
    from notifications.periodic import ensure_periodic_tasks
    from notifications.services import seed_default_templates

    seed_default_templates(apps.get_model("notifications", "MessageTemplate"))
    ensure_periodic_tasks(
        PeriodicTask=apps.get_model("django_celery_beat", "PeriodicTask"),
        IntervalSchedule=apps.get_model("django_celery_beat", "IntervalSchedule"),
        CrontabSchedule=apps.get_model("django_celery_beat", "CrontabSchedule"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
