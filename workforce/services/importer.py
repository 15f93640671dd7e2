"""Import of workers hired before the portal, from an Excel sheet, run as a BackgroundJob
("worker_import"): every row is checked first and the sheet is saved whole or not at all,
with a report per row. Each imported worker gets an account (the phone number signs in; no
password yet) and an SMS inviting them to set a password through the portal's phone reset
page.

Idempotent: a row whose worker was already imported with the same name, unit and start
date is counted as unchanged (no second account, no second SMS), so importing the same
sheet again, or a job run again after its worker died, gives the same workers. The job's
report is written in the transaction that saves the workers: a crash before the commit
leaves nothing, a crash after it leaves a finished job that is not run again."""

from __future__ import annotations

import io
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import Role
from accounts.validators import normalize_phone
from applicants.id_numbers import normalize as normalize_id
from applicants.id_numbers import parse as parse_id
from notifications.events import Event
from notifications.services import notify
from portal import audit, jobs
from portal.models import BackgroundJob
from portal.spreadsheets import (
    ZIP_SIGNATURE,
    LeadingZeroNumber,
    SpreadsheetError,
    cell_text,
    open_workbook_safely,
)
from recruitment.choices import Education
from recruitment.units import Unit

from .. import probation
from ..models import Post, Worker, WorkforceSettings
from .common import WorkforceError
from .workers import NewWorker, worker_create

MAX_ROWS = 2000
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
JOB_KIND = "worker_import"
JOB_LABEL = gettext_lazy("批量导入社区工作者")
PROGRESS_EVERY = 100
# One import at a time (a transaction-scoped advisory lock): two sheets naming the same
# phone number cannot both pass the check.
LOCK_KEY = 0x57F0_1401
HEADERS = (
    "姓名",
    "身份证号码",
    "手机号码",
    "区（县）",
    "街道（乡镇）",
    "社区",
    "岗位类别",
    "学历",
    "入职日期",
    "合同期限（年）",
    "岗位等级",
    "试用期（月）",
    "电子邮箱",
    "合同到期日",
)
REQUIRED = HEADERS[:10]
POSTS = {"正职": Post.HEAD, "副职": Post.DEPUTY, "其他": Post.OTHER, "其他社区工作者": Post.OTHER}
EDUCATION = {str(label): value for value, label in Education.choices} | {
    "硕士": 40,
    "博士": 50,
    "高中": 10,
    "中专": 10,
}


@dataclass
class RowReport:
    row: int
    name: str
    errors: list[str] = field(default_factory=list)
    unchanged: bool = False  # already imported with the same name, unit and start date


@dataclass
class ImportReport:
    rows: list[RowReport]
    file_error: str = ""
    created: int = 0
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.file_error and bool(self.rows) and not any(r.errors for r in self.rows)

    def as_dict(self) -> dict:
        return {
            "saved": self.ok,
            "file_error": self.file_error,
            "created": self.created,
            "unchanged": self.unchanged,
            "error_count": sum(bool(r.errors) for r in self.rows),
            "rows": [
                {"row": r.row, "name": r.name, "errors": r.errors, "unchanged": r.unchanged}
                for r in self.rows
            ],
        }


def template_bytes() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "社区工作者"
    sheet.append(list(HEADERS))
    sheet.append(
        [
            "张三",
            "",
            "13800000000",
            "铁东区",
            "站前街道",
            "园林社区",
            "其他",
            "本科",
            "2022-03-01",
            "3",
            "",
            "",
            "",
        ]
    )
    for column in sheet.columns:
        for cell in column:
            cell.number_format = "@"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _read(upload) -> tuple[list[tuple[int, dict]], str]:
    try:
        book = open_workbook_safely(upload, max_rows=MAX_ROWS + 1, max_cols=len(HEADERS) + 5)
    except SpreadsheetError as error:
        return [], str(error.message)
    try:
        rows = book.worksheets[0].iter_rows()
        header = [cell_text(c) for c in next(rows, [])]
        missing = [h for h in REQUIRED if h not in header]
        if missing:
            return [], _("缺少列：%(cols)s。请使用模板。") % {"cols": "、".join(missing)}
        out = []
        for number, row in enumerate(rows, start=2):
            values = {}
            for title, cell in zip(header, row, strict=False):
                if title in HEADERS:
                    try:
                        values[title] = cell_text(cell)
                    except LeadingZeroNumber:
                        values[title] = str(getattr(cell, "value", ""))
            if any(values.values()):
                out.append((number, values))
        return out, ""
    finally:
        book.close()


