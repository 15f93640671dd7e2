"""A ready interview: shortlisted applications, a published group with its examiners
(the first is chief), the candidates checked in and drawn — built directly (the services
are tested in tests/exams/test_interview_services.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from applicants.models import Application, Stage
from exams.models_interview import InterviewCandidate, InterviewExaminer, InterviewGroup
from tests.applicants.factories import ApplicationFactory, ReviewPositionFactory
from tests.factories import UserFactory


def today_start() -> tuple[dt.date, dt.time]:
    """Today (portal time) and a start ten minutes ago (never before midnight)."""
    now = timezone.localtime()
    start = now - dt.timedelta(minutes=10)
    if start.date() != now.date():
        start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return now.date(), start.time().replace(second=0, microsecond=0)


def shortlisted(position, count: int = 1, **kwargs) -> list[Application]:
    """Applications of `position` shortlisted for the interview: stage SHORTLISTED and an
    entry in the announcement's shortlist (exams.selectors.shortlist.interview_pool)."""
    from decimal import Decimal

    from exams.models_shortlist import Shortlist, ShortlistEntry

    shortlist, _ = Shortlist.objects.get_or_create(announcement=position.announcement)
    apps = [ApplicationFactory(position=position, stage=Stage.SHORTLISTED, **kwargs) for _ in range(count)]
    ShortlistEntry.objects.bulk_create(
        [
            ShortlistEntry(shortlist=shortlist, application=a, position=position, written_total=Decimal("80"))
            for a in apps
        ]
    )
    return apps


@dataclass
class World:
    group: InterviewGroup
    admin: object
    seats: list[InterviewExaminer]
    candidates: list[InterviewCandidate]
    applications: list[Application] = field(default_factory=list)

    @property
    def chief(self) -> InterviewExaminer:
        return self.seats[0]


def make_interview(
    *,
    panel: int = 7,
    candidates: int = 3,
    date: dt.date | None = None,
    start: dt.time | None = None,
    checked_in: bool = True,
    drawn: bool = True,
    published: bool = True,
    position=None,
    code: str = "A",
    admin=None,
) -> World:
    today, now_start = today_start()
    admin = admin or UserFactory(role="administrator")
    position = position or ReviewPositionFactory()
    announcement = position.announcement
    apps = shortlisted(position, candidates)
    group = InterviewGroup.objects.create(
        announcement=announcement,
        code=code,
        name=f"第{code}面试组",
        date=date or today,
        starts_at=start or now_start,
        report_by=None,
        place="铁东区政务服务中心三楼301室",
        waiting_room="302室",
        created_by=admin,
        published_at=timezone.now() if published else None,
        published_by=admin if published else None,
    )
    group.positions.add(position)
    seats = [
        InterviewExaminer.objects.create(
            group=group, user=UserFactory(role="examiner"), chief=(index == 0), added_by=admin
        )
        for index in range(panel)
    ]
    rows = []
    for index, application in enumerate(apps, start=1):
        rows.append(
            InterviewCandidate.objects.create(
                group=group,
                application=application,
                attendance=InterviewCandidate.Attendance.PRESENT
                if checked_in
                else InterviewCandidate.Attendance.PENDING,
                order=index if (checked_in and drawn) else None,
            )
        )
    if checked_in and drawn:
        group.draw_method = InterviewGroup.DrawMethod.PHYSICAL
        group.drawn_at = timezone.now()
        group.drawn_by = admin
        group.save()
    return World(group=group, admin=admin, seats=seats, candidates=rows, applications=apps)
