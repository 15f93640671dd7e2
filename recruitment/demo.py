"""Demo announcements: one taking registrations now (8+ positions, several districts),
one upcoming, one closed. Idempotent: found by title, created through the services."""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.demo import ensure_user

from . import services
from .choices import Education, PoliticalRequirement
from .models import Announcement, RecruitmentEvent

OPEN_TITLE = "鞍山市2026年公开招聘社区工作者公告"
UPCOMING_TITLE = "鞍山市高新区2026年下半年公开招聘社区工作者公告"
CLOSED_TITLE = "鞍山市2025年公开招聘社区工作者公告"

BODY = """根据《辽宁省社区工作者管理办法》有关规定，经研究，决定面向社会公开招聘社区工作者。现将有关事项公告如下：

## 一、招聘原则

坚持**公开、平等、竞争、择优**的原则，采取报名、资格审核、笔试、面试、体检、考察、公示的程序进行。

## 二、报名条件

1. 具有中华人民共和国国籍，拥护中国共产党的领导；
2. 遵纪守法，品行端正，热爱社区工作；
3. 具有正常履行职责的身体条件；
4. 年龄、学历、专业、户籍等其他条件见《岗位表》。

有下列情形之一的，不得报考：曾受过刑事处罚的；被开除公职的；在各级公务员招考中被认定有舞弊等严重违反录用纪律行为的。

## 三、报名方式

本次招聘采取网上报名方式，报名人员登录本平台注册并填写报名信息。每人限报一个岗位。

## 四、考试

考试分为笔试和面试。综合成绩 = 笔试成绩 × 50% + 面试成绩 × 50% + 加分。

| 加分项目 | 分值 |
|---|---|
| 社会工作师 | 2 |
| 助理社会工作师 | 1 |
| 退役军人 | 2 |

## 五、咨询

咨询电话：0412-1234567（工作日 8:30—17:00）。
"""

# code, name, district, street, community, quota, max_age, education, majors, regions, party, years, other
POSITIONS = [
    (
        "TD001",
        "社区工作者",
        "铁东区",
        "站前街道",
        "园林社区",
        3,
        35,
        Education.JUNIOR_COLLEGE,
        [],
        ["辽宁省鞍山市"],
        "",
        0,
        "",
    ),
    (
        "TD002",
        "社区党建专干",
        "铁东区",
        "山南街道",
        "胜利社区",
        1,
        35,
        Education.BACHELOR,
        [],
        [],
        PoliticalRequirement.PARTY_MEMBER,
        0,
        "中共党员（含预备党员）",
    ),
    (
        "TX001",
        "社区工作者",
        "铁西区",
        "北陶街道",
        "永乐社区",
        4,
        35,
        Education.JUNIOR_COLLEGE,
        [],
        ["辽宁省鞍山市"],
        "",
        0,
        "",
    ),
    (
        "TX002",
        "社会工作岗",
        "铁西区",
        "永发街道",
        "大陆社区",
        2,
        35,
        Education.BACHELOR,
        ["社会工作", "社会学", "心理学"],
        [],
        "",
        0,
        "持有社会工作者职业资格证书者优先",
    ),
    (
        "LS001",
        "社区工作者",
        "立山区",
        "曙光街道",
        "光明社区",
        3,
        35,
        Education.JUNIOR_COLLEGE,
        [],
        ["辽宁省鞍山市"],
        "",
        0,
        "",
    ),
    (
        "LS002",
        "社区网格员",
        "立山区",
        "深沟寺街道",
        "健身社区",
        2,
        40,
        Education.HIGH_SCHOOL,
        [],
        ["辽宁省鞍山市立山区"],
        "",
        2,
        "需适应夜间值班",
    ),
    (
        "QS001",
        "社区工作者",
        "千山区",
        "千山街道",
        "东鞍山社区",
        2,
        35,
        Education.JUNIOR_COLLEGE,
        [],
        [],
        "",
        0,
        "",
    ),
    (
        "GX001",
        "社区综合岗",
        "高新区",
        "千山路街道",
        "越岭社区",
        2,
        35,
        Education.BACHELOR,
        ["计算机科学与技术", "软件工程", "电子信息"],
        [],
        "",
        0,
        "负责社区信息化工作",
    ),
    (
        "GX002",
        "社区工作者（退役军人定向）",
        "高新区",
        "齐大山街道",
        "丰盛社区",
        1,
        40,
        Education.HIGH_SCHOOL,
        [],
        [],
        "",
        0,
        "限退役军人报考",
    ),
]


