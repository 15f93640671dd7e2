"""Demo data of written results (issue 16): a second exam announcement, past its written
exam, with its scores final and published, so a newcomer sees the score query (成绩查询),
the public results (成绩公示), the bonus points published (加分公示) and the staff pages of
an announcement whose results are out.

`seed_scored_announcement(stdout) -> Announcement` builds, through the real services where
they exist:

- 鞍山市铁西区2026年公开招聘社区工作者公告: registration and review long over, three
  positions (quotas 4, 3 and 2), the fixed pass line 60 on the raw score, bonus points
  counted by their highest single item (the announcement's defaults);
- bonus categories 社会工作师 5, 助理社会工作师 3, 退役军人 3;
- 60 approved applications: applicant@demo.cn (张报考, position TX01) and 59 demo
  applicants (demo.applicant100… of applicants.demo);
- an exam plan (one session 30 days ago, parts 公共基础知识 40 + 社区工作知识 60, one venue
  of two rooms) and tickets issued by the real issue job;
- the door record: everyone present on the paper sign-in sheet except 4 (marked absent when
  the session closed), 1 disqualified (违纪) by the chief proctor;
- written scores final (source: import), drawn from a fixed seed; applicant@demo.cn has
  78.50 (32.50 + 46.00);
- bonus claims: 6 confirmed (applicant@demo.cn: 社会工作师), 1 refused with its reason,
  1 still undecided;
- the results computed and published 20 days ago (every candidate notified once).

Idempotent: the announcement is found by its title and each step is skipped when done, so
seed_demo may run any number of times. The caller continues from the returned announcement
(exams.demo_interview: shortlist, interview, ranking); this module starts nothing after
publication.
"""

from __future__ import annotations

import random
from datetime import time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.demo import ensure_user
from accounts.roles import Role
from applicants.models import ApplicantProfile, Application, ApplicationEvent, Stage
from applicants.snapshot import build_snapshot
from portal.models import BackgroundJob
from recruitment.demo import office_time
from recruitment.models import Announcement, BonusCategory, Position, ReviewerAssignment

from .models import Attendance, ExamPlan, Room, Ticket
from .models_written import BonusClaim, ScoreStatus, WrittenResults, WrittenScore
from .selectors.checkin import Access
from .services import bonus as bonus_services
from .services import checkin as checkin_services
from .services import plan as plan_services
from .services import tickets as ticket_services
from .services import written as written_services

TITLE = "鞍山市铁西区2026年公开招聘社区工作者公告"
BODY = (
    "铁西区面向社会公开招聘社区工作者。笔试已结束，笔试成绩及加分情况已公布，"
    "请考生登录本平台查询成绩；对成绩有异议的，可在公布后3个工作日内申请复核。"
)
POSITIONS = [
    ("TX01", "社区工作者（综合岗）", "铁西区", "兴盛街道", 4),
    ("TX02", "社区工作者（网格员）", "铁西区", "永乐街道", 3),
    ("TX03", "社区工作者（退役军人服务）", "铁西区", "大陆街道", 2),
]
BONUS = [("社会工作师", Decimal("5")), ("助理社会工作师", Decimal("3")), ("退役军人", Decimal("3"))]
PARTS = [{"name": "公共基础知识", "marks": "40"}, {"name": "社区工作知识", "marks": "60"}]
CANDIDATES = 59  # demo applicants, plus applicant@demo.cn
FIRST_DEMO_APPLICANT = 100  # demo.applicant100… (the 立山 exam demo takes the first ones)
ABSENT = 4
DEMO_EMAIL = "applicant@demo.cn"
DEMO_PARTS = (Decimal("32.50"), Decimal("46.00"))
EXAM_DAYS_AGO = 30
PUBLISHED_DAYS_AGO = 20
SEED = 2026


def _local_at(day, hour, minute=0):
    return timezone.make_aware(timezone.datetime.combine(day, time(hour, minute)))


def _announcement(admin, now) -> Announcement:
    announcement = Announcement.objects.filter(title=TITLE).first()
    if announcement is None:
        announcement = Announcement.objects.create(
            title=TITLE,
            organiser="鞍山市铁西区民政局",
            body=BODY,
            contact="0412-5567890",
            status=Announcement.Status.PUBLISHED,
            registration_opens_at=office_time(now, -70, 9),
            registration_closes_at=office_time(now, -63, 17),
            review_deadline=office_time(now, -55, 17),
            published_at=office_time(now, -71, 10),
            created_by=admin,
        )
    for code, name, district, street, quota in POSITIONS:
        Position.objects.get_or_create(
            announcement=announcement,
            code=code,
            defaults={
                "name": name,
                "district": district,
                "street": street,
                "quota": quota,
                "original_quota": quota,
                "max_age": 35,
                "max_age_experienced": 40,
            },
        )
    for name, points in BONUS:
        BonusCategory.objects.get_or_create(announcement=announcement, name=name, defaults={"points": points})
    return announcement


