"""Score import (成绩导入): an Excel sheet of ticket numbers with a score per part or the
total, or a 缺考 / 违纪 mark, run as a BackgroundJob ("score_import").

All rows or none: every row is checked first; one faulty row and nothing is saved, and the
report lists each fault by row. Importing the same sheet again changes nothing (rows whose
score is already recorded identically are counted as unchanged); a row whose ticket already
has a *different* final score is a fault (a final score changes only by a correction).

Sheet: the first row holds the headers 准考证号, optionally 姓名 (ignored), one column per
part of the paper (named as in the exam plan), 总分, and 缺考/违纪. Cells are read as text
(portal.spreadsheets.cell_text) so ticket numbers keep their leading zeros.

The report stores each fault untranslated: {"row", "ticket", "code", "msgid", "params"}
(msgid: the Chinese source message; params: its %(name)s values, a value {"msgid": …} being
a word to translate too), and `fault_text` writes it in the reader's language when the report
is shown. A fault the spreadsheet reader raised (portal.spreadsheets gives only its text) is
stored as {"message": …} in Chinese, as reports before this were; `fault_text` shows such a
message through applicants.record_words.in_reader_language.
"""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from applicants.models import Stage
from applicants.record_words import in_reader_language
from portal import audit, jobs
from portal.models import BackgroundJob
from portal.spreadsheets import (
    ZIP_SIGNATURE,
    LeadingZeroNumber,
    SpreadsheetError,
    cell_text,
    read_first_sheet,
)

from ..models import Attendance, ExamPlan, Ticket
from ..models_written import ScoreStatus, WrittenPartScore, WrittenResults, WrittenScore
from ..selectors import written as selectors
from .written import JOB_KIND, NewScore, ScoreInputError, parse_points, scores_create

MAX_ROWS = 100_000
MAX_COLS = 30
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_REPORTED = 1000  # faults listed in the report (all are counted)
PROGRESS_EVERY = 5000
TICKET_HEADER = "准考证号"
NAME_HEADER = "姓名"
TOTAL_HEADER = "总分"
MARK_HEADER = "缺考/违纪"
MARKS = {"缺考": ScoreStatus.ABSENT, "违纪": ScoreStatus.DISQUALIFIED}


@dataclass(frozen=True)
class SheetRow:
    number: int  # the row number in Excel (the header is row 1)
    ticket: str
    parts: dict[str, str]
    total: str
    mark: str
    fault: tuple = ()  # a cell that could not be read: (msgid, params)


class ImportFault(Exception):
    """A row's fault: `msgid` (untranslated, marked with gettext_noop) and its params."""

    def __init__(self, msgid: str, /, **params):
        super().__init__(msgid)
        self.msgid, self.params = msgid, params


# A word of a message that is translated too (e.g. 总分 in "总分 105 超过满分100分").
TOTAL_WORD = {"msgid": gettext_noop("总分")}


def _fault(row: int, ticket: str, code: str, msgid: str, /, **params) -> dict:
    """A fault of the report, untranslated (see the module's docstring)."""
    return {"row": row, "ticket": ticket, "code": code, "msgid": msgid, "params": params}


def _param_text(value) -> str:
    if isinstance(value, dict) and value.get("msgid"):
        return _(value["msgid"])
    return str(value)


def fault_text(fault: dict) -> str:
    """A fault of the report in the active language. Old reports (stored as Chinese text,
    "message") and the spreadsheet reader's faults: through in_reader_language, so a message
    of the catalogues is translated and anything else is shown as stored."""
    msgid = fault.get("msgid")
    if not msgid:
        return in_reader_language(str(fault.get("message") or ""))
    params = {name: _param_text(value) for name, value in (fault.get("params") or {}).items()}
    try:
        return _(msgid) % params if params else _(msgid)
    except (KeyError, ValueError, TypeError):  # a catalogue entry with other placeholders
        return msgid % params if params else msgid


