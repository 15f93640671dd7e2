"""Build the benchmark dataset in the database DATABASE_URL points at (PostgreSQL).

1 announcement (registration closes tomorrow: the last evening), 200 positions,
50,000 applicants with profiles and education, 50,000 applications in mixed stages with
snapshots, a pool of applicants with a complete profile and no application (the Locust
applicants, one account each), reviewers assigned to the announcement.

The written exam (issue 15), on two more announcements of the same applicants (a user may
apply to several recruitments; the first announcement keeps its last evening of
registration, its review queue and its apply flow untouched):

* the seating announcement: BENCH_EXAM_CANDIDATES (default all 50,000) approved
  applications, an exam plan with one session and enough venues and rooms (84 rooms of 30
  seats a venue) for all of them, not seated: bench/seating.py times the real issue job
  over them;
* the ticket announcement: BENCH_TICKETS (default 2,000) applicants (bench-a0…) already
  seated (stage 已发准考证, tickets numbered as the job numbers them, the 准考证可打印 notice
  marked sent), the printing window open now; three in four submitted a 295×413 JPEG ID
  photo (about 20 KB), the fourth none (the ticket then prints the missing-photo box).
  The Locust ticket phases log in as them.

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
    Stage,
)
from applicants.snapshot import build_snapshot  # noqa: E402
from exams.models import ExamPlan, ExamSession, Room, Ticket, Venue  # noqa: E402
from exams.numbering import (  # noqa: E402
    DEFAULT_FORMAT,
    Candidate,
    RoomIn,
    RoomSeats,
    VenueIn,
    format_number,
    room_codes,
    seat_candidates,
)
from recruitment.choices import Education, PoliticalStatus  # noqa: E402
from recruitment.models import Announcement, Position, ReviewerAssignment  # noqa: E402
from review.models import RejectionReason  # noqa: E402

PASSWORD = "Bench@2026pass"
N_APPLICANTS = int(os.environ.get("BENCH_APPLICANTS", 50_000))
N_POOL = int(os.environ.get("BENCH_POOL", 2_000))
N_POSITIONS = 200
N_REVIEWERS = 20
N_EXAM = min(int(os.environ.get("BENCH_EXAM_CANDIDATES", N_APPLICANTS)), N_APPLICANTS)
N_TICKETS = min(int(os.environ.get("BENCH_TICKETS", 2_000)), N_APPLICANTS)
N_EXAM_POSITIONS = 200
N_TICKET_POSITIONS = 20
ROOMS_PER_VENUE = 84  # a large school; 30 seats a room (the default)
SEATS_PER_ROOM = 30
PHOTO = "photos/bench-id-photo.jpg"
TICKET_PHOTO = "photos/bench-ticket-photo.jpg"
ANNOUNCEMENT_TITLE = "2026年鞍山市公开招聘社区工作者公告（基准测试）"
EXAM_TITLE = "2026年鞍山市第一批公开招聘社区工作者公告（基准测试·笔试编排）"
TICKET_TITLE = "2026年鞍山市春季公开招聘社区工作者公告（基准测试·准考证打印）"
EXAM_RULES = """## 考生须知

