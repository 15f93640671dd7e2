"""The written exam's printed documents, as PDF bytes: the admission ticket (准考证), the
room's sign-in sheet (考场签到表) and its seating chart (座次表).

Pure: plain frozen dataclasses in, bytes out; no database, no request, no models, so pages,
Celery tasks and benchmarks call them alike and this module imports whether or not the
exams app is installed. The texts are Chinese (the documents are official papers of a
Chinese recruitment): labels go through gettext with zh-hans active. The CJK font, styles,
photo box and QR code come from ``portal.pdf``; every renderer raises
``portal.pdf.FontMissing`` when the server has no CJK TrueType font.

Times are aware datetimes, printed in Beijing time (Asia/Shanghai) whatever the server's
zone. Rules and layout: ../shared/DOMAIN-RULES.md §2.1 (ticket and ID card required,
entry closes N minutes after the start, 30 seats a room).
"""

from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepInFrame,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from portal import pdf

BEIJING = ZoneInfo("Asia/Shanghai")
MARGIN = 15 * mm
GRID = colors.HexColor("#555555")
SHADE = colors.HexColor("#eef1f5")


@dataclass(frozen=True)
class SessionLine:
    """One exam session (场次): ``subject`` text; ``starts_at``/``ends_at`` aware datetimes."""

    subject: str
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class TicketData:
    """Everything printed on one admission ticket. ``photo``: the submitted ID photo as JPEG
    or PNG bytes, None when the snapshot has none (the ticket then says so). ``qr_payload``:
    the text of the QR code (``exams.tokens.ticket_token``). ``rules_text``: the candidates'
    rules (考生须知) as plain text or simple Markdown (paragraphs, ``-``/``1.`` lists)."""

    announcement_title: str
    candidate_name: str
    id_number: str
    ticket_number: str
    position_label: str
    sessions: tuple[SessionLine, ...]
    venue_name: str
    venue_address: str
    venue_directions: str
    room_number: str
    seat_number: str
    rules_text: str
    photo: bytes | None
    qr_payload: str
    entry_cutoff_minutes: int


@dataclass(frozen=True)
class RoomSheetRow:
    """One seated candidate on a room's sheets; ``id_number_masked`` as lists show it."""

    seat_number: str
    ticket_number: str
    name: str
    id_number_masked: str
    position_label: str
    photo: bytes | None


@dataclass(frozen=True)
class RoomSheet:
    """One room in one session: the sign-in sheet and the seating chart are made from it."""

    announcement_title: str
    session: SessionLine
    venue_name: str
    room_number: str
    rows: tuple[RoomSheetRow, ...]


# --- formatting ---------------------------------------------------------------------------


def _weekday(value: datetime) -> str:
    names = (_("星期一"), _("星期二"), _("星期三"), _("星期四"), _("星期五"), _("星期六"), _("星期日"))
    return names[value.weekday()]


def _date(value: datetime) -> str:
    return _("%(y)d年%(m)d月%(d)d日") % {"y": value.year, "m": value.month, "d": value.day}


def session_when(session: SessionLine) -> tuple[str, str]:
    """(date with weekday, "HH:MM—HH:MM") in Beijing time; an end on another day keeps its date."""
    start = session.starts_at.astimezone(BEIJING)
    end = session.ends_at.astimezone(BEIJING)
    day = f"{_date(start)}（{_weekday(start)}）"
    if end.date() == start.date():
        return day, f"{start:%H:%M}—{end:%H:%M}"
    return day, f"{start:%H:%M}—{_date(end)} {end:%H:%M}"


_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,2}[.、)])\s+")
_HEADING = re.compile(r"^\s*#{1,6}\s*")
_EMPHASIS = re.compile(r"(\*\*|__|`)")


def rules_paragraphs(text: str) -> list[str]:
    """The candidates' rules as printable lines: blank lines dropped, Markdown headings and
    emphasis marks removed, list items kept with their number (or a bullet)."""
    lines = []
    for raw in (text or "").replace("\r\n", "\n").split("\n"):
        line = _EMPHASIS.sub("", _HEADING.sub("", raw)).strip()
        if not line:
            continue
        if raw.lstrip()[:1] in "-*+" and _LIST_ITEM.match(raw):
            line = "● " + _LIST_ITEM.sub("", raw).strip()
            line = _EMPHASIS.sub("", line)
        lines.append(line)
    return lines


