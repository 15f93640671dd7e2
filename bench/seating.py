"""Seating and numbering the exam's approved candidates (issue 15: 50,000 in under 30 s).

Runs on the database bench/build_dataset.py built (the seating announcement: 50,000
approved applications, an exam plan with one session and 50,010 seats, nobody seated):

1. the administrator's click, `exams.services.tickets.issue_job_create` (checks the seats
   and the candidates, creates the portal.BackgroundJob);
2. what the Celery worker then runs, the task `exams.tasks.issue_tickets` called in this
   process: claim, seed and room codes, reading the candidates, the seeded shuffle and
   seating, and per batch of 5,000 the plan lock, the bulk transition APPROVED → 已发准考证
   (one UPDATE and the audit rows in bulk), numbering and the tickets' bulk insert, the
   progress; then the write-back (plan marked issued, the notice job queued).

Each part is timed by wrapping the service's own functions (nothing is reimplemented), and
every SQL statement by a connection execute wrapper. The broker is not used: the job
starts here, and the 准考证可打印 notice job the issue job queues is left pending (its
50,000 messages would otherwise run in bench/run.sh's Celery worker during the Locust
phases); it is not part of seating.

Then the same again, to show it is idempotent: the click is refused (nobody left to seat),
the first job's message delivered a second time does nothing (its claim fails), and a fresh
job runs and changes nothing (tickets, numbers, seats, stages and audit rows compared
before and after). Finally VACUUM ANALYZE of the tables it wrote (not timed), as
autovacuum would, so the Locust phases that follow see a tidy database.

Usage (bench/run.sh runs it after the dataset):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench python bench/seating.py [--out FILE]
Exit status 1 when a check fails.
"""

import argparse
import json
import os
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.core.exceptions import ValidationError  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.db.models import Count, QuerySet  # noqa: E402

from accounts.models import User  # noqa: E402
from applicants.models import Application, ApplicationEvent, Stage  # noqa: E402
from exams import tasks  # noqa: E402
from exams.models import ExamPlan, Ticket  # noqa: E402
from exams.services import tickets as services  # noqa: E402
from portal import jobs  # noqa: E402
from portal.models import BackgroundJob  # noqa: E402

OUT = Path(os.environ.get("BENCH_OUT", ROOT / "bench" / "out"))
TARGET_SECONDS = 30.0

# Parts of the job, in the order they run; "other" is the rest of the wall time (each
# batch's COMMIT, progress updates, the Python between the calls).
PARTS = [
    ("click", "administrator's click: seat and candidate counts, job row (issue_job_create)"),
    ("claim", "claim the job (conditional UPDATE)"),
    ("room_codes", "seed and room codes (plan locked, rooms read, codes written)"),
    ("candidates", "reading the approved candidates without a ticket"),
    ("shuffle", "seeded shuffle and seating (pure Python)"),
    ("existing", "tickets of an interrupted first run checked against the seed"),
    ("transition", "bulk transition APPROVED → 已发准考证 (lock, UPDATE, audit rows)"),
    ("numbering", "ticket numbers and Ticket objects, plan lock (per batch)"),
    ("tickets", "tickets written (bulk INSERT)"),
    ("progress", "progress per batch (job row)"),
    ("commit", "COMMITs (one per batch and the setup and write-back transactions)"),
    ("hooks", "after-commit hooks (stage_changed receivers: the review stage counters)"),
    ("write_back", "write-back: plan marked issued, audit, notice job queued"),
]


class Timer:
    def __init__(self):
        self.seconds = defaultdict(float)
        self.calls = defaultdict(int)

    def wrap(self, name, func):
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                self.seconds[name] += time.perf_counter() - started
                self.calls[name] += 1

        wrapper.__wrapped__ = func
        return wrapper


