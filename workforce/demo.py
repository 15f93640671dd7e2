"""Demo workforce: the unit tree of the demo districts, a unit manager (manager@demo.cn) for
站前街道, 13 workers imported from a sheet (one of them worker@demo.cn, who can sign in),
an onboarding cohort trained and certified, the 2025 assessment confirmed (1 优秀 of 13 at
15 %) and the grade job run, side jobs in every state, and workers from the demo hires.
Idempotent: a second run adds nothing."""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

DISTRICTS = [
    ("铁东区", "站前街道", ["园林社区", "解放社区", "和平社区"]),
    ("铁东区", "山南街道", ["胜利社区"]),
    ("铁西区", "北陶街道", ["永乐社区"]),
    ("铁西区", "永发街道", ["大陆社区"]),
    ("立山区", "曙光街道", ["光明社区"]),
    ("立山区", "深沟寺街道", ["健身社区"]),
    ("千山区", "千山街道", ["东鞍山社区"]),
    ("高新区", "千山路街道", ["越岭社区"]),
    ("高新区", "齐大山街道", ["丰盛社区"]),
]

# name, phone, community, post, education, start, years, grade ("" = from the rules)
WORKERS = [
    ("刘晓梅", "13900000101", "园林社区", "正职", "本科", "2016-03-01", "5", "10"),
    ("陈志强", "13900000102", "园林社区", "副职", "大专", "2018-05-01", "5", "5"),
    ("周丽", "13900000103", "园林社区", "其他", "本科", "2021-03-01", "3", ""),
    ("吴建国", "13900000104", "园林社区", "其他", "大专", "2020-07-01", "3", ""),
    ("郑敏", "13900000105", "解放社区", "正职", "硕士", "2015-09-01", "5", "11"),
    ("王磊", "13900000106", "解放社区", "其他", "本科", "2022-03-01", "3", ""),
    ("冯雪", "13900000107", "解放社区", "其他", "大专", "2019-03-01", "3", ""),
    ("褚洪", "13900000108", "解放社区", "副职", "本科", "2017-01-01", "5", "6"),
    ("卫红", "13900000109", "和平社区", "正职", "本科", "2014-03-01", "5", "11"),
    ("蒋晨", "13900000110", "和平社区", "其他", "本科", "2021-09-01", "3", ""),
    ("沈佳", "13900000111", "和平社区", "其他", "高中/中专", "2020-03-01", "3", ""),
    ("韩梅", "13900000112", "和平社区", "其他", "本科", "2023-03-01", "3", ""),
    ("杨帆", "13800000019", "园林社区", "其他", "本科", "2026-09-01", "3", ""),  # worker@demo.cn
]
TZ = ZoneInfo("Asia/Shanghai")


def _sheet() -> SimpleUploadedFile:
    from openpyxl import Workbook

    from .services.importer import HEADERS

    book = Workbook()
    sheet = book.active
    sheet.append(list(HEADERS))
    for name, phone, community, post, education, start, years, grade in WORKERS:
        district, street = ("铁东区", "站前街道")
        sheet.append(
            [name, "", phone, district, street, community, post, education, start, years, grade, "", ""]
        )
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("demo-workers.xlsx", out.getvalue())