def _applications(announcement, reviewer, now) -> None:
    """Approved applications with their snapshots and audit rows (bulk, as exams.demo)."""
    if Application.objects.filter(announcement=announcement).exists():
        return
    positions = list(announcement.positions.order_by("code"))
    demo = ensure_user(DEMO_EMAIL, phone="13800000004", name="张报考", role=Role.APPLICANT)
    others = (
        ApplicantProfile.objects.filter(user__email__startswith="demo.applicant")
        .order_by("user__email")
        .prefetch_related("education", "work", "certificates", "documents")
    )
    profiles = [
        *ApplicantProfile.objects.filter(user=demo),
        *others[FIRST_DEMO_APPLICANT : FIRST_DEMO_APPLICANT + CANDIDATES],
    ]
    created = Application.objects.bulk_create(
        [
            Application(
                applicant_id=profile.user_id,
                announcement=announcement,
                position=positions[index % len(positions)],
                stage=Stage.APPROVED,
                snapshot=build_snapshot(profile),
                eligibility_outcome="passed",
                declaration_accepted_at=now - timedelta(days=65),
                submitted_at=now - timedelta(days=65),
                decided_at=now - timedelta(days=58),
                reviewed_by=reviewer,
            )
            for index, profile in enumerate(profiles)
        ]
    )
    ApplicationEvent.objects.bulk_create(
        [
            event
            for application in created
            for event in (
                ApplicationEvent(
                    application=application,
                    actor=application.applicant,
                    from_stage=Stage.DRAFT,
                    to_stage=Stage.SUBMITTED,
                ),
                ApplicationEvent(
                    application=application,
                    actor=reviewer,
                    from_stage=Stage.SUBMITTED,
                    to_stage=Stage.APPROVED,
                    reason="资格审核通过",
                ),
            )
        ]
    )


def _plan_and_tickets(announcement, admin, proctor, now) -> ExamPlan:
    plan = plan_services.plan_get_or_create(announcement=announcement, actor=admin)
    exam_day = (timezone.localtime(now) - timedelta(days=EXAM_DAYS_AGO)).date()
    if not plan.locked:
        plan_services.plan_update(
            plan=plan,
            actor=admin,
            fields={
                "print_starts_at": _local_at(exam_day - timedelta(days=5), 9),
                "print_ends_at": _local_at(exam_day - timedelta(days=1), 18),
                "exam_code": "0",
                "district_code": "2103",
            },
        )
        if not plan.sessions.exists():
            plan_services.session_save(
                plan=plan,
                actor=admin,
                fields={
                    "subject": "综合知识（公共基础知识、社区工作知识）",
                    "starts_at": _local_at(exam_day, 9),
                    "ends_at": _local_at(exam_day, 11, 30),
                    "parts": PARTS,
                },
            )
        venue = plan.venues.filter(code="01").first() or plan_services.venue_save(
            plan=plan,
            actor=admin,
            fields={
                "name": "铁西区第一考点：鞍山市第十五中学",
                "address": "鞍山市铁西区人民路40号",
                "directions": "乘坐2路、23路公交车至十五中站，南门入场。",
                "code": "01",
            },
        )
        if not venue.rooms.exists():
            plan_services.rooms_add(venue=venue, actor=admin, count=2, capacity=30, location="教学楼二楼")
        plan_services.proctor_assign(venue=venue, proctor=proctor, chief=True, actor=admin)
    if not Ticket.objects.filter(announcement=announcement).exists():
        job = BackgroundJob.objects.create(
            kind=ticket_services.JOB_KIND,
            created_by=admin,
            announcement_id=announcement.pk,
            params={"plan": plan.pk},
            total=0,
            queued_at=now,
        )
        ticket_services.issue_run(job)
    return plan


