"""The review console's Celery tasks were renamed when they moved out of applicants: a beat
entry already stored under the old name now runs the new task (review.tasks also keeps the
old names as aliases for messages already in the broker)."""

from django.db import migrations

OLD_ENTRY, NEW_ENTRY = "applicants: delete old export files", "review: delete old export files"
RENAMED = {
    "applicants.purge_exports": "review.purge_exports",
    "applicants.tasks.bulk_approve": "review.bulk_approve",
    "applicants.tasks.export_applications": "review.export_applications",
}


def rename(apps, schema_editor):
    from notifications.periodic import ensure_periodic_tasks

    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    for old, new in RENAMED.items():
        task_model.objects.filter(task=old).update(task=new)
    if not task_model.objects.filter(name=NEW_ENTRY).exists():
        task_model.objects.filter(name=OLD_ENTRY).update(name=NEW_ENTRY)
    ensure_periodic_tasks(
        PeriodicTask=task_model,
        IntervalSchedule=apps.get_model("django_celery_beat", "IntervalSchedule"),
        CrontabSchedule=apps.get_model("django_celery_beat", "CrontabSchedule"),
        names=[NEW_ENTRY],
    )


def rename_back(apps, schema_editor):
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    for old, new in RENAMED.items():
        task_model.objects.filter(task=new).update(task=old)
    task_model.objects.filter(name=NEW_ENTRY).update(name=OLD_ENTRY)


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0001_rejection_reason_moves_from_applicants"),
        ("applicants", "0004_job_heartbeat"),
        ("notifications", "0002_seed_templates_and_periodic_tasks"),
    ]

    operations = [migrations.RunPython(rename, rename_back)]
