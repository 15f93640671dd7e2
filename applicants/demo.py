"""Demo applicants: 300 people with real-looking names and valid-checksum ID numbers from
Anshan (2103xx), each with a profile and education, and their applications to the open
demo announcement spread over the stages so far. Idempotent; bulk inserts (a few seconds).

applicant@demo.cn gets a complete profile and photo but no application, so the demo can apply.
"""

import io
import random
from datetime import date, timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image

from accounts.demo import DEMO_PASSWORD, ensure_user
from accounts.models import User
from accounts.roles import Role
from recruitment.choices import Education, PoliticalStatus
from recruitment.models import Announcement

from . import eligibility
from .id_numbers import make_id_number
from .models import (
    ApplicantProfile,
    Application,
    ApplicationEvent,
    EducationRecord,
    Stage,
    WorkRecord,
)
from .snapshot import build_snapshot

COUNT = 300
EMAIL = "demo.applicant{:03d}@demo.cn"
OPEN_TITLE = "鞍山市2026年公开招聘社区工作者公告"
PHOTO_PATH = "photos/demo-applicant.jpg"

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶"
    "阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
)
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英建华玉兰红文博宇浩然子涵欣怡梓萱雨轩思远佳琪晓东海燕丹丹婷婷鑫颖晨阳一鸣"
MINORITY_NAMES = ["买买提·艾力", "阿依古丽·吐尔逊", "古丽娜尔·阿不都", "努尔兰·赛力克", "巴图·孟和"]
DISTRICTS = [
    ("210302", "铁东区"),
    ("210303", "铁西区"),
    ("210304", "立山区"),
    ("210311", "千山区"),
    ("210381", "海城市"),
]
SCHOOLS = [
    "鞍山师范学院",
    "辽宁科技大学",
    "辽宁大学",
    "沈阳师范大学",
    "大连理工大学",
    "辽宁石油化工大学",
    "鞍山职业技术学院",
]
MAJORS = [
    "社会工作",
    "行政管理",
    "汉语言文学",
    "法学",
    "公共事业管理",
    "社会学",
    "会计学",
    "计算机科学与技术",
    "心理学",
]
ETHNICITIES = ["汉族"] * 12 + ["满族", "满族", "蒙古族", "回族", "朝鲜族", "锡伯族"]
STAGE_WEIGHTS = [
    (Stage.DRAFT, 8),
    (Stage.SUBMITTED, 45),
    (Stage.RETURNED, 10),
    (Stage.APPROVED, 22),
    (Stage.REJECTED, 8),
    (Stage.WITHDRAWN, 7),
]


def _photo() -> str:
    if not default_storage.exists(PHOTO_PATH):
        buffer = io.BytesIO()
        Image.new("RGB", (295, 413), (225, 232, 240)).save(buffer, "JPEG", quality=85)
        return default_storage.save(PHOTO_PATH, ContentFile(buffer.getvalue()))
    return PHOTO_PATH


def _name(rng: random.Random) -> str:
    if rng.random() < 0.02:
        return rng.choice(MINORITY_NAMES)
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def _demo_applicant(stdout) -> None:
    user = ensure_user("applicant@demo.cn", phone="13800000004", name="张报考", role=Role.APPLICANT)
    if ApplicantProfile.objects.filter(user=user).exists():
        return
    profile = ApplicantProfile.objects.create(
        user=user,
        real_name="张报考",
        id_number=make_id_number("210302", date(1996, 8, 18), 135),
        birth_date=date(1996, 8, 18),
        sex="male",
        political_status=PoliticalStatus.LEAGUE_MEMBER,
        household_province="辽宁省",
        household_city="鞍山市",
        household_district="铁东区",
        household_settled_on=date(2010, 5, 1),
        address="辽宁省鞍山市铁东区园林街道胜利南路18号",
        photo=_photo(),
    )
    EducationRecord.objects.create(
        profile=profile,
        level=Education.BACHELOR,
        school="鞍山师范学院",
        major="社会工作",
        graduated_on=date(2019, 7, 1),
    )
    WorkRecord.objects.create(
        profile=profile,
        employer="铁东区园林街道胜利社区",
        role="社区网格员",
        started_on=date(2020, 3, 1),
        community_work=True,
    )
    stdout.write("applicants: applicant@demo.cn has a complete profile and no application")


