"""The exam's beat entries (django-celery-beat rows, written here like
portal.0002_sweep_jobs_schedule): not printed = gave up after the window, closing ended
sessions (unmarked → absent), and the reminder the day before. Idempotent."""

import json

from django.db import migrations

ENTRIES = {
    "exams: not printed counts as giving up": ("exams.forfeit_unprinted", ("interval", 10)),
    "exams: close ended sessions (absent)": ("exams.close_sessions", ("interval", 5)),
    "exams: remind candidates the day before": ("exams.send_reminders", ("crontab", "0 9")),
}


def schedule(apps, schema_editor):
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    interval_model = apps.get_model("django_celery_beat", "IntervalSchedule")
    crontab_model = apps.get_model("django_celery_beat", "CrontabSchedule")
    for name, (task, (kind, value)) in ENTRIES.items():
        if task_model.objects.filter(name=name).exists():
            continue
        when = {}
        if kind == "interval":
            when["interval"], _ = interval_model.objects.get_or_create(every=value, period="minutes")
        else:
            minute, hour = value.split()
            when["crontab"], _ = crontab_model.objects.get_or_create(
                minute=minute,
                hour=hour,
                day_of_week="*",
                day_of_month="*",
                month_of_year="*",
                timezone="Asia/Shanghai",
            )
        task_model.objects.create(name=name, task=task, kwargs=json.dumps({}), **when)


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name__in=list(ENTRIES)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("exams", "0002_plans_from_announcements"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
