"""The score import's report is stored untranslated (each fault a code, its msgid and
params) and shown in the reader's language: the same import read in English and in Chinese
(issue 16 item 1, the row-by-row report). Reports stored before, as Chinese text, still show."""

import html
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applicants.models import Application, Stage
from exams.models import Attendance
from exams.services import written_import
from portal.models import BackgroundJob
from tests.exams.written_factories import XLSX, issued_exam, sheet

pytestmark = pytest.mark.django_db

PARTS = [{"name": "公共基础知识", "marks": "40"}, {"name": "社区工作知识", "marks": "60"}]
HEADER = ("准考证号", "公共基础知识", "社区工作知识", "总分", "缺考/违纪")


def run(announcement, actor, upload, capture):
    with capture(execute=True):
        job = written_import.import_job_create(announcement=announcement, actor=actor, upload=upload)
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.DONE, job.error
    return job


def odd_format_sheet(rows, odd):
    """sheet() with, in row `odd` (Excel number), the first part's cell a number shown with
    a zero padding mixed with text ("TD"000): what the person saw cannot be known."""
    from openpyxl import Workbook

    workbook = Workbook()
    ws = workbook.active
    ws.append(list(HEADER))
    for row in rows:
        ws.append(list(row))
    for (cell,) in ws.iter_rows(min_row=2, max_col=1):
        cell.number_format = "@"
    ws.cell(row=odd, column=2).number_format = '"TD"000'
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("scores.xlsx", buffer.getvalue(), content_type=XLSX)


def report_rows(client, job, language) -> list[tuple[str, str, str]]:
    """(row, ticket, text) of each row of the report's table, as the page shows them."""
    page = client.get(reverse("exams:written_job", args=[job.pk]), HTTP_ACCEPT_LANGUAGE=language)
    assert page.status_code == 200
    body = page.content.decode().split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [
        tuple(html.unescape(cell) for cell in cells)
        for cells in re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>", body)
    ]


