"""Issue 13, kind 15 (forms part): no empty rows shown by default in the profile's lists (an
add button, working without JavaScript too); selects say 请选择; locked fields look locked;
deleting a document asks first, without JavaScript too; request bodies capped before any
upload check."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applicants import services
from applicants.models import Document
from tests.applicants.factories import PDF_BYTES

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner_client(client, applicant_user):
    client.force_login(applicant_user)
    return client


def _rows(page: str, prefix: str) -> int:
    rows = page.split(f'id="{prefix}-set"')[1].split("</fieldset>")[0].split("<template")[0]
    return rows.count('class="card card-body mb-2 formset-row"')


def test_no_empty_rows_by_default_and_an_add_button(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory(role="applicant"))
    page = client.get(reverse("applicants:profile")).content.decode()
    for prefix in ("education", "work", "certificates"):
        assert _rows(page, prefix) == 0
        assert f'name="add_row" value="{prefix}"' in page
    assert 'name="education-TOTAL_FORMS" value="0"' in page
    assert "js/formset.js" in page and "<script nonce" not in page.split("</main>")[0]


def test_adding_a_row_without_javascript_keeps_what_was_typed(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory(role="applicant"))
    data = {
        "real_name": "李四",
        "id_number": "110105 19491231 002X",
        "education-TOTAL_FORMS": "0",
        "education-INITIAL_FORMS": "0",
        "work-TOTAL_FORMS": "0",
        "work-INITIAL_FORMS": "0",
        "certificates-TOTAL_FORMS": "0",
        "certificates-INITIAL_FORMS": "0",
        "add_row": "education",
    }
    response = client.post(reverse("applicants:profile"), data)
    page = response.content.decode()
    assert response.status_code == 200 and _rows(page, "education") == 1 and _rows(page, "work") == 0
    assert 'value="李四"' in page  # nothing typed is lost, nothing saved
    from applicants.models import ApplicantProfile

    assert not ApplicantProfile.objects.exists()


def test_selects_say_please_choose(owner_client):
    page = owner_client.get(reverse("applicants:profile")).content.decode()
    template = page.split('id="education-set"')[1].split("</template>")[0]
    assert '<option value="" selected>请选择</option>' in template and "---------" not in template
    files = owner_client.get(reverse("applicants:files")).content.decode()
    assert '<option value="" selected>请选择</option>' in files


def test_locked_fields_look_locked(owner_client, profile):
    profile.identity_locked = True
    profile.save(update_fields=["identity_locked"])
    page = owner_client.get(reverse("applicants:profile")).content.decode()
    tag = page.split('name="id_number"')[1].split(">")[0]
    assert "readonly" in tag and 'aria-readonly="true"' in tag and "bg-body-secondary" in tag
    assert "身份证号码（已锁定）" in page and "如确有错误，请联系招聘单位" in page


def test_deleting_a_document_asks_first_without_javascript(owner_client, profile):
    document = services.document_upload(
        profile=profile, kind="diploma", upload=SimpleUploadedFile("diploma.pdf", PDF_BYTES)
    )
    url = reverse("applicants:document_delete", args=[document.uuid])
    files = owner_client.get(reverse("applicants:files")).content.decode()
    assert f'href="{url}"' in files  # a link to the question, not a delete button
    question = owner_client.get(url).content.decode()
    assert "确定删除" in question and "diploma.pdf" in question
    # A POST without the confirmation goes back to the question and deletes nothing.
    assert owner_client.post(url)["Location"] == url
    assert Document.objects.filter(pk=document.pk).exists()
    assert owner_client.post(url, {"confirm": "yes"})["Location"] == reverse("applicants:files")
    assert not Document.objects.filter(pk=document.pk).exists()


def test_another_applicants_document_delete_page_is_404(client, profile):
    from tests.factories import UserFactory

    document = services.document_upload(
        profile=profile, kind="diploma", upload=SimpleUploadedFile("diploma.pdf", PDF_BYTES)
    )
    client.force_login(UserFactory(role="applicant"))
    url = reverse("applicants:document_delete", args=[document.uuid])
    assert client.get(url).status_code == 404 and client.post(url, {"confirm": "yes"}).status_code == 404


def test_an_oversized_body_is_refused_before_it_is_read(owner_client, settings):
    # Limit 1 KB; a 2 KB upload declares Content-Length > 1024 → 413 with a message, the
    # view (and the upload checks) never run.
    settings.REQUEST_BODY_MAX_BYTES = 1024
    response = owner_client.post(
        reverse("applicants:files"),
        {"kind": "diploma", "file": SimpleUploadedFile("a.pdf", PDF_BYTES + b" " * 2048)},
    )
    assert response.status_code == 413
    assert "上传内容过大" in response.content.decode()
    assert not Document.objects.exists()
    settings.REQUEST_BODY_MAX_BYTES = 12 * 1024 * 1024
    response = owner_client.post(
        reverse("applicants:files"), {"kind": "diploma", "file": SimpleUploadedFile("a.pdf", PDF_BYTES)}
    )
    assert response.status_code == 302
