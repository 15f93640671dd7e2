import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from applicants.uploads import check_document, check_photo
from tests.applicants.factories import PDF_BYTES, jpeg_bytes, png_bytes


def upload(name, content, content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_a_good_photo_is_re_encoded_without_exif():
    image = Image.new("RGB", (295, 413), (200, 100, 50))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    checked = check_photo(upload("me.jpg", buffer.getvalue()))
    assert checked.content_type == "image/jpeg"
    assert checked.content.name.endswith(".jpg") and "me" not in checked.content.name
    data = checked.content.read()
    assert b"SecretCam" not in data
    assert Image.open(io.BytesIO(data)).size == (295, 413)


@pytest.mark.parametrize(
    "content",
    [b"<!doctype html><html><script>alert(1)</script></html>", PDF_BYTES, png_bytes(295, 413)],
    ids=["html", "pdf", "png"],
)
def test_a_forged_photo_is_refused_by_content(content):
    with pytest.raises(ValidationError) as error:
        check_photo(upload("photo.jpg", content))
    assert "不是 JPEG" in error.value.messages[0]


def test_photo_with_wrong_dimensions_says_what_it_is():
    with pytest.raises(ValidationError) as error:
        check_photo(upload("photo.jpg", jpeg_bytes(800, 600)))
    message = error.value.messages[0]
    assert "800×600" in message and "295×413" in message


def test_photo_dimensions_within_tolerance_pass(settings):
    kept = check_photo(upload("photo.jpg", jpeg_bytes(330, 460)))
    assert Image.open(io.BytesIO(kept.content.read())).size == (330, 460)  # within ±20 %: kept as is
    settings.APPLICANT_PHOTO_TOLERANCE = 0.05
    # Beyond ±5 % but the same shape (330/460 = 0.717 vs 295/413 = 0.714): scaled down.
    scaled = check_photo(upload("photo.jpg", jpeg_bytes(330, 460)))
    assert Image.open(io.BytesIO(scaled.content.read())).size == (295, 413)
    with pytest.raises(ValidationError):  # 330×400 = 0.825, another shape: refused
        check_photo(upload("photo.jpg", jpeg_bytes(330, 400)))


def test_photo_too_large_says_its_size(settings):
    # Stored photos ≤ 1 KB: even at the lowest quality tried a 295×413 photo is larger.
    settings.APPLICANT_PHOTO_MAX_BYTES = 1024
    with pytest.raises(ValidationError) as error:
        check_photo(upload("photo.jpg", jpeg_bytes()))
    assert "KB" in error.value.messages[0] and "超过了 1 KB" in error.value.messages[0]
    assert error.value.code == "photo_size"


def test_a_phone_sized_file_is_refused_only_beyond_the_upload_limit(settings):
    settings.APPLICANT_PHOTO_UPLOAD_MAX_BYTES = 2048
    with pytest.raises(ValidationError) as error:
        check_photo(upload("photo.jpg", jpeg_bytes(quality=100) + b"\0" * 4096))
    assert "超过了 2 KB" in error.value.messages[0]


# --- Issue 13, kind 3: photos as phones take them ------------------------------------------


def _marked_photo(width, height, **save):
    """A photo whose top-left quarter is black and the rest white, to see which way is up."""
    image = Image.new("RGB", (width, height), (255, 255, 255))
    image.paste((0, 0, 0), (0, 0, width // 2, height // 2))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=95, **save)
    return buffer.getvalue()


def _dark(image, x, y) -> bool:
    return sum(image.convert("RGB").getpixel((x, y))) < 200


def test_exif_orientation_is_applied_before_measuring_and_re_encoding():
    # The issue: a 295×413 JPEG with Orientation=3 (rotated 180°) was stored upside down.
    # Stored pixels: black at the top left; shown (rotated 180°): black at the bottom right.
    exif = Image.Exif()
    exif[0x0112] = 3
    checked = check_photo(upload("me.jpg", _marked_photo(295, 413, exif=exif)))
    stored = Image.open(io.BytesIO(checked.content.read()))
    assert stored.size == (295, 413)
    assert _dark(stored, 290, 408) and not _dark(stored, 5, 5)
    assert not stored.getexif()  # the tag is gone with the rest


def test_a_sideways_phone_photo_is_turned_upright_then_measured():
    # Mine: 413×295 stored pixels with Orientation=6 (rotate 90° clockwise to view) is a
    # 295×413 portrait: accepted, not refused as 413×295.
    exif = Image.Exif()
    exif[0x0112] = 6
    checked = check_photo(upload("me.jpg", _marked_photo(413, 295, exif=exif)))
    assert Image.open(io.BytesIO(checked.content.read())).size == (295, 413)


def test_every_metadata_segment_is_dropped_including_the_comment():
    # The issue: a JPEG comment (COM segment) survived the re-encode. Mine: ICC profile and XMP too.
    raw = _marked_photo(295, 413, comment=b"SECRET-COMMENT", icc_profile=b"SECRET-ICC" * 10)
    raw = (
        raw[:2]
        + b"\xff\xe1"
        + (len(b"http://ns.adobe.com/xap/1.0/\0SECRET-XMP") + 2).to_bytes(2, "big")
        + (b"http://ns.adobe.com/xap/1.0/\0SECRET-XMP")
        + raw[2:]
    )
    assert b"SECRET-COMMENT" in raw and b"SECRET-XMP" in raw
    data = check_photo(upload("me.jpg", raw)).content.read()
    assert b"SECRET" not in data
    stored = Image.open(io.BytesIO(data))
    assert "comment" not in stored.info and "icc_profile" not in stored.info and "xmp" not in stored.info
    # Only the segments a bare baseline JPEG needs: no APPn beyond JFIF's APP0, no COM.
    markers, position = [], 2
    while data[position] == 0xFF and data[position + 1] != 0xDA:
        markers.append(data[position + 1])
        position += 2 + int.from_bytes(data[position + 2 : position + 4], "big")
    assert 0xFE not in markers and not [m for m in markers if 0xE1 <= m <= 0xEF]


def test_a_larger_photo_of_the_right_proportions_is_scaled_down():
    # The issue: 600×840 (ratio 0.714, as 295/413 = 0.714) is scaled to 295×413, not refused.
    checked = check_photo(upload("me.jpg", _marked_photo(600, 840)))
    stored = Image.open(io.BytesIO(checked.content.read()))
    assert stored.size == (295, 413) and checked.size <= 200 * 1024
    # Mine: a 12-megapixel phone portrait 2952×4130 (×10.007 both ways) too, under 200 KB.
    checked = check_photo(upload("me.jpg", jpeg_bytes(2952, 4130)))
    assert Image.open(io.BytesIO(checked.content.read())).size == (295, 413)


def test_a_larger_photo_of_other_proportions_is_still_refused():
    # 900×900: ratio 1.0 vs 0.714 (40 % off, beyond 5 %) → refused with its size.
    with pytest.raises(ValidationError) as error:
        check_photo(upload("me.jpg", jpeg_bytes(900, 900)))
    assert error.value.code == "photo_dimensions" and "900×900" in error.value.messages[0]


def _png_bomb(width=20000, height=20000) -> bytes:
    """A small PNG whose header declares width×height pixels (the pixel data is one short
    zlib stream: Pillow decides from the header before it decodes)."""
    import struct
    import zlib

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 1024))
        + chunk(b"IEND", b"")
    )


