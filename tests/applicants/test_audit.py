"""Changes without an event table of their own leave an admin LogEntry: who, when, what."""

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile

from applicants import services
from review import services as review_services
from tests.applicants.factories import PDF_BYTES, jpeg_bytes

pytestmark = pytest.mark.django_db


def _entries(obj, pk=None):
    kind = ContentType.objects.get_for_model(obj)
    return list(LogEntry.objects.filter(content_type=kind, object_id=str(pk or obj.pk)).order_by("pk"))


def test_profile_changes_name_the_fields_and_the_applicant(profile):
    assert profile.education.exists() and not profile.work.exists()
    fields = {"real_name": profile.real_name, "id_number": profile.id_number, "address": "新地址"}
    services.profile_save(user=profile.user, fields=fields, education=[], work=[])
    entry = _entries(profile)[-1]
    assert (entry.user_id, entry.action_flag) == (profile.user_id, CHANGE)
    message = entry.get_change_message()
    assert "现居住地址" in message and "education" in message
    assert "work" not in message and "姓名" not in message  # unchanged: not named
    # The same again changes nothing and records nothing.
    services.profile_save(user=profile.user, fields=fields, education=[], work=[])
    assert _entries(profile)[-1].pk == entry.pk


def test_audit_records_are_written_in_the_portals_language(profile):
    from django.utils import translation

    with translation.override("en"):
        services.profile_save(
            user=profile.user,
            fields={"real_name": profile.real_name, "id_number": profile.id_number, "address": "另一地址"},
        )
    assert "现居住地址" in _entries(profile)[-1].change_message


def test_photo_and_documents_are_audited(profile):
    photo = SimpleUploadedFile("me.jpg", jpeg_bytes(), content_type="image/jpeg")
    services.profile_set_photo(profile=profile, upload=photo)
    assert _entries(profile)[-1].action_flag == CHANGE
    document = services.document_upload(
        profile=profile, kind="diploma", upload=SimpleUploadedFile("d.pdf", PDF_BYTES)
    )
    pk = document.pk
    services.document_delete(profile=profile, document=document)
    flags = [(entry.user_id, entry.action_flag) for entry in _entries(document, pk)]
    assert flags == [(profile.user_id, ADDITION), (profile.user_id, DELETION)]


def test_identity_lock_names_the_approving_reviewer(applicant_user, position, profile, reviewer):
    application = services.application_submit(
        user=applicant_user, position=position, declaration_accepted=True
    )
    review_services.application_approve(
        application=application, actor=reviewer, expected_version=application.version
    )
    entry = _entries(profile)[-1]
    assert entry.user_id == reviewer.pk
    assert f"application {application.pk} approved" in entry.change_message


def test_rejection_reason_catalogue_edits_are_audited(administrator):
    reason = review_services.rejection_reason_create(
        actor=administrator, code="audit-test", label="测试原因", label_en="Test reason"
    )
    review_services.rejection_reason_update(actor=administrator, reason=reason, active=False)
    flags = [(entry.user_id, entry.action_flag) for entry in _entries(reason)]
    assert flags == [(administrator.pk, ADDITION), (administrator.pk, CHANGE)]
