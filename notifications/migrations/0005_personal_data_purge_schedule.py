"""The beat entry of applicants.purge_personal_data (personal data of applicants never
hired, removed after the retention period: applicants.retention). Only this entry is
added, idempotently: entries staff deleted stay deleted."""

from django.db import migrations

TASK = "applicants: remove personal data past the retention period"


def forwards(apps, schema_editor):
    from notifications.periodic import ensure_periodic_tasks

    ensure_periodic_tasks(
        PeriodicTask=apps.get_model("django_celery_beat", "PeriodicTask"),
        IntervalSchedule=apps.get_model("django_celery_beat", "IntervalSchedule"),
        CrontabSchedule=apps.get_model("django_celery_beat", "CrontabSchedule"),
        names=[TASK],
    )


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0004_announcement_corrected_event"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