1. 考生凭本人准考证和有效居民身份证（原件）参加考试，证件不全者不得入场。
2. 考生须于开考前30分钟到达考场，开考30分钟后不得入场，考试结束前不得提前交卷离场。
3. 考生只准携带黑色字迹签字笔、2B铅笔和橡皮，严禁携带手机、智能手表等电子设备进入考场。
4. 考生入场后按座位号就座，将准考证和身份证放在桌面左上角，以便监考人员核验。
5. 答题前须在答题卡指定位置准确填写姓名、准考证号，并用2B铅笔填涂准考证号。
6. 考试期间严禁交头接耳、抄袭或协助他人抄袭，违者按《事业单位公开招聘违纪违规行为处理规定》处理。
7. 考试结束铃响后立即停止答题，将试卷、答题卡和草稿纸反扣在桌面上，经监考人员清点后方可离场。
8. 请考生妥善保管准考证，面试及资格复审时须再次出示。
"""

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
    if not default_storage.exists(TICKET_PHOTO):
        default_storage.save(TICKET_PHOTO, ContentFile(ticket_photo_jpeg()))


def ticket_photo_jpeg() -> bytes:
    """A 295×413 JPEG with a photo's texture (a shaded head and shoulders on a blue
    background, sensor noise): about 22 KB at quality 88, as a real ID photo (20–60 KB),
    so the ticket embeds and the PDF weighs what a real one does. Deterministic."""
    from PIL import Image, ImageDraw, ImageFilter

    width, height = 295, 413
    image = Image.new("RGB", (width, height), (67, 142, 219))
    draw = ImageDraw.Draw(image)
    draw.ellipse((20, 300, 275, 560), fill=(40, 40, 48))  # shoulders, dark jacket
    draw.rectangle((125, 250, 170, 320), fill=(226, 188, 160))  # neck
    draw.ellipse((78, 80, 217, 270), fill=(232, 196, 168))  # face
    draw.ellipse((70, 55, 225, 170), fill=(25, 22, 20))  # hair
    draw.ellipse((112, 160, 132, 172), fill=(40, 30, 30))
    draw.ellipse((163, 160, 183, 172), fill=(40, 30, 30))
    draw.arc((125, 205, 170, 235), 20, 160, fill=(150, 80, 80), width=3)
    image = image.filter(ImageFilter.GaussianBlur(2))
    rng = random.Random(7)
    noise = Image.frombytes(
        "L", (width, height), bytes(rng.randrange(96, 160) for _ in range(width * height))
    )
    image = Image.blend(image, Image.merge("RGB", (noise, noise, noise)), 0.2)
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=88)
    return buf.getvalue()


def default_storage_read(name: str) -> bytes:
    from django.core.files.storage import default_storage

    with default_storage.open(name, "rb") as handle:
        return handle.read()


def make_sessions(reviewers, announcement, ticket_announcement=None):
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
    holders = []
    if ticket_announcement is not None:
        holders = (
            Application.objects.filter(announcement=ticket_announcement, stage=Stage.TICKET_ISSUED)
            .select_related("applicant")
            .order_by("pk")[:50]
        )
    return {
        "reviewers": [session_for(user) for user in reviewers],
        "applicants": [{"session": session_for(a.applicant), "application": a.pk} for a in applicants],
        # The ticket saturation phase: each user signed in once as its own ticket holder.
        "ticket_holders": [{"session": session_for(a.applicant), "application": a.pk} for a in holders],
    }


def exam_announcement(*, admin, title, now, n_positions, n_candidates, window_open):
    """An announcement past registration and review, its positions, and an exam plan with
    one session and venues of ROOMS_PER_VENUE rooms of SEATS_PER_ROOM seats, enough for
    `n_candidates` (ORM: a few hundred rows). Returns (announcement, positions, plan, rooms)."""
    announcement = Announcement.objects.create(
        title=title,
        organiser="鞍山市民政局",
        body="## 一、招聘岗位\n\n详见岗位表。\n\n## 二、笔试\n\n笔试时间、地点见准考证。\n",
        contact="0412-1234567",
        status=Announcement.Status.PUBLISHED,
        registration_opens_at=now - timedelta(days=40),
        registration_closes_at=now - timedelta(days=30),
        review_deadline=now - timedelta(days=20),
        created_by=admin,
        published_at=now - timedelta(days=40),
    )
    positions = Position.objects.bulk_create(
        [
            Position(
                announcement=announcement,
                code=f"E{p + 1:04d}",
                name=["社区专职工作者", "社区网格员", "社区党建专干", "社区社会工作者"][p % 4],
                district=DISTRICTS[p % len(DISTRICTS)],
                street=f"第{p % 20 + 1}街道",
                community=f"第{p + 1}社区",
                quota=5 + p % 20,
                original_quota=5 + p % 20,
                max_age=35,
                max_age_experienced=40,
                min_education=Education.JUNIOR_COLLEGE,
            )
            for p in range(n_positions)
        ]
    )
    # The window is open now for the ticket announcement; the exam follows it.
    starts = now - timedelta(days=1) if window_open else now + timedelta(days=1)
    plan = ExamPlan.objects.create(
        announcement=announcement,
        exam_code="0",
        district_code="2103",
        number_format=DEFAULT_FORMAT,
        print_starts_at=starts,
        print_ends_at=starts + timedelta(days=5),
        rules_text=EXAM_RULES,
        entry_cutoff_minutes=30,
    )
    exam_day = timezone.localtime(starts + timedelta(days=6)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    ExamSession.objects.create(
        plan=plan, subject="综合知识（社区工作）", starts_at=exam_day, ends_at=exam_day + timedelta(hours=2)
    )
    rooms_needed = -(-n_candidates // SEATS_PER_ROOM) or 1
    n_venues = -(-rooms_needed // ROOMS_PER_VENUE)
    venues = Venue.objects.bulk_create(
        [
            Venue(
                plan=plan,
                name=f"鞍山市第{v + 1}中学考点",
                address=f"鞍山市{DISTRICTS[v % len(DISTRICTS)]}育才街{v * 7 + 11}号",
                directions=f"乘{v % 30 + 1}路、{v % 20 + 101}路公交车至育才街站下车，步行约5分钟。",
                code=f"{v + 1:02d}",
            )
            for v in range(n_venues)
        ]
    )
    rooms = Room.objects.bulk_create(
        [
            Room(
                venue=venue,
                number=r + 1,
                location=f"教学楼{r // 20 + 1}号楼{(r % 20) // 5 + 1}层{(r % 20) // 5 + 1}{r % 5 + 1:02d}室",
                capacity=SEATS_PER_ROOM,
            )
            for v, venue in enumerate(venues)
            for r in range(min(ROOMS_PER_VENUE, rooms_needed - v * ROOMS_PER_VENUE))
        ]
    )
    return announcement, positions, plan, rooms


def exam_application(*, pk, applicant_id, announcement_id, position_id, stage, snapshot, reviewer_id, at):
    """An application submitted 30 days before `at` and approved (or past approval)."""
    return Application(
        id=pk,
        applicant_id=applicant_id,
        announcement_id=announcement_id,
        position_id=position_id,
        stage=stage,
        version=3 if stage == Stage.APPROVED else 4,
        snapshot=snapshot,
        eligibility=ELIGIBILITY_PASSED,
        eligibility_outcome=EligibilityOutcome.PASSED,
        declaration_accepted_at=at,
        reviewed_by_id=reviewer_id,
        submitted_at=at,
        decided_at=at + timedelta(days=2),
    )


def seat_tickets(plan, rooms, candidates, *, now, admin):
    """Tickets of `candidates` exactly as the issue job's first run numbers them (room
    codes, the seeded seating, the plan's number format); rooms get their codes (ORM).
    Returns the unsaved Ticket objects; the plan is marked issued."""
    by_venue = {}
    for room in rooms:
        by_venue.setdefault(room.venue_id, []).append(room)
    codes = room_codes(
        [
            VenueIn(code=venue_rooms[0].venue.code, rooms=tuple(RoomIn(r.pk) for r in venue_rooms))
            for venue_rooms in by_venue.values()
        ]
    )
    for room in rooms:
        room.ticket_venue_code, room.ticket_room_code = codes[room.pk]
    Room.objects.bulk_update(rooms, ["ticket_venue_code", "ticket_room_code"])
    seed = 20260415
    seats = seat_candidates(candidates, [RoomSeats(r.pk, r.capacity) for r in rooms], seed=seed)
    by_id = {room.pk: room for room in rooms}
    first_id = next_id(Ticket)
    tickets = [
        Ticket(
            id=first_id + k,
            application_id=seat.application_id,
            announcement_id=plan.announcement_id,
            room_id=seat.room_id,
            seat=seat.seat,
            initial=True,
            number=format_number(
                plan.number_format,
                exam=plan.exam_code,
                district=plan.district_code,
                venue=by_id[seat.room_id].ticket_venue_code,
                room=by_id[seat.room_id].ticket_room_code,
                seat=seat.seat,
            ),
            ready_notified_at=now - timedelta(days=1),
        )
        for k, seat in enumerate(seats)
    ]
    ExamPlan.objects.filter(pk=plan.pk).update(
        seating_seed=seed,
        seated_count=len(tickets),
        tickets_issued_at=now - timedelta(days=2),
        issued_by=admin,
    )
    return tickets


def build(out_path: Path | None):
    started = time.monotonic()
    write_photo()
    rng = random.Random(2026)
    exam_rng = random.Random(2027)  # its own draws: the bench announcement stays as it was
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
        exam, exam_positions, exam_plan, exam_rooms = exam_announcement(
            admin=admin,
            title=EXAM_TITLE,
            now=now,
            n_positions=N_EXAM_POSITIONS,
            n_candidates=N_EXAM,
            window_open=False,
        )
        ticket_ann, ticket_positions, ticket_plan, ticket_rooms = exam_announcement(
            admin=admin,
            title=TICKET_TITLE,
            now=now,
            n_positions=N_TICKET_POSITIONS,
            n_candidates=N_TICKETS,
            window_open=True,
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
    exam_applications, ticket_applications, exam_events, ticket_holders = [], [], [], []
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
        if i < N_EXAM or i < N_TICKETS:
            exam_snapshot = build_snapshot(
                profile, education=[education], work=[], certificates=[], documents=[]
            )
            reviewer_id = reviewers[i % N_REVIEWERS].pk
        if i < N_EXAM:  # approved, waiting for the seating bench/seating.py times
            at = now - timedelta(days=35, seconds=-exam_rng.randrange(4 * 86400))
            exam_applications.append(
                exam_application(
                    pk=aid + total + len(exam_applications),
                    applicant_id=uid + i,
                    announcement_id=exam.pk,
                    position_id=exam_positions[exam_rng.randrange(N_EXAM_POSITIONS)].pk,
                    stage=Stage.APPROVED,
                    snapshot=exam_snapshot,
                    reviewer_id=reviewer_id,
                    at=at,
                )
            )
            exam_events.append((exam_applications[-1].pk, uid + i, reviewer_id, at, None))
        if i < N_TICKETS:  # seated, window open: the Locust ticket holders
            at = now - timedelta(days=35, seconds=-exam_rng.randrange(4 * 86400))
            with_photo = i % 4 != 3
            ticket_applications.append(
                exam_application(
                    pk=aid + total + N_EXAM + len(ticket_applications),
                    applicant_id=uid + i,
                    announcement_id=ticket_ann.pk,
                    position_id=ticket_positions[exam_rng.randrange(N_TICKET_POSITIONS)].pk,
                    stage=Stage.TICKET_ISSUED,
                    snapshot={**exam_snapshot, "photo": TICKET_PHOTO if with_photo else ""},
                    reviewer_id=reviewer_id,
                    at=at,
                )
            )
            exam_events.append(
                (ticket_applications[-1].pk, uid + i, reviewer_id, at, now - timedelta(days=2))
            )
            ticket_holders.append([users[-1].email, ticket_applications[-1].pk, with_photo])
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
    # Audit rows of the exam applications: submitted, approved (and ticket issued).
    for app_id, applicant_id, reviewer_id, at, issued_at in exam_events:
        steps = [
            (applicant_id, Stage.DRAFT, Stage.SUBMITTED, at, ""),
            (reviewer_id, Stage.SUBMITTED, Stage.APPROVED, at + timedelta(days=2), ""),
        ]
        if issued_at:
            steps.append((admin.pk, Stage.APPROVED, Stage.TICKET_ISSUED, issued_at, "准考证已发放"))
        for actor_id, from_stage, to_stage, when, reason in steps:
            events.append(
                ApplicationEvent(
                    id=ev_id + len(events),
                    application_id=app_id,
                    actor_id=actor_id,
                    from_stage=from_stage,
                    to_stage=to_stage,
                    reason=reason,
                    at=when,
                )
            )
    tickets = seat_tickets(
        ticket_plan,
        ticket_rooms,
        [Candidate(a.pk, a.position_id) for a in ticket_applications],
        now=now,
        admin=admin,
    )
    t_generate = time.monotonic()

    with transaction.atomic():
        copy_rows(User, users)
        copy_m2m(User.groups.through._meta.db_table, ["user_id", "group_id"], memberships)
        copy_rows(EmailAddress, emails)
        copy_rows(ApplicantProfile, profiles)
        copy_rows(EducationRecord, educations)
        copy_rows(Application, applications)
        copy_rows(Application, exam_applications)
        copy_rows(Application, ticket_applications)
        copy_rows(Ticket, tickets)
        # auto_now_add "at": keep the historical times given above.
        copy_rows(ApplicationEvent, events)
        reset_sequences(
            User, EmailAddress, ApplicantProfile, EducationRecord, Application, ApplicationEvent, Ticket
        )
    t_copy = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # what autovacuum would have done on a live database
    t_done = time.monotonic()

    sessions = make_sessions(reviewers, announcement, ticket_ann)
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
        "exam": {
            "announcement_id": exam.pk,
            "plan_id": exam_plan.pk,
            "approved": len(exam_applications),
            "positions": N_EXAM_POSITIONS,
            "venues": len({r.venue_id for r in exam_rooms}),
            "rooms": len(exam_rooms),
            "seats": sum(r.capacity for r in exam_rooms),
        },
        "tickets": {
            "announcement_id": ticket_ann.pk,
            "plan_id": ticket_plan.pk,
            "issued": len(tickets),
            "with_photo": sum(1 for h in ticket_holders if h[2]),
            "rooms": len(ticket_rooms),
            "photo_bytes": len(default_storage_read(TICKET_PHOTO)),
            # [email, application id, has photo] for the Locust ticket holders
            "holders": ticket_holders,
        },
        "seconds": {
            "setup": round(t_setup - started, 2),
            "generate": round(t_generate - t_setup, 2),
            "copy": round(t_copy - t_generate, 2),
            "analyze": round(t_done - t_copy, 2),
            "total": round(t_done - started, 2),
        },
    }
    shown = {k: v for k, v in facts.items() if k not in ("position_ids", "sessions")}
    shown["tickets"] = {k: v for k, v in facts["tickets"].items() if k != "holders"}
    print(json.dumps(shown, ensure_ascii=False, indent=1))
    if out_path:
        out_path.write_text(json.dumps(facts, ensure_ascii=False, indent=1))
    return facts


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path)
    build(parser.parse_args().out)
