"""Checking uploaded files by their content, never by their name.

The photo must be a real JPEG (sniffed with `filetype`, then decoded by Pillow) of about
the registration size (1寸, 295×413 px), turned upright by its EXIF orientation, scaled
down when a phone sends it larger; it is re-encoded from its pixels, which drops EXIF, the
JPEG comment and anything hidden in it. A file declaring more pixels than
APPLICANT_IMAGE_MAX_PIXELS is refused as damaged before it is decoded.
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
from PIL import Image, ImageOps, UnidentifiedImageError

DOCUMENT_TYPES = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
EXTENSIONS = {"pdf": {"pdf"}, "jpg": {"jpg", "jpeg"}, "png": {"png"}}


def photo_settings() -> dict:
    """The photo rules (settings, with the 1-inch defaults): `width` × `height` px (1寸,
    25×35 mm at 300 dpi = 295×413), `tolerance` (share each way a size may differ and still
    be kept as it is), `aspect_tolerance` (share the width/height ratio may differ for a
    larger photo to be scaled down rather than refused), `max_bytes` (the stored photo),
    `upload_max_bytes` (the file a phone sends, before it is scaled and re-encoded),
    `max_pixels` (beyond it a file is not opened: decompression bombs)."""
    return {
        "width": getattr(settings, "APPLICANT_PHOTO_WIDTH", 295),
        "height": getattr(settings, "APPLICANT_PHOTO_HEIGHT", 413),
        "tolerance": getattr(settings, "APPLICANT_PHOTO_TOLERANCE", 0.2),
        "aspect_tolerance": getattr(settings, "APPLICANT_PHOTO_ASPECT_TOLERANCE", 0.05),
        "max_bytes": getattr(settings, "APPLICANT_PHOTO_MAX_BYTES", 200 * 1024),
        "upload_max_bytes": getattr(settings, "APPLICANT_PHOTO_UPLOAD_MAX_BYTES", 10 * 1024 * 1024),
        "max_pixels": getattr(settings, "APPLICANT_IMAGE_MAX_PIXELS", 50_000_000),
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


class _TooManyPixels(Exception):
    pass


def _open_image(data: bytes, max_pixels: int) -> Image.Image:
    """Decode `data` fully, refusing a header that declares more than `max_pixels` before any
    pixel is decoded (a 20000×20000 PNG of a few KB would need 1.2 GB). Raises
    _TooManyPixels, or Pillow's errors for a damaged file."""
    with Image.open(io.BytesIO(data)) as probe:
        if probe.width * probe.height > max_pixels:
            raise _TooManyPixels
        probe.verify()
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


# What Pillow raises for a file it cannot decode, a truncated one, or one whose size
# exceeds its own decompression-bomb guard (an Exception, not an OSError).
_BROKEN = (
    UnidentifiedImageError,
    OSError,
    SyntaxError,
    ValueError,
    Image.DecompressionBombError,
    _TooManyPixels,
)
# Lowest JPEG quality tried to bring a photo under the size limit.
_QUALITIES = (90, 85, 80, 75, 70, 65, 60)


def _within(value: int, target: int, tolerance: float) -> bool:
    return target * (1 - tolerance) <= value <= target * (1 + tolerance)


def check_photo(upload) -> CheckedFile:
    """Check an uploaded ID photo and return it re-encoded.

    Steps: the upload's size (≤ upload_max_bytes); JPEG by content; decoded within
    max_pixels; turned upright by its EXIF orientation (phones store the sensor's pixels and
    a rotation tag) before it is measured; kept as it is within ±tolerance of width×height,
    scaled down to width×height when larger with the same proportions (±aspect_tolerance),
    refused otherwise; re-encoded from its pixels alone (no EXIF, ICC, XMP or comment
    segment survives) at the highest quality that fits max_bytes. Raises ValidationError
    with code photo_size, photo_type, photo_broken or photo_dimensions."""
    limits = photo_settings()
    requirement = _(
        "证件照要求：1寸（约 %(width)s×%(height)s 像素）JPEG 图片，不超过 %(max_kb)s KB；"
        "比例相同的大尺寸照片会自动缩小。"
    ) % {"width": limits["width"], "height": limits["height"], "max_kb": _kb(limits["max_bytes"])}
    if upload.size > limits["upload_max_bytes"]:
        raise ValidationError(
            _("照片大小为 %(size)s KB，超过了 %(max_kb)s KB。")
            % {"size": _kb(upload.size), "max_kb": _kb(limits["upload_max_bytes"])}
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
        image = _open_image(data, limits["max_pixels"])
        if image.format != "JPEG":
            raise ValidationError(
                _("上传的文件不是 JPEG 图片（以文件内容判断，与文件名无关）。") + requirement,
                code="photo_type",
            )
        image = ImageOps.exif_transpose(image)  # upright before measuring
    except _BROKEN:
        raise ValidationError(_("照片文件已损坏，无法打开。") + requirement, code="photo_broken")
    width, height = image.size
    target = (limits["width"], limits["height"])
    fits = _within(width, target[0], limits["tolerance"]) and _within(height, target[1], limits["tolerance"])
    larger = width > target[0] and height > target[1]
    same_shape = abs((width / height) / (target[0] / target[1]) - 1) <= limits["aspect_tolerance"]
    if not fits and not (larger and same_shape):
        raise ValidationError(
            _("照片尺寸为 %(width)s×%(height)s 像素，大小 %(size)s KB，不符合要求。")
            % {"width": width, "height": height, "size": _kb(upload.size)}
            + requirement,
            code="photo_dimensions",
        )
    if not fits:
        image = image.resize(target, Image.Resampling.LANCZOS)
    # A new image holding the pixels only: Pillow would write back a comment kept in
    # image.info, and exif_transpose may leave XMP there.
    clean = Image.new("RGB", image.size)
    clean.paste(image.convert("RGB"))
    for quality in _QUALITIES:
        buffer = io.BytesIO()
        clean.save(buffer, "JPEG", quality=quality, optimize=True)
        out = buffer.getvalue()
        if len(out) <= limits["max_bytes"]:
            return CheckedFile(ContentFile(out, name=f"{uuid.uuid4().hex}.jpg"), "image/jpeg", len(out))
    raise ValidationError(
        _("照片大小为 %(size)s KB，超过了 %(max_kb)s KB。")
        % {"size": _kb(len(out)), "max_kb": _kb(limits["max_bytes"])}
        + requirement,
        code="photo_size",
    )


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
            _open_image(data, photo_settings()["max_pixels"])
        except _BROKEN:
            raise ValidationError(_("图片文件已损坏，无法打开。"), code="document_broken")
    return CheckedFile(ContentFile(data, name=f"{uuid.uuid4().hex}.{extension}"), kind.mime, len(data))
