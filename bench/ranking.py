"""Ranking 100,000 interviewed candidates over 2,000 positions (issue 17: under 60 s, and
within 2× of an SQL baseline).

Drops and recreates the database DATABASE_URL names (PostgreSQL; default
postgres://postgres@127.0.0.1:5432/bench_ranking), migrates, and builds with COPY one
announcement of BENCH_RANK_POSITIONS positions (default 2,000) and BENCH_RANK_CANDIDATES
applications (default 100,000) at stage 已面试, each with a ticket, a written score (one
decimal, so ties happen) and an interview: positions are paired, each pair interviewed by 4
groups (面试组) of about 25, 7 examiners a group, every candidate signed off with 7 scores
(1 % absent); scores carry a group bias so the room correction (修正系数, pooled mean over
the linked groups) matters. Settings: room correction on, 50/50, interview line 60, the
default tie-breakers, 加试 for an unresolved tie at the last post.

Then it times the real job body (exams.services.ranking.ranking_run: claim, read, compute
through exams.scoring and write one version with COPY, finish) with each phase's time: once on
one connection (DB_THREADS off), then BENCH_ROUNDS rounds (default 5) of the job on two
connections followed by an SQL baseline over the same rows — one statement computing the
trimmed means, room means, coefficients, corrected interview scores, composites and rank()
per position — and the verdict on the median of the rounds' ratios (on a shared host the CPU's
speed drifts within a minute: each job is set beside a baseline run right after it); then the
same job again (same fingerprint: no new version). It asserts that both paths write the same
rows and that the baseline's ranks (and composites) equal the stored version's, row for row.

Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_ranking .venv/bin/python bench/ranking.py
BENCH_REUSE=1 reruns the timing on the dataset the last run left (its versions deleted);
BENCH_ROUNDS=n sets the rounds.
Writes bench/RANKING.md.
"""

import io
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from datetime import time as dt_time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_ranking")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/5")

N = int(os.environ.get("BENCH_RANK_CANDIDATES", 100_000))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", 5))
P = int(os.environ.get("BENCH_RANK_POSITIONS", 2_000))
EXAMINERS = 7
GROUPS_PER_PAIR = 4
TITLE = "2026年鞍山市公开招聘社区工作者公告（基准测试·综合成绩排名）"
TARGET_SECONDS = 60
TWINS = 0.03  # share of candidates made equal in every respect to another of their group and position


def copy_tuples(table, columns, rows):
    """COPY plain tuples (already in PostgreSQL text form or None) into `table`."""
    from django.db import connection

    buf = io.StringIO()
    for row in rows:
        buf.write("\t".join("\\N" if v is None else str(v) for v in row))
        buf.write("\n")
    buf.seek(0)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buf)


