"""The exam documents (exams/documents.py): admission ticket, sign-in sheet, seating chart.

Checked as a reader would: the text extracted from the PDF (pypdf), the embedded font
(pdffonts), a page rendered to PNG (pdftoppm) under var/test-artifacts/ for a person to look
at, the size of a ticket, and the QR code decoded back from the rendered page with the same
jsQR the check-in page uses (where node is installed)."""

import dataclasses
import json
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from exams import documents
from exams.documents import RoomSheet, RoomSheetRow, SessionLine, TicketData
from exams.tokens import read_ticket_token, ticket_token
from portal import pdf
from tests.pdf_helpers import id_photo, pdf_fonts, pdf_pages_text, pdf_text, save_png

BEIJING = ZoneInfo("Asia/Shanghai")
RULES = """# 考生须知
1. 考生须凭本人准考证和有效居民身份证进入考场，两证缺一不得参加考试。
2. 开考 30 分钟后不得入场；考试结束前不得交卷离场。
3. 考生只准携带黑色字迹签字笔、2B 铅笔、橡皮；手机等通讯工具须关机后放在指定位置。
- 严禁**抄袭**、交头接耳、传递物品。
"""
NAMES = [
    "王小明",
    "李娜",
    "张伟",
    "刘洋",
    "陈静",
    "杨帆",
    "赵磊",
    "黄丽",
    "周杰",
    "吴敏",
    "徐强",
    "孙悦",
    "马超",
    "朱琳",
    "胡斌",
    "郭婷",
    "何勇",
    "林芳",
    "罗刚",
    "高洁",
    "欧阳晓雯",
    "梁宇",
    "宋佳",
    "郑浩",
    "谢婷婷",
    "韩雪",
    "唐亮",
    "冯瑶",
    "于洋",
    "董倩",
]


def session(**kwargs):
    values = {
        "subject": "综合知识",
        "starts_at": datetime(2026, 12, 12, 9, 0, tzinfo=BEIJING),
        "ends_at": datetime(2026, 12, 12, 11, 0, tzinfo=BEIJING),
    }
    return SessionLine(**{**values, **kwargs})


def ticket(**kwargs):
    values = {
        "announcement_title": "2026年和平区公开招聘社区工作者公告",
        "candidate_name": "买买提·艾力",
        "id_number": "110101199003074514",
        "ticket_number": "10101010203",
        "position_label": "A01 社区综合服务岗（和平街道）",
        "sessions": (session(),),
        "venue_name": "和平区第一中学",
        "venue_address": "和平区南京路118号",
        "venue_directions": "地铁1号线南京路站B出口步行300米",
        "room_number": "02",
        "seat_number": "03",
        "rules_text": RULES,
        "photo": id_photo(),
        "qr_payload": ticket_token(announcement_id=12, ticket_number="10101010203"),
        "entry_cutoff_minutes": 30,
    }
    return TicketData(**{**values, **kwargs})


def room(count=30, **kwargs):
    rows = tuple(
        RoomSheetRow(
            seat_number=f"{i + 1:02d}",
            ticket_number=f"101010102{i + 1:02d}",
            name=NAMES[i % len(NAMES)],
            id_number_masked="1101**********4514",
            position_label="A01 社区综合服务岗",
            photo=id_photo(seed=i) if i % 7 else None,
        )
        for i in range(count)
    )
    values = {
        "announcement_title": "2026年和平区公开招聘社区工作者公告",
        "session": session(),
        "venue_name": "和平区第一中学",
        "room_number": "02",
        "rows": rows,
    }
    return RoomSheet(**{**values, **kwargs})


# --- admission ticket ----------------------------------------------------------------------


def test_ticket_is_one_page_with_the_candidates_details_in_chinese():
    data = documents.render_ticket(ticket())
    pages = pdf_pages_text(data)
    assert len(pages) == 1
    text = pdf_text(data)
    for expected in (
        "准考证",
        "2026年和平区公开招聘社区工作者公告",
        "买买提·艾力",
        "110101199003074514",
        "10101010203",
        "A01社区综合服务岗（和平街道）",
        "第02考场",
        "座位号03",
        "和平区第一中学",
        "和平区南京路118号",
        "地铁1号线南京路站B出口步行300米",
        "综合知识",
        "2026年12月12日（星期六）",
        "09:00—11:00",
        "开考30分钟后不得进入考场",
        "两证缺一不得参加考试",
        "严禁抄袭",  # the Markdown emphasis marks are gone
    ):
        assert expected in text, expected
    assert "**" not in text
    assert text.count("考生须知") == 1  # the rules' own heading is not printed twice
    assert "照片缺失" not in text


def test_ticket_embeds_a_subset_of_a_truetype_cjk_font(tmp_path):
    fonts = pdf_fonts(documents.render_ticket(ticket()), tmp_path)
    cjk = [
        row
        for row in fonts
        if "WenQuanYi" in row[0] or row[0].split("+")[-1].startswith(("WenQuanYi", "Droid", "AR"))
    ]
    assert cjk, fonts
    for row in cjk:
        assert "+" in row[0]  # subset prefix, e.g. AAAAAA+WenQuanYiZenHei-0
        assert row[1] == "TrueType"
        assert row[-5:-2] == ["yes", "yes", "yes"]  # embedded, subset, with a Unicode map


