"""Import of workers hired before the portal: all rows or none, a report per row, accounts
and SMS invitations."""

import io
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from accounts.models import User
from notifications.models import Delivery, Notification
from portal.models import BackgroundJob
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


def test_import_page_admin_only(client, django_capture_on_commit_callbacks):
    community()
    client.force_login(UserFactory(role="unit_manager"))
    assert client.get(reverse("workforce:import")).status_code == 403
    client.force_login(UserFactory(role="administrator"))
    assert client.get(reverse("workforce:import_template")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("workforce:import"), {"file": _sheet([GOOD])})
    job = BackgroundJob.objects.get(kind=importer.JOB_KIND)
    assert response.status_code == 302 and response.url == reverse("workforce:import_job", args=[job.pk])
    page = client.get(response.url)
    assert page.status_code == 200 and "已导入 1 人" in page.content.decode()
    assert Worker.objects.count() == 1


def _job(admin, rows):
    upload = _sheet(rows)
    job = BackgroundJob.objects.create(
        kind=importer.JOB_KIND,
        created_by=admin,
        params={"file": default_storage.save("worker_imports/test.xlsx", upload), "original_name": "w.xlsx"},
    )
    return job


def test_job_imports_with_progress_and_keeps_no_file(django_capture_on_commit_callbacks):
    community()
    admin = UserFactory(role="administrator")
    job = _job(admin, [GOOD])
    name = job.params["file"]
    with django_capture_on_commit_callbacks(execute=True):
        importer.import_run(job)
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.DONE and job.done == job.total == 1
    report = job.params["report"]
    assert report["saved"] and report["created"] == 1 and report["unchanged"] == 0
    assert report["rows"] == [{"row": 2, "name": "张三", "errors": [], "unchanged": False}]
    assert not default_storage.exists(name)
    # the same job handed over again (a duplicate message): not claimed, nothing new
    importer.import_run(job)
    assert Worker.objects.count() == 1


def test_the_same_sheet_twice_gives_the_same_workers(django_capture_on_commit_callbacks):
    community()
    admin = UserFactory(role="administrator")
    with django_capture_on_commit_callbacks(execute=True):
        importer.import_run(_job(admin, [GOOD]))
        second = importer.import_run(_job(admin, [GOOD]))
    second.refresh_from_db()
    report = second.params["report"]
    assert report["saved"] and report["created"] == 0 and report["unchanged"] == 1
    assert report["rows"][0]["unchanged"]
    assert Worker.objects.count() == 1 and User.objects.filter(phone="13812340001").count() == 1
    assert Notification.objects.filter(event="worker_invited").count() == 1  # one SMS, not two


def test_a_phone_on_file_for_someone_else_is_a_fault():
    community()
    admin = UserFactory(role="administrator")
    importer.import_workers(actor=admin, upload=_sheet([GOOD]))
    other = ["张三丰", *GOOD[1:]]
    report = importer.import_workers(actor=admin, upload=_sheet([other]))
    assert not report.ok and "已有社区工作者档案" in report.rows[0].errors[0]


def test_job_with_a_failing_row_saves_nothing_and_reports_it():
    community()
    admin = UserFactory(role="administrator")
    bad = ["李四", "", "13812340002", "铁东区", "站前街道", "园林社区", "组长", "", "2022-03-01", "3"]
    job = importer.import_run(_job(admin, [GOOD, bad]))
    job.refresh_from_db()
    report = job.params["report"]
    assert job.status == BackgroundJob.Status.DONE and not report["saved"] and report["error_count"] == 1
    assert report["rows"][0]["errors"] == []
    assert report["rows"][1]["errors"] == ["岗位类别须为正职、副职或其他。"]
    assert Worker.objects.count() == 0 and not User.objects.filter(phone__startswith="1381234").exists()


class _Killed(BaseException):
    """The worker process dying mid-save (not an Exception: nothing catches it)."""


def test_rerun_after_a_crash_halfway_gives_the_full_import(monkeypatch, django_capture_on_commit_callbacks):
    community()
    admin = UserFactory(role="administrator")
    second = ["李四", "", "13812340002", "铁东区", "站前街道", "园林社区", "正职", "硕士", "2019-01-01", "5"]
    job = _job(admin, [GOOD, second])
    real = importer.worker_create
    calls = []

    def dies_on_the_second(**kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise _Killed
        return real(**kwargs)

    monkeypatch.setattr(importer, "worker_create", dies_on_the_second)
    with pytest.raises(_Killed):
        importer.import_run(job)
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.RUNNING  # left by the dead run
    assert Worker.objects.count() == 0 and not User.objects.filter(phone="13812340001").exists()
    assert Notification.objects.filter(event="worker_invited").count() == 0
    # the sweeper hands it over again once its heartbeat is stale
    BackgroundJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=6))
    monkeypatch.setattr(importer, "worker_create", real)
    with django_capture_on_commit_callbacks(execute=True):
        importer.import_run(job)
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.DONE and job.params["report"]["created"] == 2
    assert set(Worker.objects.values_list("name", flat=True)) == {"张三", "李四"}
    assert Notification.objects.filter(event="worker_invited").count() == 2


def test_not_excel_refused_at_the_field(client):
    client.force_login(UserFactory(role="administrator"))
    response = client.post(reverse("workforce:import"), {"file": SimpleUploadedFile("x.xlsx", b"not a zip")})
    assert response.status_code == 200 and "只能上传不超过 5 MB 的 Excel" in response.content.decode()
    assert not BackgroundJob.objects.exists()


def test_job_page_admin_only_and_budget(client, django_assert_max_num_queries):
    community()
    admin = UserFactory(role="administrator")
    job = importer.import_run(_job(admin, [GOOD]))
    client.force_login(UserFactory(role="unit_manager"))
    assert client.get(reverse("workforce:import_job", args=[job.pk])).status_code == 403
    other = BackgroundJob.objects.create(kind="export", created_by=admin)
    client.force_login(admin)
    assert client.get(reverse("workforce:import_job", args=[other.pk])).status_code == 404
    with django_assert_max_num_queries(12):
        response = client.get(reverse("workforce:import_job", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "hx-get" not in response.content.decode()


def test_the_import_takes_its_lock_only_on_postgresql(monkeypatch, django_capture_on_commit_callbacks):
    """seed_demo on a newcomer's SQLite imported workers with PostgreSQL's advisory lock and
    failed; elsewhere the import runs without it (SQLite admits one writer at a time)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    community()
    admin = UserFactory(role="administrator")
    monkeypatch.setattr(connection, "vendor", "sqlite")
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
        report = importer.import_workers(actor=admin, upload=_sheet([GOOD]))
    assert report.ok and report.created == 1
    assert not any("pg_advisory" in q["sql"] for q in queries.captured_queries)
