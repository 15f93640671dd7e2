"""Score import (成绩导入): all rows or none, the row-by-row report, idempotency, marks for
缺考 / 违纪 as states (never 0), permissions."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from applicants.models import Application, Stage
from exams.models import Attendance, WrittenPartScore, WrittenResults, WrittenScore
from exams.services import written_import
from portal.models import BackgroundJob
from tests.exams.written_factories import assign, issued_exam, sheet
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PARTS = [{"name": "公共基础知识", "marks": "40"}, {"name": "社区工作知识", "marks": "60"}]


def run(announcement, actor, upload, capture):
    with capture(execute=True):
        job = written_import.import_job_create(announcement=announcement, actor=actor, upload=upload)
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.DONE, job.error
    return job.params["report"]


@pytest.fixture
def exam(administrator, django_capture_on_commit_callbacks):
    return issued_exam(administrator, django_capture_on_commit_callbacks, candidates=4, positions=2)


def test_import_records_scores_marks_and_moves_stages(
    exam, administrator, django_capture_on_commit_callbacks
):
    plan, tickets = exam
    upload = sheet(
        [
            (tickets[0].number, "82.5"),
            (tickets[1].number, 75),
            (tickets[2].number, "缺考"),
            (tickets[3].number, "违纪"),
        ]
    )
    report = run(plan.announcement, administrator, upload, django_capture_on_commit_callbacks)
    assert report == {"rows": 4, "created": 4, "unchanged": 0, "error_count": 0, "errors": [], "saved": True}
    scores = {s.ticket_id: s for s in WrittenScore.objects.all()}
    assert scores[tickets[0].pk].raw == Decimal("82.50")
    assert scores[tickets[1].pk].raw == Decimal("75.00")
    # Absence and disqualification are states, never 0.
    assert (scores[tickets[2].pk].status, scores[tickets[2].pk].raw) == ("absent", None)
    assert (scores[tickets[3].pk].status, scores[tickets[3].pk].raw) == ("disqualified", None)
    stages = dict(Application.objects.values_list("pk", "stage"))
    assert stages[tickets[0].application_id] == Stage.WRITTEN_SCORED
    assert stages[tickets[2].application_id] == Stage.ABSENT
    assert stages[tickets[3].application_id] == Stage.DISQUALIFIED
    # One part (the session itself) per scored candidate.
    assert list(WrittenPartScore.objects.filter(score__ticket=tickets[0]).values_list("name", "points")) == [
        ("综合知识", Decimal("82.50"))
    ]
    assert WrittenResults.objects.get(announcement=plan.announcement).stale


def test_the_same_sheet_twice_gives_the_same_result(exam, administrator, django_capture_on_commit_callbacks):
    plan, tickets = exam
    rows = [(t.number, "60") for t in tickets]
    run(plan.announcement, administrator, sheet(rows), django_capture_on_commit_callbacks)
    report = run(plan.announcement, administrator, sheet(rows), django_capture_on_commit_callbacks)
    assert (report["created"], report["unchanged"], report["saved"]) == (0, 4, True)
    assert WrittenScore.objects.count() == 4
    assert WrittenPartScore.objects.count() == 4


def test_a_different_score_for_a_recorded_ticket_is_refused(
    exam, administrator, django_capture_on_commit_callbacks
):
    plan, tickets = exam
    run(
        plan.announcement,
        administrator,
        sheet([(tickets[0].number, "60")]),
        django_capture_on_commit_callbacks,
    )
    report = run(
        plan.announcement,
        administrator,
        sheet([(tickets[0].number, "61")]),
        django_capture_on_commit_callbacks,
    )
    assert report["saved"] is False
    assert report["errors"][0]["code"] == "changed"
    assert WrittenScore.objects.get().raw == Decimal("60")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("100.01", "超过满分"),
        ("-1", "小于0分"),
        ("82.555", "超过两位小数"),
        ("八十", "不是分数"),
        ("", "没有分数"),
        ("病假", "不是分数"),
    ],
)
def test_each_bad_score_is_reported_by_row_and_nothing_is_saved(
    exam, administrator, django_capture_on_commit_callbacks, value, expected
):
    plan, tickets = exam
    upload = sheet([(tickets[0].number, "70"), (tickets[1].number, value)])
    report = run(plan.announcement, administrator, upload, django_capture_on_commit_callbacks)
    assert report["saved"] is False
    assert report["error_count"] == 1
    assert report["errors"][0]["row"] == 3
    assert expected in written_import.fault_text(report["errors"][0])
    # All rows or none: the good row 2 is not saved either.
    assert not WrittenScore.objects.exists()
    assert Application.objects.filter(stage=Stage.WRITTEN_SCORED).count() == 0


def test_ticket_faults_unknown_duplicate_other_announcement_and_lost_zero(
    exam, administrator, django_capture_on_commit_callbacks
):
    plan, tickets = exam
    other_plan, other_tickets = issued_exam(
        administrator, django_capture_on_commit_callbacks, candidates=1, positions=1
    )
    # Make the other announcement's number unique to it.
    other_tickets[0].number = "99999999999"
    other_tickets[0].save(update_fields=["number"])
    lost_zero = tickets[2].number.lstrip("0")
    assert lost_zero != tickets[2].number  # ticket numbers begin with the exam code 0
    upload = sheet(
        [
            (tickets[0].number, "70"),
            (tickets[0].number, "71"),
            ("12345", "70"),
            ("99999999999", "70"),
            (lost_zero, "70"),
            ("", "70"),
        ]
    )
    report = run(plan.announcement, administrator, upload, django_capture_on_commit_callbacks)
    codes = [(e["row"], e["code"]) for e in report["errors"]]
    assert codes == [
        (3, "duplicate"),
        (4, "ticket_unknown"),
        (5, "other_announcement"),
        (6, "ticket_unknown"),
        (7, "ticket_missing"),
    ]
    assert tickets[2].number in written_import.fault_text(
        report["errors"][3]
    )  # the hint names the full number
    assert not WrittenScore.objects.exists()


def test_parts_each_checked_a_missing_part_and_a_sum_that_disagrees(
    administrator, django_capture_on_commit_callbacks
):
    plan, tickets = issued_exam(
        administrator, django_capture_on_commit_callbacks, candidates=3, positions=1, parts=PARTS
    )
    header = ("准考证号", "公共基础知识", "社区工作知识", "总分")
    good = sheet([(tickets[0].number, "30.5", "45", "")], header=header)
    report = run(plan.announcement, administrator, good, django_capture_on_commit_callbacks)
    assert report["saved"], report
    score = WrittenScore.objects.get()
    # 30.50 + 45.00 = 75.50
    assert score.raw == Decimal("75.50") and score.full_marks == Decimal("100")
    assert list(score.parts.values_list("name", "points", "full_marks")) == [
        ("公共基础知识", Decimal("30.50"), Decimal("40")),
        ("社区工作知识", Decimal("45.00"), Decimal("60")),
    ]
    bad = sheet(
        [
            (tickets[1].number, "30", "", ""),  # a part missing
            (tickets[2].number, "41", "50", ""),  # 41 > 40 of that part
        ],
        header=header,
    )
    report = run(plan.announcement, administrator, bad, django_capture_on_commit_callbacks)
    assert [e["row"] for e in report["errors"]] == [2, 3]
    assert "社区工作知识" in written_import.fault_text(report["errors"][0])
    assert "超过满分40" in written_import.fault_text(report["errors"][1])
    mismatch = sheet([(tickets[1].number, "30", "40", "71")], header=header)
    report = run(plan.announcement, administrator, mismatch, django_capture_on_commit_callbacks)
    assert "不一致" in written_import.fault_text(report["errors"][0])  # 30 + 40 = 70 ≠ 71
    assert WrittenScore.objects.count() == 1


def test_marks_against_the_door_record(exam, administrator, django_capture_on_commit_callbacks):
    plan, tickets = exam
    session = plan.sessions.get()
    Attendance.objects.create(
        ticket=tickets[0], session=session, status="present", via="typed", marked_by=administrator
    )
    Application.objects.filter(pk=tickets[1].application_id).update(stage=Stage.ABSENT)
    upload = sheet([(tickets[0].number, "缺考"), (tickets[1].number, "66")])
    report = run(plan.announcement, administrator, upload, django_capture_on_commit_callbacks)
    messages = [written_import.fault_text(e) for e in report["errors"]]
    assert "已签到" in messages[0]
    assert "缺考" in messages[1]
    assert not WrittenScore.objects.exists()


def test_header_not_of_this_exam_is_refused(exam, administrator, django_capture_on_commit_callbacks):
    plan, tickets = exam
    upload = sheet([(tickets[0].number, "60")], header=("准考证号", "数学"))
    report = run(plan.announcement, administrator, upload, django_capture_on_commit_callbacks)
    assert report["errors"][0]["code"] == "header"


def test_only_assigned_reviewers_and_administrators_import(exam, reviewer, administrator):
    plan, tickets = exam
    with pytest.raises(PermissionDenied):
        written_import.import_job_create(
            announcement=plan.announcement, actor=reviewer, upload=sheet([(tickets[0].number, "60")])
        )
    with pytest.raises(PermissionDenied):
        written_import.import_job_create(
            announcement=plan.announcement, actor=UserFactory(), upload=sheet([(tickets[0].number, "60")])
        )
    assign(reviewer, plan.announcement, administrator)
    job = written_import.import_job_create(
        announcement=plan.announcement, actor=reviewer, upload=sheet([(tickets[0].number, "60")])
    )
    assert job.kind == "score_import"


def test_template_lists_every_ticket_as_text(exam):
    from openpyxl import load_workbook

    plan, tickets = exam
    content = written_import.template_workbook(plan.announcement)
    ws = load_workbook(__import__("io").BytesIO(content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("准考证号", "姓名", "综合知识", "总分", "缺考/违纪")
    assert [r[0] for r in rows[1:]] == [t.number for t in tickets]
    assert all(isinstance(r[0], str) for r in rows[1:])


def test_a_file_that_is_not_a_workbook_is_refused_at_once(
    exam, administrator, django_capture_on_commit_callbacks
):
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    plan, _tickets = exam
    with pytest.raises(ValidationError):
        written_import.import_job_create(
            announcement=plan.announcement,
            actor=administrator,
            upload=SimpleUploadedFile("a.xlsx", b"not a zip"),
        )
    # A zip that is no workbook: the job reports it, nothing saved.
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    report = run(
        plan.announcement,
        administrator,
        SimpleUploadedFile("b.xlsx", buffer.getvalue()),
        django_capture_on_commit_callbacks,
    )
    assert report["saved"] is False and report["errors"][0]["code"] == "file"
