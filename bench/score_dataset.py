"""Add the results-day dataset (issue 16) to a database bench/build_dataset.py built: one
more announcement of the same applicants whose written results are published.

* BENCH_SCORE_CANDIDATES (default all 50,000) applicants (bench-a0…), each with an
  application in 200 positions, a ticket, and a final written score of two parts
  (公共基础知识 40 + 社区工作知识 60) drawn from a fixed seed; 2 % 缺考, 0.5 % 违纪 (states,
  no score); 3 % with a confirmed bonus claim (社会工作师 5 or 助理社会工作师 3);
* the results computed by the real service (exams.services.written.results_compute: pass
  line 60, bonus, totals, ranks) and published an hour ago (the notices marked sent: the
  run measures the page, not 50,000 e-mails);
* for Locust: 50 signed-in sessions of score holders (the saturation phase) and 2,000
  [email, application id] of holders who log in through the form (the mix).

Writes the facts under "scores" into the dataset JSON (--dataset, bench/out/dataset.json).
Usage: DJANGO_SETTINGS_MODULE=bench.settings python bench/score_dataset.py --dataset FILE
"""

import argparse
import json
import os
import random
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import build_dataset as base  # noqa: E402  (django.setup() happens there)
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from applicants.models import Application, ApplicationEvent, Stage  # noqa: E402
from exams.models import ExamSession, Ticket  # noqa: E402
from exams.models_written import (  # noqa: E402
    BonusClaim,
    ScoreStatus,
    WrittenPartScore,
    WrittenResults,
    WrittenScore,
)
from exams.numbering import Candidate  # noqa: E402
from exams.services import written  # noqa: E402
from recruitment.models import BonusCategory  # noqa: E402

TITLE = "2026年鞍山市夏季公开招聘社区工作者公告（基准测试·成绩查询）"
PARTS = [("公共基础知识", Decimal(40)), ("社区工作知识", Decimal(60))]
HOLDERS = 2000
SESSIONS = 50


