"""portal.jobs: job kinds registered by the apps, a job started with the broker down waits
and says so, the sweeper starts it when the broker is back, and the review tasks' old names
(applicants.tasks…) still run for messages and beat entries stored before the move."""

from datetime import timedelta
from importlib import import_module

import pytest
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from applicants.models import Stage
from portal import jobs, queue
from portal.celery import app
from portal.models import BackgroundJob
from tests.applicants.factories import ApplicationFactory, ReviewPositionFactory, assign

pytestmark = pytest.mark.django_db


@pytest.fixture
def position(db):
    return ReviewPositionFactory()


@pytest.fixture
def assigned_reviewer(reviewer, position):
    assign(reviewer, position.announcement)
    return reviewer


@pytest.fixture
def celery_conf():
    """Change the Celery app's settings for one test (restored after it)."""
    saved = {key: app.conf[key] for key in ("task_always_eager", "broker_url")}
    yield app.conf
    app.conf.update(saved)
    queue.drop_connection()
    # Pools made while the broker pointed elsewhere would keep that address for later tests.
    app._pool = None
    if "amqp" in app.__dict__:
        app.amqp._producer_pool = None


@pytest.fixture
def broker_down(celery_conf):
    """A real broker address nobody listens on (port 9, discard): publishing is refused."""
    celery_conf.update(task_always_eager=False, broker_url="redis://127.0.0.1:9/0")
    queue.drop_connection()
    return celery_conf


def _job(reviewer, announcement_id, **fields):
    return BackgroundJob.objects.create(
        kind="bulk_approve", created_by=reviewer, announcement_id=announcement_id, total=1, **fields
    )


def test_kinds_are_registered_by_their_apps_with_a_label():
    assert jobs.kind_label("bulk_approve") == "批量审核通过"
    assert jobs.kind_label("export") == "导出报名信息"
    assert jobs.kind_label("unknown") == "unknown"


def test_bulk_approval_started_while_the_broker_is_down_waits_says_so_and_runs_after_it_returns(
    client, assigned_reviewer, position, django_capture_on_commit_callbacks, broker_down
):
    application = ApplicationFactory(position=position)
    client.force_login(assigned_reviewer)
    url = reverse("review:bulk_approve") + f"?announcement={position.announcement_id}"
    as_of = client.get(url).context["form"]["as_of"].value()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("review:bulk_approve"),
            {"announcement": position.announcement_id, "expected": 1, "confirm": "on", "as_of": as_of},
        )
    job = BackgroundJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("review:job", args=[job.pk])
    assert (job.status, job.queued_at) == ("pending", None)
    page = client.get(response["Location"]).content.decode()
    assert "服务恢复后将自动开始" in page and "hx-get" in page  # it keeps polling

    # Still down: the sweeper hands over nothing and the job keeps waiting.
    later = timezone.now() + jobs.REQUEUE_AFTER + timedelta(seconds=1)
    assert jobs.sweep(now=later) == 0

    # The broker is back (in-process here): the sweeper starts it once.
    broker_down.update(task_always_eager=True)
    assert jobs.sweep(now=later) == 1
    job.refresh_from_db()
    application.refresh_from_db()
    assert (job.status, job.done, application.stage) == ("done", 1, Stage.APPROVED)
    assert job.queued_at is not None
    assert jobs.sweep(now=later) == 0  # done: nothing more to start
    assert "服务恢复后" not in client.get(reverse("review:job_progress", args=[job.pk])).content.decode()


def test_the_sweeper_leaves_fresh_pending_jobs_and_live_workers_alone(
    assigned_reviewer, position, monkeypatch
):
    started = []
    monkeypatch.setattr(jobs, "start", lambda job: started.append(job.pk) or True)
    now = timezone.now()
    fresh = _job(assigned_reviewer, position.announcement_id)
    old = _job(assigned_reviewer, position.announcement_id)
    live = _job(assigned_reviewer, position.announcement_id, status="running", heartbeat_at=now)
    dead = _job(
        assigned_reviewer,
        position.announcement_id,
        status="running",
        heartbeat_at=now - jobs.STALE_AFTER - timedelta(seconds=1),
    )
    BackgroundJob.objects.filter(pk=old.pk).update(created_at=now - jobs.REQUEUE_AFTER - timedelta(seconds=1))
    assert jobs.sweep(now=now) == 2
    assert sorted(started) == sorted([old.pk, dead.pk])
    assert fresh.pk not in started and live.pk not in started


def test_old_task_names_run_the_moved_tasks(assigned_reviewer, position):
    import review.tasks  # noqa: F401 - registers the tasks (a worker autodiscovers them)

    for old, new in review.tasks.OLD_NAMES.items():
        assert app.tasks[old].run.__code__ is app.tasks[new].run.__code__
    application = ApplicationFactory(position=position)
    job = BackgroundJob.objects.create(
        kind="bulk_approve",
        created_by=assigned_reviewer,
        announcement_id=position.announcement_id,
        params={"filters": {}, "submitted_by": timezone.now().isoformat()},
        total=1,
    )
    app.tasks["applicants.tasks.bulk_approve"].apply(args=[job.pk])  # a message queued before the move
    application.refresh_from_db()
    assert application.stage == Stage.APPROVED


def test_a_stored_beat_entry_of_the_old_export_purge_is_renamed():
    from django.apps import apps

    migration = import_module("review.migrations.0002_renamed_tasks")
    PeriodicTask.objects.filter(name__in=[migration.OLD_ENTRY, migration.NEW_ENTRY]).delete()
    crontab = CrontabSchedule.objects.create(minute="45", hour="4", timezone="Asia/Shanghai")
    PeriodicTask.objects.create(name=migration.OLD_ENTRY, task="applicants.purge_exports", crontab=crontab)
    migration.rename(apps, None)
    entry = PeriodicTask.objects.get(name=migration.NEW_ENTRY)
    assert (entry.task, entry.crontab.minute) == ("review.purge_exports", "45")  # staff's time kept
    assert not PeriodicTask.objects.filter(name=migration.OLD_ENTRY).exists()


def test_the_job_sweeper_is_on_the_beat_schedule():
    assert PeriodicTask.objects.get(task="portal.sweep_jobs").interval.every == 1


def test_gc_paused_pauses_the_collector_and_restores_it_even_after_an_error():
    import gc

    from portal.jobs import gc_paused

    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():  # re-entrant: the inner one leaves it paused
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), gc_paused():
        raise RuntimeError("the job failed")
    assert gc.isenabled()