class SqlClock:
    """Every statement's count and time on this connection (connection.execute_wrapper),
    also by kind ("UPDATE applicants_application", "SELECT … FOR UPDATE exams_examplan")."""

    TABLE = re.compile(r'(?:FROM|UPDATE|INSERT INTO)\s+"?(\w+)"?', re.IGNORECASE)

    def __init__(self):
        self.count = 0
        self.seconds = 0.0
        self.by_kind = defaultdict(lambda: [0, 0.0])

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = time.perf_counter() - started
            self.seconds += elapsed
            self.count += 1
            text = sql.lstrip()
            verb = text.split(None, 1)[0].upper() if text else "?"
            table = self.TABLE.search(text[:4000])
            kind = f"{verb} {table.group(1) if table else ''}".strip()
            if verb == "SELECT" and "FOR UPDATE" in text[-200:]:
                kind = kind.replace("SELECT", "SELECT … FOR UPDATE", 1)
            self.by_kind[kind][0] += 1
            self.by_kind[kind][1] += elapsed


def instrument(timer: Timer):
    """Wrap the service's own functions where the job looks them up (module globals); a
    helper the service no longer has is skipped (its time then shows under "other")."""
    services.jobs = _JobsProxy(timer)
    for name, part in (
        ("_ensure_room_codes", "room_codes"),
        ("_candidates", "candidates"),
        ("seat_candidates", "shuffle"),
        ("transition_many", "transition"),
        ("notices_job_create", "notices_job_create"),
        ("_issue_batch", "issue_batch"),
        ("_initial_assignment", "initial_assignment"),
        ("_insert_tickets", "tickets"),  # INSERT … FROM unnest on PostgreSQL
    ):
        if hasattr(services, name):
            setattr(services, name, timer.wrap(part, getattr(services, name)))
    # COMMIT and the after-commit hooks: Atomic.__exit__ → connection.commit() → _commit(),
    # then run_and_clear_commit_hooks(); wrapped on this thread's connection object.
    wrapper = connections["default"]
    wrapper._commit = timer.wrap("commit", wrapper._commit)
    wrapper.run_and_clear_commit_hooks = timer.wrap("hooks", wrapper.run_and_clear_commit_hooks)
    if not hasattr(services, "_insert_tickets"):  # an older service: Ticket.objects.bulk_create
        bulk_create = QuerySet.bulk_create
        timed_bulk_create = timer.wrap("tickets", bulk_create)

        def tickets_bulk_create(self, *args, **kwargs):
            if self.model is Ticket:
                return timed_bulk_create(self, *args, **kwargs)
            return bulk_create(self, *args, **kwargs)

        QuerySet.bulk_create = tickets_bulk_create


class _JobsProxy:
    """portal.jobs as the service sees it, with claim, add_done and finish timed."""

    def __init__(self, timer: Timer):
        self._timer = timer
        self.claim = timer.wrap("claim", jobs.claim)
        self.add_done = timer.wrap("progress", jobs.add_done)
        self.finish = timer.wrap("finish", jobs.finish)

    def __getattr__(self, name):
        return getattr(jobs, name)


STARTED_JOBS: list[int] = []


def start_here(job: BackgroundJob) -> bool:
    """portal.jobs.start without the broker: remember the job (this script runs it)."""
    STARTED_JOBS.append(job.pk)
    return True