def _check_row(
    values: dict, units: dict, seen_phones: set, seen_ids: set, settings
) -> tuple[dict, list[str]]:
    errors: list[str] = []
    clean: dict = {}
    name = values.get("姓名", "").strip()
    if not 2 <= len(name) <= 20:
        errors.append(_("姓名须为2至20个字。"))
    clean["name"] = name
    raw_id = values.get("身份证号码", "").strip()
    clean["id_number"] = ""
    if raw_id:
        try:
            number = normalize_id(raw_id)
            parse_id(number)
            clean["id_number"] = number
            if number in seen_ids:
                errors.append(_("身份证号码在表中重复。"))
            seen_ids.add(number)
        except Exception:
            errors.append(_("身份证号码无效。"))
    phone = normalize_phone(values.get("手机号码", "")) or ""
    if not (len(phone) == 11 and phone.isdigit() and phone[0] == "1"):
        errors.append(_("手机号码须为11位数字。"))
    elif phone in seen_phones:
        errors.append(_("手机号码在表中重复。"))
    else:
        seen_phones.add(phone)
        user = get_user_model().objects.filter(phone=phone).first()
        clean["existing_user"] = user
    clean["phone"] = phone
    email = values.get("电子邮箱", "").strip().lower()
    clean["email"] = email
    if email:
        from django.core.validators import validate_email

        try:
            validate_email(email)
        except Exception:
            errors.append(_("电子邮箱格式不正确。"))
        else:
            if get_user_model().objects.filter(email=email).exclude(phone=phone).exists():
                errors.append(_("该电子邮箱已被其他账号使用。"))
    key = tuple(values.get(h, "").strip() for h in ("区（县）", "街道（乡镇）", "社区"))
    unit = units.get(key)
    if unit is None:
        errors.append(
            _("找不到单位“%(path)s”，请先在单位中建立该社区。") % {"path": " ".join(k for k in key if k)}
        )
    clean["unit"] = unit
    post = POSTS.get(values.get("岗位类别", "").strip())
    if post is None:
        errors.append(_("岗位类别须为正职、副职或其他。"))
    clean["post"] = post
    education_text = values.get("学历", "").strip()
    clean["education"] = EDUCATION.get(education_text) if education_text else None
    if education_text and clean["education"] is None:
        errors.append(_("学历无法识别（高中/中专、大专、本科、硕士、博士）。"))
    try:
        clean["start_date"] = date.fromisoformat(values.get("入职日期", "").strip()[:10])
    except ValueError:
        errors.append(_("入职日期格式应为2022-03-01。"))
    try:
        years = Decimal(values.get("合同期限（年）", "").strip())
        if not Decimal("0.25") <= years <= Decimal("10"):
            raise InvalidOperation
        clean["contract_years"] = years
    except (InvalidOperation, ValueError):
        errors.append(_("合同期限须为0.25至10年。"))
        years = None
    end_text = values.get("合同到期日", "").strip()
    clean["contract_end"] = None
    if end_text:
        try:
            clean["contract_end"] = date.fromisoformat(end_text[:10])
            if clean.get("start_date") and clean["contract_end"] <= clean["start_date"]:
                errors.append(_("合同到期日须晚于入职日期。"))
        except ValueError:
            errors.append(_("合同到期日格式应为2027-02-28。"))
    grade_text = values.get("岗位等级", "").strip()
    clean["grade"] = None
    if grade_text:
        try:
            clean["grade"] = int(grade_text)
            if (
                post
                and not settings.grade_rules().ranges[post][0]
                <= clean["grade"]
                <= settings.grade_rules().ranges[post][1]
            ):
                low, high = settings.grade_rules().ranges[post]
                errors.append(_("岗位等级须在%(low)s至%(high)s级之间。") % {"low": low, "high": high})
        except ValueError:
            errors.append(_("岗位等级须为整数。"))
    months_text = values.get("试用期（月）", "").strip()
    clean["probation_months"] = None
    if months_text:
        try:
            clean["probation_months"] = int(months_text)
            if years is not None:
                probation.check_probation(years, clean["probation_months"])
        except probation.ProbationTooLong as refused:
            errors.append(_("试用期超过法定上限%(limit)s个月。") % {"limit": refused.limit})
        except ValueError:
            errors.append(_("试用期须为整数月。"))
    # Already on file: the same person imported before (a rerun of the sheet) is unchanged;
    # anyone else is a fault.
    user = clean.get("existing_user")
    previous = Worker.objects.filter(user=user).first() if user is not None else None
    clean["unchanged"] = bool(
        previous is not None
        and previous.source == Worker.Source.IMPORT
        and previous.name == name
        and previous.unit_id == getattr(unit, "pk", None)
        and previous.start_date == clean.get("start_date")
        and previous.id_number == clean["id_number"]
    )
    if previous is not None and not clean["unchanged"]:
        errors.append(_("该手机号码已有社区工作者档案。"))
    if (
        clean["id_number"]
        and not clean["unchanged"]
        and Worker.objects.filter(id_number=clean["id_number"]).exists()
    ):
        errors.append(_("该身份证号码已有社区工作者档案。"))
    return clean, errors


