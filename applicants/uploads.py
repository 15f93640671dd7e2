"""Checking uploaded files by their content, never by their name.

The photo must be a real JPEG (sniffed with `filetype`, then decoded by Pillow) of about
the registration size; it is re-encoded, which drops EXIF and anything hidden in it.
Documents must really be PDF, JPEG or PNG. Stored names are random (uuid).
"""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

DOCUMENT_TYPES = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
EXTENSIONS = {"pdf": {"pdf"}, "jpg": {"jpg", "jpeg"}, "png": {"png"}}


def photo_settings() -> dict:
    return {
        "width": getattr(settings, "APPLICANT_PHOTO_WIDTH", 295),
        "height": getattr(settings, "APPLICANT_PHOTO_HEIGHT", 413),
        "tolerance": getattr(settings, "APPLICANT_PHOTO_TOLERANCE", 0.2),
        "max_bytes": getattr(settings, "APPLICANT_PHOTO_MAX_BYTES", 200 * 1024),
    }


def document_max_bytes() -> int:
    return getattr(settings, "APPLICANT_DOCUMENT_MAX_BYTES", 5 * 1024 * 1024)


def document_max_count() -> int:
    return getattr(settings, "APPLICANT_DOCUMENT_MAX_COUNT", 10)


@dataclass
class CheckedFile:
    content: ContentFile
    content_type: str
    size: int


def _read(upload) -> bytes:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def _kb(size: int) -> str:
    return f"{size / 1024:.0f}"


def check_photo(upload) -> CheckedFile:
    limits = photo_settings()
    requirement = _("证件照要求：JPEG 格式，约 %(width)s×%(height)s 像素，不超过 %(max_kb)s KB。") % {
        "width": limits["width"],
        "height": limits["height"],
        "max_kb": _kb(limits["max_bytes"]),
    }
    if upload.size > limits["max_bytes"]:
        raise ValidationError(
            _("照片大小为 %(size)s KB，超过了 %(max_kb)s KB。")
            % {"size": _kb(upload.size), "max_kb": _kb(limits["max_bytes"])}
            + requirement,
            code="photo_size",
        )
    data = _read(upload)
    kind = filetype.guess(data[:8192])
    if kind is None or kind.mime != "image/jpeg":
        raise ValidationError(
            _("上传的文件不是 JPEG 图片（以文件内容判断，与文件名无关）。") + requirement, code="photo_type"
        )
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(_("照片文件已损坏，无法打开。") + requirement, code="photo_broken")
    if image.format != "JPEG":
        raise ValidationError(
            _("上传的文件不是 JPEG 图片（以文件内容判断，与文件名无关）。") + requirement, code="photo_type"
        )
    width, height = image.size
    tolerance = limits["tolerance"]
    if not (
        limits["width"] * (1 - tolerance) <= width <= limits["width"] * (1 + tolerance)
        and limits["height"] * (1 - tolerance) <= height <= limits["height"] * (1 + tolerance)
    ):
        raise ValidationError(
            _("照片尺寸为 %(width)s×%(height)s 像素，大小 %(size)s KB，不符合要求。")
            % {"width": width, "height": height, "size": _kb(upload.size)}
            + requirement,
            code="photo_dimensions",
        )
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "JPEG", quality=90, optimize=True)  # drops EXIF and trailing data
    out = buffer.getvalue()
    return CheckedFile(ContentFile(out, name=f"{uuid.uuid4().hex}.jpg"), "image/jpeg", len(out))


def check_document(upload) -> CheckedFile:
    max_bytes = document_max_bytes()
    if upload.size > max_bytes:
        raise ValidationError(
            _("文件大小为 %(size)s MB，超过了 %(max)s MB。")
            % {"size": f"{upload.size / 1024 / 1024:.1f}", "max": f"{max_bytes / 1024 / 1024:.0f}"},
            code="document_size",
        )
    data = _read(upload)
    kind = filetype.guess(data[:8192])
    if kind is None or kind.mime not in DOCUMENT_TYPES:
        raise ValidationError(
            _("只能上传 PDF、JPEG 或 PNG 文件（以文件内容判断，与文件名无关）。"), code="document_type"
        )
    extension = DOCUMENT_TYPES[kind.mime]
    name_extension = (upload.name or "").rsplit(".", 1)[-1].lower() if "." in (upload.name or "") else ""
    if name_extension and name_extension not in EXTENSIONS[extension]:
        raise ValidationError(
            _("文件内容是 %(actual)s，与文件名的扩展名“.%(ext)s”不符，请上传原始文件。")
            % {"actual": extension.upper(), "ext": name_extension},
            code="document_mismatch",
        )
    if extension == "pdf":
        if not data.startswith(b"%PDF-"):
            raise ValidationError(_("PDF 文件已损坏，无法打开。"), code="document_broken")
    else:
        try:
            with Image.open(io.BytesIO(data)) as probe:
                probe.verify()
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise ValidationError(_("图片文件已损坏，无法打开。"), code="document_broken")
    return CheckedFile(ContentFile(data, name=f"{uuid.uuid4().hex}.{extension}"), kind.mime, len(data))
