"""Helpers of the written-results tests: an exam whose tickets are issued, sheets built in
memory, a reviewer assigned to the announcement."""

from __future__ import annotations

import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from exams.models import ExamSession, Ticket
from exams.services import tickets as ticket_services
from recruitment.models import ReviewerAssignment
from tests.exams.factories import make_exam

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def issued_exam(actor, capture, *, candidates=6, positions=2, parts=None, full_marks=None):
    """An exam held yesterday with `candidates` tickets issued. parts: the session's parts
    [{"name": …, "marks": …}] (none: one 100-point paper). Returns (plan, tickets by number order)."""
    plan, _apps = make_exam(candidates=candidates, positions=positions, rooms=(("01", 2, 30),))
    with capture(execute=True):
        ticket_services.issue_job_create(plan=plan, actor=actor)
    start = timezone.now() - timedelta(days=1)
    changes = {"starts_at": start, "ends_at": start + timedelta(hours=2)}
    if parts is not None:
        changes["parts"] = parts
    if full_marks is not None:
        changes["full_marks"] = full_marks
    ExamSession.objects.filter(plan=plan).update(**changes)
    tickets = list(
        Ticket.objects.filter(announcement=plan.announcement).select_related("application").order_by("number")
    )
    return plan, tickets


def assign(reviewer, announcement, by):
    ReviewerAssignment.objects.create(announcement=announcement, reviewer=reviewer, assigned_by=by)
    return reviewer


def sheet(rows, *, header=("准考证号", "综合知识"), text_columns=(0,), name="scores.xlsx"):
    """An uploaded .xlsx with `header` and `rows` (values as given; text_columns stored as text)."""
    from openpyxl import Workbook

    workbook = Workbook()
    ws = workbook.active
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    for column in text_columns:
        for cells in ws.iter_rows(min_row=2, min_col=column + 1, max_col=column + 1):
            for cell in cells:
                cell.number_format = "@"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=XLSX)