def _check_all(rows, settings, progress=None) -> tuple[list[dict], list[RowReport]]:
    units = {}
    for unit in Unit.objects.filter(kind=Unit.Kind.COMMUNITY).select_related("parent__parent"):
        units[(unit.parent.parent.name, unit.parent.name, unit.name)] = unit
    reports, cleaned = [], []
    seen_phones: set = set()
    seen_ids: set = set()
    for index, (number, values) in enumerate(rows, start=1):
        clean, errors = _check_row(values, units, seen_phones, seen_ids, settings)
        reports.append(
            RowReport(row=number, name=clean.get("name", ""), errors=errors, unchanged=clean["unchanged"])
        )
        cleaned.append(clean)
        if progress is not None and index % PROGRESS_EVERY == 0:
            progress(PROGRESS_EVERY)
    if progress is not None and len(rows) % PROGRESS_EVERY:
        progress(len(rows) % PROGRESS_EVERY)
    return cleaned, reports


def import_workers(
    *,
    actor,
    upload,
    progress: Callable[[int], None] | None = None,
    on_saved: Callable[[ImportReport], None] | None = None,
    on_count: Callable[[int], None] | None = None,
) -> ImportReport:
    """Check every row, then save all rows in one transaction, or none. `progress(n)` is told
    of rows checked; `on_saved(report)` runs inside the saving transaction (the job writes
    its report there, so the workers and the finished job commit together); `on_count(n)`
    hears how many rows the sheet holds."""
    settings = WorkforceSettings.current()
    rows, file_error = _read(upload)
    if file_error:
        return ImportReport(rows=[], file_error=file_error)
    if not rows:
        return ImportReport(rows=[], file_error=_("表中没有数据行。"))
    if on_count is not None:
        on_count(len(rows))
    # A first pass outside the transaction shows progress and answers a faulty sheet
    # without taking the lock; the pass under the lock is the one that counts.
    _cleaned, reports = _check_all(rows, settings, progress)
    report = ImportReport(rows=reports)
    if not report.ok:
        return report
    applicant_group = Group.objects.get(name=Role.APPLICANT)
    User = get_user_model()
    reset_url = reverse("account_reset_password")
    current = None
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":  # SQLite has one writer at a time anyway
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
            cleaned, reports = _check_all(rows, settings)
            report = ImportReport(rows=reports)
            if not report.ok:
                return report
            for clean, row in zip(cleaned, reports, strict=True):
                current = row
                if clean["unchanged"]:
                    report.unchanged += 1
                    continue
                user = clean.get("existing_user")
                if user is None:
                    # No password: the invitation leads to the phone reset page to set one.
                    # Without an e-mail in the sheet the address is a placeholder that never
                    # delivers (.invalid, RFC 2606); messages reach the worker by SMS and inbox.
                    user = User.objects.create_user(
                        email=clean["email"] or f"{clean['phone']}@worker.invalid",
                        password=None,
                        phone=clean["phone"],
                        name=clean["name"],
                    )
                    user.groups.add(applicant_group)
                worker = worker_create(
                    actor=actor,
                    data=NewWorker(
                        user=user,
                        name=clean["name"],
                        unit=clean["unit"],
                        start_date=clean["start_date"],
                        contract_years=clean["contract_years"],
                        post=clean["post"],
                        education=clean["education"],
                        probation_months=clean["probation_months"],
                        grade=clean["grade"],
                        id_number=clean["id_number"],
                        source=Worker.Source.IMPORT,
                        contract_end=clean["contract_end"],
                    ),
                    settings=settings,
                )
                notify(
                    recipient=user,
                    event=Event.WORKER_INVITED,
                    context={"unit_name": clean["unit"].name, "url": reset_url},
                    channels={"sms"},
                    dedupe_key=f"workforce:invite:{worker.pk}",
                )
                report.created += 1
            if on_saved is not None:
                on_saved(report)
    except WorkforceError as error:
        if current is not None:
            current.errors.append(str(error.message))
        report.created = report.unchanged = 0
    return report


