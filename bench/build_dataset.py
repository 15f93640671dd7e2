"""Build the benchmark dataset in the database DATABASE_URL points at (PostgreSQL).

1 announcement (registration closes tomorrow: the last evening), 200 positions,
50,000 applicants with profiles and education, 50,000 applications in mixed stages with
snapshots, a pool of applicants with a complete profile and no application (the Locust
applicants, one account each), reviewers assigned to the announcement.

Rows are written with PostgreSQL COPY from model instances (defaults, auto_now and field
conversion come from the models themselves), ids assigned here, sequences reset after.
One Argon2 hash is computed and shared by every account (hashing 52,000 passwords would
take ten minutes, and logging in still verifies a real production hash).

Usage: DJANGO_SETTINGS_MODULE=portal.settings python bench/build_dataset.py [--out FILE]
"""

import argparse
import io
import json
import os
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from allauth.account.models import EmailAddress  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management.color import no_style  # noqa: E402
from django.core.serializers.json import DjangoJSONEncoder  # noqa: E402
from django.db import connection, models, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from accounts.roles import Role  # noqa: E402
from applicants.models import (  # noqa: E402
    ApplicantProfile,
    Application,
    ApplicationEvent,
    EducationRecord,
    EligibilityOutcome,
    RejectionReason,
    Stage,
)
from applicants.snapshot import build_snapshot  # noqa: E402
from recruitment.choices import Education, PoliticalStatus  # noqa: E402
from recruitment.models import Announcement, Position, ReviewerAssignment  # noqa: E402

PASSWORD = "Bench@2026pass"
N_APPLICANTS = int(os.environ.get("BENCH_APPLICANTS", 50_000))
N_POOL = int(os.environ.get("BENCH_POOL", 2_000))
N_POSITIONS = 200
N_REVIEWERS = 20
PHOTO = "photos/bench-id-photo.jpg"
ANNOUNCEMENT_TITLE = "2026年鞍山市公开招聘社区工作者公告（基准测试）"

# Mixed stages: the last evening before registration closes.
STAGE_MIX = [
    (Stage.DRAFT, 0.10),
    (Stage.SUBMITTED, 0.60),
    (Stage.RETURNED, 0.05),
    (Stage.APPROVED, 0.20),
    (Stage.REJECTED, 0.05),
]

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
REGIONS = ["210302", "210303", "210304", "210311", "210321", "210381"]  # 辽宁省鞍山市
DISTRICTS = ["铁东区", "铁西区", "立山区", "千山区", "台安县", "海城市"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰"
SCHOOLS = ["辽宁大学", "鞍山师范学院", "辽宁科技大学", "沈阳师范大学", "东北大学"]
MAJORS = ["社会工作", "行政管理", "汉语言文学", "法学", "公共事业管理", "计算机科学与技术"]


def id_number(i: int, birth: date) -> str:
    region = REGIONS[i % len(REGIONS)]
    first17 = f"{region}{birth:%Y%m%d}{(i // 5000) % 1000:03d}"
    return first17 + CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def copy_rows(model, objs):
    """COPY model instances into their table, converting values as Django would."""
    fields = list(model._meta.concrete_fields)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    buf = io.StringIO()
    for obj in objs:
        values = []
        for f in fields:
            value = f.pre_save(obj, True)
            if isinstance(f, models.JSONField):
                text = json.dumps(value, cls=f.encoder or DjangoJSONEncoder, ensure_ascii=False)
            else:
                value = f.get_db_prep_save(value, connection)
                if value is None:
                    values.append("\\N")
                    continue
                if isinstance(value, bool):
                    text = "t" if value else "f"
                elif hasattr(value, "isoformat"):
                    text = value.isoformat()
                else:
                    text = str(value)
            text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
            values.append(text)
        buf.write("\t".join(values))
        buf.write("\n")
    buf.seek(0)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY {model._meta.db_table} ({columns}) FROM STDIN", buf)
    return len(objs)


def copy_m2m(table, columns, rows):
    buf = io.StringIO("".join("\t".join(str(v) for v in row) + "\n" for row in rows))
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buf)


def next_id(model):
    return (model.objects.aggregate(m=models.Max("pk"))["m"] or 0) + 1


def reset_sequences(*model_list):
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), model_list):
            cursor.execute(sql)


ELIGIBILITY_PASSED = [
    {"rule": "age", "outcome": "passed", "message": "年龄符合要求"},
    {"rule": "education", "outcome": "passed", "message": "学历符合要求"},
    {"rule": "major", "outcome": "passed", "message": "专业不限"},
    {"rule": "household", "outcome": "passed", "message": "户籍不限"},
]


def write_photo():
    """One 2-inch ID photo (295×413 JPEG) that every profile points at."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from PIL import Image

    if not default_storage.exists(PHOTO):
        buf = io.BytesIO()
        Image.new("RGB", (295, 413), (200, 220, 240)).save(buf, "JPEG", quality=80)
        default_storage.save(PHOTO, ContentFile(buf.getvalue()))


def make_sessions(reviewers, announcement):
    """Signed-in sessions for the saturation phases, so that they measure the page and not
    50 simultaneous Argon2 logins (the mixed phase logs in through the form)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    def session_for(user):
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "allauth.account.auth_backends.AuthenticationBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        return store.session_key

    applicants = (
        Application.objects.filter(announcement=announcement, stage=Stage.SUBMITTED)
        .select_related("applicant")
        .order_by("pk")[:50]
    )
    return {
        "reviewers": [session_for(user) for user in reviewers],
        "applicants": [{"session": session_for(a.applicant), "application": a.pk} for a in applicants],
    }


