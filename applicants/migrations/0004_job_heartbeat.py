"""Jobs: a heartbeat for claiming (applicants.jobs), done never above total, and the beat
task that deletes old export files (added to an existing schedule, idempotently)."""

from django.conf import settings
from django.db import migrations, models


PURGE_TASK = "applicants: delete old export files"


def fix_counts_and_schedule(apps, schema_editor):
    from notifications.periodic import ensure_periodic_tasks

    job = apps.get_model("applicants", "BackgroundJob")
    job.objects.filter(done__gt=models.F("total")).update(total=models.F("done"))
    ensure_periodic_tasks(  # only the new task: ones staff deleted stay deleted
        PeriodicTask=apps.get_model("django_celery_beat", "PeriodicTask"),
        IntervalSchedule=apps.get_model("django_celery_beat", "IntervalSchedule"),
        CrontabSchedule=apps.get_model("django_celery_beat", "CrontabSchedule"),
        names=[PURGE_TASK],
    )


class Migration(migrations.Migration):
    dependencies = [
        ("applicants", "0003_queue_all_stages_index"),
        ("recruitment", "0001_initial"),
        ("notifications", "0002_seed_templates_and_periodic_tasks"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="backgroundjob",
            name="heartbeat_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="backgroundjob",
            name="claim_token",
            field=models.UUIDField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(fix_counts_and_schedule, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="backgroundjob",
            constraint=models.CheckConstraint(
                condition=models.Q(("done__lte", models.F("total"))), name="job_done_within_total"
            ),
        ),
    ]
