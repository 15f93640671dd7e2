"""Demo data of the review console: reviewer@demo.cn assigned to the current Anshan
announcement, and a handful of applications in several review states. Idempotent.

Called from applicants.demo.seed (seed_demo only discovers <app>.demo).
"""

from datetime import date, timedelta

from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.roles import Role
from recruitment.models import Announcement, ReviewerAssignment

from . import review_services as services
from .models import ApplicantProfile, Application, EducationRecord, RejectionReason, Stage

ANNOUNCEMENT_TITLE = "鞍山市2026年公开招聘社区工作者公告"

# (e-mail, phone, name, ID number, education level, major, decision)
PEOPLE = [
    ("shenhe01@demo.cn", "13800001001", "刘思远", "210302199503150017", 30, "社会工作", "approve"),
    ("shenhe02@demo.cn", "13800001002", "陈晓雯", "210302199708220025", 30, "行政管理", "approve"),
    ("shenhe03@demo.cn", "13800001003", "王建国", "210302198801100013", 10, "", "reject"),
    ("shenhe04@demo.cn", "13800001004", "赵雪梅", "210303199902280020", 20, "社会工作", "return"),
    ("shenhe05@demo.cn", "13800001005", "孙浩然", "210303199611110014", 30, "法学", ""),
    ("shenhe06@demo.cn", "13800001006", "周佳怡", "210304200001010029", 30, "汉语言文学", ""),
    ("shenhe07@demo.cn", "13800001007", "吴明", "210304199412120011", 20, "计算机应用", ""),
    ("shenhe08@demo.cn", "13800001008", "古丽·艾力", "210311199806060024", 40, "社会学", ""),
]


def _valid(id_number: str) -> str:
    """Replace the check digit so the number passes GB 11643."""
    body = id_number[:17]
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]


def _snapshot(profile, user) -> dict:
    try:
        from .snapshot import build_snapshot

        return build_snapshot(profile)
    except ImportError:
        return {"real_name": profile.real_name, "id_number": profile.id_number, "sex": profile.sex}


def _eligibility(snapshot, position):
    try:
        from . import eligibility

        result = eligibility.check(snapshot, position, position.announcement.reference_date)
        return result.rules, result.outcome
    except ImportError:
        return [], "manual"


def seed(stdout):
    from accounts.demo import ensure_user

    announcement = Announcement.objects.filter(title=ANNOUNCEMENT_TITLE).first()
    if announcement is None:
        stdout.write("review: demo announcement missing, skipped")
        return
    admin = ensure_user("admin@demo.cn")
    reviewer = ensure_user("reviewer@demo.cn")
    ReviewerAssignment.objects.get_or_create(
        announcement=announcement, reviewer=reviewer, defaults={"assigned_by": admin}
    )
    positions = list(announcement.positions.exclude(status="cancelled").order_by("code")[:3])
    if not positions:
        return
    applicant_group = Group.objects.get(name=Role.APPLICANT)
    reasons = {reason.code: reason for reason in RejectionReason.objects.filter(active=True)}
    reason = reasons.get("education") or next(iter(reasons.values()), None)
    if reason is None:
        reason = RejectionReason.objects.create(
            code="education", label="学历不符合岗位要求", label_en="Education does not meet the requirement"
        )
    now = timezone.now()
    created = 0
    for index, (email, phone, name, id_number, level, major, decision) in enumerate(PEOPLE):
        user = ensure_user(email, phone=phone, name=name)
        user.groups.add(applicant_group)
        id_number = _valid(id_number)
        profile, _new = ApplicantProfile.objects.get_or_create(
            user=user,
            defaults={
                "real_name": name,
                "id_number": id_number,
                "birth_date": date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14])),
                "sex": "male" if int(id_number[16]) % 2 else "female",
                "household_province": "辽宁省",
                "household_city": "鞍山市",
                "household_district": "铁东区",
            },
        )
        if not profile.education.exists():
            EducationRecord.objects.create(
                profile=profile,
                level=level,
                school="辽宁科技大学" if level >= 20 else "鞍山市第一中学",
                major=major or "—",
                graduated_on=date(2019, 7, 1),
            )
        if Application.objects.filter(applicant=user, announcement=announcement).exists():
            continue
        position = positions[index % len(positions)]
        snapshot = _snapshot(profile, user)
        rules, outcome = _eligibility(snapshot, position)
        application = Application.objects.create(
            applicant=user,
            announcement=announcement,
            position=position,
            stage=Stage.SUBMITTED,
            snapshot=snapshot,
            eligibility=rules,
            eligibility_outcome=outcome,
            declaration_accepted_at=now,
            submitted_at=now - timedelta(hours=40 - index * 3),
        )
        application.events.create(actor=user, from_stage=Stage.DRAFT, to_stage=Stage.SUBMITTED)
        created += 1
        if decision == "approve":
            services.application_approve(application=application, actor=reviewer, expected_version=1)
        elif decision == "reject":
            services.application_reject(
                application=application,
                actor=reviewer,
                expected_version=1,
                reason=reason,
                note="报考岗位要求大专及以上学历，提交的学历为高中",
            )
        elif decision == "return":
            services.application_return(
                application=application,
                actor=reviewer,
                expected_version=1,
                instructions="毕业证书照片不清晰，请重新上传清晰完整的毕业证书",
            )
    stdout.write(f"review: reviewer@demo.cn assigned; {created} demo applications for review")