def build(out_path: Path | None):
    started = time.monotonic()
    write_photo()
    rng = random.Random(2026)
    now = timezone.now()
    today = timezone.localdate()
    password_hash = make_password(PASSWORD)  # one Argon2 hash, shared

    groups = {
        g.name: g.pk
        for g in Group.objects.filter(name__in=[Role.APPLICANT, Role.REVIEWER, Role.ADMINISTRATOR])
    }
    with transaction.atomic():
        admin = User.objects.create(
            email="bench-admin@bench.cn", phone="13700000000", phone_verified=True, name="基准管理员"
        )
        User.objects.filter(pk=admin.pk).update(password=password_hash)
        admin.groups.add(groups[Role.ADMINISTRATOR])
        announcement = Announcement.objects.create(
            title=ANNOUNCEMENT_TITLE,
            organiser="鞍山市民政局",
            body="## 一、招聘岗位\n\n共 200 个岗位。\n\n## 二、报名条件\n\n1. 年龄 18-35 周岁；\n2. 大专及以上学历。\n"
            * 5,
            contact="0412-1234567",
            status=Announcement.Status.PUBLISHED,
            registration_opens_at=now - timedelta(days=5),
            registration_closes_at=now + timedelta(days=1),
            review_deadline=now + timedelta(days=10),
            created_by=admin,
            published_at=now - timedelta(days=5),
        )
        positions = []
        for p in range(N_POSITIONS):
            quota = 1 + p % 5
            positions.append(
                Position(
                    announcement=announcement,
                    code=f"B{p + 1:04d}",
                    name=["社区专职工作者", "社区网格员", "社区党建专干", "社区社会工作者"][p % 4],
                    district=DISTRICTS[p % len(DISTRICTS)],
                    street=f"第{p % 20 + 1}街道",
                    community=f"第{p + 1}社区",
                    quota=quota,
                    original_quota=quota,
                    max_age=35,
                    max_age_experienced=40,
                    min_education=Education.JUNIOR_COLLEGE,
                )
            )
        Position.objects.bulk_create(positions)
        positions = list(Position.objects.filter(announcement=announcement).order_by("pk"))

        reviewers = []
        for r in range(N_REVIEWERS):
            reviewers.append(
                User(
                    email=f"bench-r{r}@bench.cn",
                    phone=f"1370000{r + 1:04d}",
                    phone_verified=True,
                    name=f"审核员{r}",
                    password=password_hash,
                    is_active=True,
                )
            )
        User.objects.bulk_create(reviewers)
        reviewers = list(User.objects.filter(email__startswith="bench-r").order_by("pk"))
        User.groups.through.objects.bulk_create(
            [User.groups.through(user_id=u.pk, group_id=groups[Role.REVIEWER]) for u in reviewers]
        )
        ReviewerAssignment.objects.bulk_create(
            [ReviewerAssignment(announcement=announcement, reviewer=u, assigned_by=admin) for u in reviewers]
        )
        EmailAddress.objects.bulk_create(
            [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in [admin, *reviewers]]
        )
        rejection, _ = RejectionReason.objects.get_or_create(
            code="bench-age", defaults={"label": "年龄不符合", "label_en": "Age not eligible"}
        )
    t_setup = time.monotonic()

    # Applicants (with applications) and the pool (profile only), in one pass.
    total = N_APPLICANTS + N_POOL
    uid, pid, eid, aid = (
        next_id(User),
        next_id(ApplicantProfile),
        next_id(EducationRecord),
        next_id(Application),
    )
    mid = next_id(EmailAddress)
    ev_id = next_id(ApplicationEvent)
    users, profiles, educations, applications, events, emails, memberships = [], [], [], [], [], [], []
    stages = [s for s, _ in STAGE_MIX]
    stage_weights = [w for _, w in STAGE_MIX]
    for i in range(total):
        pool = i >= N_APPLICANTS
        email = f"bench-p{i - N_APPLICANTS}@bench.cn" if pool else f"bench-a{i}@bench.cn"
        name = SURNAMES[i % len(SURNAMES)] + GIVEN[(i // 7) % len(GIVEN)] + GIVEN[(i // 131) % len(GIVEN)]
        birth = today - timedelta(days=365 * 21 + (i % 5000))  # 21 to ~34 years old
        user = User(
            id=uid + i,
            email=email,
            phone=f"15{i:09d}",
            phone_verified=True,
            name=name,
            password=password_hash,
            is_active=True,
            date_joined=now - timedelta(days=5, seconds=-i),
        )
        users.append(user)
        memberships.append((uid + i, groups[Role.APPLICANT]))
        emails.append(EmailAddress(id=mid + i, user_id=uid + i, email=email, verified=True, primary=True))
        profile = ApplicantProfile(
            id=pid + i,
            user_id=uid + i,
            real_name=name,
            id_number=id_number(i, birth),
            birth_date=birth,
            sex="male" if (i // 5000) % 2 == 1 else "female",
            political_status=rng.choice(list(PoliticalStatus.values)),
            household_province="辽宁省",
            household_city="鞍山市",
            household_district=DISTRICTS[i % len(DISTRICTS)],
            address=f"鞍山市{DISTRICTS[i % len(DISTRICTS)]}幸福路{i % 300 + 1}号",
            photo=PHOTO,
        )
        profiles.append(profile)
        education = EducationRecord(
            id=eid + i,
            profile_id=pid + i,
            level=rng.choice(
                [Education.JUNIOR_COLLEGE, Education.BACHELOR, Education.BACHELOR, Education.MASTER]
            ),
            school=SCHOOLS[i % len(SCHOOLS)],
            major=MAJORS[i % len(MAJORS)],
            graduated_on=birth + timedelta(days=365 * 22),
        )
        educations.append(education)
        if pool:
            continue
        stage = rng.choices(stages, stage_weights)[0]
        position = positions[rng.randrange(N_POSITIONS)]
        submitted_at = None if stage == Stage.DRAFT else now - timedelta(seconds=rng.randrange(5 * 86400))
        decided = stage in (Stage.APPROVED, Stage.REJECTED, Stage.RETURNED)
        application = Application(
            id=aid + i,
            applicant_id=uid + i,
            announcement_id=announcement.pk,
            position_id=position.pk,
            stage=stage,
            version={Stage.DRAFT: 1, Stage.SUBMITTED: 2}.get(stage, 3),
            snapshot={}
            if stage == Stage.DRAFT
            else build_snapshot(profile, education=[education], work=[], certificates=[], documents=[]),
            eligibility=[] if stage == Stage.DRAFT else ELIGIBILITY_PASSED,
            eligibility_outcome="" if stage == Stage.DRAFT else EligibilityOutcome.PASSED,
            declaration_accepted_at=submitted_at,
            return_instructions="请补充上传毕业证书。" if stage == Stage.RETURNED else "",
            rejection_reason_id=rejection.pk if stage == Stage.REJECTED else None,
            rejection_note="年龄超过岗位要求。" if stage == Stage.REJECTED else "",
            reviewed_by_id=reviewers[i % N_REVIEWERS].pk if decided else None,
            submitted_at=submitted_at,
            decided_at=submitted_at + timedelta(hours=6) if decided else None,
        )
        applications.append(application)
        if submitted_at:
            events.append(
                ApplicationEvent(
                    id=ev_id + len(events),
                    application_id=aid + i,
                    actor_id=uid + i,
                    from_stage=Stage.DRAFT,
                    to_stage=Stage.SUBMITTED,
                    at=submitted_at,
                )
            )
            if decided:
                events.append(
                    ApplicationEvent(
                        id=ev_id + len(events),
                        application_id=aid + i,
                        actor_id=reviewers[i % N_REVIEWERS].pk,
                        from_stage=Stage.SUBMITTED,
                        to_stage=stage,
                        at=submitted_at + timedelta(hours=6),
                    )
                )
    t_generate = time.monotonic()

    with transaction.atomic():
        copy_rows(User, users)
        copy_m2m(User.groups.through._meta.db_table, ["user_id", "group_id"], memberships)
        copy_rows(EmailAddress, emails)
        copy_rows(ApplicantProfile, profiles)
        copy_rows(EducationRecord, educations)
        copy_rows(Application, applications)
        # auto_now_add "at": keep the historical times given above.
        copy_rows(ApplicationEvent, events)
        reset_sequences(User, EmailAddress, ApplicantProfile, EducationRecord, Application, ApplicationEvent)
    t_copy = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # what autovacuum would have done on a live database
    t_done = time.monotonic()

    sessions = make_sessions(reviewers, announcement)
    stage_counts = dict(
        Application.objects.filter(announcement=announcement)
        .order_by()
        .values_list("stage")
        .annotate(n=models.Count("pk"))
    )
    facts = {
        "announcement_id": announcement.pk,
        "positions": len(positions),
        "position_ids": [p.pk for p in positions],
        "applicants": N_APPLICANTS,
        "pool": N_POOL,
        "reviewers": N_REVIEWERS,
        "applications": sum(stage_counts.values()),
        "application_events": len(events),
        "stages": stage_counts,
        "sessions": sessions,
        "password": PASSWORD,
        "seconds": {
            "setup": round(t_setup - started, 2),
            "generate": round(t_generate - t_setup, 2),
            "copy": round(t_copy - t_generate, 2),
            "analyze": round(t_done - t_copy, 2),
            "total": round(t_done - started, 2),
        },
    }
    print(json.dumps({k: v for k, v in facts.items() if k != "position_ids"}, ensure_ascii=False, indent=1))
    if out_path:
        out_path.write_text(json.dumps(facts, ensure_ascii=False, indent=1))
    return facts


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path)
    build(parser.parse_args().out)
