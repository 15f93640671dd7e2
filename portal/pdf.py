"""PDF building blocks shared by every printable document (准考证, 签到表, 座次表, 报名登记表).

Chinese must print on any computer, so the PDF embeds a CJK TrueType font instead of
naming one the reader may lack (ReportLab's ``UnicodeCIDFont("STSong-Light")`` embeds
nothing). ReportLab reads TrueType outlines only: Debian's ``fonts-wqy-zenhei`` works;
Noto CJK (OpenType/CFF) does not. ReportLab embeds only the glyphs a document uses (a
subset), so a one-page document stays small.

The font is parsed and registered once per process, when the process starts: portal/wsgi.py
calls ``preload_font()`` (about 0.3–1 s for the 17 MB wqy-zenhei.ttc), so no applicant's
request pays it; elsewhere (tests, Celery, commands) the first PDF does. It is found by:
``PDF_CJK_FONT`` (a setting or environment variable
naming a .ttf/.ttc file) if set, then what ``fc-match`` finds for WenQuanYi Zen Hei, then
the known Debian paths. Nothing found: ``FontMissing``, whose message names the package.
"""

from __future__ import annotations

import io
import logging
import os
import shutil
import subprocess
import threading
from pathlib import Path
from xml.sax.saxutils import escape

import segno
from django.conf import settings
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from PIL import Image
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import Flowable, Paragraph

logger = logging.getLogger(__name__)

# Binary streams as they are: ASCII85 would make every embedded photo and font a quarter
# larger (a setting of the process; the portal's PDFs are all made through this module).
rl_config.useA85 = 0

FONT_NAME = "PortalCJK"
DEBIAN_PACKAGE = "fonts-wqy-zenhei"
FC_FAMILIES = ("WenQuanYi Zen Hei", "WenQuanYi Micro Hei")
KNOWN_PATHS = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)
_PROBE = "中"  # a font without this glyph is no CJK font

_lock = threading.Lock()
_registered: str | None = None


class FontMissing(RuntimeError):
    """No CJK TrueType font to embed: the PDF cannot be made. ``str(error)`` is a message
    for the page (in the active language) that names the Debian package to install."""

    def __init__(self, tried: list[str] | None = None):
        self.tried = tried or []
        super().__init__(
            _(
                "服务器缺少可嵌入 PDF 的中文字体，暂时无法生成 PDF 文件。"
                "请系统管理员安装 Debian 软件包 %(package)s（apt-get install %(package)s）后重试。"
            )
            % {"package": DEBIAN_PACKAGE}
        )


