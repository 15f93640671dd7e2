"""The beat schedule, kept in django-celery-beat's tables (DatabaseScheduler) so staff can
change times in Django admin. Created idempotently by a data migration and by
`manage.py setup_periodic_tasks`; existing rows keep the times staff have set."""

import json

# name: (task, schedule, kwargs). A schedule is ("interval", minutes) or ("crontab", "m h").
PERIODIC_TASKS = {
    "notifications: re-send unsent messages": ("notifications.sweep", ("interval", 2), {}),
    "notifications: remind unsubmitted drafts": (
        "notifications.send_reminders",
        ("crontab", "0 9"),
        {
            "audience": "draft_unsubmitted",
            "event": "reminder_draft_unsubmitted",
            "params": {"within_hours": 48},
        },
    ),
    "notifications: remind returned applications": (
        "notifications.send_reminders",
        ("crontab", "5 9"),
        {
            "audience": "returned_application",
            "event": "reminder_returned_fix",
            "params": {"within_hours": 48},
        },
    ),
    "notifications: remind reviewers of their queue": (
        "notifications.send_reminders",
        ("crontab", "30 8"),
        {"audience": "reviewers_with_pending_queue", "event": "reminder_reviewer_queue", "params": {}},
    ),
    "review: delete old export files": ("review.purge_exports", ("crontab", "30 3"), {}),
    "portal: start background jobs left waiting": ("portal.sweep_jobs", ("interval", 1), {}),
    # 《个人信息保护法》: applicants never hired, past PERSONAL_DATA_RETENTION_DAYS (applicants.retention).
    "applicants: remove personal data past the retention period": (
        "applicants.purge_personal_data",
        ("crontab", "15 4"),
        {},
    ),
    # workforce (issue 19): each task is idempotent.
    "workforce: grade steps from confirmed assessments": ("workforce.apply_grades", ("crontab", "30 0"), {}),
    "workforce: remind unit managers of probations ending": (
        "workforce.probation_reminders",
        ("crontab", "0 8"),
        {},
    ),
    "workforce: expire side jobs and remind renewals": (
        "workforce.side_jobs_expire",
        ("crontab", "10 0"),
        {},
    ),
    "workforce: remind workers behind on training hours": (
        "workforce.training_reminders",
        ("crontab", "0 9"),
        {},
    ),
}


def ensure_periodic_tasks(*, PeriodicTask, IntervalSchedule, CrontabSchedule, names=None) -> int:  # noqa: N803 - model classes
    """Models are passed in so a migration can use its historical ones; `names` limits it to
    those tasks (a later migration adding one task). Returns how many tasks were created."""
    created = 0
    for name, (task, (kind, value), kwargs) in PERIODIC_TASKS.items():
        if names is not None and name not in names:
            continue
        if PeriodicTask.objects.filter(name=name).exists():
            continue
        schedule = {}
        if kind == "interval":
            schedule["interval"], _ = IntervalSchedule.objects.get_or_create(every=value, period="minutes")
        else:
            minute, hour = value.split()
            schedule["crontab"], _ = CrontabSchedule.objects.get_or_create(
                minute=minute,
                hour=hour,
                day_of_week="*",
                day_of_month="*",
                month_of_year="*",
                timezone="Asia/Shanghai",
            )
        PeriodicTask.objects.create(name=name, task=task, kwargs=json.dumps(kwargs), **schedule)
        created += 1
    return created