def office_time(now, days: int, hour: int, minute: int = 0):
    """`days` days from `now`'s local date at hour:minute, local time: the demo's deadlines
    fall at office times (报名截止 17:00), not at the minute the demo was seeded."""
    day = timezone.localdate(now) + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _fields(title, now, *, opens: int, closes: int):
    """Registration opens `opens` days from `now` at 09:00 and closes `closes` days from it
    at 17:00; the review ends three days later at 17:00; interviews a month on at 09:00."""
    return {
        "title": title,
        "organiser": "鞍山市民政局",
        "body": BODY,
        "contact": "0412-1234567",
        "registration_opens_at": office_time(now, opens, 9),
        "registration_closes_at": office_time(now, closes, 17),
        "review_deadline": office_time(now, closes + 3, 17),
        "interview_at": office_time(now, closes + 30, 9),
    }


def _create(admin, title, now, *, opens, closes, positions, publish=True):
    announcement = Announcement.objects.filter(title=title).first()
    if announcement:
        return announcement, False
    announcement = services.announcement_create(
        actor=admin,
        fields=_fields(title, now, opens=opens, closes=closes),
        bonus_categories=[
            {"name": "社会工作师", "points": Decimal("2")},
            {"name": "助理社会工作师", "points": Decimal("1")},
            {"name": "退役军人", "points": Decimal("2")},
        ],
    )
    for (
        code,
        name,
        district,
        street,
        community,
        quota,
        max_age,
        education,
        majors,
        regions,
        party,
        years,
        other,
    ) in positions:
        services.position_create(
            actor=admin,
            announcement=announcement,
            fields={
                "code": code,
                "name": name,
                "district": district,
                "street": street,
                "community": community,
                "quota": quota,
                "min_age": 18,
                "max_age": max_age,
                "max_age_experienced": 40 if max_age < 40 else None,
                "min_education": education,
                "majors": majors,
                "household_regions": regions,
                "political_requirement": party,
                "min_experience_years": years,
                "other_conditions": other,
            },
        )
    if publish:
        services.announcement_publish(actor=admin, announcement=announcement)
    return announcement, True


def seed(stdout):
    admin = ensure_user("admin@demo.cn")
    reviewer = ensure_user("reviewer@demo.cn")
    now = timezone.now().replace(second=0, microsecond=0)
    current, created = _create(admin, OPEN_TITLE, now, opens=-2, closes=5, positions=POSITIONS)
    services.reviewer_assign(actor=admin, announcement=current, reviewer=reviewer)
    _create(
        admin,
        UPCOMING_TITLE,
        now,
        opens=20,
        closes=26,
        positions=[p for p in POSITIONS if p[2] == "高新区"],
    )
    closed = Announcement.objects.filter(title=CLOSED_TITLE).first()
    if closed is None:
        # Registration in the past: created directly (publishing a past schedule is refused).
        closed, _created = _create(
            admin,
            CLOSED_TITLE,
            now - timedelta(days=300),
            opens=0,
            closes=6,
            positions=POSITIONS[:4],
            publish=False,
        )
        Announcement.objects.filter(pk=closed.pk).update(
            status=Announcement.Status.CLOSED, published_at=office_time(now, -301, 10)
        )
        RecruitmentEvent.objects.create(
            announcement=closed,
            actor=admin,
            action="closed",
            from_value="draft",
            to_value="closed",
            reason="演示数据",
        )
    stdout.write(
        f"recruitment: 3 announcements ({'created' if created else 'kept'} {OPEN_TITLE}, {current.positions.count()} positions)"
    )
