"""Hires confirmed before workforce existed become workers (what the hire_confirmed receiver
does for later ones), and the workforce beat tasks are scheduled.

Written with the historical models and the pure rules (workforce.grades, .probation), so
it keeps working when the live models change. Idempotent: a hire whose application already
has a worker is skipped."""

from decimal import Decimal

from django.db import migrations


def forwards(apps, schema_editor):
    from workforce import grades, probation

    Hire = apps.get_model("hiring", "Hire")
    Worker = apps.get_model("workforce", "Worker")
    GradeChange = apps.get_model("workforce", "GradeChange")
    WorkerEvent = apps.get_model("workforce", "WorkerEvent")
    Unit = apps.get_model("recruitment", "Unit")
    Group = apps.get_model("auth", "Group")
    group, _created = Group.objects.get_or_create(name="worker")
    rules = grades.GradeRules()

    def unit_for(position):
        if position.unit_id:
            return position.unit
        node = Unit.objects.filter(parent__isnull=True, name=(position.district or "").strip()).first()
        for name in ((position.street or "").strip(), (position.community or "").strip()):
            if node is None or not name:
                break
            node = Unit.objects.filter(parent=node, name=name).first() or node
        return node

    for hire in Hire.objects.select_related("application__applicant", "position__unit").order_by("pk"):
        if Worker.objects.filter(application_id=hire.application_id).exists():
            continue
        unit = unit_for(hire.position)
        if unit is None:
            continue
        snapshot = hire.application.snapshot or {}
        levels = [int(e["level"]) for e in snapshot.get("education", []) if e.get("level")]
        education = max(levels) if levels else None
        years = Decimal(str(hire.contract_years))
        months = probation.max_probation_months(years)
        grade, _counted = grades.entry(grades.OTHER, education, rules)
        user = hire.application.applicant
        worker = Worker.objects.create(
            user_id=user.pk,
            application_id=hire.application_id,
            source="hire",
            name=snapshot.get("real_name") or user.name or user.email,
            unit=unit,
            post=grades.OTHER,
            education=education,
            grade=grade,
            start_date=hire.start_date,
            contract_years=years,
            contract_end=probation.contract_end(hire.start_date, years),
            probation_months=months,
            probation_ends=probation.probation_end(hire.start_date, months),
            status="probation" if months else "on_duty",
        )
        GradeChange.objects.create(worker=worker, kind="entry", effective=hire.start_date, grade_to=grade)
        WorkerEvent.objects.create(
            worker=worker, actor_id=hire.confirmed_by_id, action="created", detail={"source": "hire (migration)"}
        )
        user.groups.add(group)


def schedule(apps, schema_editor):
    from notifications.periodic import PERIODIC_TASKS, ensure_periodic_tasks

    ensure_periodic_tasks(
        PeriodicTask=apps.get_model("django_celery_beat", "PeriodicTask"),
        IntervalSchedule=apps.get_model("django_celery_beat", "IntervalSchedule"),
        CrontabSchedule=apps.get_model("django_celery_beat", "CrontabSchedule"),
        names=[name for name in PERIODIC_TASKS if name.startswith("workforce:")],
    )


class Migration(migrations.Migration):
    dependencies = [
        ("workforce", "0001_initial"),
        ("hiring", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.RunPython(schedule, migrations.RunPython.noop),
    ]