def _fc_match(family: str) -> str | None:
    """The file fontconfig picks for ``family``, or None. fc-match always answers with
    some font, so the family it actually matched is checked too."""
    executable = shutil.which("fc-match")
    if not executable:
        return None
    try:
        out = subprocess.run(  # noqa: S603 - fixed arguments, family from FC_FAMILIES
            [executable, "-f", "%{file}\n%{family}", family],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    path, _sep, found = out.partition("\n")
    if not path or family.lower() not in found.lower():
        return None
    return path


def _candidates() -> list[str]:
    configured = getattr(settings, "PDF_CJK_FONT", "") or os.environ.get("PDF_CJK_FONT", "")
    paths = [configured] if configured else []
    paths += [path for family in FC_FAMILIES if (path := _fc_match(family))]
    paths += list(KNOWN_PATHS)
    return list(dict.fromkeys(paths))


def _load(path: str) -> TTFont | None:
    if not Path(path).is_file():
        return None
    try:
        # A .ttc holds several faces; the first is the regular one (WenQuanYi Zen Hei).
        font = (
            TTFont(FONT_NAME, path, subfontIndex=0)
            if path.lower().endswith(".ttc")
            else TTFont(FONT_NAME, path)
        )
    except (TTFError, OSError, ValueError) as error:  # CFF outlines (Noto CJK), broken files
        logger.info("PDF font %s not usable: %s", path, error)
        return None
    if ord(_PROBE) not in font.face.charToGlyph:
        logger.info("PDF font %s has no CJK glyphs", path)
        return None
    return font


def cjk_font() -> str:
    """Register the CJK font (once per process) and return its ReportLab name.

    Raises ``FontMissing`` when no usable font is found (tried again on the next call, so
    installing the package needs no restart)."""
    global _registered
    if _registered:
        return _registered
    with _lock:
        if _registered:
            return _registered
        tried = _candidates()
        for path in tried:
            font = _load(path)
            if font is not None:
                pdfmetrics.registerFont(font)
                logger.info("PDF font: %s", path)
                _registered = FONT_NAME
                return _registered
        raise FontMissing(tried)


def preload_font() -> bool:
    """Register the CJK font now (a web worker's start); True when it is there. Without one,
    log it and go on: the PDF pages say what is missing, and a later call tries again."""
    try:
        cjk_font()
    except FontMissing as error:
        logger.warning("PDF font not loaded at start: %s (tried %s)", error, ", ".join(error.tried))
        return False
    return True


def styles() -> dict[str, ParagraphStyle]:
    """Paragraph styles in the CJK font, CJK line breaking: title, subtitle, body, small,
    label, cell, cell_small, center."""
    font = cjk_font()

    def style(name, size, leading=None, **kw):
        return ParagraphStyle(
            name, fontName=font, fontSize=size, leading=leading or size * 1.35, wordWrap="CJK", **kw
        )

    return {
        "title": style("title", 18, 24, alignment=TA_CENTER, spaceAfter=2 * mm),
        "subtitle": style("subtitle", 11, 15, alignment=TA_CENTER, textColor=colors.HexColor("#333333")),
        "heading": style("heading", 11, 15, spaceBefore=2 * mm, spaceAfter=1 * mm),
        "body": style("body", 10, 14.5),
        "small": style("small", 8.5, 12),
        "label": style("label", 9.5, 13, textColor=colors.HexColor("#444444")),
        "cell": style("cell", 9.5, 12.5),
        "cell_small": style("cell_small", 8, 10),
        "center": style("center", 9.5, 12.5, alignment=TA_CENTER),
    }


def para(text, style: ParagraphStyle) -> Paragraph:
    """A Paragraph of plain text (escaped, newlines kept as line breaks). An ideographic
    space (U+3000, used to space out labels such as "姓　　名") is kept at its width: ReportLab
    would collapse it like any other white space; three no-break spaces are about as wide."""
    text = escape(str(text or "")).replace("\n", "<br/>").replace("\u3000", "\u00a0" * 3)
    return Paragraph(text, style)


# A photo above this size is scaled down to PHOTO_PIXELS and re-encoded before embedding
# (the portal's own ID photos, 295×413 px and usually 20–60 KB, are embedded as they are).
PHOTO_MAX_BYTES = 80 * 1024
PHOTO_PIXELS = (295, 413)  # 25×35 mm at 300 dpi


def _smaller_jpeg(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as image:
        image = image.convert("RGB")
        image.thumbnail(PHOTO_PIXELS)
        out = io.BytesIO()
        image.save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue()


def image_reader(data: bytes | None) -> ImageReader | None:
    """An ImageReader for JPEG/PNG bytes, or None when there are none or they cannot be
    read. A JPEG up to PHOTO_MAX_BYTES is embedded as it is (no re-encoding); a larger
    image is scaled to PHOTO_PIXELS first, so a document stays small."""
    if not data:
        return None
    try:
        if len(data) > PHOTO_MAX_BYTES:
            data = _smaller_jpeg(data)
        reader = ImageReader(io.BytesIO(data))
        reader.getSize()
    except Exception:  # noqa: BLE001 - Pillow raises many kinds for a broken file
        logger.warning("PDF: an image could not be read (%d bytes)", len(data))
        return None
    return reader


class PhotoBox(Flowable):
    """A 1-inch ID photo (25×35 mm by default), or, without one, a framed box saying what is
    missing (``missing_text``)."""

    def __init__(self, photo: bytes | None, *, width=25 * mm, height=35 * mm, missing_text: str = ""):
        super().__init__()
        self.reader = image_reader(photo)
        self.width, self.height = width, height
        self.missing_text = missing_text

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def draw(self):
        c = self.canv
        if self.reader is not None:
            c.drawImage(self.reader, 0, 0, self.width, self.height, preserveAspectRatio=True, anchor="c")
            c.setStrokeColor(colors.HexColor("#999999"))
            c.setLineWidth(0.5)
            c.rect(0, 0, self.width, self.height)
            return
        c.setStrokeColor(colors.HexColor("#b02a37"))
        c.setDash(3, 2)
        c.setLineWidth(0.8)
        c.rect(0, 0, self.width, self.height)
        c.setDash()
        text = Paragraph(
            escape(self.missing_text),
            ParagraphStyle(
                "photo_missing",
                fontName=cjk_font(),
                fontSize=8,
                leading=11,
                alignment=TA_CENTER,
                wordWrap="CJK",
                textColor=colors.HexColor("#b02a37"),
            ),
        )
        pad = 2 * mm
        _w, h = text.wrap(self.width - 2 * pad, self.height)
        text.drawOn(c, pad, (self.height - h) / 2)


class QrCode(Flowable):
    """A QR code of ``payload`` (segno, error level M, 4-module quiet zone), drawn as vector
    rectangles: sharp at any print size and a few kilobytes in the PDF."""

    def __init__(self, payload: str, *, size=32 * mm, error: str = "m"):
        super().__init__()
        self.qr = segno.make(payload, error=error, micro=False, boost_error=False)
        self.size = size

    def wrap(self, available_width, available_height):
        return self.size, self.size

    def draw(self):
        c = self.canv
        rows = [list(row) for row in self.qr.matrix_iter(scale=1, border=4)]
        module = self.size / len(rows)
        c.setFillColor(colors.white)
        c.rect(0, 0, self.size, self.size, stroke=0, fill=1)
        c.setFillColor(colors.black)
        path = c.beginPath()
        for y, row in enumerate(rows):
            x = 0
            while x < len(row):
                if row[x]:
                    start = x
                    while x < len(row) and row[x]:
                        x += 1
                    # one rectangle per horizontal run of dark modules, top row first
                    path.rect(start * module, self.size - (y + 1) * module, (x - start) * module, module)
                else:
                    x += 1
        c.drawPath(path, stroke=0, fill=1)


def numbered_canvas(footer_left: str = ""):
    """A canvas class for ``doc.build(..., canvasmaker=...)`` that writes "第 n 页 / 共 m 页"
    (and ``footer_left``) at the foot of every page once the page count is known."""
    font = cjk_font()

    class NumberedCanvas(pdfcanvas.Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._saved_pages = []

        def showPage(self):
            self._saved_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._saved_pages)
            for state in self._saved_pages:
                self.__dict__.update(state)
                width, _height = self._pagesize
                self.setFont(font, 8.5)
                self.setFillColor(colors.HexColor("#555555"))
                self.drawRightString(
                    width - 15 * mm,
                    9 * mm,
                    _("第 %(page)s 页 / 共 %(total)s 页") % {"page": self._pageNumber, "total": total},
                )
                if footer_left:
                    self.drawString(15 * mm, 9 * mm, footer_left)
                super().showPage()
            super().save()

    return NumberedCanvas


def document_info(doc, *, title: str, subject: str = "") -> None:
    """Metadata every PDF of the portal carries (title shown by the reader, author)."""
    doc.title = title
    doc.author = _("社区工作者招聘平台")
    doc.subject = subject
    doc.creator = "ReportLab"


def pdf_response(data: bytes, filename: str, *, attachment: bool = False) -> HttpResponse:
    """PDF bytes as a private response: shown in the browser (or downloaded with
    ``attachment``) under ``filename`` (Chinese allowed), never cached by a shared cache."""
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(attachment, filename)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
