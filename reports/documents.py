"""Printable documents of an announcement: the final report (PDF, the admission ticket's CJK
font through portal.pdf) and the parts of the recruitment archive (招聘档案).

Everything here reads; nothing writes. Tables are the dashboard's (reports.tables), so the
printed report shows exactly the numbers of the screen.
"""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import LongTable, PageBreak, SimpleDocTemplate, Spacer, TableStyle

from portal import pdf

from . import tables


def _grid(rows, style, *, widths=None, header_rows=1) -> LongTable:
    body = [[pdf.para(str(cell), style) for cell in row] for row in rows]
    table = LongTable(body, colWidths=widths, repeatRows=header_rows)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#888888")),
                ("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.HexColor("#eeeeee")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


def _table_flowables(table: tables.Table, styles, *, widths=None) -> list:
    out: list = [pdf.para(table.title, styles["heading"])]
    if table.note:
        out.append(pdf.para(table.note, styles["small"]))
        out.append(Spacer(1, 1.5 * mm))
    if not table.rows:
        out.append(pdf.para(_("暂无数据。"), styles["body"]))
        return out
    out.append(_grid([table.columns, *table.rows], styles["cell_small"], widths=widths))
    return out


def hires(announcement) -> list[dict]:
    """The hires of the announcement, by position (hiring, issue 18): name, position,
    composite score and start date. Empty when hiring has none (or is not installed)."""
    try:
        from hiring.models import Hire  # noqa: PLC0415 - optional until hiring lands
    except ImportError:
        return []
    rows = (
        Hire.objects.filter(announcement=announcement)
        .select_related("position", "application__applicant__profile", "proposal")
        .order_by("position__code", "pk")
    )
    out = []
    for hire in rows:
        snapshot = hire.application.snapshot if isinstance(hire.application.snapshot, dict) else {}
        profile = getattr(hire.application.applicant, "profile", None)
        out.append(
            {
                "position_code": hire.position.code,
                "position_name": hire.position.name,
                "name": snapshot.get("real_name") or (profile.real_name if profile else ""),
                "composite": hire.proposal.composite if hire.proposal_id else None,
                "start_date": hire.start_date,
                "contract_years": hire.contract_years,
            }
        )
    return out


def hires_table(announcement) -> tables.Table:
    table = tables.Table(
        "hires",
        _("录用人员名单"),
        [_("岗位代码"), _("岗位名称"), _("姓名"), _("综合成绩"), _("报到日期"), _("合同期限（年）")],
    )
    for row in hires(announcement):
        table.rows.append(
            [
                row["position_code"],
                row["position_name"],
                row["name"],
                "—" if row["composite"] is None else row["composite"],
                row["start_date"].isoformat(),
                row["contract_years"],
            ]
        )
    return table


def final_report_pdf(announcement, data: dict) -> bytes:
    """The final report: the funnel, registrations per day, the per-position table and the
    hires. Raises portal.pdf.FontMissing when no CJK font can be embedded."""
    styles = pdf.styles()
    buffer = io.BytesIO()
    page = landscape(A4)
    doc = SimpleDocTemplate(
        buffer,
        pagesize=page,
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=16 * mm,
    )
    title = _("%(title)s 招聘工作统计报告") % {"title": announcement.title}
    pdf.document_info(doc, title=title, subject=_("招聘统计"))
    now = timezone.localtime()
    story: list = [
        pdf.para(title, styles["title"]),
        pdf.para(
            _("招聘单位：%(organiser)s　统计时间：%(at)s")
            % {"organiser": announcement.organiser, "at": now.strftime("%Y-%m-%d %H:%M")},
            styles["subtitle"],
        ),
        Spacer(1, 4 * mm),
    ]
    funnel_table = tables.funnel_table(data)
    story += _table_flowables(funnel_table, styles, widths=[60 * mm, 35 * mm, 40 * mm, 40 * mm])
    story.append(Spacer(1, 3 * mm))
    story += _table_flowables(tables.daily_table(data), styles, widths=[40 * mm, 40 * mm, 40 * mm])
    story.append(PageBreak())
    positions = tables.positions_table(data)
    widths = [
        18 * mm,
        40 * mm,
        20 * mm,
        18 * mm,
        18 * mm,
        18 * mm,
        30 * mm,
        18 * mm,
        22 * mm,
        24 * mm,
        22 * mm,
        14 * mm,
    ]
    story += _table_flowables(positions, styles, widths=widths)
    story.append(Spacer(1, 4 * mm))
    story += _table_flowables(hires_table(announcement), styles)
    doc.build(story, canvasmaker=pdf.numbered_canvas(announcement.title[:60]))
    return buffer.getvalue()


def simple_pdf(*, title: str, blocks: list[tuple[str, str]], footer: str = "") -> bytes:
    """A plain document: a title, then (heading, text) blocks (an announcement and its corrections)."""
    styles = pdf.styles()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=15 * mm, bottomMargin=18 * mm
    )
    pdf.document_info(doc, title=title)
    story: list = [pdf.para(title, styles["title"]), Spacer(1, 3 * mm)]
    for heading, text in blocks:
        if heading:
            story.append(pdf.para(heading, styles["heading"]))
        for paragraph in (text or "").split("\n\n"):
            if paragraph.strip():
                story.append(pdf.para(paragraph.strip(), styles["body"]))
                story.append(Spacer(1, 1.5 * mm))
    doc.build(story, canvasmaker=pdf.numbered_canvas(footer[:60]))
    return buffer.getvalue()