def test_a_decompression_bomb_is_a_damaged_file_not_a_crash():
    # The issue: a small PNG declaring 20000×20000 (400 megapixels) gave a 500.
    bomb = _png_bomb()
    assert len(bomb) < 1024
    with pytest.raises(ValidationError) as error:
        check_document(upload("diploma.png", bomb))
    assert error.value.code == "document_broken" and "已损坏" in error.value.messages[0]


def test_a_jpeg_declaring_too_many_pixels_is_a_damaged_photo(settings):
    # Mine: below Pillow's own guard but above ours (settings: 100,000 px; 400×300 = 120,000).
    settings.APPLICANT_IMAGE_MAX_PIXELS = 100_000
    with pytest.raises(ValidationError) as error:
        check_photo(upload("me.jpg", jpeg_bytes(400, 300)))
    assert error.value.code == "photo_broken"


def test_the_size_hint_says_one_inch():
    from applicants.forms import PhotoForm

    hint = str(PhotoForm().fields["photo"].help_text)
    assert "1寸" in hint and "2寸" not in hint and "295×413" in hint


def test_truncated_jpeg_is_refused():
    with pytest.raises(ValidationError):
        check_photo(upload("photo.jpg", jpeg_bytes()[:300]))


@pytest.mark.parametrize(
    "name,content,mime",
    [
        ("a.pdf", PDF_BYTES, "application/pdf"),
        ("b.png", png_bytes(), "image/png"),
        ("c.jpeg", jpeg_bytes(), "image/jpeg"),
    ],
)
def test_documents_of_allowed_types_pass(name, content, mime):
    assert check_document(upload(name, content)).content_type == mime


@pytest.mark.parametrize(
    "name,content",
    [
        ("diploma.jpg", b"<html><body>fake</body></html>"),
        ("diploma.jpg", PDF_BYTES),
        ("x.pdf", b"MZ\x90\x00exe"),
    ],
    ids=["html-as-jpg", "pdf-as-jpg", "exe-as-pdf"],
)
def test_forged_documents_are_refused(name, content):
    with pytest.raises(ValidationError):
        check_document(upload(name, content))


def test_document_too_large(settings):
    settings.APPLICANT_DOCUMENT_MAX_BYTES = 100
    with pytest.raises(ValidationError) as error:
        check_document(upload("a.pdf", PDF_BYTES + b" " * 200))
    assert "MB" in error.value.messages[0]


@pytest.mark.django_db
def test_a_bomb_through_the_files_page_is_a_message_not_a_500(client):
    from django.urls import reverse

    from tests.applicants.factories import ProfileFactory

    profile = ProfileFactory()
    client.force_login(profile.user)
    response = client.post(
        reverse("applicants:files"),
        {"kind": "diploma", "file": upload("diploma.png", _png_bomb(), "image/png")},
    )
    assert response.status_code == 200 and "已损坏" in response.content.decode()
    assert not profile.documents.exists()