def test_ticket_size_with_a_photo(capsys):
    photo = id_photo()
    data = documents.render_ticket(ticket(photo=photo))
    with capsys.disabled():
        print(f"\n[admission ticket] {len(data) / 1024:.1f} KB with a {len(photo) / 1024:.1f} KB photo")
    assert len(data) < 150 * 1024


def test_a_large_photo_is_scaled_down_so_the_ticket_stays_small():
    big = id_photo(size=(1200, 1680), quality=95)
    assert len(big) > 300 * 1024
    data = documents.render_ticket(ticket(photo=big))
    assert len(data) < 150 * 1024


def test_ticket_page_rendered_to_png_for_a_look():
    path = save_png(documents.render_ticket(ticket()), "exam-ticket", dpi=100)
    assert path.stat().st_size > 20_000
    # A4 at 100 dpi: 210 mm = 8.27 in → 827 px; 297 mm = 11.69 in → 1169.3, rounded up to 1170
    from PIL import Image

    with Image.open(path) as image:
        assert image.size == (827, 1170)


def test_ticket_without_photo_says_so():
    data = documents.render_ticket(ticket(photo=None))
    text = pdf_text(data)
    assert "照片缺失，请携带近期一寸免冠照片" in text
    save_png(data, "exam-ticket-no-photo", dpi=100)


def test_ticket_with_an_unreadable_photo_says_it_is_missing():
    text = pdf_text(documents.render_ticket(ticket(photo=b"not a jpeg")))
    assert "照片缺失" in text


def test_ticket_times_are_beijing_time_whatever_the_input_zone():
    # 01:00 UTC = 09:00 Beijing (UTC+8); 03:30 UTC = 11:30
    line = session(
        starts_at=datetime(2026, 12, 12, 1, 0, tzinfo=UTC), ends_at=datetime(2026, 12, 12, 3, 30, tzinfo=UTC)
    )
    text = pdf_text(documents.render_ticket(ticket(sessions=(line,))))
    assert "09:00—11:30" in text


def test_ticket_lists_several_sessions():
    parts = (
        session(subject="公共基础知识"),
        session(
            subject="社区工作实务",
            starts_at=datetime(2026, 12, 12, 14, 0, tzinfo=BEIJING),
            ends_at=datetime(2026, 12, 12, 16, 0, tzinfo=BEIJING),
        ),
    )
    text = pdf_text(documents.render_ticket(ticket(sessions=parts)))
    assert "公共基础知识" in text and "09:00—11:00" in text
    assert "社区工作实务" in text and "14:00—16:00" in text


def test_long_rules_shrink_onto_one_page():
    rules = "\n".join(
        f"{i}. 考生应当自觉遵守考场纪律，服从监考人员的管理和指挥，不得以任何理由妨碍监考人员正常工作。"
        for i in range(1, 60)
    )
    data = documents.render_ticket(ticket(rules_text=rules))
    assert len(pdf_pages_text(data)) == 1
    assert "59.考生应当自觉遵守考场纪律" in pdf_text(data)


def test_ticket_text_is_escaped_not_markup():
    data = documents.render_ticket(ticket(candidate_name="<b>张&三</b>", venue_directions="A & B <br/>"))
    text = pdf_text(data)
    assert "<b>张&三</b>" in text
    assert "A&B<br/>" in text


def test_the_printed_qr_code_reads_back_to_the_ticket(tmp_path):
    """The QR code on the rendered page, decoded by the vendored jsQR (the check-in page's
    reader), gives the token, which verifies to the ticket."""
    token = ticket_token(announcement_id=12, ticket_number="10101010203")
    data = documents.render_ticket(ticket(qr_payload=token))
    pgm = save_png(data, "exam-ticket-qr", dpi=150, gray=True)
    node = shutil.which("node")
    if node is None:  # CI has no node: the QR matrix is checked by segno's own encoder instead
        qr = pdf.QrCode(token)
        assert qr.qr.designator in {"4-M", "5-M", "6-M"}
        return
    script = tmp_path / "decode.js"
    jsqr = Path(settings.BASE_DIR) / "static" / "vendor" / "jsqr" / "jsQR.js"
    script.write_text(
        """
const fs = require("fs");
const jsQR = require(process.argv[2]);
const buf = fs.readFileSync(process.argv[3]);
// binary PGM (P5): header "P5 <w> <h> <max>" then one byte a pixel
let pos = 0; const fields = [];
while (fields.length < 4) {
  while (/\\s/.test(String.fromCharCode(buf[pos]))) pos++;
  let start = pos; while (!/\\s/.test(String.fromCharCode(buf[pos]))) pos++;
  fields.push(buf.toString("ascii", start, pos));
}
pos++;
const [w, h] = [parseInt(fields[1]), parseInt(fields[2])];
const rgba = new Uint8ClampedArray(w * h * 4);
for (let i = 0; i < w * h; i++) { const v = buf[pos + i]; rgba.set([v, v, v, 255], i * 4); }
const code = jsQR(rgba, w, h);
process.stdout.write(JSON.stringify(code ? code.data : null));
"""
    )
    out = subprocess.run(
        [node, str(script), str(jsqr), str(pgm)], capture_output=True, text=True, timeout=60, check=True
    )
    decoded = json.loads(out.stdout)
    assert decoded == token
    assert read_ticket_token(decoded) == (12, "10101010203")


