"""The beat entry that starts background jobs left waiting by a broker outage (the row is
written here directly: portal lies beneath notifications, whose periodic.py lists the rest)."""

from django.db import migrations

NAME, TASK = "portal: start background jobs left waiting", "portal.sweep_jobs"


def schedule(apps, schema_editor):
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    interval_model = apps.get_model("django_celery_beat", "IntervalSchedule")
    if task_model.objects.filter(name=NAME).exists():
        return
    every_minute, _ = interval_model.objects.get_or_create(every=1, period="minutes")
    task_model.objects.create(name=NAME, task=TASK, kwargs="{}", interval=every_minute)


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_background_job_moves_from_applicants"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