def seed(stdout):
    from accounts.demo import ensure_user
    from accounts.roles import Role
    from recruitment.units import unit_get_or_create

    from .models import AssessmentRound, SideJob, TrainingProgramme, UnitManagerAssignment, Worker
    from .services import assessments, importer, side_jobs, training
    from .services.side_jobs import Declaration
    from .services.workers import worker_create_from_hire

    admin = ensure_user("admin@demo.cn", phone="13800000001", name="王管理", role=Role.ADMINISTRATOR)
    for district, street, communities in DISTRICTS:
        for community in communities:
            unit_get_or_create(district, street, community)
    street = unit_get_or_create("铁东区", "站前街道")
    manager = ensure_user("manager@demo.cn", phone="13800000018", name="孙街道", role=Role.UNIT_MANAGER)
    UnitManagerAssignment.objects.get_or_create(manager=manager, unit=street, defaults={"assigned_by": admin})
    worker_user = ensure_user("worker@demo.cn", phone="13800000019", name="杨帆", role=Role.APPLICANT)

    # Workers from the demo hires (hiring's demo confirms some; the signal normally did it).
    from hiring.models import Hire

    from_hires = sum(
        1 for hire in Hire.objects.select_related("application", "position") if worker_create_from_hire(hire)
    )

    if not Worker.objects.filter(user=worker_user).exists():
        report = importer.import_workers(actor=admin, upload=_sheet())
        if not report.ok:
            stdout.write(
                f"workforce demo: import refused {report.file_error} {[r.errors for r in report.rows if r.errors]}"
            )
            return
    workers = list(Worker.objects.filter(unit__parent=street, source=Worker.Source.IMPORT).order_by("pk"))

    # An onboarding cohort, trained and certified.
    programme = TrainingProgramme.objects.filter(name="2026年新录用社区工作者岗前培训").first()
    if programme is None:
        programme = training.programme_create(
            actor=admin,
            name="2026年新录用社区工作者岗前培训",
            kind=TrainingProgramme.Kind.ONBOARDING,
            description="社区治理政策、居民服务实务、矛盾调解、信息系统操作。",
            auto_enrol=True,
        )
        start = datetime(2026, 3, 9, 9, tzinfo=TZ)
        for i, (title, teacher) in enumerate(
            [
                ("社区治理政策解读", "区民政局"),
                ("居民服务与沟通", "市社会工作协会"),
                ("矛盾纠纷调解实务", "区司法局"),
            ]
        ):
            training.session_add(
                actor=admin,
                programme=programme,
                title=title,
                starts_at=start + timedelta(days=i),
                hours=Decimal("8"),
                place="铁东区党群服务中心三楼报告厅",
                teacher=teacher,
            )
        training.enrol(actor=admin, programme=programme, workers=workers)
        sessions = list(programme.sessions.all())
        for n, worker in enumerate(workers):
            for session in sessions[: 3 if n % 5 else 2]:
                training.check_in(actor=admin, session=session, worker=worker)
        for n, enrolment in enumerate(programme.enrolments.select_related("worker")):
            training.result_set(actor=admin, enrolment=enrolment, passed=bool(n % 5), score=None)
        upcoming = training.programme_create(
            actor=admin, name="2026年第四季度在岗轮训", kind=TrainingProgramme.Kind.IN_SERVICE
        )
        training.session_add(
            actor=admin,
            programme=upcoming,
            title="网格化管理与数据安全",
            starts_at=datetime.combine(timezone.localdate() + timedelta(days=7), time(9), tzinfo=TZ),
            hours=Decimal("4"),
            place="站前街道办事处会议室",
            teacher="区大数据中心",
        )
        training.enrol(actor=admin, programme=upcoming, workers=workers)

    # The 2025 assessment of 站前街道, confirmed (15 % of 13 → 1 优秀), then the grade job.
    if not AssessmentRound.objects.filter(unit=street, year=2025).exists():
        assessment_round = assessments.round_open(actor=manager, unit=street, year=2025)
        rows = list(assessment_round.assessments.select_related("worker").order_by("worker__start_date"))
        outcomes = {}
        for n, row in enumerate(rows):
            outcomes[row.pk] = (
                "excellent"
                if n == 0
                else "basic"
                if n == len(rows) - 2
                else "fail"
                if n == len(rows) - 1
                else "pass"
            )
        assessments.results_save(actor=manager, assessment_round=assessment_round, outcomes=outcomes)
        assessments.round_submit(actor=manager, assessment_round=assessment_round)
        assessments.round_confirm(actor=admin, assessment_round=assessment_round)
        assessments.apply_grades(actor=admin, today=date(2026, 1, 2))
        assessments.round_open(actor=manager, unit=street, year=2026)  # this year's, being assessed

    # Side jobs in each state.
    if not SideJob.objects.filter(worker__in=workers).exists() and len(workers) >= 6:
        today = timezone.localdate()

        def declare(worker, organisation, kind, slots, hours, days=180, starts=None):
            first = starts or today
            return side_jobs.declare(
                worker=worker,
                data=Declaration(
                    organisation=organisation,
                    kind=kind,
                    description="",
                    paid=kind in ("education", "policy"),
                    hours_per_week=Decimal(hours),
                    slots=slots,
                    starts_on=first,
                    ends_on=first + timedelta(days=days),
                ),
            )

        evening = [(1, time(19), time(21)), (3, time(19), time(21))]
        demo_worker = Worker.objects.get(user=worker_user)
        declare(demo_worker, "铁东区老年大学", "education", evening, "4")  # pending
        approved = declare(workers[1], "市社会工作服务中心", "community", [(5, time(9), time(12))], "3")
        side_jobs.decide(actor=manager, job=approved, approve=True, note="周末时段，同意")
        refused = declare(workers[2], "某物业服务公司", "charity", [(2, time(10), time(12))], "2")
        side_jobs.decide(
            actor=manager, job=refused, approve=False, refusal="duty_time", note="占用周三上午工作时间"
        )
        conflict = declare(workers[3], "某房地产中介", "other", [(6, time(9), time(17))], "8")
        side_jobs.decide(actor=manager, job=conflict, approve=False, refusal="conflict")
        withdrawn = declare(workers[4], "区政策研究室课题组", "policy", evening, "4")
        side_jobs.withdraw(worker=workers[4], job=withdrawn)
        old = declare(
            workers[5],
            "社区公益基金会",
            "charity",
            [(5, time(14), time(16))],
            "2",
            days=90,
            starts=today - timedelta(days=120),
        )
        side_jobs.decide(actor=manager, job=old, approve=True)
        side_jobs.expire(today=today)
        declare(
            demo_worker, "区青少年活动中心", "education", [(2, time(16), time(18))], "2"
        )  # pending, in duty hours

    stdout.write(
        f"workforce demo: {Worker.objects.count()} workers ({from_hires} from hires), manager@demo.cn for 站前街道, "
        "worker@demo.cn (password as the other demo accounts)"
    )