def _build(
    flowables, *, title: str, subject: str, pagesize=A4, canvasmaker=None, on_page=None, top=MARGIN
) -> bytes:
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=top,
        bottomMargin=MARGIN,
        invariant=True,  # same input, same bytes (no creation date or random id)
    )
    pdf.document_info(doc, title=title, subject=subject)
    kwargs = {}
    if canvasmaker is not None:
        kwargs["canvasmaker"] = canvasmaker
    if on_page is not None:
        kwargs["onFirstPage"] = kwargs["onLaterPages"] = on_page
    doc.build(flowables, **kwargs)
    return buffer.getvalue()


def _frame_size(pagesize=A4, top=MARGIN):
    width, height = pagesize
    # SimpleDocTemplate's frame has 6 pt padding on each side
    return width - 2 * MARGIN - 12, height - top - MARGIN - 12


# --- admission ticket ---------------------------------------------------------------------


def render_ticket(data: TicketData) -> bytes:
    """One A4 page: the admission ticket (准考证) of one candidate.

    Shows the announcement, photo (or a box saying it is missing and what to bring), name,
    ID number, ticket number, position, every session's date and times, venue, address and
    directions, room, seat, the QR code of ``data.qr_payload``, the entry cut-off and the
    candidates' rules. Long rules shrink the page's content rather than spill onto a second
    page. Raises ``portal.pdf.FontMissing`` without a CJK font.
    """
    with translation.override("zh-hans"):
        return _render_ticket(data)


def _render_ticket(data: TicketData) -> bytes:
    s = pdf.styles()
    width, height = _frame_size()
    story = [
        pdf.para(data.announcement_title, s["subtitle"]),
        Spacer(1, 1.5 * mm),
        pdf.para(_("准 考 证"), s["title"]),
        Spacer(1, 2 * mm),
    ]

    value = s["body"]
    strong = s["body"].clone("strong", fontSize=13, leading=16)
    info = [
        (_("姓　　名"), pdf.para(data.candidate_name, strong)),
        (_("身份证号"), pdf.para(data.id_number, value)),
        (_("准考证号"), pdf.para(data.ticket_number, strong)),
        (_("报考岗位"), pdf.para(data.position_label, value)),
        (_("考　　点"), pdf.para(data.venue_name, value)),
        (_("考点地址"), pdf.para(data.venue_address, value)),
        (_("考　　场"), pdf.para(_("第 %(room)s 考场") % {"room": data.room_number}, strong)),
        (_("座位号"), pdf.para(data.seat_number, strong)),
    ]
    side_width = 42 * mm
    label_width = 22 * mm
    info_table = Table(
        [[pdf.para(label, s["label"]), cell] for label, cell in info],
        colWidths=[label_width, width - side_width - label_width],
        style=TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, GRID),
                ("BACKGROUND", (0, 0), (0, -1), SHADE),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 3.2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4.2),
            ]
        ),
    )
    photo = pdf.PhotoBox(data.photo, missing_text=_("照片缺失，请携带近期一寸免冠照片"))
    qr = pdf.QrCode(data.qr_payload, size=32 * mm)
    side = Table(
        [[photo], [Spacer(1, 2 * mm)], [qr], [pdf.para(_("入场核验二维码"), s["center"])]],
        colWidths=[side_width],
        style=TableStyle(
            [
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        ),
    )
    story.append(
        Table(
            [[info_table, side]],
            colWidths=[width - side_width, side_width],
            style=TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ]
            ),
        )
    )

    story += [Spacer(1, 4 * mm), pdf.para(_("考试安排"), s["heading"])]
    rows = [
        [pdf.para(_("科目"), s["label"]), pdf.para(_("日期"), s["label"]), pdf.para(_("时间"), s["label"])]
    ]
    for session in data.sessions:
        day, hours = session_when(session)
        rows.append([pdf.para(session.subject, value), pdf.para(day, value), pdf.para(hours, value)])
    if len(rows) == 1:
        rows.append([pdf.para(_("考试时间另行通知"), value), "", ""])
    story.append(
        Table(
            rows,
            colWidths=[width * 0.42, width * 0.33, width * 0.25],
            repeatRows=1,
            style=TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.5, GRID),
                    ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("TOPPADDING", (0, 0), (-1, -1), 3),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ]
            ),
        )
    )
    cutoff = pdf.para(
        _("开考 %(minutes)s 分钟后不得进入考场，视为缺考。请携带本准考证和本人有效居民身份证，提前到达考点。")
        % {"minutes": data.entry_cutoff_minutes},
        s["body"].clone("cutoff", textColor=colors.HexColor("#b02a37")),
    )
    story += [Spacer(1, 2.5 * mm), cutoff]
    if data.venue_directions:
        story += [
            Spacer(1, 2 * mm),
            pdf.para(_("交通指引：%(text)s") % {"text": data.venue_directions}, s["body"]),
        ]

    lines = rules_paragraphs(data.rules_text)
    if lines and lines[0].replace(" ", "") == _("考生须知"):
        lines = lines[1:]  # the rules' own heading: printed once, below
    if lines:
        story += [Spacer(1, 3 * mm), pdf.para(_("考生须知"), s["heading"])]
        story += [pdf.para(line, s["small"].clone("rule", spaceAfter=1.2)) for line in lines]
    story += [
        Spacer(1, 4 * mm),
        pdf.para(
            _("本准考证须保持完整清晰，不得涂改；准考证号、考场、座位号以本证为准。"),
            s["small"].clone("foot", textColor=colors.HexColor("#555555")),
        ),
    ]
    page = KeepInFrame(width, height, story, mode="shrink")
    return _build(
        [page],
        title=_("准考证 %(number)s") % {"number": data.ticket_number},
        subject=data.announcement_title,
    )


