"""Helpers of the ranking tests: an announcement past its interviews, built cheaply (tickets
issued through the service, written scores written directly, stages set), with the interview
inputs served by a stand-in for exams.selectors.interview.interview_inputs (H17b's models are
exercised by their own tests; the contract is the dict)."""

from __future__ import annotations

from decimal import Decimal

from applicants.models import Application, Stage
from exams.models import Ticket, WrittenScore
from exams.services import ranking as services
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
    monkeypatch.setattr(services, "interview_inputs", stand_in)
    monkeypatch.setattr(services, "interview_subscores", lambda announcement: {})
    for app in apps:
        app.refresh_from_db()
    assert Ticket.objects.filter(announcement=plan.announcement).count() == len(written)
    return plan.announcement, apps, stand_in


def seven(score) -> tuple[str, ...]:
    """Seven examiners giving the same score: the trimmed mean is that score."""
    return (str(score),) * 7
