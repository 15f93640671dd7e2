"""Helpers of the ranking tests: an announcement past its interviews, built cheaply (tickets
issued through the service, written scores written directly, stages set), with the interview
inputs served by a stand-in for exams.selectors.interview.interview_inputs (H17b's models are
exercised by their own tests; the contract is the dict)."""

from __future__ import annotations

from decimal import Decimal

from applicants.models import Application, Stage
from exams import scoring
from exams.models import Ticket, WrittenScore
from exams.services import ranking as services
from exams.services import ranking_inputs
from tests.exams.written_factories import issued_exam

D = Decimal


class Interviews:
    """A mutable interview_inputs stand-in: app id → (group code, scores or None)."""

    def __init__(self):
        self.data: dict[int, tuple[str, tuple[Decimal, ...] | None]] = {}

    def __call__(self, announcement):
        return dict(self.data)


def interviewed(admin, capture, monkeypatch, *, written, interview, positions=1, rooms=None):
    """An announcement whose candidates (one per entry of `written`, spread over `positions`
    in turn) sat the written exam with those raw scores (None = absent) and the interview
    with `interview[i]` (a tuple of examiner scores, None = absent). rooms: group code per
    candidate (default "A"). Returns (announcement, applications in order, the stand-in)."""
    plan, tickets = issued_exam(admin, capture, candidates=len(written), positions=positions)
    by_app = {t.application_id: t for t in tickets}
    apps = sorted((t.application for t in tickets), key=lambda a: a.pk)
    # make_exam spreads candidates over positions in creation order: keep that order.
    stand_in = Interviews()
    for index, app in enumerate(apps):
        ticket = by_app[app.pk]
        raw = written[index]
        WrittenScore.objects.create(
            ticket=ticket,
            announcement=plan.announcement,
            position=app.position,
            status="scored" if raw is not None else "absent",
            raw=None if raw is None else D(raw),
            full_marks=D(100),
            source="import",
            entered_by=admin,
        )
        scores = interview[index]
        stand_in.data[app.pk] = (
            (rooms[index] if rooms else "A"),
            None if scores is None else tuple(D(s) for s in scores),
        )
    Application.objects.filter(pk__in=[a.pk for a in apps]).update(stage=Stage.INTERVIEWED)
    # Where assemble looks them up (exams.services.ranking re-exports them).
    monkeypatch.setattr(ranking_inputs, "interview_inputs", stand_in)
    monkeypatch.setattr(ranking_inputs, "interview_subscores", lambda announcement: {})
    for app in apps:
        app.refresh_from_db()
    assert Ticket.objects.filter(announcement=plan.announcement).count() == len(written)
    return plan.announcement, apps, stand_in


def seven(score) -> tuple[str, ...]:
    """Seven examiners giving the same score: the trimmed mean is that score."""
    return (str(score),) * 7


def probe_version(announcement, position, apps, admin):
    """For the permission probe and the frame test: a confirmed, published version of
    `announcement` where the two applications `apps` tie for one post (a 加试 pending), and a
    finished ranking job. Written directly (the probe's world has no interview)."""
    from django.utils import timezone

    from exams.models_ranking import RankingRow, RankingVersion
    from exams.selectors.written import mask_name
    from portal.models import BackgroundJob

    now = timezone.now()
    version = RankingVersion.objects.create(
        announcement=announcement,
        number=1,
        fingerprint="probe",
        rules=services.rules_mapping(scoring.Rules()),
        quotas={str(position.pk): 1},
        status=RankingVersion.Status.CONFIRMED,
        candidates=len(apps),
        created_by=admin,
        confirmed_by=admin,
        confirmed_at=now,
        published_by=admin,
        published_at=now,
    )
    for order, app in enumerate(apps, 1):
        ticket = getattr(app, "exam_ticket", None)
        RankingRow.objects.create(
            version=version,
            position=position,
            application=app,
            order=order,
            ticket_number=ticket.number if ticket else "",
            masked_name=mask_name(app.snapshot.get("real_name", "")),
            room="A",
            written_total=D("80.00"),
            interview_raw=D("70.00"),
            coefficient=D(1),
            interview=D("70.00"),
            composite=D("75.00"),
            rank=1,
            eligible=True,
            extra_test=True,
            tie_group=1,
        )
    job = BackgroundJob.objects.create(
        kind=services.JOB_KIND,
        created_by=admin,
        announcement_id=announcement.pk,
        total=2,
        done=2,
        status=BackgroundJob.Status.DONE,
        params={"version": version.pk, "created": True},
    )
    return version, job
