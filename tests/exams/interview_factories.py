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


def probe_world(announcement, owner_app, users) -> tuple[dict, dict]:
    """For tests/portal/test_permission_probe.py: a published group of `announcement`
    today with the probe's examiner as chief (six more examiners), the owner's application
    the candidate in the room (present, drawn 1, one score given). Returns (kwargs, bodies)
    for the interview URL names."""
    position = owner_app.position
    admin = users["administrator"]
    today, start = today_start()
    group = InterviewGroup.objects.create(
        announcement=announcement,
        code="P",
        name="探针面试组",
        date=today,
        starts_at=start,
        place="探针面试地点",
        created_by=admin,
        published_at=timezone.now(),
        published_by=admin,
        draw_method=InterviewGroup.DrawMethod.PHYSICAL,
        drawn_at=timezone.now(),
    )
    group.positions.add(position)
    seats = [
        InterviewExaminer.objects.create(group=group, user=users["examiner"], chief=True, added_by=admin)
    ]
    seats += [
        InterviewExaminer.objects.create(group=group, user=UserFactory(role="examiner"), added_by=admin)
        for _ in range(6)
    ]
    candidate = InterviewCandidate.objects.create(
        group=group, application=owner_app, attendance=InterviewCandidate.Attendance.PRESENT, order=1
    )
    from decimal import Decimal

    from exams.models_interview import InterviewScore

    InterviewScore.objects.create(candidate=candidate, examiner=seats[1], total=Decimal("80"))
    a, g = announcement.pk, group.pk
    kwargs = {
        "exams:interview_groups": {"pk": a},
        "exams:interview_group_add": {"pk": a},
        "exams:interview_group": {"pk": a, "group_pk": g},
        "exams:interview_group_edit": {"pk": a, "group_pk": g},
        "exams:interview_examiner_add": {"pk": a, "group_pk": g},
        "exams:interview_examiner_action": {"pk": a, "group_pk": g, "examiner_pk": seats[1].pk},
        "exams:interview_examiner_replace": {"pk": a, "group_pk": g, "examiner_pk": seats[1].pk},
        "exams:interview_candidates_assign": {"pk": a, "group_pk": g},
        "exams:interview_candidate_remove": {"pk": a, "group_pk": g, "candidate_pk": candidate.pk},
        "exams:interview_publish": {"pk": a, "group_pk": g},
        "exams:interview_group_delete": {"pk": a, "group_pk": g},
        "exams:interview_checkin": {"group_pk": g},
        "exams:interview_checkin_mark": {"group_pk": g},
        "exams:interview_draw": {"group_pk": g},
        "exams:interview_draw_redo": {"group_pk": g},
        "exams:interview_conflict": {"group_pk": g},
        "exams:interview_score": {"group_pk": g},
        "exams:interview_score_state": {"group_pk": g},
        "exams:interview_chief": {"group_pk": g},
        "exams:interview_chief_board": {"group_pk": g},
        "exams:interview_reopen": {"group_pk": g},
        "exams:interview_sign_off": {"group_pk": g, "candidate_pk": candidate.pk},
        "exams:interview_late": {"group_pk": g, "candidate_pk": candidate.pk},
    }
    bodies = {
        "exams:interview_checkin_mark": {"candidate": candidate.pk, "action": "present"},
        "exams:interview_score": {"candidate": candidate.pk, "total": ""},
        "exams:interview_reopen": {"candidate": candidate.pk, "examiner": seats[1].pk, "reason": ""},
        "exams:interview_examiner_action": {"action": "chief"},
    }
    return kwargs, bodies
