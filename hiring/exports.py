"""Excel and printable PDF (the admission ticket's CJK font, portal.pdf) of the proposed list,
a public notice and the hires, and the Excel of a position's backfill chain. ID numbers are
masked in every one of them."""

from __future__ import annotations

import io
import re

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from applicants.masking import mask_id_number

from . import selectors

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(title: str, header: list[str], rows: list[list], filename: str) -> HttpResponse:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    # A sheet's name is at most 31 characters, none of []:*?/\ (the full title is row 1).
    sheet = workbook.create_sheet(re.sub(r"[\[\]:*?/\\]", " ", title)[:31].strip() or "Sheet")
    sheet.append([title])
    sheet.append(header)
    for row in rows:
        sheet.append([("" if v is None else str(v)) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response


def _pdf(request, title: str, subtitle_lines: list[str], header: list[str], rows: list[list], filename: str):
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

    from portal import pdf

    try:
        s = pdf.styles()
    except pdf.FontMissing as error:
        return render(request, "exams/font_missing.html", {"error": str(error)}, status=503)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=18 * mm,
    )
    pdf.document_info(doc, title=title)
    data = [[pdf.para(h, s["center"]) for h in header]]
    for row in rows:
        data.append([pdf.para("" if v is None else str(v), s["cell"]) for v in row])
    table = Table(
        data,
        repeatRows=1,
        style=TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#888888")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        ),
    )
    story = [pdf.para(title, s["title"])]
    story += [pdf.para(line, s["subtitle"]) for line in subtitle_lines]
    story += [Spacer(1, 5 * mm), table]
    doc.build(story, canvasmaker=pdf.numbered_canvas(timezone.localdate().isoformat()))
    return pdf.pdf_response(buffer.getvalue(), filename)


def _people_header() -> list[str]:
    return [_("岗位"), _("姓名"), _("性别"), _("身份证号"), _("准考证号"), _("综合成绩")]


def announcement_export(request, announcement, kind: str, fmt: str):
    if kind == "proposed":
        title = _("%(title)s拟录用人员名单") % {"title": announcement.title}
        header = [*_people_header(), _("状态")]
        rows = [
            [r.position, r.name, r.sex, r.masked_id, r.ticket_number, r.composite, r.status]
            for _p, r in selectors.proposed_rows(announcement)
        ]
    else:
        title = _("%(title)s录用人员名单") % {"title": announcement.title}
        header = [
            _("岗位"),
            _("姓名"),
            _("身份证号"),
            _("报到日期"),
            _("合同期限（年）"),
            _("报到地点"),
            _("确认时间"),
        ]
        rows = [
            [
                f"{h.position.code} {h.position.name}",
                (h.application.snapshot or {}).get("real_name", ""),
                mask_id_number((h.application.snapshot or {}).get("id_number", "")),
                h.start_date.isoformat(),
                h.contract_years,
                h.report_place,
                timezone.localtime(h.confirmed_at).strftime("%Y-%m-%d %H:%M"),
            ]
            for h in selectors.hires(announcement)
        ]
    filename = f"{kind}-{announcement.pk}.{fmt}"
    if fmt == "xlsx":
        return _xlsx(title, header, rows, filename)
    return _pdf(request, title, [], header, rows, filename)


def notice_lines(notice) -> list[str]:
    lines = [
        _("公示期：%(start)s至%(end)s（%(days)s个%(kind)s）")
        % {
            "start": notice.starts_on.isoformat(),
            "end": notice.ends_on.isoformat(),
            "days": notice.days,
            "kind": notice.get_day_kind_display(),
        }
    ]
    if notice.end_entered:
        lines.append(_("结束日期由管理员按公布的节假日安排填写：%(note)s") % {"note": notice.end_note})
    if notice.supervision_phone:
        lines.append(_("监督电话：%(phone)s") % {"phone": notice.supervision_phone})
    if notice.objection_address:
        lines.append(_("异议受理：%(address)s") % {"address": notice.objection_address})
    return lines


def notice_export(request, notice, fmt: str):
    header = _people_header()
    rows = [
        [r.position, r.name, r.sex, r.masked_id, r.ticket_number, r.composite]
        for r in selectors.notice_rows(notice)
    ]
    filename = f"notice-{notice.pk}.{fmt}"
    if fmt == "xlsx":
        return _xlsx(notice.title, header, rows, filename)
    return _pdf(request, notice.title, notice_lines(notice), header, rows, filename)


def chain_xlsx(position, proposals) -> HttpResponse:
    title = _("%(position)s递补情况") % {"position": f"{position.code} {position.name}"}
    header = [
        _("顺序"),
        _("姓名"),
        _("名次"),
        _("综合成绩"),
        _("来源"),
        _("递补谁"),
        _("状态"),
        _("取消原因"),
        _("递补情况"),
        _("取消时间"),
    ]
    rows = []
    for index, p in enumerate(proposals, start=1):
        replaced = (p.replaces.application.snapshot or {}).get("real_name", "") if p.replaces_id else ""
        rows.append(
            [
                index,
                (p.application.snapshot or {}).get("real_name", ""),
                p.rank,
                p.composite,
                p.get_source_display(),
                replaced,
                p.get_status_display(),
                p.get_removal_event_display() if p.removal_event else "",
                p.get_backfill_display() if p.backfill else "",
                timezone.localtime(p.removed_at).strftime("%Y-%m-%d %H:%M") if p.removed_at else "",
            ]
        )
    return _xlsx(title, header, rows, f"chain-{position.pk}.xlsx")