def fingerprint(announcement_id: int) -> dict:
    """What seating decided, to compare two moments: tickets (application, number, room,
    seat) hashed, the stages of the announcement, its audit rows, jobs of each kind."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), count(DISTINCT number), md5(coalesce(string_agg("
            "application_id || ':' || number || ':' || room_id || ':' || seat, ',' ORDER BY application_id), ''))"
            " FROM exams_ticket WHERE announcement_id = %s",
            [announcement_id],
        )
        tickets, distinct, digest = cursor.fetchone()
    stages = dict(
        Application.objects.filter(announcement_id=announcement_id)
        .order_by()
        .values_list("stage")
        .annotate(n=Count("pk"))
    )
    events = ApplicationEvent.objects.filter(application__announcement_id=announcement_id).count()
    job_counts = dict(
        BackgroundJob.objects.filter(announcement_id=announcement_id)
        .order_by()
        .values_list("kind")
        .annotate(n=Count("pk"))
    )
    return {
        "tickets": tickets,
        "distinct_numbers": distinct,
        "digest": digest,
        "stages": stages,
        "events": events,
        "jobs": job_counts,
    }


def plan_of_dataset() -> ExamPlan:
    dataset = OUT / "dataset.json"
    if dataset.exists():
        facts = json.loads(dataset.read_text())
        if facts.get("exam", {}).get("plan_id"):
            return ExamPlan.objects.select_related("announcement").get(pk=facts["exam"]["plan_id"])
    return ExamPlan.objects.select_related("announcement").get(announcement__title__contains="笔试编排")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()

    jobs.start = start_here  # start_on_commit looks it up at commit time
    plan = plan_of_dataset()
    admin = User.objects.get(email="bench-admin@bench.cn")
    announcement_id = plan.announcement_id
    before = fingerprint(announcement_id)
    approved = before["stages"].get(Stage.APPROVED, 0)
    load_before = os.getloadavg()

    timer = Timer()
    instrument(timer)
    clock = SqlClock()
    with connection.execute_wrapper(clock):
        started = time.perf_counter()
        click_started = time.perf_counter()
        job = services.issue_job_create(plan=plan, actor=admin)
        timer.seconds["click"] = time.perf_counter() - click_started
        task_started = time.perf_counter()
        tasks.issue_tickets(job.pk)  # what the worker runs on the message
        task_seconds = time.perf_counter() - task_started
        total = time.perf_counter() - started
    job.refresh_from_db()
    after = fingerprint(announcement_id)
    load_after = os.getloadavg()

    s = timer.seconds
    parts = dict(s)
    parts["existing"] = max(0.0, s["initial_assignment"] - s["shuffle"])
    parts["numbering"] = max(0.0, s["issue_batch"] - s["transition"] - s["tickets"])
    parts["write_back"] = s["notices_job_create"] + s["finish"]  # plus the plan save, in "other"
    known = sum(parts.get(key, 0.0) for key, _label in PARTS)
    parts["other"] = max(0.0, total - known)

    # The second run: the click, a redelivered message, a fresh job.
    second = {}
    started = time.perf_counter()
    try:
        services.issue_job_create(plan=ExamPlan.objects.get(pk=plan.pk), actor=admin)
        second["click"] = "accepted (unexpected)"
    except ValidationError as error:
        second["click"] = "refused: " + "; ".join(str(m) for m in error.messages)
    second["click_seconds"] = time.perf_counter() - started
    started = time.perf_counter()
    tasks.issue_tickets(job.pk)
    second["redelivered_seconds"] = time.perf_counter() - started
    fresh = BackgroundJob.objects.create(
        kind=services.JOB_KIND, created_by=admin, announcement_id=announcement_id, params={"plan": plan.pk}
    )
    started = time.perf_counter()
    tasks.issue_tickets(fresh.pk)
    second["fresh_job_seconds"] = time.perf_counter() - started
    fresh.refresh_from_db()
    second["fresh_job"] = {"status": fresh.status, "done": fresh.done, "total": fresh.total}
    again = fingerprint(announcement_id)
    # The fresh job's own row is the one difference allowed (no second notice job either).
    expected_jobs = {**after["jobs"], services.JOB_KIND: after["jobs"].get(services.JOB_KIND, 0) + 1}
    second["unchanged"] = {k: v for k, v in again.items() if k != "jobs"} == {
        k: v for k, v in after.items() if k != "jobs"
    } and again["jobs"] == expected_jobs

    vacuum_started = time.perf_counter()
    with connection.cursor() as cursor:
        for table in ("applicants_application", "applicants_applicationevent", "exams_ticket", "exams_room"):
            cursor.execute(f"VACUUM ANALYZE {table}")  # fixed names
    vacuum = time.perf_counter() - vacuum_started

    plan.refresh_from_db()
    checks = {
        "job_done": job.status == BackgroundJob.Status.DONE and job.done == job.total == approved,
        "every_approved_seated": after["tickets"] == before["tickets"] + approved,
        "numbers_unique": after["distinct_numbers"] == after["tickets"],
        "stages_moved": after["stages"].get(Stage.TICKET_ISSUED, 0) == approved
        and not after["stages"].get(Stage.APPROVED),
        "audit_rows": after["events"] == before["events"] + approved,
        "plan_issued": plan.tickets_issued_at is not None and plan.seated_count == approved,
        "second_run_refused_click": second["click"].startswith("refused"),
        "second_run_changes_nothing": second["unchanged"],
        "notice_job_queued_not_run": after["jobs"].get(services.NOTICE_KIND) == 1,
    }
    sample = list(Ticket.objects.filter(announcement_id=announcement_id).order_by("number")[:1]) + list(
        Ticket.objects.filter(announcement_id=announcement_id).order_by("-number")[:1]
    )
    result = {
        "candidates": approved,
        "seats": plan_seats(plan),
        "batch_size": services.BATCH_SIZE,
        "seconds": {
            "total": round(total, 2),
            "task": round(task_seconds, 2),
            **{key: round(parts.get(key, 0.0), 3) for key, _label in PARTS},
            "other": round(parts["other"], 3),
        },
        "labels": dict(PARTS),
        "calls": dict(timer.calls),
        "sql": {
            "statements": clock.count,
            "seconds": round(clock.seconds, 2),
            "by_kind": {
                kind: [n, round(sec, 3)]
                for kind, (n, sec) in sorted(clock.by_kind.items(), key=lambda item: -item[1][1])
            },
        },
        "target_seconds": TARGET_SECONDS,
        "met": total < TARGET_SECONDS,
        "load_before": [round(v, 2) for v in load_before],
        "load_after": [round(v, 2) for v in load_after],
        "job": {"status": job.status, "done": job.done, "total": job.total, "seed": plan.seating_seed},
        "numbers": [t.number for t in sample],
        "second_run": {k: (round(v, 3) if isinstance(v, float) else v) for k, v in second.items()},
        "vacuum_seconds": round(vacuum, 2),
        "checks": checks,
        "ok": all(checks.values()),
    }
    print_summary(result)
    if args.out:
        args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1))
    sys.exit(0 if result["ok"] else 1)


def plan_seats(plan: ExamPlan) -> int:
    from exams.selectors.plan import seat_count

    return seat_count(plan)


def print_summary(result: dict) -> None:
    seconds = result["seconds"]
    print(
        f"seating {result['candidates']:,} candidates ({result['seats']:,} seats): {seconds['total']:.2f} s "
        f"(target {result['target_seconds']:.0f} s: {'met' if result['met'] else 'MISSED'}); "
        f"SQL {result['sql']['statements']} statements, {result['sql']['seconds']:.2f} s; "
        f"load {result['load_before'][0]} → {result['load_after'][0]}"
    )
    for key, label in [*PARTS, ("other", "other (Python between the calls, job row reads)")]:
        print(f"  {seconds.get(key, 0):8.3f} s  {label}")
    second = result["second_run"]
    print(
        f"second run: click {second['click']} ({second['click_seconds']:.3f} s); redelivered message "
        f"{second['redelivered_seconds']:.3f} s; fresh job {second['fresh_job_seconds']:.3f} s "
        f"{second['fresh_job']}; unchanged: {second['unchanged']}"
    )
    print("SQL by kind (statements, seconds):")
    for kind, (n, sec) in list(result["sql"]["by_kind"].items())[:10]:
        print(f"  {sec:8.3f} s  {n:6d}  {kind}")
    print(f"numbers {result['numbers']}; checks {result['checks']}")
    print(f"calls {result['calls']}")


if __name__ == "__main__":
    main()
