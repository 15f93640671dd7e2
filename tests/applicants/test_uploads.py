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
    check_photo(upload("photo.jpg", jpeg_bytes(330, 460)))
    settings.APPLICANT_PHOTO_TOLERANCE = 0.05
    with pytest.raises(ValidationError):
        check_photo(upload("photo.jpg", jpeg_bytes(330, 460)))


def test_photo_too_large_says_its_size(settings):
    settings.APPLICANT_PHOTO_MAX_BYTES = 1024
    with pytest.raises(ValidationError) as error:
        check_photo(upload("photo.jpg", jpeg_bytes()))
    assert "KB" in error.value.messages[0] and "超过了 1 KB" in error.value.messages[0]


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
