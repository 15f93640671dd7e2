import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from recruitment import importer
from recruitment.choices import Education, PoliticalRequirement
from recruitment.models import Announcement, Position
from tests.recruitment.factories import AnnouncementFactory, PositionFactory

pytestmark = pytest.mark.django_db

HEADER = [header for header, _field, _required in importer.COLUMNS]


def xlsx(rows, header=HEADER, name="岗位表.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile(name, out.getvalue(), content_type="application/octet-stream")


GOOD_ROWS = [
    [
        "TD001",
        "社区工作者",
        "铁东区",
        "站前街道",
        "园林社区",
        3,
        18,
        35,
        "大专",
        "不限",
        "辽宁省鞍山市",
        "不限",
        0,
        "",
    ],
    [
        "TX001",
        "社会工作岗",
        "铁西区",
        "北陶街道",
        "",
        2,
        20,
        40,
        "本科",
        "社会工作、社会学，心理学",
        "不限",
        "中共党员",
        2,
        "持证者优先",
    ],
    ["LS001", "网格员", "立山区", "", "", "1", None, None, "高中", "", "", "", None, None],
]


def test_read_good_sheet():
    result = importer.read_positions(xlsx(GOOD_ROWS))
    assert result.ok, result.errors
    assert [row["code"] for row in result.rows] == ["TD001", "TX001", "LS001"]
    second = result.rows[1]
    assert second["majors"] == ["社会工作", "社会学", "心理学"]
    assert second["min_education"] == Education.BACHELOR
    assert second["political_requirement"] == PoliticalRequirement.PARTY_MEMBER
    assert second["min_experience_years"] == 2
    assert result.rows[0]["household_regions"] == ["辽宁省鞍山市"]
    assert result.rows[0]["majors"] == []
    third = result.rows[2]
    assert (third["min_age"], third["max_age"], third["min_education"], third["quota"]) == (18, 35, 10, 1)


def test_read_reports_each_bad_row_with_column():
    rows = [
        GOOD_ROWS[0],
        ["TD002", "社区工作者", "铁东区", "", "", 0, 18, 35, "小学", "", "", "群众", 0, ""],
        ["TD001", "重复", "铁东区", "", "", 1, 18, 35, "大专", "", "", "", 0, ""],
        ["", "缺代码", "", "", "", "三", 40, 30, "", "", "", "", 0, ""],
    ]
    result = importer.read_positions(xlsx(rows))
    assert not result.ok
    by_row = {}
    for error in result.errors:
        by_row.setdefault(error["row"], []).append(error["column"])
    assert set(by_row[3]) == {"招聘人数", "最低学历", "政治面貌"}
    assert by_row[4] == ["岗位代码"]
    assert {"岗位代码", "区（县）", "招聘人数", "最高年龄"} <= set(by_row[5])
    assert any("与第 2 行重复" in error["message"] for error in result.errors)


def test_refuses_non_xlsx_by_content():
    fake = SimpleUploadedFile("岗位表.xlsx", b"code,name\nA,B\n")
    result = importer.read_positions(fake)
    assert result.errors[0]["message"] == "只能上传 Excel（.xlsx）文件。"
    broken_zip = SimpleUploadedFile("岗位表.xlsx", b"PK\x03\x04garbage" * 10)
    assert "无法读取" in importer.read_positions(broken_zip).errors[0]["message"]


def test_refuses_missing_columns_and_big_files(settings, monkeypatch):
    result = importer.read_positions(xlsx([["A1", "x"]], header=["岗位代码", "岗位名称"]))
    assert {error["column"] for error in result.errors} == {"区（县）", "招聘人数"}
    monkeypatch.setattr(importer, "MAX_BYTES", 100)
    assert "2 MB" in importer.read_positions(xlsx(GOOD_ROWS)).errors[0]["message"]


def test_row_limit(monkeypatch):
    monkeypatch.setattr(importer, "MAX_ROWS", 2)
    result = importer.read_positions(xlsx(GOOD_ROWS))
    assert "最多导入 2 行" in result.errors[0]["message"]


def test_half_width_brackets_in_header_are_accepted():
    header = [h.replace("（", "(").replace("）", ")") for h in HEADER]
    assert importer.read_positions(xlsx(GOOD_ROWS, header=header)).ok


# --- The page -----------------------------------------------------------------------------


@pytest.fixture
def draft():
    return AnnouncementFactory(status=Announcement.Status.DRAFT, published_at=None)


def test_import_page_saves_all_rows(client, administrator, draft):
    client.force_login(administrator)
    url = reverse("recruitment:position_import", args=[draft.pk])
    response = client.post(url, {"file": xlsx(GOOD_ROWS)})
    assert response.status_code == 302
    assert list(draft.positions.values_list("code", flat=True)) == ["LS001", "TD001", "TX001"]
    position = draft.positions.get(code="TD001")
    assert position.original_quota == 3
    assert draft.events.filter(action="positions_imported").exists()


def test_import_page_partly_bad_saves_nothing(client, administrator, draft):
    client.force_login(administrator)
    rows = [*GOOD_ROWS, ["GX001", "社区工作者", "高新区", "", "", -2, 18, 35, "大专", "", "", "", 0, ""]]
    response = client.post(reverse("recruitment:position_import", args=[draft.pk]), {"file": xlsx(rows)})
    assert response.status_code == 400
    page = response.content.decode()
    assert "第 5 行" in page and "招聘人数" in page
    assert not draft.positions.exists()


def test_import_page_malformed_file(client, administrator, draft):
    client.force_login(administrator)
    upload = SimpleUploadedFile("岗位表.xlsx", b"<script>alert(1)</script>")
    response = client.post(reverse("recruitment:position_import", args=[draft.pk]), {"file": upload})
    assert response.status_code == 400
    assert "只能上传 Excel（.xlsx）文件。" in response.content.decode()
    assert not draft.positions.exists()


def test_import_add_refuses_existing_codes_and_replace_replaces(client, administrator, draft):
    PositionFactory(announcement=draft, code="TD001")
    PositionFactory(announcement=draft, code="OLD1")
    client.force_login(administrator)
    url = reverse("recruitment:position_import", args=[draft.pk])
    response = client.post(url, {"file": xlsx(GOOD_ROWS)})
    assert response.status_code == 400
    assert "已存在于本公告" in response.content.decode()
    assert draft.positions.count() == 2
    response = client.post(url, {"file": xlsx(GOOD_ROWS), "replace": "on"})
    assert response.status_code == 302
    assert set(draft.positions.values_list("code", flat=True)) == {"TD001", "TX001", "LS001"}


def test_import_refused_for_published(client, administrator):
    announcement = AnnouncementFactory()
    client.force_login(administrator)
    response = client.post(
        reverse("recruitment:position_import", args=[announcement.pk]), {"file": xlsx(GOOD_ROWS)}
    )
    assert response.status_code == 302
    assert not Position.objects.exists()


def test_template_download_round_trips(client, administrator, draft):
    client.force_login(administrator)
    response = client.get(reverse("recruitment:import_template"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    upload = SimpleUploadedFile("t.xlsx", response.content)
    result = importer.read_positions(upload)
    assert result.ok and result.rows[0]["code"] == "TD001"


@pytest.mark.parametrize("role_fixture", ["reviewer", "examiner", "applicant"])
def test_import_is_for_administrators_only(client, request, role_fixture, draft):
    client.force_login(request.getfixturevalue(role_fixture))
    assert client.get(reverse("recruitment:position_import", args=[draft.pk])).status_code == 403
    assert client.get(reverse("recruitment:import_template")).status_code == 403