def test_same_data_same_bytes():
    data = ticket()
    assert documents.render_ticket(data) == documents.render_ticket(dataclasses.replace(data))


# --- sign-in sheet and seating chart -------------------------------------------------------


def test_sign_in_sheet_lists_every_candidate_with_header_and_page_numbers_on_each_page():
    data = documents.render_sign_in_sheet(room(30))
    pages = ["".join(text.split()) for text in pdf_pages_text(data)]
    # 10 rows of 25 mm fit on a page (height 297 − 15 − 37 − 15 mm): 30 rows → 3 pages of
    # rows, the counts and signatures spill onto a 4th page or fit on the 3rd
    assert 3 <= len(pages) <= 4
    for number, text in enumerate(pages, start=1):
        assert "考场签到表" in text
        assert "和平区第一中学第02考场综合知识" in text
        assert f"第{number}页/共{len(pages)}页" in text
    for text in pages[:3]:
        assert "座位号" in text and "考生签名" in text  # the column header repeats
    everything = "".join(pages)
    for i, name in enumerate(NAMES):
        assert f"{i + 1:02d}101010102{i + 1:02d}{name}" in everything
    assert "1101**********4514" in everything
    assert "应到30人" in everything
    assert "无照片" in everything  # rows 1, 8, 15 … have no photo
    save_png(data, "exam-sign-in-sheet", dpi=100)


def test_sign_in_sheet_in_seat_order():
    sheet = room(3)
    shuffled = dataclasses.replace(sheet, rows=(sheet.rows[2], sheet.rows[0], sheet.rows[1]))
    text = pdf_text(documents.render_sign_in_sheet(shuffled))
    assert text.index("10101010201") < text.index("10101010202") < text.index("10101010203")


def test_seating_chart_is_one_page_grid_of_every_seat():
    data = documents.render_seating_chart(room(30))
    pages = pdf_pages_text(data)
    assert len(pages) == 1
    text = pdf_text(data)
    assert "座次表" in text and "讲台" in text and "第02考场" in text
    for i, name in enumerate(NAMES):
        assert f"{i + 1:02d}101010102{i + 1:02d}{name}" in text
    assert "共30人" in text
    save_png(data, "exam-seating-chart", dpi=100)


def test_seating_chart_of_a_big_room_stays_on_one_page_and_shows_empty_seats():
    # 45 seats: 6 columns (31–48 seats) × ceil(45 / 6) = 8 rows; seat 07 left empty
    rows = tuple(row for row in room(45).rows if row.seat_number != "07")
    data = documents.render_seating_chart(room(45, rows=rows))
    assert len(pdf_pages_text(data)) == 1
    text = pdf_text(data)
    assert "07（空）" in text
    assert "共44人" in text


def test_empty_room_renders():
    assert len(pdf_pages_text(documents.render_seating_chart(room(0)))) == 1
    assert len(pdf_pages_text(documents.render_sign_in_sheet(room(0)))) == 1


# --- the font ----------------------------------------------------------------------------


@pytest.fixture
def no_font(monkeypatch):
    monkeypatch.setattr(pdf, "_registered", None)
    monkeypatch.setattr(pdf, "_candidates", lambda: ["/nonexistent/font.ttc"])


def test_without_a_cjk_font_the_error_names_the_debian_package(no_font):
    with pytest.raises(pdf.FontMissing) as error:
        documents.render_ticket(ticket())
    assert "fonts-wqy-zenhei" in str(error.value)
    assert "apt-get install fonts-wqy-zenhei" in str(error.value)


def test_font_missing_message_in_english(no_font):
    from django.utils import translation

    with translation.override("en"), pytest.raises(pdf.FontMissing) as error:
        pdf.cjk_font()
    assert "fonts-wqy-zenhei" in str(error.value)


@pytest.mark.parametrize(
    "path",
    [
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    ],
)
def test_fonts_reportlab_cannot_use_for_chinese_are_passed_over(path):
    """Noto CJK has CFF outlines (ReportLab cannot read them); DejaVu has no Chinese (where
    either is not installed, the missing file is passed over too)."""
    assert pdf._load(path) is None


def test_fc_match_answer_for_another_family_is_not_taken(monkeypatch):
    """fc-match always names some font; one of another family is not ours."""

    class Done:
        stdout = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf\nDejaVu Sans"

    monkeypatch.setattr(pdf.subprocess, "run", lambda *a, **k: Done())
    monkeypatch.setattr(pdf.shutil, "which", lambda name: "/usr/bin/fc-match")
    assert pdf._fc_match("WenQuanYi Zen Hei") is None