def seed(stdout):
    _demo_applicant(stdout)
    if User.objects.filter(email=EMAIL.format(COUNT - 1)).exists():
        stdout.write(f"applicants: {COUNT} demo applicants already there")
        return
    rng = random.Random(2026)  # the same people every time
    photo = _photo()
    password = make_password(DEMO_PASSWORD)  # hashed once (argon2 is deliberately slow)
    users = User.objects.bulk_create(
        [
            User(email=EMAIL.format(n), phone=f"1370000{n:04d}", phone_verified=True, password=password)
            for n in range(COUNT)
        ]
    )
    users = list(User.objects.filter(email__startswith="demo.applicant").order_by("email"))
    applicant_group = Group.objects.get(name=Role.APPLICANT)
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=u.pk, group_id=applicant_group.pk) for u in users], ignore_conflicts=True
    )
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users],
        ignore_conflicts=True,
    )
    taken = set(ApplicantProfile.objects.values_list("id_number", flat=True))
    profiles = []
    for user in users:
        region, district = rng.choice(DISTRICTS)
        while True:
            birth = date(1986, 1, 1) + timedelta(days=rng.randrange(365 * 20))
            number = make_id_number(region, birth, rng.randrange(1000))
            if number not in taken:
                taken.add(number)
                break
        user.name = _name(rng)
        profiles.append(
            ApplicantProfile(
                user=user,
                real_name=user.name,
                id_number=number,
                birth_date=birth,
                sex="male" if int(number[16]) % 2 else "female",
                ethnicity="维吾尔族" if "·" in user.name else rng.choice(ETHNICITIES),
                political_status=rng.choices(
                    [PoliticalStatus.PARTY_MEMBER, PoliticalStatus.LEAGUE_MEMBER, PoliticalStatus.MASSES],
                    weights=[25, 35, 40],
                )[0],
                household_province="辽宁省",
                household_city="鞍山市"
                if rng.random() < 0.85
                else rng.choice(["沈阳市", "辽阳市", "营口市"]),
                household_district=district,
                address=f"鞍山市{district}{rng.choice(['胜利', '园林', '站前', '对炉', '湖南'])}街{rng.randrange(1, 300)}号",
                photo=photo,
            )
        )
    User.objects.bulk_update(users, ["name"])
    profiles = ApplicantProfile.objects.bulk_create(profiles)
    education, work = {}, {}
    for profile in profiles:
        level = rng.choices(
            [Education.JUNIOR_COLLEGE, Education.BACHELOR, Education.MASTER], weights=[30, 60, 10]
        )[0]
        graduated = date(min(profile.birth_date.year + 22 + rng.randrange(0, 3), 2026), 7, 1)
        education[profile.pk] = [
            EducationRecord(
                profile=profile,
                level=level,
                school=rng.choice(SCHOOLS),
                major=rng.choice(MAJORS),
                graduated_on=graduated,
                full_time=rng.random() < 0.9,
            )
        ]
        work[profile.pk] = []
        if rng.random() < 0.45 and graduated.year < 2025:
            start = graduated + timedelta(days=rng.randrange(30, 400))
            work[profile.pk].append(
                WorkRecord(
                    profile=profile,
                    employer=rng.choice(
                        ["铁东区站前街道园林社区", "立山区曙光街道", "鞍山市某物业公司", "海城市某商贸公司"]
                    ),
                    role=rng.choice(["网格员", "社区专干", "行政助理", "客服专员"]),
                    started_on=start,
                    community_work=rng.random() < 0.5,
                )
            )
    EducationRecord.objects.bulk_create([e for items in education.values() for e in items])
    WorkRecord.objects.bulk_create([w for items in work.values() for w in items])
    stdout.write(f"applicants: {len(profiles)} demo applicants (password {DEMO_PASSWORD})")

    announcement = Announcement.objects.filter(title=OPEN_TITLE).prefetch_related("positions").first()
    if announcement is None:
        stdout.write(f"applicants: announcement “{OPEN_TITLE}” not found, no demo applications")
        return
    positions = [p for p in announcement.positions.all() if p.status != p.Status.CANCELLED]
    reviewer = User.objects.filter(email="reviewer@demo.cn").first()
    # The reason catalogue belongs to the review app: reached through the foreign key, so
    # applicants imports nothing of review.
    reasons = list(Application._meta.get_field("rejection_reason").related_model.objects.filter(active=True))
    reference = announcement.reference_date
    now = timezone.now()
    opens = announcement.registration_opens_at
    span = max(int((min(now, announcement.registration_closes_at) - opens).total_seconds()), 60)
    applications, plans = [], []
    for profile in profiles[: int(COUNT * 0.8)]:
        snapshot = build_snapshot(
            profile, education=education[profile.pk], work=work[profile.pk], certificates=[], documents=[]
        )
        choices = positions[:]
        rng.shuffle(choices)
        for position in choices:
            result = eligibility.check(snapshot, position, reference)
            if result.outcome != eligibility.FAILED:
                break
        else:
            continue
        stage = rng.choices([s for s, _w in STAGE_WEIGHTS], weights=[w for _s, w in STAGE_WEIGHTS])[0]
        submitted_at = opens + timedelta(seconds=rng.randrange(span))
        decided_at = min(submitted_at + timedelta(hours=rng.randrange(2, 30)), now)
        application = Application(
            applicant_id=profile.user_id,
            announcement=announcement,
            position=position,
            stage=stage,
            version=1 if stage == Stage.DRAFT else 2 if stage == Stage.SUBMITTED else 3,
        )
        if stage != Stage.DRAFT:
            application.snapshot = snapshot
            application.eligibility = result.rules
            application.eligibility_outcome = result.outcome
            application.submitted_at = submitted_at
            application.declaration_accepted_at = submitted_at
        if stage == Stage.RETURNED:
            application.return_instructions = "请上传清晰的毕业证书扫描件（含照片页）。"
        if stage == Stage.REJECTED:
            application.rejection_reason = rng.choice(reasons) if reasons else None
            application.rejection_note = "经审核，不符合岗位条件。"
        if stage in (Stage.APPROVED, Stage.REJECTED, Stage.RETURNED):
            application.reviewed_by = reviewer
            application.decided_at = decided_at
        if stage == Stage.REJECTED and application.rejection_reason is None:
            continue
        applications.append(application)
        plans.append((application, submitted_at, decided_at))
    Application.objects.bulk_create(applications)
    events = []
    for application, _submitted_at, _decided_at in plans:
        actor_id = application.applicant_id
        events.append(
            ApplicationEvent(application=application, actor_id=actor_id, from_stage="", to_stage=Stage.DRAFT)
        )
        if application.stage == Stage.DRAFT:
            continue
        events.append(
            ApplicationEvent(
                application=application, actor_id=actor_id, from_stage=Stage.DRAFT, to_stage=Stage.SUBMITTED
            )
        )
        if application.stage in (Stage.APPROVED, Stage.REJECTED, Stage.RETURNED):
            reason = application.return_instructions or (
                str(application.rejection_reason) if application.rejection_reason else ""
            )
            events.append(
                ApplicationEvent(
                    application=application,
                    actor=reviewer,
                    from_stage=Stage.SUBMITTED,
                    to_stage=application.stage,
                    reason=reason,
                )
            )
        elif application.stage == Stage.WITHDRAWN:
            events.append(
                ApplicationEvent(
                    application=application,
                    actor_id=actor_id,
                    from_stage=Stage.SUBMITTED,
                    to_stage=Stage.WITHDRAWN,
                    reason="本人撤回",
                )
            )
    ApplicationEvent.objects.bulk_create(events)
    # `at` is auto_now_add: set the real moments afterwards, a few statements in all.
    _backdate(plans)
    approved_users = [a.applicant_id for a in applications if a.stage == Stage.APPROVED]
    ApplicantProfile.objects.filter(user_id__in=approved_users).update(identity_locked=True)
    counts = {}
    for application in applications:
        counts[application.stage] = counts.get(application.stage, 0) + 1
    stdout.write(
        "applicants: {} demo applications ({})".format(
            len(applications), ", ".join(f"{stage} {n}" for stage, n in sorted(counts.items()))
        )
    )


def _backdate(plans) -> None:
    from django.db.models import Case, DateTimeField, Value, When

    ids = [application.pk for application, _s, _d in plans]
    created = Case(
        *[When(pk=a.pk, then=Value(s - timedelta(minutes=20))) for a, s, _d in plans],
        output_field=DateTimeField(),
    )
    Application.objects.filter(pk__in=ids).update(created_at=created)
    draft_at = Case(
        *[When(application_id=a.pk, then=Value(s - timedelta(minutes=20))) for a, s, _d in plans],
        output_field=DateTimeField(),
    )
    submit_at = Case(
        *[When(application_id=a.pk, then=Value(s)) for a, s, _d in plans], output_field=DateTimeField()
    )
    decided = Case(
        *[When(application_id=a.pk, then=Value(d)) for a, _s, d in plans], output_field=DateTimeField()
    )
    ApplicationEvent.objects.filter(application_id__in=ids, to_stage=Stage.DRAFT).update(at=draft_at)
    ApplicationEvent.objects.filter(application_id__in=ids, to_stage=Stage.SUBMITTED).update(at=submit_at)
    ApplicationEvent.objects.filter(application_id__in=ids, from_stage=Stage.SUBMITTED).update(at=decided)