# --- room sheets ----------------------------------------------------------------------------


def _room_header(sheet: RoomSheet, title: str):
    """Draws the document's heading on every page (a page torn off still says which room)."""
    font = pdf.cjk_font()
    day, hours = session_when(sheet.session)
    line = _("%(venue)s　第 %(room)s 考场　%(subject)s　%(day)s %(hours)s") % {
        "venue": sheet.venue_name,
        "room": sheet.room_number,
        "subject": sheet.session.subject,
        "day": day,
        "hours": hours,
    }

    def on_page(canvas, doc):
        page_width, page_height = doc.pagesize
        canvas.saveState()
        canvas.setFont(font, 16)
        canvas.drawCentredString(page_width / 2, page_height - MARGIN - 6 * mm, title)
        canvas.setFont(font, 9.5)
        canvas.setFillColor(colors.HexColor("#333333"))
        canvas.drawCentredString(page_width / 2, page_height - MARGIN - 12.5 * mm, sheet.announcement_title)
        canvas.drawCentredString(page_width / 2, page_height - MARGIN - 17.5 * mm, line)
        canvas.restoreState()

    return on_page


HEADER_SPACE = MARGIN + 22 * mm


def render_sign_in_sheet(sheet: RoomSheet) -> bytes:
    """考场签到表 of one room and session, A4 portrait: a row per candidate in seat order
    (seat, ticket number, name, masked ID number, position, photo, a signature box), the
    column header repeated on every page, the room and session at the top of every page,
    "第 n 页 / 共 m 页" at the foot, and the proctors' count and signature lines at the end.
    Raises ``portal.pdf.FontMissing`` without a CJK font."""
    with translation.override("zh-hans"):
        return _render_sign_in_sheet(sheet)


def _seat_key(row: RoomSheetRow):
    return (0, int(row.seat_number), "") if row.seat_number.isdigit() else (1, 0, row.seat_number)