def test_the_same_import_read_in_english_and_in_chinese(
    client, administrator, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    plan, t = issued_exam(administrator, capture, candidates=17, positions=1, parts=PARTS)
    _other_plan, other = issued_exam(administrator, capture, candidates=1, positions=1)
    other[0].number = "99999999999"
    other[0].save(update_fields=["number"])
    n = [ticket.number for ticket in t]
    # t0 already holds 30 + 30 = 60
    first = run(plan.announcement, administrator, sheet([(n[0], "30", "30")], header=HEADER[:3]), capture)
    assert first.params["report"]["saved"]
    session = plan.sessions.get()
    Attendance.objects.create(
        ticket=t[9], session=session, status="present", via="typed", marked_by=administrator
    )
    Application.objects.filter(pk=t[10].application_id).update(stage=Stage.ABSENT)
    Application.objects.filter(pk__in=[t[14].application_id, t[15].application_id]).update(
        stage=Stage.DISQUALIFIED
    )
    lost_zero = n[16].lstrip("0")
    rows = [
        (n[0], "30", "31", "", ""),  # row 2: a different score for a recorded ticket
        (n[1], "30", "30", "", ""),  # row 3: fine
        (n[1], "30", "30", "", ""),  # row 4: duplicate of row 3
        ("12345", "30", "30", "", ""),  # row 5: unknown
        (lost_zero, "30", "30", "", ""),  # row 6: unknown, its leading 0 lost
        ("99999999999", "30", "30", "", ""),  # row 7: another announcement's
        ("", "30", "30", "", ""),  # row 8: no ticket number
        (n[2], "八十", "30", "", ""),  # row 9: text in a score cell
        (n[3], "30.555", "30", "", ""),  # row 10: three decimals
        (n[4], "-1", "30", "", ""),  # row 11: below 0
        (n[5], "41", "30", "", ""),  # row 12: above the part's 40
        (n[6], "", "", "101", ""),  # row 13: a total above 100
        (n[7], "", "", "", "病假"),  # row 14: not a mark
        (n[8], "30", "30", "", "缺考"),  # row 15: a score and a mark
        (n[9], "", "", "", "缺考"),  # row 16: absent, but checked in
        (n[10], "30", "30", "", ""),  # row 17: a score for someone absent at the door
        (n[11], "30", "", "", ""),  # row 18: a part missing
        (n[12], "30", "40", "71", ""),  # row 19: 30 + 40 = 70, not 71
        (n[13], "", "", "", ""),  # row 20: nothing but the ticket
        (n[14], "", "", "", "缺考"),  # row 21: absent, but disqualified in the room
        (n[15], "30", "30", "", ""),  # row 22: a score for someone disqualified
        (n[16], 30, "30", "", ""),  # row 23: a cell whose shown value is uncertain
    ]
    job = run(plan.announcement, administrator, odd_format_sheet(rows, odd=23), capture)
    report = job.params["report"]
    assert report["saved"] is False
    # Stored untranslated: a code, the msgid and its parameters; no text in any language.
    assert all("message" not in fault and fault["msgid"] for fault in report["errors"])
    assert report["errors"][1] == {
        "row": 4,
        "ticket": n[1],
        "code": "duplicate",
        "msgid": "准考证号与第%(row)s行重复。",
        "params": {"row": 3},
    }
    expected = {
        2: (
            "changed",
            "该考生已有不同的成绩，如需修改请走成绩更正程序。",
            "This candidate already has a different score; change it through a score correction.",
        ),
        4: ("duplicate", "准考证号与第3行重复。", "Ticket number repeated from row 3."),
        5: ("ticket_unknown", "准考证号不存在。", "Unknown ticket number."),
        6: (
            "ticket_unknown",
            f"准考证号不存在（可能是开头的0丢失，应为{n[16]}；请把该列设为文本格式）。",
            f"Unknown ticket number (perhaps the leading 0 was lost; it should be {n[16]}; format the column as text).",
        ),
        7: (
            "other_announcement",
            "该准考证号属于其他招聘公告的考试。",
            "This ticket number belongs to the exam of another announcement.",
        ),
        8: ("ticket_missing", "没有填写准考证号。", "No ticket number."),
        9: ("value", "“八十”不是分数", '"八十" is not a score'),
        10: ("value", "公共基础知识30.555 超过两位小数", "公共基础知识30.555 has more than two decimals"),
        11: ("value", "公共基础知识-1 小于0分", "公共基础知识-1 is below 0"),
        12: ("value", "公共基础知识41 超过满分40分", "公共基础知识41 is above the full marks of 40"),
        13: ("value", "总分101 超过满分100分", "Total101 is above the full marks of 100"),
        14: (
            "value",
            "“病假”不是有效标记，只能填“缺考”或“违纪”。",
            '"病假" is not a valid mark; use only "缺考" (absent) or "违纪" (disqualified).',
        ),
        15: ("value", "同时填写了分数和“缺考”标记。", 'Both a score and the mark "缺考" are given.'),
        16: (
            "value",
            "标记为缺考，但该考生考试当天已签到。",
            "Marked absent, but the candidate checked in on the exam day.",
        ),
        17: (
            "value",
            "该考生考试当天登记为缺考，不能录入分数。",
            "The candidate was recorded absent on the exam day; no score can be entered.",
        ),
        18: ("value", "缺少“社区工作知识”的分数。", 'The score of "社区工作知识" is missing.'),
        19: (
            "value",
            "各部分之和70.00与总分71.00不一致。",
            "The parts add up to 70.00, not the total of 71.00.",
        ),
        20: ("value", "没有分数，也没有“缺考”或“违纪”标记。", 'No score, and no "缺考" or "违纪" mark.'),
        21: (
            "value",
            "标记为缺考，但该考生考场上已登记违纪。",
            "Marked absent, but the candidate was recorded as disqualified in the exam room.",
        ),
        22: (
            "value",
            "该考生考场上已登记违纪，不能录入分数。",
            "The candidate was recorded as disqualified in the exam room; no score can be entered.",
        ),
        23: (
            "value",
            "“公共基础知识”列的单元格格式无法确定显示内容，请设为文本格式。",
            'The cell format of column "公共基础知识" makes its displayed value uncertain; format it as text.',
        ),
    }
    # Every kind of fault on its row (row 3 is fine; the rest each have one).
    assert [(e["row"], e["code"]) for e in report["errors"]] == [(row, v[0]) for row, v in expected.items()]
    client.force_login(administrator)
    chinese = report_rows(client, job, "zh-hans")
    english = report_rows(client, job, "en")
    assert [int(row) for row, _ticket, _text in chinese] == list(expected)
    for (row, _ticket, zh), (_row, _t, en) in zip(chinese, english, strict=True):
        assert (zh, en) == expected[int(row)][1:], row
    assert {int(r): tk for r, tk, _x in english}[4] == n[1]


def test_a_header_fault_and_a_file_fault_in_each_language(
    client, administrator, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    plan, t = issued_exam(administrator, capture, candidates=1, positions=1)
    job = run(
        plan.announcement, administrator, sheet([(t[0].number, "60")], header=("准考证号", "数学")), capture
    )
    client.force_login(administrator)
    assert report_rows(client, job, "zh-hans") == [
        ("1", "", "表头“数学”不是本次考试的科目或部分，请使用下载的模板。")
    ]
    assert report_rows(client, job, "en") == [
        ("1", "", 'The header "数学" is not a subject or part of this exam; use the downloaded template.')
    ]
    # A zip that is no workbook: portal.spreadsheets' own text, kept in Chinese even when the
    # upload came from an English page, and shown through the catalogue.
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    from django.utils import translation

    with translation.override("en"):
        job = run(plan.announcement, administrator, SimpleUploadedFile("b.xlsx", buffer.getvalue()), capture)
    assert job.params["report"]["errors"][0]["code"] == "file"
    assert job.params["report"]["errors"][0]["message"] == "文件无法读取，请使用平台提供的模板（.xlsx）。"
    assert report_rows(client, job, "zh-hans")[0][2] == "文件无法读取，请使用平台提供的模板（.xlsx）。"
    assert (
        report_rows(client, job, "en")[0][2]
        == "The file cannot be read. Please use the portal's template (.xlsx)."
    )


def test_a_report_stored_before_as_chinese_text_still_shows(
    client, administrator, django_capture_on_commit_callbacks
):
    plan, _t = issued_exam(administrator, django_capture_on_commit_callbacks, candidates=1, positions=1)
    job = BackgroundJob.objects.create(
        kind="score_import",
        created_by=administrator,
        announcement_id=plan.announcement.pk,
        status=BackgroundJob.Status.DONE,
        params={
            "file": "score_imports/old.xlsx",
            "report": {
                "rows": 3,
                "created": 0,
                "unchanged": 0,
                "saved": False,
                "error_count": 3,
                "errors": [
                    {"row": 2, "ticket": "0101", "code": "ticket_unknown", "message": "准考证号不存在。"},
                    {"row": 3, "ticket": "0101", "code": "duplicate", "message": "准考证号与第2行重复。"},
                    {"row": 4, "ticket": "0102", "code": "value", "message": "某个未收录的说明"},
                ],
            },
        },
    )
    client.force_login(administrator)
    assert report_rows(client, job, "zh-hans") == [
        ("2", "0101", "准考证号不存在。"),
        ("3", "0101", "准考证号与第2行重复。"),
        ("4", "0102", "某个未收录的说明"),
    ]
    assert report_rows(client, job, "en") == [
        ("2", "0101", "Unknown ticket number."),
        ("3", "0101", "Ticket number repeated from row 2."),
        ("4", "0102", "某个未收录的说明"),  # not a message of the catalogues: as stored
    ]


def test_fault_text_of_a_broken_fault_shows_what_it_can():
    assert written_import.fault_text({}) == ""
    # params that do not fit the catalogue's text: the msgid with its params
    assert written_import.fault_text({"msgid": "准考证号不存在。", "params": {}}) == "准考证号不存在。"