def report_errors(report: dict | None) -> list[dict]:
    """The report's listed faults as {"row", "ticket", "code", "text"} in the active language."""
    return [
        {"row": e.get("row"), "ticket": e.get("ticket", ""), "code": e.get("code", ""), "text": fault_text(e)}
        for e in (report or {}).get("errors") or ()
    ]


# ------------------------------------------------------------------ template


def template_workbook(announcement) -> bytes:
    """The sheet to fill in: headers, and one row per ticket (number as text, name), in
    ticket order. Written with openpyxl's write-only mode (50,000 rows in a few seconds)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    plan = ExamPlan.objects.get(announcement=announcement)
    _papers, names = selectors.papers_of(plan)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("笔试成绩"))
    sheet.column_dimensions["A"].width = 16
    sheet.append([TICKET_HEADER, NAME_HEADER, *names, TOTAL_HEADER, MARK_HEADER])
    rows = (
        Ticket.objects.filter(announcement=announcement)
        .order_by("number")
        .values_list("number", "application__snapshot__real_name")
    )
    for number, name in rows.iterator(chunk_size=5000):
        cell = WriteOnlyCell(sheet, value=number)
        cell.number_format = "@"
        sheet.append([cell, name or ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ------------------------------------------------------------------ starting a job


def import_job_create(*, announcement, actor, upload) -> BackgroundJob:
    """Keep the upload (private storage) and start the import job after commit. A file that
    is not an .xlsx (zip signature) or is over 20 MB is refused at once.
    Raises PermissionDenied (not staff of the announcement), ValidationError (unreadable)."""
    if not selectors.is_score_staff(actor, announcement.pk):
        raise PermissionDenied(_("只有分配到该公告的审核人员或管理员可以导入成绩。"))
    # Only the signature here (the page answers at once); the job reads the sheet through
    # portal.spreadsheets' bounded reader, and a file it cannot read is its report's first fault.
    upload.seek(0)
    if not upload.read(4).startswith(ZIP_SIGNATURE) or upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError({"file": _("只能上传不超过 20 MB 的 Excel（.xlsx）文件。")})
    upload.seek(0)
    name = default_storage.save(
        f"score_imports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.xlsx", ContentFile(upload.read())
    )
    with transaction.atomic():
        job = BackgroundJob.objects.create(
            kind=JOB_KIND,
            created_by=actor,
            announcement_id=announcement.pk,
            params={"file": name, "original_name": getattr(upload, "name", "")[:200]},
        )
        audit.record(actor, job, audit.ADDITION, note=f"score import of announcement {announcement.pk}")
        jobs.start_on_commit(job)
    return job


# ------------------------------------------------------------------ reading the sheet


def read_sheet(stream, part_names: list[str]) -> tuple[list[SheetRow], list[dict]]:
    """(rows, header faults), in one pass over the sheet (portal.spreadsheets.read_first_sheet:
    the size limits checked as it reads). Rows with nothing in them are skipped."""
    reader = read_first_sheet(stream, max_rows=MAX_ROWS + 1, max_cols=MAX_COLS)
    try:
        first = next(reader, None)
        if first is None:
            return [], [_fault(1, "", "header", gettext_noop("表格是空的。"))]
        _number, header = first
        columns: dict[str, int] = {}
        faults = []
        for index, cell in enumerate(header):
            title = str(cell.value if cell is not None else "").strip()
            if not title:
                continue
            if title in columns:
                faults.append(_fault(1, "", "header", gettext_noop("表头“%(t)s”重复。"), t=title))
            elif title in (TICKET_HEADER, NAME_HEADER, TOTAL_HEADER, MARK_HEADER) or title in part_names:
                columns[title] = index
            else:
                faults.append(
                    _fault(
                        1,
                        "",
                        "header",
                        gettext_noop("表头“%(t)s”不是本次考试的科目或部分，请使用下载的模板。"),
                        t=title,
                    )
                )
        if TICKET_HEADER not in columns:
            faults.append(_fault(1, "", "header", gettext_noop("缺少“准考证号”列。")))
        if faults:
            return [], faults
        rows = []
        wanted = [title for title in columns if title != NAME_HEADER]
        for number, cells in reader:
            values, fault = {}, ()
            for title, index in columns.items():
                cell = cells[index] if index < len(cells) else None
                try:
                    values[title] = cell_text(cell) if cell is not None else ""
                except LeadingZeroNumber:
                    values[title] = str(getattr(cell, "value", ""))
                    fault = (
                        gettext_noop("“%(t)s”列的单元格格式无法确定显示内容，请设为文本格式。"),
                        {"t": title},
                    )
            if not any(values.get(t) for t in wanted):
                continue
            rows.append(
                SheetRow(
                    number=number,
                    ticket=values.get(TICKET_HEADER, ""),
                    parts={name: values.get(name, "") for name in part_names if name in columns},
                    total=values.get(TOTAL_HEADER, ""),
                    mark=values.get(MARK_HEADER, ""),
                    fault=fault,
                )
            )
        return rows, []
    except SpreadsheetError as error:
        # portal.spreadsheets gives its text only: kept in the portal's language (import_run).
        return [], [{"row": error.row or 0, "ticket": "", "code": "file", "message": str(error.message)}]
    finally:
        reader.close()


# ------------------------------------------------------------------ checking


@dataclass(frozen=True)
class TicketInfo:
    ticket_id: int
    application_id: int
    position_id: int
    stage: str


# exams.services.written.parse_points' faults by code, untranslated (the same messages).
POINTS_FAULTS = {
    "text": gettext_noop("“%(text)s”不是分数"),
    "places": gettext_noop("%(what)s%(value)s 超过两位小数"),
    "negative": gettext_noop("%(what)s%(value)s 小于0分"),
    "above": gettext_noop("%(what)s%(value)s 超过满分%(full)s分"),
}


def _points(text: str, full_marks: Decimal, what) -> Decimal:
    """parse_points, its fault as an ImportFault (`what`: a part's name, or TOTAL_WORD)."""
    try:
        return parse_points(text, full_marks, "")
    except ScoreInputError as error:
        shown = (text or "").strip().replace("，", ".").replace("．", ".")
        msgid = POINTS_FAULTS.get(error.code)
        if msgid is None:  # pragma: no cover - a code parse_points does not have today
            raise ImportFault(gettext_noop("“%(text)s”不是分数"), text=shown)
        params = {"text": shown} if error.code == "text" else {"what": what, "value": shown}
        if error.code == "above":
            params["full"] = str(full_marks)
        raise ImportFault(msgid, **params)


def _checked_row(row: SheetRow, info: TicketInfo, paper: selectors.Paper, present: bool) -> NewScore:
    """The row as a NewScore, or ImportFault with the reason."""
    if row.fault:
        raise ImportFault(row.fault[0], **row.fault[1])
    mark = row.mark.strip()
    given_parts = {name: text for name, text in row.parts.items() if text.strip()}
    total_text = row.total.strip()
    filled = [text.strip() for text in (*given_parts.values(), total_text) if text.strip()]
    if not mark and len(filled) == 1 and filled[0] in MARKS:  # a mark typed in the score cell
        mark, given_parts, total_text = filled[0], {}, ""
    if mark:
        if mark not in MARKS:
            raise ImportFault(gettext_noop("“%(m)s”不是有效标记，只能填“缺考”或“违纪”。"), m=mark)
        if given_parts or total_text:
            raise ImportFault(gettext_noop("同时填写了分数和“%(m)s”标记。"), m=mark)
        status = MARKS[mark]
        if status == ScoreStatus.ABSENT and present:
            raise ImportFault(gettext_noop("标记为缺考，但该考生考试当天已签到。"))
        if status == ScoreStatus.ABSENT and info.stage == Stage.DISQUALIFIED:
            raise ImportFault(gettext_noop("标记为缺考，但该考生考场上已登记违纪。"))
        return NewScore(
            ticket_id=info.ticket_id,
            application_id=info.application_id,
            announcement_id=0,
            position_id=info.position_id,
            status=status,
            raw=None,
            full_marks=paper.full_marks,
        )
    if info.stage == Stage.ABSENT:
        raise ImportFault(gettext_noop("该考生考试当天登记为缺考，不能录入分数。"))
    if info.stage == Stage.DISQUALIFIED:
        raise ImportFault(gettext_noop("该考生考场上已登记违纪，不能录入分数。"))
    paper_names = {p.name for p in paper.parts}
    for name in given_parts:
        if name not in paper_names:
            raise ImportFault(gettext_noop("该考生所报岗位的试卷没有“%(p)s”。"), p=name)
    parts: list[tuple[str, Decimal, Decimal]] = []
    if given_parts:
        missing = [p.name for p in paper.parts if p.name not in given_parts]
        if missing and len(paper.parts) > 1:
            raise ImportFault(gettext_noop("缺少“%(p)s”的分数。"), p="、".join(missing))
        for part in paper.parts:
            if part.name in given_parts:
                parts.append(
                    (part.name, _points(given_parts[part.name], part.full_marks, part.name), part.full_marks)
                )
        raw = sum((p for _n, p, _f in parts), Decimal(0))
        if total_text:
            total = _points(total_text, paper.full_marks, TOTAL_WORD)
            if total != raw:
                raise ImportFault(
                    gettext_noop("各部分之和%(sum)s与总分%(total)s不一致。"), sum=str(raw), total=str(total)
                )
    elif total_text:
        raw = _points(total_text, paper.full_marks, TOTAL_WORD)
    else:
        raise ImportFault(gettext_noop("没有分数，也没有“缺考”或“违纪”标记。"))
    if len(paper.parts) == 1:
        parts = [(paper.parts[0].name, raw, paper.parts[0].full_marks)]
    return NewScore(
        ticket_id=info.ticket_id,
        application_id=info.application_id,
        announcement_id=0,
        position_id=info.position_id,
        status=ScoreStatus.SCORED,
        raw=raw,
        full_marks=paper.full_marks,
        parts=parts,
    )


def check_rows(
    announcement, rows: list[SheetRow], *, progress=None
) -> tuple[list[NewScore], int, list[dict]]:
    """(scores to create, rows unchanged, faults). A fixed number of queries whatever the
    number of rows (tickets, attendance, existing scores and their parts; the numbers of
    unknown tickets looked up in other announcements at once)."""
    plan = ExamPlan.objects.get(announcement=announcement)
    papers, _names = selectors.papers_of(plan)
    tickets = {
        number: TicketInfo(pk, application_id, position_id, stage)
        for number, pk, application_id, position_id, stage in Ticket.objects.filter(
            announcement=announcement
        ).values_list("number", "pk", "application_id", "application__position_id", "application__stage")
    }
    present = set(
        Attendance.objects.filter(
            ticket__announcement=announcement, status=Attendance.Status.PRESENT
        ).values_list("ticket_id", flat=True)
    )
    # Tuples, not model instances: a second import of 50,000 rows compares 50,000 scores.
    existing = {
        ticket_id: (pk, status, raw)
        for ticket_id, pk, status, raw in WrittenScore.objects.filter(announcement=announcement).values_list(
            "ticket_id", "pk", "status", "raw"
        )
    }
    existing_parts: dict[int, list] = {}
    if existing:
        for score_id, name, points in (
            WrittenPartScore.objects.filter(score__announcement=announcement)
            .order_by("score_id", "index")
            .values_list("score_id", "name", "points")
        ):
            existing_parts.setdefault(score_id, []).append((name, points))
    unknown = {row.ticket for row in rows if row.ticket and row.ticket not in tickets}
    elsewhere = set()
    if unknown:
        elsewhere = set(
            Ticket.objects.filter(number__in=unknown)
            .exclude(announcement=announcement)
            .values_list("number", flat=True)
        )
    width = max((len(n) for n in tickets), default=0)
    faults: list[dict] = []
    seen: dict[str, int] = {}
    new: list[NewScore] = []
    unchanged = 0

    def fault(row, code, msgid, /, **params):
        faults.append(_fault(row.number, row.ticket, code, msgid, **params))

    for index, row in enumerate(rows, start=1):
        if progress and index % PROGRESS_EVERY == 0:
            progress(PROGRESS_EVERY)
        number = row.ticket.strip()
        if not number:
            fault(row, "ticket_missing", gettext_noop("没有填写准考证号。"))
            continue
        if number in seen:
            fault(row, "duplicate", gettext_noop("准考证号与第%(row)s行重复。"), row=seen[number])
            continue
        seen[number] = row.number
        info = tickets.get(number)
        if info is None:
            if number in elsewhere:
                fault(row, "other_announcement", gettext_noop("该准考证号属于其他招聘公告的考试。"))
            elif number.isdigit() and len(number) < width and number.zfill(width) in tickets:
                fault(
                    row,
                    "ticket_unknown",
                    gettext_noop("准考证号不存在（可能是开头的0丢失，应为%(n)s；请把该列设为文本格式）。"),
                    n=number.zfill(width),
                )
            else:
                fault(row, "ticket_unknown", gettext_noop("准考证号不存在。"))
            continue
        try:
            score = _checked_row(
                row, info, selectors.paper_for(papers, info.position_id), info.ticket_id in present
            )
        except ImportFault as error:
            fault(row, "value", error.msgid, **error.params)
            continue
        score.announcement_id = announcement.pk
        old = existing.get(info.ticket_id)
        if old is not None:
            if score.same_as(old[1], old[2], existing_parts.get(old[0], [])):
                unchanged += 1
            else:
                fault(row, "changed", gettext_noop("该考生已有不同的成绩，如需修改请走成绩更正程序。"))
            continue
        new.append(score)
    return new, unchanged, faults


# ------------------------------------------------------------------ the job


def import_run(job: BackgroundJob) -> BackgroundJob:
    """The job's work: read, check every row, then save all in one transaction or nothing.
    Safe to run again: a rerun checks again against what is saved (identical rows are
    unchanged), so nothing is saved twice."""
    from recruitment.models import Announcement

    if not jobs.claim(job):
        return job
    try:
        with jobs.gc_paused():  # 50,000 rows of cells, checks and scores: see gc_paused
            return _import_phases(job, Announcement.objects.get(pk=job.announcement_id))
    except jobs.JobLost:
        job.refresh_from_db()
        return job
    except Exception as error:
        jobs.fail(job, error)
        raise


def _import_phases(job: BackgroundJob, announcement) -> BackgroundJob:
    """Read the sheet, check every row, save all in one transaction or nothing; finish."""
    plan = ExamPlan.objects.get(announcement=announcement)
    _papers, names = selectors.papers_of(plan)
    # The reader's own faults are text: kept in the portal's language (see fault_text).
    with (
        default_storage.open(job.params["file"], "rb") as handle,
        translation.override(settings.LANGUAGE_CODE),
    ):
        rows, faults = read_sheet(io.BytesIO(handle.read()), names)
    BackgroundJob.objects.filter(pk=job.pk).update(total=max(len(rows), 1) * 2)
    job.refresh_from_db(fields=["total"])
    report = {"rows": len(rows), "created": 0, "unchanged": 0}
    if not faults:
        with transaction.atomic():
            # One import of an announcement at a time: the results row is the lock.
            WrittenResults.objects.get_or_create(announcement=announcement)
            WrittenResults.objects.select_for_update().get(announcement=announcement)
            new, unchanged, faults = check_rows(announcement, rows, progress=lambda n: jobs.add_done(job, n))
            jobs.set_done(job, len(rows))
            if not faults:
                report["created"] = scores_create(
                    rows=new, actor=job.created_by, source=WrittenScore.Source.IMPORT
                )
                report["unchanged"] = unchanged
                jobs.add_done(job, len(rows))
    report["error_count"] = len(faults)
    report["errors"] = faults[:MAX_REPORTED]
    report["saved"] = not faults
    return jobs.finish(job, params={**job.params, "report": report}, done=job.total)