# ------------------------------------------------------------------ the job


def import_job_create(*, actor, upload) -> BackgroundJob:
    """Keep the upload (private storage) and start the import job after commit. A file that
    is not an .xlsx (zip signature) or is over 5 MB is refused at once (WorkforceError on
    the field "file")."""
    upload.seek(0)
    if not upload.read(4).startswith(ZIP_SIGNATURE) or upload.size > MAX_UPLOAD_BYTES:
        raise WorkforceError(_("只能上传不超过 5 MB 的 Excel（.xlsx）文件。"), field="file")
    upload.seek(0)
    name = default_storage.save(
        f"worker_imports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.xlsx", ContentFile(upload.read())
    )
    with transaction.atomic():
        job = BackgroundJob.objects.create(
            kind=JOB_KIND,
            created_by=actor,
            params={"file": name, "original_name": getattr(upload, "name", "")[:200]},
        )
        audit.record(actor, job, audit.ADDITION, note="worker import")
        jobs.start_on_commit(job)
    return job


def import_run(job: BackgroundJob) -> BackgroundJob:
    """The job's work. Safe to run again: a finished job is not claimed again, and a job whose
    run died before its commit left nothing saved and is simply run once more."""
    if not jobs.claim(job):
        return job
    try:
        name = job.params["file"]
        with default_storage.open(name, "rb") as handle:
            content = handle.read()
        saved = []

        def count(rows: int) -> None:
            BackgroundJob.objects.filter(pk=job.pk).update(total=rows)
            job.refresh_from_db(fields=["total"])

        def finish_in_transaction(report: ImportReport) -> None:
            jobs.finish(job, params={**job.params, "report": report.as_dict()}, done=job.total)
            saved.append(True)

        report = import_workers(
            actor=job.created_by,
            upload=io.BytesIO(content),
            progress=lambda n: jobs.add_done(job, n),
            on_saved=finish_in_transaction,
            on_count=count,
        )
        if not saved:  # refused: nothing saved, the report says why row by row
            jobs.finish(job, params={**job.params, "report": report.as_dict()}, done=job.total)
        # The sheet holds ID and phone numbers: gone once the report is kept.
        transaction.on_commit(lambda: default_storage.delete(name))
        return job
    except jobs.JobLost:
        job.refresh_from_db()
        return job
    except Exception as error:
        jobs.fail(job, error)
        raise
