"""Excel export (openpyxl) of the review queue with its filters.

ID numbers and phone numbers are masked unless the user holds
accounts.export_full_id_numbers. Small exports are returned at once; large ones run as a
Celery task that writes a private file, downloaded when ready.
"""

from __future__ import annotations

import io
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from applicants.masking import mask_id_number, mask_phone
from applicants.models import EligibilityOutcome, Stage
from portal import jobs
from portal.models import BackgroundJob
from recruitment.choices import Education

from .models import ReviewJob

FULL_EXPORT_PERMISSION = "accounts.export_full_id_numbers"
INLINE_LIMIT_DEFAULT = 1000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def inline_limit() -> int:
    return getattr(settings, "REVIEW_EXPORT_INLINE_LIMIT", INLINE_LIMIT_DEFAULT)


def may_export_full(user) -> bool:
    return user.has_perm(FULL_EXPORT_PERMISSION)


def headers() -> list[str]:
    return [
        _("报名序号"),
        _("姓名"),
        _("性别"),
        _("身份证号"),
        _("手机号"),
        _("岗位代码"),
        _("岗位名称"),
        _("学历"),
        _("专业"),
        _("状态"),
        _("自动检查"),
        _("提交时间"),
        _("审核人"),
        _("原因"),
    ]


def _highest_education(snapshot: dict) -> tuple[str, str]:
    records = snapshot.get("education") or []
    if not isinstance(records, list) or not records:
        return "", ""
    try:
        best = max(records, key=lambda record: int(record.get("level") or 0))
    except (TypeError, ValueError, AttributeError):
        return "", ""
    level = best.get("level")
    try:
        label = str(Education(int(level)).label)
    except (TypeError, ValueError):
        label = str(best.get("level_display") or level or "")
    return label, str(best.get("major") or "")


def _sex(snapshot: dict, profile) -> str:
    value = snapshot.get("sex") or (profile.sex if profile else "")
    return {"male": _("男"), "female": _("女")}.get(value, value or "")


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Text an applicant typed (a name, a major, an employer) must not run as a formula when
    the sheet is opened in Excel or WPS (CSV/formula injection): such text starts with '."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def rows(queryset, *, full: bool):
    stage_labels = dict(Stage.choices)
    outcome_labels = dict(EligibilityOutcome.choices)
    qs = queryset.select_related(
        "applicant", "applicant__profile", "position", "reviewed_by", "rejection_reason"
    ).order_by("submitted_at", "pk")
    for application in qs.iterator(chunk_size=2000):
        snapshot = application.snapshot if isinstance(application.snapshot, dict) else {}
        profile = getattr(application.applicant, "profile", None)
        id_number = snapshot.get("id_number") or (profile.id_number if profile else "")
        phone = snapshot.get("phone") or application.applicant.phone or ""
        name = snapshot.get("real_name") or (profile.real_name if profile else "")
        education, major = _highest_education(snapshot)
        if application.stage == Stage.REJECTED and application.rejection_reason_id:
            reason = f"{application.rejection_reason.label}：{application.rejection_note}"
        elif application.stage == Stage.RETURNED:
            reason = application.return_instructions
        else:
            reason = ""
        submitted = timezone.localtime(application.submitted_at) if application.submitted_at else None
        yield [
            safe_cell(value)
            for value in (
                application.pk,
                name,
                _sex(snapshot, profile),
                id_number if full else mask_id_number(id_number),
                phone if full else mask_phone(phone),
                application.position.code,
                application.position.name,
                education,
                major,
                str(stage_labels.get(application.stage, application.stage)),
                str(outcome_labels.get(application.eligibility_outcome, "")),
                submitted.strftime("%Y-%m-%d %H:%M") if submitted else "",
                str(application.reviewed_by) if application.reviewed_by_id else "",
                reason,
            )
        ]


def build_workbook(queryset, *, full: bool, progress=None) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("报名信息"))
    widths = [10, 10, 6, 22, 14, 10, 20, 12, 20, 12, 12, 18, 10, 40]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.append(headers())
    count = 0
    for row in rows(queryset, full=full):
        sheet.append(row)
        count += 1
        if progress and count % 500 == 0:
            progress(count)
    if progress:
        progress(count)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def filename(announcement_id) -> str:
    return f"applications-{announcement_id or 'all'}-{timezone.localtime():%Y%m%d-%H%M}.xlsx"


def export_job_run(job: BackgroundJob) -> BackgroundJob:
    """Write the workbook of the job's filters to private storage. One run claims the job
    (portal.jobs); a rerun after a crash rewrites the file from the start."""
    from .selectors import applications_for_reviewer

    if not jobs.claim(job):
        return job
    user = job.created_by
    filters = dict(job.params.get("filters") or {}, announcement=str(job.announcement_id))
    try:
        queryset = applications_for_reviewer(user, filters)
        content = build_workbook(
            queryset, full=may_export_full(user), progress=lambda done: jobs.set_done(job, done)
        )
        job.result_file.save(filename(job.announcement_id), ContentFile(content), save=False)
        try:
            return jobs.finish(job, result_file=job.result_file.name)
        except jobs.JobLost:  # another run holds the job: its file is the one kept
            job.result_file.delete(save=False)
            raise
    except jobs.JobLost:
        job.refresh_from_db()
        return job
    except Exception as error:
        jobs.fail(job, error)
        raise


def keep_days() -> int:
    return getattr(settings, "REVIEW_EXPORT_KEEP_DAYS", 7)


def purge_old_exports(*, now=None) -> int:
    """Delete export files older than REVIEW_EXPORT_KEEP_DAYS: a workbook of ID numbers
    does not stay on the server longer than it is needed. Returns how many were removed."""
    cutoff = (now or timezone.now()) - timedelta(days=keep_days())
    old = BackgroundJob.objects.filter(kind=ReviewJob.EXPORT, finished_at__lt=cutoff).exclude(result_file="")
    removed = 0
    for job in old.iterator():
        job.result_file.delete(save=False)
        BackgroundJob.objects.filter(pk=job.pk).update(result_file="")
        removed += 1
    return removed + _purge_orphans(BackgroundJob._meta.get_field("result_file").storage, "exports", cutoff)


def _purge_orphans(storage, folder: str, cutoff) -> int:
    """Files no job names any more (a run that crashed after writing, then was replaced)."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return 0
    removed = 0
    for name in files:
        path = f"{folder}/{name}"
        if storage.get_modified_time(path) < cutoff:
            storage.delete(path)
            removed += 1
    for sub in folders:
        removed += _purge_orphans(storage, f"{folder}/{sub}", cutoff)
    return removed