def build():
    from build_dataset import (
        copy_rows,
        exam_announcement,
        exam_application,
        next_id,
        reset_sequences,
        seat_tickets,
    )
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import User
    from applicants.models import Application, Stage
    from exams import scoring
    from exams.models import Ticket
    from exams.models_interview import InterviewCandidate, InterviewExaminer, InterviewGroup, InterviewScore
    from exams.models_rules import RankingSettings
    from exams.models_written import WrittenScore
    from exams.numbering import Candidate as Seat

    call_command("migrate", verbosity=0)
    rng = random.Random(20261130)
    now = timezone.now().replace(microsecond=0)
    started = time.perf_counter()
    with transaction.atomic():
        admin = User.objects.create(email="bench-admin@bench.cn", name="管理员", is_active=True)
        User.objects.filter(pk=admin.pk).update(password=make_password("Bench@2026pass"))
        announcement, positions, plan, rooms = exam_announcement(
            admin=admin,
            title=TITLE,
            now=now - timedelta(days=60),
            n_positions=P,
            n_candidates=N,
            window_open=False,
        )
        for index, position in enumerate(positions):  # quota about a third of the candidates
            position.quota = position.original_quota = 8 + index % 10
        type(positions[0]).objects.bulk_update(positions, ["quota", "original_quota"])
        RankingSettings.objects.update_or_create(
            announcement=announcement, defaults={"room_correction": "pooled_mean"}
        )
        first_user = next_id(User)
        users = [
            User(id=first_user + i, email=f"rank{i}@bench.cn", name=f"考生{i}", password="!", is_active=True)
            for i in range(N)
        ]
        copy_rows(User, users)
        examiners = [
            User(id=first_user + N + k, email=f"rank-examiner{k}@bench.cn", name=f"考官{k}", password="!")
            for k in range(EXAMINERS)
        ]
        copy_rows(User, examiners)
        first_app = next_id(Application)
        apps = []
        per_position = N // P
        twins = {}  # i → the candidate 4 places earlier (same position, same group) it equals in every respect
        raws = []
        for i in range(N):
            position = positions[min(i // per_position, P - 1)]
            born = date(1990, 1, 1) + timedelta(days=rng.randrange(0, 3000, 30))
            snapshot = {
                "real_name": f"测试考生{i}",
                "birth_date": born.isoformat(),
                "education": [{"level": rng.choice([20, 30, 30, 40])}],
                "political_status": "masses",
            }
            raw = Decimal(rng.randrange(550, 950)) / 10
            if i % per_position >= 4 and rng.random() < TWINS:
                twins[i] = i - 4
                twin = apps[i - 4].snapshot
                snapshot.update(birth_date=twin["birth_date"], education=twin["education"])
                raw = raws[i - 4]
            raws.append(raw)
            apps.append(
                exam_application(
                    pk=first_app + i,
                    applicant_id=first_user + i,
                    announcement_id=announcement.pk,
                    position_id=position.pk,
                    stage=Stage.INTERVIEWED,
                    snapshot=snapshot,
                    reviewer_id=admin.pk,
                    at=now - timedelta(days=50),
                )
            )
        copy_rows(Application, apps)
        tickets = seat_tickets(plan, rooms, [Seat(a.pk, a.position_id) for a in apps], now=now, admin=admin)
        copy_rows(Ticket, tickets)
        first_score = next_id(WrittenScore)
        written = {}
        scores = []
        for k, ticket in enumerate(tickets):
            app = apps[ticket.application_id - first_app]
            raw = raws[ticket.application_id - first_app]
            written[app.pk] = raw
            scores.append(
                WrittenScore(
                    id=first_score + k,
                    ticket_id=ticket.pk,
                    announcement_id=announcement.pk,
                    position_id=app.position_id,
                    status="scored",
                    raw=raw,
                    full_marks=Decimal(100),
                    source="import",
                    entered_by_id=admin.pk,
                )
            )
        copy_rows(WrittenScore, scores)
        # Interview groups: each pair of positions is interviewed by GROUPS_PER_PAIR groups.
        day = (now - timedelta(days=7)).date()
        first_group = next_id(InterviewGroup)
        pairs = (P + 1) // 2
        groups = [
            InterviewGroup(
                id=first_group + g,
                announcement_id=announcement.pk,
                code=f"G{g + 1:05d}",
                name=f"第{g + 1}面试组",
                date=day,
                starts_at=dt_time(8, 30),
                place="鞍山市人才服务中心",
                created_by_id=admin.pk,
            )
            for g in range(pairs * GROUPS_PER_PAIR)
        ]
        copy_rows(InterviewGroup, groups)
        first_examiner = next_id(InterviewExaminer)
        seats = [
            InterviewExaminer(
                id=first_examiner + g * EXAMINERS + k,
                group_id=group.pk,
                user_id=examiners[k].pk,
                chief=k == 0,
                added_by_id=admin.pk,
            )
            for g, group in enumerate(groups)
            for k in range(EXAMINERS)
        ]
        copy_rows(InterviewExaminer, seats)
        bias = {group.pk: Decimal(rng.randrange(-40, 41)) / 10 for group in groups}
        first_candidate = next_id(InterviewCandidate)
        rules = scoring.Rules()
        candidate_rows = []
        score_rows = []
        position_index = {p.pk: i for i, p in enumerate(positions)}
        counters = {}
        totals_of = {}
        stamp = now.isoformat()
        for i, app in enumerate(apps):
            pair = position_index[app.position_id] // 2
            seq = counters.get(pair, 0)
            counters[pair] = seq + 1
            g = pair * GROUPS_PER_PAIR + seq % GROUPS_PER_PAIR
            group = groups[g]
            candidate_id = first_candidate + i
            absent = rng.random() < 0.01
            if absent:
                candidate_rows.append((candidate_id, group.pk, app.pk, None, "absent", None, None, None))
                continue
            ability = Decimal(rng.randrange(600, 900)) / 10 + bias[group.pk]
            totals = [
                min(Decimal(100), max(Decimal(0), ability + Decimal(rng.randrange(-30, 31)) / 10))
                for _ in range(EXAMINERS)
            ]
            if twins.get(i) in totals_of:
                totals = totals_of[twins[i]]
            totals_of[i] = totals
            mean = scoring.interview_score(totals, rules)
            candidate_rows.append(
                (candidate_id, group.pk, app.pk, seq // GROUPS_PER_PAIR + 1, "present", stamp, admin.pk, mean)
            )
            for k, total in enumerate(totals):
                score_rows.append((candidate_id, first_examiner + g * EXAMINERS + k, total, "{}", "t", stamp))
        copy_tuples(
            InterviewCandidate._meta.db_table,
            [
                "id",
                "group_id",
                "application_id",
                '"order"',
                "attendance",
                "signed_off_at",
                "signed_off_by_id",
                "score",
                "created_at",
                "late_reason",
            ],
            [(*row, stamp, "") for row in candidate_rows],
        )
        copy_tuples(
            InterviewScore._meta.db_table,
            ["candidate_id", "examiner_id", "total", "parts", "locked", "submitted_at"],
            score_rows,
        )
        reset_sequences(
            User,
            Application,
            Ticket,
            WrittenScore,
            InterviewGroup,
            InterviewExaminer,
            InterviewCandidate,
            InterviewScore,
        )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return announcement, admin, time.perf_counter() - started, len(score_rows)


SQL_BASELINE = """
WITH signed AS (
    SELECT c.id AS candidate_id, c.group_id, a.id AS application_id, a.position_id,
           (SELECT max((e->>'level')::int) FROM jsonb_array_elements(a.snapshot->'education') e) AS education,
           (a.snapshot->>'birth_date')::date AS birth_date,
           w.raw AS written
      FROM exams_interviewcandidate c
      JOIN applicants_application a ON a.id = c.application_id
      JOIN exams_ticket t ON t.application_id = a.id
      JOIN exams_writtenscore w ON w.ticket_id = t.id AND w.status = 'scored'
     WHERE a.announcement_id = %(announcement)s AND c.signed_off_at IS NOT NULL
), ordered AS (
    SELECT s.candidate_id, s.total,
           row_number() OVER (PARTITION BY s.candidate_id ORDER BY s.total) AS lo,
           count(*) OVER (PARTITION BY s.candidate_id) AS n
      FROM exams_interviewscore s
      JOIN exams_interviewexaminer x ON x.id = s.examiner_id AND x.active
     WHERE s.candidate_id IN (SELECT candidate_id FROM signed)
), raw AS (
    SELECT candidate_id,
           round(avg(total) FILTER (WHERE n < 5 OR (lo > 1 AND lo < n)), 2) AS interview_raw
      FROM ordered GROUP BY candidate_id
), base AS (
    SELECT g.*, r.interview_raw,
           min(g.position_id) OVER (PARTITION BY g.group_id) AS scope
      FROM signed g JOIN raw r USING (candidate_id)
), rooms AS (
    SELECT group_id, round(avg(interview_raw), 2) AS room_mean FROM base GROUP BY group_id
), scopes AS (
    SELECT scope, round(avg(interview_raw), 2) AS overall FROM base GROUP BY scope
), corrected AS (
    SELECT b.*, round(s.overall / m.room_mean, 3) AS coefficient,
           round(b.interview_raw * round(s.overall / m.room_mean, 3), 2) AS interview
      FROM base b JOIN rooms m USING (group_id) JOIN scopes s USING (scope)
), composite AS (
    SELECT c.*, round(c.written * 0.5 + c.interview * 0.5, 2) AS composite FROM corrected c
)
SELECT application_id, composite,
       rank() OVER (PARTITION BY position_id
                    ORDER BY composite DESC, written DESC, interview DESC, education DESC,
                             birth_date DESC NULLS LAST) AS rank
  FROM composite
"""


def main():
    reuse = os.environ.get("BENCH_REUSE") == "1"
    if not reuse:
        from exam_seating import recreate_database

        recreate_database()
    import django

    django.setup()
    from django.db import connection

    from accounts.models import User
    from exams.models_ranking import RankingRow, RankingVersion
    from exams.services import ranking as services
    from portal.models import BackgroundJob
    from recruitment.models import Announcement

    load_before = os.getloadavg()
    if reuse:
        announcement = Announcement.objects.get(title=TITLE)
        admin = User.objects.get(email="bench-admin@bench.cn")
        RankingRow.objects.filter(version__announcement=announcement).delete()
        RankingVersion.objects.filter(announcement=announcement).delete()
        build_seconds, n_scores = None, None
    else:
        announcement, admin, build_seconds, n_scores = build()
        print(f"built in {build_seconds:.1f} s")

    phases = {}

    def timed(name, function):
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            cpu = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                phases[name] = (time.perf_counter() - start, time.process_time() - cpu)

        return wrapper

    real = (services.assemble, services.compute_and_write, services.fingerprint)
    services.assemble = timed("read", real[0])
    services.compute_and_write = timed("compute and write", real[1])
    services.fingerprint = timed("fingerprint", real[2])

    def run_job():
        job = BackgroundJob.objects.create(
            kind=services.JOB_KIND, created_by=admin, announcement_id=announcement.pk, total=1
        )
        start = time.perf_counter()
        cpu = time.process_time()
        services.ranking_run(job)
        job.refresh_from_db()
        return job, time.perf_counter() - start, time.process_time() - cpu

    from django.test import override_settings

    # The serial path first (one connection: DB_THREADS off), then the default.
    with override_settings(DB_THREADS=False):
        serial_job, serial_total, serial_cpu = run_job()
    assert serial_job.status == "done", serial_job.error
    serial_phases = dict(phases)
    serial_version = RankingVersion.objects.get(pk=serial_job.params["version"])
    serial_rows = sorted(
        RankingRow.objects.filter(version=serial_version).values_list(*services.ROW_COLUMNS[1:])
    )
    RankingRow.objects.filter(version=serial_version).delete()
    serial_version.delete()

    def baseline():
        with connection.cursor() as cursor:
            start = time.perf_counter()
            cursor.execute(SQL_BASELINE, {"announcement": announcement.pk})
            rows = cursor.fetchall()
            return rows, time.perf_counter() - start

    # Rounds of (the job, then the SQL baseline): on a shared host the CPU's speed drifts by
    # half within a minute, so each job is set beside a baseline run right after it, and the
    # verdict is on the median of the rounds' ratios.
    rounds = []
    for number in range(ROUNDS):
        RankingRow.objects.filter(version__announcement=announcement).delete()
        RankingVersion.objects.filter(announcement=announcement).delete()
        phases.clear()
        job, total, total_cpu = run_job()
        assert job.status == "done", job.error
        version = RankingVersion.objects.get(pk=job.params["version"])
        if number == 0:
            assert (
                sorted(RankingRow.objects.filter(version=version).values_list(*services.ROW_COLUMNS[1:]))
                == serial_rows
            ), "the two paths wrote different rows"
            del serial_rows
        sql_rows, sql_seconds = baseline()
        rounds.append((total, total_cpu, dict(phases), sql_seconds))
    phases.clear()
    job2, total2, _cpu2 = run_job()
    assert job2.params["version"] == version.pk and job2.params["created"] is False
    services.assemble, services.compute_and_write, services.fingerprint = real

    # The last baseline's rows, checked row for row against the last version.
    ours = {
        app: (composite, rank)
        for app, composite, rank in RankingRow.objects.filter(version=version, absent=False).values_list(
            "application_id", "composite", "rank"
        )
    }
    theirs = {app: (composite, rank) for app, composite, rank in sql_rows}
    mismatches = [
        (app, ours.get(app), theirs.get(app))
        for app in set(ours) | set(theirs)
        if ours.get(app) != theirs.get(app)
    ]
    assert not mismatches, f"{len(mismatches)} rows differ from the SQL baseline, e.g. {mismatches[:5]}"
    counts = {
        "ranked": len(ours),
        "absent": RankingRow.objects.filter(version=version, absent=True).count(),
        "proposed": RankingRow.objects.filter(version=version, proposed=True).count(),
        "tied": RankingRow.objects.filter(version=version, tie_group__isnull=False).count(),
        "extra_test": RankingRow.objects.filter(version=version, extra_test=True).count(),
        "not_eligible": RankingRow.objects.filter(version=version, absent=False, eligible=False).count(),
    }
    load_after = os.getloadavg()
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        pg = cursor.fetchone()[0].split(" on ")[0]
    ratios = sorted(job_s / sql_s for job_s, _cpu, _phases, sql_s in rounds)
    ratio = statistics.median(ratios)
    total = statistics.median(r[0] for r in rounds)
    sql_seconds = statistics.median(r[3] for r in rounds)
    phase_names = list(rounds[0][2])
    lines = [
        "# Ranking benchmark (issue 17)",
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}. Machine: {os.cpu_count()} cores (shared with whatever else runs: see the load);"
        f" load average {load_before[0]:.2f} / {load_before[1]:.2f} / {load_before[2]:.2f} (1/5/15 min) at the start,"
        f" {load_after[0]:.2f} / {load_after[1]:.2f} / {load_after[2]:.2f} at the end; {pg}; Python {sys.version.split()[0]}.",
        "",
        f"Dataset: {N:,} candidates at stage 已面试 over {P:,} positions (quota 8–17), each with a ticket, a written"
        f" score and {EXAMINERS} signed-off examiner scores ({f'{n_scores:,}' if n_scores else 'the existing'} score rows);"
        f" {GROUPS_PER_PAIR} interview groups per pair of positions (room correction: pooled mean over the linked groups,"
        f" coefficient to 3 places); 1 % absent at the interview."
        + (f" Built with COPY in {build_seconds:.0f} s (not timed below)." if build_seconds else ""),
        "",
        f"Each round: the ranking job end to end (claim, read, compute and write, finish), then the SQL"
        f" baseline over the same rows. {ROUNDS} rounds; seconds of wall time (CPU seconds of this process).",
        "",
        "| round | **job** | "
        + " | ".join(f"· {name}" for name in phase_names)
        + " | SQL baseline | **ratio** |",
        "|---|---:|" + "---:|" * len(phase_names) + "---:|---:|",
        *[
            f"| {index} | **{job_s:.1f}** ({cpu:.1f}) | "
            + " | ".join(f"{phases_[name][0]:.1f} ({phases_[name][1]:.1f})" for name in phase_names)
            + f" | {sql_s:.1f} | **{job_s / sql_s:.2f}×** |"
            for index, (job_s, cpu, phases_, sql_s) in enumerate(rounds, 1)
        ],
        "",
        "| other runs | seconds (wall) | CPU s of this process |",
        "|---|---:|---:|",
        f"| the same job on one connection (`DB_THREADS=false`: each phase waits for the last) | {serial_total:.1f} | {serial_cpu:.1f} |",
        *[f"| · {name} | {wall:.1f} | {cpu:.1f} |" for name, (wall, cpu) in serial_phases.items()],
        f"| the same job again (read and fingerprint; the stored version is the result, nothing computed or written) | {total2:.1f} | |",
        "",
        f"Target: under {TARGET_SECONDS} s end to end — {'met' if max(r[0] for r in rounds) < TARGET_SECONDS else 'NOT met'}"
        f" (median {total:.1f} s, slowest {max(r[0] for r in rounds):.1f} s)."
        f" Against the SQL baseline: median ratio {ratio:.2f}× (rounds {ratios[0]:.2f}–{ratios[-1]:.2f}×; medians"
        f" {total:.1f} s against {sql_seconds:.1f} s); goal within 2×: {'met' if ratio <= 2 else 'not met'}"
        f" ({sum(r <= 2 for r in ratios)} of {len(ratios)} rounds at or under 2×).",
        "",
        f"Check: the SQL baseline's composite and rank() equal the stored version's for all {len(ours):,} ranked"
        f" candidates, and the one-connection run wrote the same rows (both asserted row for row)."
        f" Version {version.number}: {counts}.",
        "",
        "Phases: read = exams.services.ranking.assemble (the pool, applications with snapshots, written scores, bonus,"
        " tickets, and the 700,000 examiner scores through exams.selectors.interview.interview_inputs — on a second"
        " connection while the first reads the rest, portal.db_threads); fingerprint = sha256 of the canonical JSON"
        " of every input; compute and write = exams.services.ranking_write.compute_and_write: room coefficients per"
        " linked scope and exams.scoring.rank per position, while a writer thread on a second connection COPYs each"
        " chunk of 5,000 rows (foreign keys checked per chunk) in one transaction under the announcement's lock.",
        "The SQL baseline only computes and returns (application, composite, rank); it writes nothing, builds no"
        " Candidate, computes no fingerprint, no eligibility, no proposal, no 加试 group.",
        "",
        "Reproduce: `DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_ranking .venv/bin/python bench/ranking.py`"
        " (`BENCH_REUSE=1` reruns the timing on the last dataset; `BENCH_ROUNDS` sets the rounds, default 5).",
    ]
    (ROOT / "bench" / "RANKING.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
