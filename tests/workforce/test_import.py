"""Import of workers hired before the portal: all rows or none, a report per row, accounts
and SMS invitations."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from accounts.models import User
from notifications.models import Delivery, Notification
from tests.factories import UserFactory
from workforce.models import Worker
from workforce.services import importer

from .factories import community

pytestmark = pytest.mark.django_db

HEAD = list(importer.HEADERS)


def _sheet(rows):
    book = Workbook()
    sheet = book.active
    sheet.append(HEAD)
    for row in rows:
        sheet.append(row + [""] * (len(HEAD) - len(row)))
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("w.xlsx", out.getvalue())


GOOD = [
    "张三",
    "",
    "13812340001",
    "铁东区",
    "站前街道",
    "园林社区",
    "其他",
    "本科",
    "2022-03-01",
    "3",
    "",
    "",
]


def test_all_rows_imported_with_accounts_and_sms(django_capture_on_commit_callbacks):
    community()
    admin = UserFactory(role="administrator")
    second = [
        "李四",
        "",
        "13812340002",
        "铁东区",
        "站前街道",
        "园林社区",
        "正职",
        "硕士",
        "2019-01-01",
        "5",
        "10",
        "0",
    ]
    with django_capture_on_commit_callbacks(execute=True):
        report = importer.import_workers(actor=admin, upload=_sheet([GOOD, second]))
    assert report.ok and report.created == 2
    zhang = Worker.objects.get(name="张三")
    assert zhang.grade == 2 and zhang.source == Worker.Source.IMPORT and zhang.probation_months == 6
    li = Worker.objects.get(name="李四")
    assert li.grade == 10 and li.post == "head" and li.status == Worker.Status.ON_DUTY
    user = User.objects.get(phone="13812340001")
    assert not user.has_usable_password() and user.groups.filter(name="worker").exists()
    invite = Notification.objects.get(recipient=user, event="worker_invited")
    assert list(Delivery.objects.filter(notification=invite).values_list("channel", flat=True)) == ["sms"]
    assert reverse("account_reset_password") in invite.body


def test_one_bad_row_saves_nothing_and_reports_each_row():
    community()
    admin = UserFactory(role="administrator")
    bad_probation = [
        "王五",
        "",
        "13812340003",
        "铁东区",
        "站前街道",
        "园林社区",
        "其他",
        "大专",
        "2022-03-01",
        "2",
        "",
        "3",
    ]
    unknown_unit = [
        "赵六",
        "",
        "13812340004",
        "铁东区",
        "站前街道",
        "无此社区",
        "副职",
        "",
        "2022-03-01",
        "3",
        "",
        "",
    ]
    duplicate_phone = [
        "孙七",
        "",
        "13812340001",
        "铁东区",
        "站前街道",
        "园林社区",
        "其他",
        "",
        "2022-13-01",
        "3",
        "",
        "",
    ]
    report = importer.import_workers(
        actor=admin, upload=_sheet([GOOD, bad_probation, unknown_unit, duplicate_phone])
    )
    assert not report.ok and report.created == 0
    assert Worker.objects.count() == 0 and not User.objects.filter(phone="13812340001").exists()
    errors = {row.row: row.errors for row in report.rows}
    assert errors[2] == []
    assert any("试用期超过法定上限2个月" in e for e in errors[3])
    assert any("找不到单位" in e for e in errors[4])
    assert any("重复" in e for e in errors[5]) and any("入职日期" in e for e in errors[5])


def test_a_file_that_is_not_excel():
    admin = UserFactory(role="administrator")
    report = importer.import_workers(actor=admin, upload=SimpleUploadedFile("x.xlsx", b"not a zip"))
    assert report.file_error and not report.ok


def test_import_page_admin_only(client):
    community()
    client.force_login(UserFactory(role="unit_manager"))
    assert client.get(reverse("workforce:import")).status_code == 403
    client.force_login(UserFactory(role="administrator"))
    assert client.get(reverse("workforce:import_template")).status_code == 200
    response = client.post(reverse("workforce:import"), {"file": _sheet([GOOD])})
    assert response.status_code == 200 and "已导入" in response.content.decode()
    assert Worker.objects.count() == 1
