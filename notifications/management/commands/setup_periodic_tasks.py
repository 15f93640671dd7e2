from django.core.management.base import BaseCommand
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask, PeriodicTasks

from notifications.periodic import ensure_periodic_tasks


class Command(BaseCommand):
    help = "Create the notifications' periodic tasks (sweeper, reminders) if missing. Idempotent."

    def handle(self, *args, **options):
        created = ensure_periodic_tasks(
            PeriodicTask=PeriodicTask, IntervalSchedule=IntervalSchedule, CrontabSchedule=CrontabSchedule
        )
        if created:
            PeriodicTasks.update_changed()  # a running beat reloads its schedule
        self.stdout.write(f"periodic tasks created: {created}")
