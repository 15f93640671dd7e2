"""Demo interviews (issue 17, H17b), idempotent:

- `seed(announcement, stdout)`: for the demo announcement past its interviews (called by
  exams.demo_interview after the shortlist demo), one interview group per position holding
  the shortlisted candidates, seven examiners examiner1…7@demo.cn (examiner1 chief), the
  day checked in and drawn, every candidate scored and signed off through the services
  (one absent) — so the ranking has its inputs.
- `seed_today(stdout)`: a small announcement whose interview is today, scores in progress,
  with examiner@demo.cn as chief: candidate 1 and 2 signed off, candidate 3 scored by four
  examiners, so examiner@demo.cn sees the blind scoring page and the chief's board. Run
  again on a later day, it moves the group to that day.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from accounts.demo import ensure_user
from accounts.roles import Role
from applicants.models import ApplicantProfile, Application, Stage
from applicants.snapshot import build_snapshot
from recruitment.demo import office_time
from recruitment.models import Announcement, Position

from .models_interview import InterviewCandidate, InterviewExaminer, InterviewGroup, InterviewScore
from .selectors import interview as selectors
from .services import interview as services
from .services import interview_day as day_services
from .services import interview_scoring as scoring_services

# examiner1…7@demo.cn make the usual panel of 7 (examiner1 chief); 8 and 9 exist for an
# announcement whose panel size is set higher.
EXAMINERS = [
    (f"examiner{n}@demo.cn", f"1380000010{n}", name)
    for n, name in enumerate(
        ["周主考", "吴考官", "郑考官", "王考官", "冯考官", "陈考官", "褚考官", "卫考官", "蒋考官"], start=1
    )
]
PLACE = "鞍山市人才服务中心（铁东区五一路25号）三楼"
TODAY_TITLE = "鞍山市千山区2026年公开招聘社区工作者公告（面试进行中）"


def _examiners(announcement) -> list:
    """The demo examiners for a full panel of the announcement (settings' panel size)."""
    size = selectors.settings_of(announcement).panel_size
    return [
        ensure_user(email, phone=phone, name=name, role=Role.EXAMINER)
        for email, phone, name in EXAMINERS[:size]
    ]


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _scores(application_id: int, count: int) -> list[Decimal]:
    """Plausible scores (fractions of full marks) around a candidate's own level,
    repeatable per application."""
    rng = random.Random(application_id)
    level = rng.uniform(0.68, 0.90)
    return [Decimal(f"{max(0.0, min(1.0, level + rng.uniform(-0.06, 0.06))):.4f}") for _ in range(count)]


def _group(announcement, *, code, name, day, admin, positions) -> InterviewGroup:
    group = InterviewGroup.objects.filter(announcement=announcement, code=code).first()
    if group is None:
        group = InterviewGroup.objects.create(
            announcement=announcement,
            code=code,
            name=name,
            date=day,
            starts_at=dt.time(8, 30),
            report_by=dt.time(8, 0),
            place=PLACE,
            waiting_room="候考室（305室）",
            bring="本人有效居民身份证、笔试准考证、资格复审要求的原件",
            created_by=admin,
        )
    elif group.date != day:
        InterviewGroup.objects.filter(pk=group.pk).update(date=day)
        group.refresh_from_db()
    group.positions.add(*positions)
    return group


def _seat(group, users, admin, chief_user) -> list[InterviewExaminer]:
    seats = []
    for user in users:
        seat, _ = InterviewExaminer.objects.get_or_create(
            group=group, user=user, defaults={"chief": user == chief_user, "added_by": admin}
        )
        seats.append(seat)
    return seats


def _publish(group, admin, now) -> None:
    if group.published_at is None:
        services.group_publish(group=group, actor=admin, now=now)


def _check_in_and_draw(group, admin, now, absent_ids=()) -> None:
    for candidate in group.candidates.select_related("application"):
        if candidate.attendance == InterviewCandidate.Attendance.PENDING:
            day_services.checkin_mark(
                candidate=candidate, present=candidate.application_id not in absent_ids, actor=admin, now=now
            )
    if group.drawn_at is None:
        group.refresh_from_db()
        day_services.draw_portal(group=group, actor=admin, seed=20261130 + group.pk, now=now)


def _score(group, seats, candidate, now, *, only=None) -> None:
    config = selectors.settings_of(group.announcement)
    levels = _scores(candidate.application_id, len(seats))
    done = set(InterviewScore.objects.filter(candidate=candidate).values_list("examiner_id", flat=True))
    cent = Decimal("0.01")
    for seat, level in zip(seats, levels, strict=True):
        if seat.pk in done or (only is not None and seat not in only):
            continue
        if config.by_dimensions:
            parts = {d.name: str((d.maximum * level).quantize(cent)) for d in config.dimensions}
            scoring_services.score_submit(seat=seat, candidate=candidate, parts=parts, now=now)
        else:
            scoring_services.score_submit(
                seat=seat, candidate=candidate, total=str((100 * level).quantize(cent)), now=now
            )


def _score_and_sign(group, seats, chief, now) -> int:
    signed = 0
    for candidate in group.candidates.filter(
        attendance=InterviewCandidate.Attendance.PRESENT, signed_off_at__isnull=True
    ).order_by("order"):
        _score(group, seats, candidate, now)
        scoring_services.candidate_sign_off(candidate=candidate, seat=chief, now=now)
        signed += 1
    return signed


def seed(announcement, stdout, *, day: dt.date | None = None) -> None:
    """Groups A, B, C… (one per position with shortlisted candidates) for `announcement`,
    held on `day` (default: a week ago), everyone scored and signed off, one absent."""
    admin = ensure_user("admin@demo.cn")
    examiners = _examiners(announcement)
    day = day or timezone.localdate() - dt.timedelta(days=7)
    now = _at(day, 8, 40)
    pool = selectors.pool(announcement)
    total = 0
    for index, position in enumerate(announcement.positions.order_by("code")):
        apps = list(pool.filter(position=position).order_by("pk"))
        if not apps:
            continue
        code = chr(ord("A") + index)
        group = _group(
            announcement,
            code=code,
            name=f"第{index + 1}面试组",
            day=day,
            admin=admin,
            positions=[position],
        )
        seats = _seat(group, examiners, admin, examiners[0])
        InterviewCandidate.objects.bulk_create(
            [InterviewCandidate(group=group, application=a) for a in apps if a.stage == Stage.SHORTLISTED],
            ignore_conflicts=True,
        )
        _publish(group, admin, now - dt.timedelta(days=5))
        # The last shortlisted of the first group did not come (缺考).
        absent = {apps[-1].pk} if index == 0 and len(apps) > 1 else set()
        _check_in_and_draw(group, admin, now, absent)
        chief = next(seat for seat in seats if seat.chief)
        total += _score_and_sign(group, seats, chief, now + dt.timedelta(hours=1))
    stdout.write(
        f"exams: interview groups of “{announcement.title}” ({total} signed off; examiner1…7@demo.cn)"
    )
    seed_today(stdout)


# ------------------------------------------------------------------ today, in progress


def _today_announcement(admin, now) -> tuple[Announcement, Position]:
    announcement = Announcement.objects.filter(title=TODAY_TITLE).first()
    if announcement is None:
        announcement = Announcement.objects.create(
            title=TODAY_TITLE,
            organiser="鞍山市千山区民政局",
            body="千山区面向社会公开招聘社区工作者。笔试和资格复审已结束，面试今天进行。",
            contact="0412-3456789",
            status=Announcement.Status.PUBLISHED,
            registration_opens_at=office_time(now, -40, 9),
            registration_closes_at=office_time(now, -34, 17),
            review_deadline=office_time(now, -30, 17),
            published_at=office_time(now, -41, 10),
            created_by=admin,
        )
    position, _ = Position.objects.get_or_create(
        announcement=announcement,
        code="QS01",
        defaults={
            "name": "社区工作者（综合岗）",
            "district": "千山区",
            "street": "大孤山街道",
            "quota": 2,
            "original_quota": 2,
            "max_age": 35,
        },
    )
    return announcement, position


def _today_applications(announcement, position, now) -> list[Application]:
    existing = list(Application.objects.filter(announcement=announcement).order_by("pk"))
    if existing:
        return existing
    profiles = ApplicantProfile.objects.filter(user__email__startswith="demo.applicant").order_by(
        "-user__email"
    )[:6]
    return Application.objects.bulk_create(
        [
            Application(
                applicant_id=profile.user_id,
                announcement=announcement,
                position=position,
                stage=Stage.SHORTLISTED,
                snapshot=build_snapshot(profile),
                eligibility_outcome="passed",
                declaration_accepted_at=now - dt.timedelta(days=35),
                submitted_at=now - dt.timedelta(days=35),
                decided_at=now - dt.timedelta(days=31),
            )
            for profile in profiles
        ]
    )


def seed_today(stdout) -> None:
    admin = ensure_user("admin@demo.cn")
    chief_user = ensure_user("examiner@demo.cn", phone="13800000003", name="赵考官", role=Role.EXAMINER)
    today = timezone.localdate()
    now = timezone.now()
    announcement, position = _today_announcement(admin, now)
    examiners = _examiners(announcement)
    apps = _today_applications(announcement, position, now)
    if not apps:
        stdout.write("exams: no demo applicants for today's interview (run the applicants demo first)")
        return
    group = _group(announcement, code="A", name="第一面试组", day=today, admin=admin, positions=[position])
    if group.starts_at != dt.time(8, 30):
        InterviewGroup.objects.filter(pk=group.pk).update(starts_at=dt.time(8, 30))
    seats = _seat(group, [chief_user, *examiners[1:]], admin, chief_user)
    InterviewCandidate.objects.bulk_create(
        [InterviewCandidate(group=group, application=a) for a in apps], ignore_conflicts=True
    )
    start = _at(today, 8, 30)
    _publish(group, admin, start - dt.timedelta(days=3))
    _check_in_and_draw(group, admin, start - dt.timedelta(minutes=20))
    chief = seats[0]
    ordered = list(
        group.candidates.filter(attendance=InterviewCandidate.Attendance.PRESENT).order_by("order")
    )
    for candidate in ordered[:2]:
        if candidate.signed_off_at is None:
            _score(group, seats, candidate, now)
            scoring_services.candidate_sign_off(candidate=candidate, seat=chief, now=now)
    if len(ordered) > 2:
        _score(group, seats, ordered[2], now, only=seats[3:])  # four of seven have scored
    stdout.write(
        f"exams: an interview today for “{TODAY_TITLE}” (score as examiner@demo.cn, chief; "
        f"{len(ordered)} candidates, 2 signed off)"
    )