def _render_sign_in_sheet(sheet: RoomSheet) -> bytes:
    s = pdf.styles()
    width, _height = _frame_size(top=HEADER_SPACE)
    headers = [_("座位号"), _("准考证号"), _("姓名"), _("身份证号"), _("报考岗位"), _("照片"), _("考生签名")]
    widths = [15 * mm, 28 * mm, 20 * mm, 36 * mm, None, 20 * mm, 25 * mm]
    fixed = sum(w for w in widths if w)
    widths[4] = width - fixed
    data = [[pdf.para(h, s["center"]) for h in headers]]
    for row in sorted(sheet.rows, key=_seat_key):
        data.append(
            [
                pdf.para(row.seat_number, s["center"]),
                pdf.para(row.ticket_number, s["cell"]),
                pdf.para(row.name, s["cell"]),
                pdf.para(row.id_number_masked, s["cell_small"]),
                pdf.para(row.position_label, s["cell_small"]),
                pdf.PhotoBox(row.photo, width=15 * mm, height=21 * mm, missing_text=_("无照片")),
                "",
            ]
        )
    table = Table(
        data,
        colWidths=widths,
        repeatRows=1,
        style=TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, GRID),
                ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (5, 1), (5, -1), "CENTER"),
                ("TOPPADDING", (0, 1), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 1), (-1, -1), 2),
            ]
        ),
    )
    story = [
        table,
        Spacer(1, 6 * mm),
        pdf.para(
            _("应到 %(expected)s 人，实到 ____ 人，缺考 ____ 人。") % {"expected": len(sheet.rows)},
            s["body"],
        ),
        Spacer(1, 6 * mm),
        pdf.para(_("监考员签名：______________　______________　　日期：______________"), s["body"]),
    ]
    return _build(
        story,
        title=_("考场签到表 第 %(room)s 考场") % {"room": sheet.room_number},
        subject=sheet.announcement_title,
        canvasmaker=pdf.numbered_canvas(),
        on_page=_room_header(sheet, _("考场签到表")),
        top=HEADER_SPACE,
    )


def render_seating_chart(sheet: RoomSheet) -> bytes:
    """座次表 of one room and session, A4 portrait: a grid of seats seen from the proctor's
    desk (讲台 at the top), seat 1 at the top left, filled row by row; each cell shows the
    seat number, ticket number and name; an empty seat shows only its number. 5 columns up to
    30 seats (5 × 6), 6 up to 48, 8 beyond; the grid shrinks to stay on one page.
    Raises ``portal.pdf.FontMissing`` without a CJK font."""
    with translation.override("zh-hans"):
        return _render_seating_chart(sheet)


def _render_seating_chart(sheet: RoomSheet) -> bytes:
    s = pdf.styles()
    width, height = _frame_size(top=HEADER_SPACE)
    by_seat: dict[int, RoomSheetRow] = {}
    unnumbered = []
    for row in sheet.rows:
        if row.seat_number.isdigit() and int(row.seat_number) > 0 and int(row.seat_number) not in by_seat:
            by_seat[int(row.seat_number)] = row
        else:
            unnumbered.append(row)
    seats = max([len(sheet.rows), *by_seat.keys()]) if sheet.rows else 0
    columns = 5 if seats <= 30 else 6 if seats <= 48 else 8
    grid_rows = max(1, math.ceil(seats / columns))
    podium = Table(
        [[pdf.para(_("讲　台"), s["center"])]],
        colWidths=[60 * mm],
        style=TableStyle([("BOX", (0, 0), (-1, -1), 0.8, GRID), ("BACKGROUND", (0, 0), (-1, -1), SHADE)]),
    )
    seat_style = s["center"].clone("seat", fontSize=13, leading=16)
    free = iter(unnumbered)
    cells = []
    for r in range(grid_rows):
        line = []
        for c in range(columns):
            number = r * columns + c + 1
            if number > seats:
                line.append("")
                continue
            row = by_seat.get(number) or next(free, None)
            seat_label = f"{number:02d}"
            if row is None:
                line.append([pdf.para(seat_label, seat_style), pdf.para(_("（空）"), s["center"])])
            else:
                line.append(
                    [
                        pdf.para(row.seat_number if row.seat_number else seat_label, seat_style),
                        pdf.para(row.ticket_number, s["center"]),
                        pdf.para(row.name, s["center"].clone("name", fontSize=11.5, leading=15)),
                    ]
                )
        cells.append(line)
    cell_height = min(38 * mm, (height - 20 * mm) / grid_rows)
    grid = Table(
        cells,
        colWidths=[width / columns] * columns,
        rowHeights=[cell_height] * grid_rows,
        style=TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.6, GRID),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
            ]
        ),
    )
    story = [
        podium,
        Spacer(1, 5 * mm),
        grid,
        Spacer(1, 4 * mm),
        pdf.para(
            _("共 %(count)s 人。请考生按座位号就座，将准考证和身份证放在桌面左上角。")
            % {"count": len(sheet.rows)},
            s["small"],
        ),
    ]
    return _build(
        [KeepInFrame(width, height, story, mode="shrink")],
        title=_("座次表 第 %(room)s 考场") % {"room": sheet.room_number},
        subject=sheet.announcement_title,
        on_page=_room_header(sheet, _("座次表")),
        top=HEADER_SPACE,
    )