def build(dataset_path: Path) -> dict:
    started = time.monotonic()
    facts = json.loads(dataset_path.read_text())
    n = min(
        int(os.environ.get("BENCH_SCORE_CANDIDATES", facts.get("applicants", 50_000))), facts["applicants"]
    )
    rng = random.Random(16)
    now = timezone.now()
    admin = User.objects.get(email="bench-admin@bench.cn")
    with transaction.atomic():
        announcement, positions, plan, rooms = base.exam_announcement(
            admin=admin,
            title=TITLE,
            now=now - timedelta(days=30),
            n_positions=200,
            n_candidates=n,
            window_open=True,
        )
        # The exam was three weeks ago.
        exam_day = timezone.localtime(now - timedelta(days=21)).replace(
            hour=9, minute=0, second=0, microsecond=0
        )
        ExamSession.objects.filter(plan=plan).update(
            starts_at=exam_day,
            ends_at=exam_day + timedelta(hours=2),
            parts=[{"name": p, "marks": str(m)} for p, m in PARTS],
            closed_at=exam_day + timedelta(hours=4),
        )
        categories = [
            BonusCategory.objects.create(announcement=announcement, name="社会工作师", points=Decimal(5)),
            BonusCategory.objects.create(announcement=announcement, name="助理社会工作师", points=Decimal(3)),
        ]
    users = list(
        User.objects.filter(email__regex=r"^bench-a[0-9]+@")  # the applicants, not bench-admin
        .order_by("pk")
        .values_list("pk", "email", "name")[:n]
    )
    aid = base.next_id(Application)
    applications, events = [], []
    ev_id = base.next_id(ApplicationEvent)
    at = now - timedelta(days=60)
    for k, (user_id, _email, name) in enumerate(users):
        draw = rng.random()
        stage = Stage.ABSENT if draw < 0.02 else Stage.DISQUALIFIED if draw < 0.025 else Stage.WRITTEN_SCORED
        applications.append(
            Application(
                id=aid + k,
                applicant_id=user_id,
                announcement_id=announcement.pk,
                position_id=positions[rng.randrange(len(positions))].pk,
                stage=stage,
                version=5,
                snapshot={"real_name": name, "photo": ""},
                eligibility=base.ELIGIBILITY_PASSED,
                eligibility_outcome=base.EligibilityOutcome.PASSED,
                declaration_accepted_at=at,
                submitted_at=at,
                decided_at=at + timedelta(days=2),
            )
        )
        events.append(
            ApplicationEvent(
                id=ev_id + k,
                application_id=aid + k,
                actor_id=admin.pk,
                from_stage=Stage.TICKET_ISSUED,
                to_stage=stage,
                reason="笔试成绩已登记",
                at=now - timedelta(days=2),
            )
        )
    tickets = base.seat_tickets(
        plan,
        rooms,
        [Candidate(a.pk, a.position_id) for a in applications],
        now=now - timedelta(days=25),
        admin=admin,
    )
    ticket_of = {t.application_id: t for t in tickets}
    sid, part_id = base.next_id(WrittenScore), base.next_id(WrittenPartScore)
    scores, parts, claims = [], [], []
    claim_id = base.next_id(BonusClaim)
    for k, application in enumerate(applications):
        status = {
            Stage.ABSENT: ScoreStatus.ABSENT,
            Stage.DISQUALIFIED: ScoreStatus.DISQUALIFIED,
        }.get(application.stage, ScoreStatus.SCORED)
        points = []
        if status == ScoreStatus.SCORED:
            points = [Decimal(rng.randint(800, 3900)) / 100, Decimal(rng.randint(1500, 5900)) / 100]
        scores.append(
            WrittenScore(
                id=sid + k,
                ticket_id=ticket_of[application.pk].pk,
                announcement_id=announcement.pk,
                position_id=application.position_id,
                status=status,
                raw=sum(points, Decimal(0)) if points else None,
                full_marks=Decimal(100),
                source=WrittenScore.Source.IMPORT,
                entered_by_id=admin.pk,
            )
        )
        for index, ((name, full), value) in enumerate(zip(PARTS, points, strict=False)):
            parts.append(
                WrittenPartScore(
                    id=part_id + len(parts),
                    score_id=sid + k,
                    index=index,
                    name=name,
                    points=value,
                    full_marks=full,
                )
            )
        if points and rng.random() < 0.03:
            claims.append(
                BonusClaim(
                    id=claim_id + len(claims),
                    application_id=application.pk,
                    category=rng.choice(categories),
                    status=BonusClaim.Status.CONFIRMED,
                    reviewed_by_id=admin.pk,
                    reviewed_at=now - timedelta(days=40),
                )
            )
    with transaction.atomic():
        base.copy_rows(Application, applications)
        base.copy_rows(Ticket, tickets)
        base.copy_rows(ApplicationEvent, events)
        base.copy_rows(WrittenScore, scores)
        base.copy_rows(WrittenPartScore, parts)
        base.copy_rows(BonusClaim, claims)
        base.reset_sequences(
            Application, Ticket, ApplicationEvent, WrittenScore, WrittenPartScore, BonusClaim
        )
    t_copy = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    written.results_touch(announcement.pk)
    written.results_compute(announcement=announcement, actor=admin)
    WrittenResults.objects.filter(announcement=announcement).update(
        published_at=now - timedelta(hours=1),
        bonus_published_at=now - timedelta(hours=1),
        published_by=admin,
        notified_at=now - timedelta(hours=1),
    )
    t_done = time.monotonic()
    by_user = {a.applicant_id: a.pk for a in applications}
    holders = [[email, by_user[user_id]] for user_id, email, _name in users[:HOLDERS]]
    # Signed-in sessions for the saturation phase: the last holders (the mix logs in the first).
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    sessions = []
    for user in User.objects.filter(pk__in=[u for u, _e, _n in users[-SESSIONS:]]):
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "allauth.account.auth_backends.AuthenticationBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        sessions.append({"session": store.session_key, "application": by_user[user.pk]})
    facts["scores"] = {
        "announcement_id": announcement.pk,
        "candidates": len(applications),
        "scored": sum(1 for s in scores if s.status == ScoreStatus.SCORED),
        "bonus_claims": len(claims),
        "parts": len(parts),
        "holders": holders,
        "sessions": sessions,
        "seconds": {"copy": round(t_copy - started, 1), "compute": round(t_done - t_copy, 1)},
    }
    dataset_path.write_text(json.dumps(facts, ensure_ascii=False, indent=1))
    shown = {k: v for k, v in facts["scores"].items() if k not in ("holders", "sessions")}
    print(json.dumps(shown, ensure_ascii=False))
    return facts


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--dataset", type=Path, default=ROOT / "bench" / "out" / "dataset.json")
    build(parser.parse_args().dataset)