def _door(plan, admin, demo_application_id, now) -> None:
    """Present on the paper sheet except ABSENT candidates, one disqualified, the session
    closed (the rest marked absent)."""
    session = plan.sessions.get()
    if session.closed_at is not None:
        return
    tickets = list(
        Ticket.objects.filter(announcement=plan.announcement).select_related("room").order_by("number")
    )
    others = [t for t in tickets if t.application_id != demo_application_id]
    absent = {t.pk for t in others[-ABSENT:]}
    for room_id in {t.room_id for t in tickets}:
        checkin_services.paper_marks_record(
            session=session,
            room=Room.objects.get(pk=room_id),
            actor=admin,
            present_ticket_ids=[t.pk for t in tickets if t.room_id == room_id and t.pk not in absent],
            now=session.ends_at,
        )
    cheat = others[len(others) // 2]
    access = Access(venue_ids=frozenset({cheat.room.venue_id}), chief=True, admin=True)
    checkin_services.candidate_disqualify(
        session=session, access=access, actor=admin, ticket=cheat, reason="考试中使用手机，经主考确认。"
    )
    checkin_services.session_close(session=session, actor=admin, now=session.ends_at + timedelta(hours=2))


def _scores(announcement, admin, demo_application_id) -> None:
    if WrittenScore.objects.filter(announcement=announcement).exists():
        return
    rng = random.Random(SEED)
    tickets = (
        Ticket.objects.filter(announcement=announcement).select_related("application").order_by("number")
    )
    present = set(
        Attendance.objects.filter(
            ticket__announcement=announcement, status=Attendance.Status.PRESENT
        ).values_list("ticket_id", flat=True)
    )
    rows = []
    for ticket in tickets:
        application = ticket.application
        status, parts, raw = ScoreStatus.SCORED, [], None
        if application.stage == Stage.DISQUALIFIED:
            status = ScoreStatus.DISQUALIFIED
        elif ticket.pk not in present:
            status = ScoreStatus.ABSENT
        else:
            if application.pk == demo_application_id:
                points = DEMO_PARTS
            else:
                points = (
                    Decimal(rng.randrange(1400, 3800, 50)) / 100,
                    Decimal(rng.randrange(2200, 5700, 50)) / 100,
                )
            parts = [(p["name"], value, Decimal(p["marks"])) for p, value in zip(PARTS, points, strict=True)]
            raw = sum(points, Decimal(0))
        rows.append(
            written_services.NewScore(
                ticket_id=ticket.pk,
                application_id=application.pk,
                announcement_id=announcement.pk,
                position_id=application.position_id,
                status=status,
                raw=raw,
                full_marks=Decimal(100),
                parts=parts,
            )
        )
    with transaction.atomic():
        written_services.scores_create(rows=rows, actor=admin, source=WrittenScore.Source.IMPORT)


def _bonus(announcement, admin, demo_application_id) -> None:
    if BonusClaim.objects.filter(application__announcement=announcement).exists():
        return
    categories = {c.name: c for c in announcement.bonus_categories.all()}
    scored = list(
        Application.objects.filter(announcement=announcement, stage=Stage.WRITTEN_SCORED)
        .exclude(pk=demo_application_id)
        .order_by("pk")
    )
    plan = [
        (demo_application_id, "社会工作师", True),
        (scored[1].pk, "社会工作师", True),
        (scored[2].pk, "助理社会工作师", True),
        (scored[2].pk, "退役军人", True),  # two items: the highest single one counts
        (scored[3].pk, "退役军人", True),
        (scored[4].pk, "助理社会工作师", True),
        (scored[5].pk, "社会工作师", False),  # refused, with its reason
        (scored[6].pk, "助理社会工作师", None),  # never decided: counts nothing
    ]
    for application_id, name, confirm in plan:
        claim = BonusClaim.objects.create(
            application_id=application_id, category=categories[name], note="证书编号见附件"
        )
        if confirm is not None:
            bonus_services.bonus_claim_decide(
                claim=claim,
                actor=admin,
                confirm=confirm,
                reason="" if confirm else "所附证书为考试成绩合格证明，尚未取得职业资格证书。",
            )


def seed_scored_announcement(stdout) -> Announcement:
    """The demo announcement whose written results are published (see the module text).
    Returns it; idempotent."""
    now = timezone.now().replace(second=0, microsecond=0)
    admin = ensure_user("admin@demo.cn")
    reviewer = ensure_user("reviewer@demo.cn")
    proctor = ensure_user("proctor@demo.cn", phone="13800000005", name="孙监考", role=Role.PROCTOR)
    announcement = _announcement(admin, now)
    ReviewerAssignment.objects.get_or_create(
        announcement=announcement, reviewer=reviewer, defaults={"assigned_by": admin}
    )
    _applications(announcement, reviewer, now)
    demo_application_id = (
        Application.objects.filter(announcement=announcement, applicant__email=DEMO_EMAIL)
        .values_list("pk", flat=True)
        .first()
    )
    plan = _plan_and_tickets(announcement, admin, proctor, now)
    _door(plan, admin, demo_application_id, now)
    _scores(announcement, admin, demo_application_id)
    _bonus(announcement, admin, demo_application_id)
    results = WrittenResults.objects.filter(announcement=announcement).first()
    if results is None or results.published_at is None:
        written_services.results_publish(
            announcement=announcement, actor=admin, now=now - timedelta(days=PUBLISHED_DAYS_AGO)
        )
    scored = WrittenScore.objects.filter(announcement=announcement, status=ScoreStatus.SCORED).count()
    passed = WrittenScore.objects.filter(announcement=announcement, passed=True).count()
    stdout.write(
        f"exams: “{TITLE}” with written results published ({scored} scored, {passed} passed the line;"
        f" score query as {DEMO_EMAIL})"
    )
    return announcement
