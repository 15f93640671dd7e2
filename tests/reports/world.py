"""A hand-built announcement with known numbers at every step of the funnel.

Two positions. Every application's history is written as audit rows at fixed times
(Beijing time), so each count below is worked out by hand:

P1 (quota 2), eight applications
  a1  draft only                                              registered
  a2  submitted 11-02 → withdrawn                             + submitted
  a3  submitted 11-02 → rejected (R1, 11-04)                  + submitted
  a4  submitted 11-03 → returned (R1, 11-04) → submitted 11-05 → approved (R1, 11-05)
      → ticket printed, present, written 45 of 100 (failed)   + approved, printed, sat
  a5  submitted 11-03 → approved (R1, 11-04) → printed, 80 passed → shortlisted →
      interviewed → ranked → proposed → public notice → hired  every step
  a6  submitted 11-03 → approved (R2, 11-04) → printed, 70 passed → shortlisted →
      interviewed → ranked → proposed → declined               up to proposed
  a7  submitted 11-03 → approved (R2, 11-04) → not printed, absent   + approved
  a8  submitted 11-03 → approved (R2, 11-04) → printed, 65 passed → not shortlisted
P2 (quota 1), two applications
  b1  submitted 11-02 → approved (R2, 11-04) → printed, 90 passed → … → hired
  b2  submitted 11-03, waiting

Hiring: proposals of a5 (composite 82.50, hired), a6 (80.10, gave up) and b1 (88.00, hired).

Funnel: registered 10, submitted 9, approved 6, ticket printed 5, sat 5, passed 4,
shortlisted 3, interviewed 3, proposed 3, hired 2.
First submissions per day: 11-02: a2 a3 b1 = 3; 11-03: a4 a5 a6 a7 a8 b2 = 6.
Decisions: R1 11-04: a3, a4 (return), a5 = 3; R1 11-05: a4 = 1; R2 11-04: a6 a7 a8 b1 = 4.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from applicants.models import Application, ApplicationEvent, Stage
from exams.models import Attendance, Ticket
from exams.models_written import PositionResult, ScoreStatus, WrittenScore
from tests.applicants.factories import ApplicationFactory, ReasonFactory, assign
from tests.exams.factories import PlanFactory, RoomFactory, SessionFactory, VenueFactory
from tests.factories import UserFactory
from tests.recruitment.factories import AnnouncementFactory, PositionFactory

BEIJING = ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int = 10) -> datetime:
    return datetime(2026, 11, day, hour, 0, tzinfo=BEIJING)


@dataclass
class World:
    announcement: object
    p1: object
    p2: object
    admin: object
    r1: object
    r2: object
    apps: dict = field(default_factory=dict)


def _event(application, actor, from_stage, to_stage, when):
    event = ApplicationEvent.objects.create(
        application=application, actor=actor, from_stage=from_stage, to_stage=to_stage
    )
    ApplicationEvent.objects.filter(pk=event.pk).update(at=when)  # `at` is auto_now_add


def _history(application, steps, **fields):
    """steps: [(to_stage, actor, when)], starting from draft; the application ends in the last."""
    previous = Stage.DRAFT
    for to_stage, actor, when in steps:
        _event(application, actor, previous, to_stage, when)
        previous = to_stage
    Application.objects.filter(pk=application.pk).update(stage=previous, **fields)


def build() -> World:
    admin = UserFactory(role="administrator", name="管理员甲")
    r1 = UserFactory(role="reviewer", name="审核员一")
    r2 = UserFactory(role="reviewer", name="审核员二")
    announcement = AnnouncementFactory(title="统计测试公告", created_by=admin)
    p1 = PositionFactory(announcement=announcement, code="P1", name="社区专职工作者", quota=2)
    p2 = PositionFactory(announcement=announcement, code="P2", name="社区网格员", quota=1)
    assign(r1, announcement)
    world = World(announcement, p1, p2, admin, r1, r2)
    reason = ReasonFactory(code="report-reason")

    def app(key, position):
        application = ApplicationFactory(position=position, stage=Stage.DRAFT)
        world.apps[key] = application
        return application

    a1 = app("a1", p1)
    _event(a1, a1.applicant, "", Stage.DRAFT, at(2, 9))
    a2 = app("a2", p1)
    u = a2.applicant
    _history(a2, [(Stage.SUBMITTED, u, at(2)), (Stage.WITHDRAWN, u, at(3))])
    a3 = app("a3", p1)
    _history(
        a3, [(Stage.SUBMITTED, a3.applicant, at(2)), (Stage.REJECTED, r1, at(4))], rejection_reason=reason
    )
    a4 = app("a4", p1)
    _history(
        a4,
        [
            (Stage.SUBMITTED, a4.applicant, at(3)),
            (Stage.RETURNED, r1, at(4)),
            (Stage.SUBMITTED, a4.applicant, at(5, 9)),
            (Stage.APPROVED, r1, at(5)),
            (Stage.TICKET_ISSUED, admin, at(6)),
            (Stage.WRITTEN_SCORED, admin, at(8)),
        ],
    )
    through_hire = [
        (Stage.TICKET_ISSUED, admin, at(6)),
        (Stage.WRITTEN_SCORED, admin, at(8)),
        (Stage.SHORTLISTED, admin, at(9)),
        (Stage.INTERVIEWED, admin, at(10)),
        (Stage.RANKED, admin, at(11)),
        (Stage.PROPOSED, admin, at(12)),
    ]
    a5 = app("a5", p1)
    _history(
        a5,
        [(Stage.SUBMITTED, a5.applicant, at(3)), (Stage.APPROVED, r1, at(4)), *through_hire]
        + [(Stage.PUBLIC_NOTICE, admin, at(13)), (Stage.HIRED, admin, at(20))],
    )
    a6 = app("a6", p1)
    _history(
        a6,
        [(Stage.SUBMITTED, a6.applicant, at(3)), (Stage.APPROVED, r2, at(4)), *through_hire]
        + [(Stage.DECLINED, a6.applicant, at(13))],
    )
    a7 = app("a7", p1)
    _history(
        a7,
        [
            (Stage.SUBMITTED, a7.applicant, at(3)),
            (Stage.APPROVED, r2, at(4)),
            (Stage.TICKET_ISSUED, admin, at(6)),
            (Stage.ABSENT, admin, at(8)),
        ],
    )
    a8 = app("a8", p1)
    _history(
        a8,
        [
            (Stage.SUBMITTED, a8.applicant, at(3)),
            (Stage.APPROVED, r2, at(4)),
            (Stage.TICKET_ISSUED, admin, at(6)),
            (Stage.WRITTEN_SCORED, admin, at(8)),
            (Stage.NOT_SHORTLISTED, admin, at(9)),
        ],
    )
    b1 = app("b1", p2)
    _history(
        b1,
        [(Stage.SUBMITTED, b1.applicant, at(2)), (Stage.APPROVED, r2, at(4)), *through_hire]
        + [(Stage.PUBLIC_NOTICE, admin, at(13)), (Stage.HIRED, admin, at(20))],
    )
    b2 = app("b2", p2)
    _history(b2, [(Stage.SUBMITTED, b2.applicant, at(3))])

    # The written exam: tickets, check-in, scores, the pass line.
    plan = PlanFactory(announcement=announcement)
    session = SessionFactory(plan=plan)
    room = RoomFactory(venue=VenueFactory(plan=plan, code="01"))
    scores = {"a4": 45, "a5": 80, "a6": 70, "a7": None, "a8": 65, "b1": 90}
    printed = {"a4", "a5", "a6", "a8", "b1"}
    for seat, (key, raw) in enumerate(scores.items(), start=1):
        application = world.apps[key]
        ticket = Ticket.objects.create(
            application=application,
            announcement=announcement,
            number=f"2026{seat:04d}",
            room=room,
            seat=seat,
            first_printed_at=at(7) if key in printed else None,
            print_count=1 if key in printed else 0,
        )
        Attendance.objects.create(
            ticket=ticket,
            session=session,
            status=Attendance.Status.PRESENT if raw is not None else Attendance.Status.ABSENT,
            via=Attendance.Via.TYPED,
            marked_by=admin,
        )
        WrittenScore.objects.create(
            ticket=ticket,
            announcement=announcement,
            position=application.position,
            status=ScoreStatus.SCORED if raw is not None else ScoreStatus.ABSENT,
            raw=Decimal(raw) if raw is not None else None,
            full_marks=Decimal(100),
            source=WrittenScore.Source.IMPORT,
            entered_by=admin,
            total=Decimal(raw) if raw is not None else None,
            passed=None if raw is None else raw >= 60,
        )
    PositionResult.objects.create(announcement=announcement, position=p1, line=Decimal("60.00"), sat=4)
    PositionResult.objects.create(announcement=announcement, position=p2, line=Decimal("60.00"), sat=1)

    # Hiring: a5 (composite 82.50) and b1 (88.00) hired; a6 proposed (80.10), then declined.
    from hiring.models import Hire, Proposal

    for key, composite, rank, hired in (
        ("a5", "82.50", 1, True),
        ("a6", "80.10", 2, False),
        ("b1", "88.00", 1, True),
    ):
        application = world.apps[key]
        proposal = Proposal.objects.create(
            announcement=announcement,
            position=application.position,
            application=application,
            rank=rank,
            composite=Decimal(composite),
            status=Proposal.Status.HIRED if hired else Proposal.Status.REMOVED,
            removal_event="" if hired else Proposal.Event.GAVE_UP,
            removed_at=None if hired else at(13),
            proposed_by=admin,
        )
        if hired:
            Hire.objects.create(
                application=application,
                proposal=proposal,
                announcement=announcement,
                position=application.position,
                start_date=at(25).date(),
                contract_years=Decimal("3"),
                confirmed_by=admin,
            )
    return world
