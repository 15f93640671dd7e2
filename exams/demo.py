"""Demo data of the written exam: an announcement in its exam phase (registration and
review over, the ticket-printing window open now, the exam in four days) with an exam plan
of two venues, a chief proctor (proctor@demo.cn) and issued tickets, so a newcomer signs in
as applicant@demo.cn and prints a ticket, or as proctor@demo.cn and checks candidates in.

The open demo announcement (recruitment.demo) stays in registration, where applicant@demo.cn
has no application so the demo can apply; the exam phase needs an announcement whose review
is over, hence its own. Idempotent: found by title; seeding again moves the window so that
it is open now.

seed_demo runs it after review.demo (INSTALLED_APPS order).
"""

from __future__ import annotations

from datetime import time, timedelta

from django.utils import timezone

from accounts.demo import ensure_user
from accounts.roles import Role
from applicants.models import ApplicantProfile, Application, ApplicationEvent, Stage
from applicants.snapshot import build_snapshot
from portal.models import BackgroundJob
from recruitment.demo import office_time
from recruitment.models import Announcement, Position

from .models import ExamPlan, ExamSession, Ticket
from .services import plan as plan_services
from .services import tickets as ticket_services

TITLE = "鞍山市立山区2026年公开招聘社区工作者公告"
BODY = "立山区面向社会公开招聘社区工作者。报名和资格审核已结束，请审核通过的考生按时打印准考证参加笔试。"
POSITIONS = [
    ("LS01", "社区工作者（综合岗）", "立山区", "曙光街道", 8),
    ("LS02", "社区工作者（网格员）", "立山区", "深沟寺街道", 5),
    ("LS03", "社区工作者（退役军人服务）", "立山区", "灵山街道", 2),
]
CANDIDATES = 46  # demo applicants approved, plus applicant@demo.cn
VENUES = [
    (
        "01",
        "第一考点：鞍山市第二中学",
        "鞍山市立山区胜利北路68号",
        "乘坐3路、15路公交车至二中站，东门入场。",
        1,
        30,
    ),
    (
        "02",
        "第二考点：立山区实验小学",
        "鞍山市立山区建国路12号",
        "乘坐8路公交车至建国路站；校内不提供停车。",
        1,
        30,
    ),
]


def _local_at(day, hour, minute=0):
    return timezone.make_aware(timezone.datetime.combine(day, time(hour, minute)))


def _announcement(admin, now) -> Announcement:
    announcement = Announcement.objects.filter(title=TITLE).first()
    if announcement is not None:
        return announcement
    announcement = Announcement.objects.create(
        title=TITLE,
        organiser="鞍山市立山区民政局",
        body=BODY,
        contact="0412-2345678",
        status=Announcement.Status.PUBLISHED,
        registration_opens_at=office_time(now, -20, 9),
        registration_closes_at=office_time(now, -14, 17),
        review_deadline=office_time(now, -10, 17),
        published_at=office_time(now, -21, 10),
        created_by=admin,
    )
    for code, name, district, street, quota in POSITIONS:
        Position.objects.create(
            announcement=announcement,
            code=code,
            name=name,
            district=district,
            street=street,
            quota=quota,
            original_quota=quota,
            max_age=35,
            max_age_experienced=40,
        )
    return announcement


def _approved_applications(announcement, reviewer, now) -> None:
    """Approved applications with their snapshots and audit rows (bulk), the demo applicant
    among them."""
    if Application.objects.filter(announcement=announcement).exists():
        return
    positions = list(announcement.positions.order_by("code"))
    demo = ensure_user("applicant@demo.cn", phone="13800000004", name="张报考", role=Role.APPLICANT)
    profiles = [
        *ApplicantProfile.objects.filter(user=demo),
        *ApplicantProfile.objects.filter(user__email__startswith="demo.applicant")
        .order_by("user__email")
        .prefetch_related("education", "work", "certificates", "documents")[:CANDIDATES],
    ]
    applications = []
    for index, profile in enumerate(profiles):
        applications.append(
            Application(
                applicant_id=profile.user_id,
                announcement=announcement,
                position=positions[index % len(positions)],
                stage=Stage.APPROVED,
                snapshot=build_snapshot(profile),
                eligibility_outcome="passed",
                declaration_accepted_at=now - timedelta(days=15),
                submitted_at=now - timedelta(days=15),
                decided_at=now - timedelta(days=11),
                reviewed_by=reviewer,
            )
        )
    created = Application.objects.bulk_create(applications)
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


def _plan(announcement, admin, proctor, now) -> ExamPlan:
    plan = plan_services.plan_get_or_create(announcement=announcement, actor=admin)
    exam_day = (timezone.localtime(now) + timedelta(days=4)).date()
    starts, ends = _local_at(exam_day, 9), _local_at(exam_day, 11)
    window = {
        "print_starts_at": now - timedelta(days=1),
        "print_ends_at": _local_at(exam_day - timedelta(days=1), 18),
    }
    if plan.locked:
        # Seeding again: keep the window open now and the exam ahead (no correction notices).
        ExamPlan.objects.filter(pk=plan.pk).update(**window)
        ExamSession.objects.filter(plan=plan).update(starts_at=starts, ends_at=ends, closed_at=None)
        from recruitment import page_cache  # .update() sends no signal: renew the cached times

        page_cache.bump_version(plan.announcement_id)
        return plan
    plan_services.plan_update(
        plan=plan,
        actor=admin,
        fields={**window, "exam_code": "0", "district_code": "2104"},
    )
    plan.sessions.all().delete()
    plan_services.session_save(
        plan=plan,
        actor=admin,
        fields={"subject": "综合知识（公共基础知识、社区工作知识）", "starts_at": starts, "ends_at": ends},
    )
    for code, name, address, directions, rooms, capacity in VENUES:
        venue = plan.venues.filter(code=code).first() or plan_services.venue_save(
            plan=plan,
            actor=admin,
            fields={"name": name, "address": address, "directions": directions, "code": code},
        )
        if not venue.rooms.exists():
            plan_services.rooms_add(
                venue=venue, actor=admin, count=rooms, capacity=capacity, location="教学楼一楼"
            )
        plan_services.proctor_assign(venue=venue, proctor=proctor, chief=True, actor=admin)
    return plan


def seed(stdout):
    now = timezone.now().replace(second=0, microsecond=0)
    admin = ensure_user("admin@demo.cn")
    reviewer = ensure_user("reviewer@demo.cn")
    proctor = ensure_user("proctor@demo.cn", phone="13800000005", name="孙监考", role=Role.PROCTOR)
    announcement = _announcement(admin, now)
    _approved_applications(announcement, reviewer, now)
    plan = _plan(announcement, admin, proctor, now)
    if plan_services_unseated(plan):
        job = BackgroundJob.objects.create(
            kind=ticket_services.JOB_KIND,
            created_by=admin,
            announcement_id=announcement.pk,
            params={"plan": plan.pk},
            total=0,
            queued_at=now,
        )
        ticket_services.issue_run(job)
    count = Ticket.objects.filter(announcement_id=announcement.pk).count()
    stdout.write(
        f"exams: “{TITLE}” with 2 venues and {count} tickets (print as applicant@demo.cn; check in as proctor@demo.cn)"
    )
    from . import demo_interview  # a second announcement past its interviews (issue 17)

    demo_interview.seed(stdout)


def plan_services_unseated(plan) -> bool:
    from .selectors.plan import unseated_queryset

    return unseated_queryset(plan).exists()
