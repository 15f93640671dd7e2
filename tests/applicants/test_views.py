"""Pages: who may see what (anonymous → login, other applicant → 404), bad input kept,
files served only through checking views, and query budgets."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applicants import services
from applicants.id_numbers import make_id_number
from applicants.models import ApplicantProfile, Application, Document, Stage
from recruitment.models import ReviewerAssignment
from tests.applicants.factories import PDF_BYTES, ProfileFactory, jpeg_bytes
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner_client(client, applicant_user):
    client.force_login(applicant_user)
    return client


@pytest.fixture
def document(profile):
    return services.document_upload(
        profile=profile, kind="diploma", upload=SimpleUploadedFile("diploma.pdf", PDF_BYTES)
    )


@pytest.fixture
def application(applicant_user, position):
    return services.application_submit(user=applicant_user, position=position, declaration_accepted=True)


def _urls(application, document, profile):
    return [
        reverse("applicants:profile"),
        reverse("applicants:files"),
        reverse("applicants:applications"),
        reverse("applicants:apply", args=[application.position_id]),
        reverse("applicants:application", args=[application.pk]),
        reverse("applicants:resubmit", args=[application.pk]),
        reverse("applicants:document_file", args=[document.uuid]),
        reverse("applicants:photo_file", args=[profile.pk]),
    ]


def test_anonymous_is_sent_to_login(client, application, document, profile):
    for url in _urls(application, document, profile):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_owner_sees_every_page(owner_client, application, document, profile):
    for url in _urls(application, document, profile):
        assert owner_client.get(url).status_code == 200, url


def test_another_applicant_gets_404_for_my_things(client, application, document, profile):
    client.force_login(ProfileFactory().user)
    for url in [
        reverse("applicants:application", args=[application.pk]),
        reverse("applicants:resubmit", args=[application.pk]),
        reverse("applicants:document_file", args=[document.uuid]),
        reverse("applicants:photo_file", args=[profile.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("applicants:withdraw", args=[application.pk])).status_code == 404
    assert client.post(reverse("applicants:document_delete", args=[document.uuid])).status_code == 404
    assert Document.objects.filter(pk=document.pk).exists()
    application.refresh_from_db()
    assert application.stage == Stage.SUBMITTED


def test_staff_cannot_use_applicant_pages(client, reviewer):
    client.force_login(reviewer)
    assert client.get(reverse("applicants:profile")).status_code == 403
    assert client.get(reverse("applicants:applications")).status_code == 403


def test_files_visible_to_assigned_reviewer_and_administrator_only(
    client, application, document, profile, reviewer, administrator
):
    file_url = reverse("applicants:document_file", args=[document.uuid])
    photo_url = reverse("applicants:photo_file", args=[profile.pk])
    client.force_login(reviewer)
    assert client.get(file_url).status_code == 404  # not assigned
    ReviewerAssignment.objects.create(
        announcement=application.announcement, reviewer=reviewer, assigned_by=administrator
    )
    response = client.get(file_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "private" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client.get(photo_url).status_code == 200
    client.force_login(administrator)
    assert client.get(file_url).status_code == 200
    client.force_login(UserFactory(role="examiner"))
    assert client.get(file_url).status_code == 404


def test_reviewer_cannot_see_files_of_a_draft(
    client, applicant_user, position, document, reviewer, administrator
):
    services.application_save_draft(user=applicant_user, position=position)
    ReviewerAssignment.objects.create(
        announcement=position.announcement, reviewer=reviewer, assigned_by=administrator
    )
    client.force_login(reviewer)
    assert client.get(reverse("applicants:document_file", args=[document.uuid])).status_code == 404


def test_profile_first_save_and_bad_input_kept(client):
    user = UserFactory(role="applicant")
    client.force_login(user)
    number = make_id_number("210302", date(1996, 4, 2), 31)
    data = {
        "real_name": "买买提·艾力",
        "id_number": number[:-1] + ("0" if number[-1] != "0" else "1"),  # wrong check character
        "ethnicity": "维吾尔族",
        "political_status": "masses",
        "household_province": "辽宁省",
        "household_city": "鞍山市",
        "household_district": "铁东区",
        "household_settled_on": "",
        "address": "铁东区园林街1号",
        "education-TOTAL_FORMS": "1",
        "education-INITIAL_FORMS": "0",
        "education-0-level": "30",
        "education-0-school": "鞍山师范学院",
        "education-0-major": "社会工作",
        "education-0-graduated_on": "2019-07-01",
        "education-0-full_time": "on",
        "work-TOTAL_FORMS": "1",
        "work-INITIAL_FORMS": "0",
        "certificates-TOTAL_FORMS": "1",
        "certificates-INITIAL_FORMS": "0",
        "certificates-0-name": "社会工作者职业资格（助理社会工作师）",
        "certificates-0-number": "",
        "certificates-0-issued_on": "",
    }
    response = client.post(reverse("applicants:profile"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "校验位" in page
    assert "鞍山师范学院" in page and "铁东区园林街1号" in page  # nothing typed is lost
    assert not ApplicantProfile.objects.exists()
    data["id_number"] = number
    response = client.post(reverse("applicants:profile"), data)
    assert response.status_code == 302
    profile = ApplicantProfile.objects.get(user=user)
    assert profile.real_name == "买买提·艾力" and profile.birth_date == date(1996, 4, 2)
    assert profile.education.get().school == "鞍山师范学院"
    assert profile.certificates.get().name.startswith("社会工作者职业资格")
    response = client.get(reverse("applicants:profile"))
    assert number not in response.content.decode().split('name="id_number"')[0]  # masked in the header


def test_profile_refuses_a_15_digit_number_and_bad_names(owner_client, profile):
    response = owner_client.post(
        reverse("applicants:profile"),
        {
            "real_name": "A",
            "id_number": "110105491231002",
            "household_province": "辽宁省",
            "household_city": "鞍山市",
            "political_status": "masses",
            "ethnicity": "汉族",
            "education-TOTAL_FORMS": "0",
            "education-INITIAL_FORMS": "0",
            "work-TOTAL_FORMS": "0",
            "work-INITIAL_FORMS": "0",
            "certificates-TOTAL_FORMS": "0",
            "certificates-INITIAL_FORMS": "0",
        },
    )
    page = response.content.decode()
    assert "15位" in page and "2至20个字符" in page


def test_locked_identity_refused_with_a_message(owner_client, profile):
    services.profile_lock_identity(profile)
    response = owner_client.post(
        reverse("applicants:profile"),
        {
            "real_name": "李四",
            "id_number": profile.id_number,
            "household_province": "辽宁省",
            "household_city": "鞍山市",
            "political_status": "masses",
            "ethnicity": "汉族",
            "education-TOTAL_FORMS": "0",
            "education-INITIAL_FORMS": "0",
            "work-TOTAL_FORMS": "0",
            "work-INITIAL_FORMS": "0",
            "certificates-TOTAL_FORMS": "0",
            "certificates-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "已锁定" in response.content.decode()
    profile.refresh_from_db()
    assert profile.real_name == "张三"


def test_forged_photo_upload_refused_through_the_page(owner_client, profile):
    html = SimpleUploadedFile("me.jpg", b"<html><body>hi</body></html>", content_type="image/jpeg")
    response = owner_client.post(reverse("applicants:files"), {"action": "photo", "photo": html})
    assert response.status_code == 200
    assert "不是 JPEG" in response.content.decode()
    good = SimpleUploadedFile("me.jpg", jpeg_bytes(300, 400), content_type="image/jpeg")
    response = owner_client.post(reverse("applicants:files"), {"action": "photo", "photo": good})
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.photo.name.startswith("photos/") and "me" not in profile.photo.name


def test_forged_document_upload_refused_through_the_page(owner_client, profile):
    fake = SimpleUploadedFile("diploma.jpg", PDF_BYTES, content_type="image/jpeg")
    response = owner_client.post(reverse("applicants:files"), {"kind": "diploma", "file": fake})
    assert response.status_code == 200
    assert "不符" in response.content.decode()
    assert not Document.objects.exists()
    real = SimpleUploadedFile("diploma.pdf", PDF_BYTES, content_type="application/pdf")
    assert (
        owner_client.post(reverse("applicants:files"), {"kind": "diploma", "file": real}).status_code == 302
    )
    assert Document.objects.get().content_type == "application/pdf"


def test_apply_page_submits_and_shows_the_status(owner_client, position, applicant_user):
    url = reverse("applicants:apply", args=[position.pk])
    response = owner_client.post(url, {})
    assert "请阅读并勾选诚信承诺" in response.content.decode()
    response = owner_client.post(url, {"declaration": "on"})
    application = Application.objects.get(applicant=applicant_user)
    assert response.status_code == 302 and response["Location"] == reverse(
        "applicants:application", args=[application.pk]
    )
    status = owner_client.get(response["Location"])  # the confirmation is on the status page
    assert "报名已提交，请留意审核结果。" in status.content.decode()
    # the second tab: sent to the existing application with a message
    response = owner_client.post(url, {"declaration": "on"}, follow=True)
    assert "您已报名该招聘公告" in response.content.decode()
    assert Application.objects.count() == 1


def test_apply_page_explains_a_failed_rule(owner_client, announcement):
    from tests.recruitment.factories import PositionFactory

    post = PositionFactory(announcement=announcement, max_age=20)
    response = owner_client.post(reverse("applicants:apply", args=[post.pk]), {"declaration": "on"})
    assert response.status_code == 200
    assert "不符合该岗位的报名条件" in response.content.decode()
    assert not Application.objects.exists()


def test_status_page_shows_the_timeline(owner_client, application, applicant_user):
    services.application_withdraw(application=application, user=applicant_user)
    page = owner_client.get(reverse("applicants:application", args=[application.pk])).content.decode()
    assert "待审核" in page and "已撤回" in page and "本人撤回" in page


def test_withdraw_through_the_page(owner_client, application):
    response = owner_client.post(reverse("applicants:withdraw", args=[application.pk]))
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.stage == Stage.WITHDRAWN


def test_id_numbers_are_masked_in_the_list_and_pages(owner_client, application, profile):
    for url in (reverse("applicants:applications"), reverse("applicants:application", args=[application.pk])):
        assert profile.id_number not in owner_client.get(url).content.decode()


@pytest.mark.parametrize("page_name", ["status", "profile", "apply", "applications"])
def test_query_budget(
    owner_client, application, applicant_user, reviewer, django_assert_max_num_queries, page_name
):
    from applicants.transitions import transition

    transition(
        application,
        to_stage=Stage.RETURNED,
        actor=reviewer,
        from_stages=[Stage.SUBMITTED],
        reason="补材料",
        return_instructions="补材料",
    )
    url = {
        "status": reverse("applicants:application", args=[application.pk]),
        "profile": reverse("applicants:profile"),
        "apply": reverse("applicants:apply", args=[application.position_id]),
        "applications": reverse("applicants:applications"),
    }[page_name]
    # session, user, page data; the inbox badge; no per-row queries. The status page also
    # reads its position's reductions and cancellations (one query, issue 13 kind 11).
    # The apply page: +1, the bonus categories of exams' apply part (cached; a cold cache here).
    budget = {"status": 9, "profile": 11, "apply": 13, "applications": 10}[page_name]
    with django_assert_max_num_queries(budget):
        assert owner_client.get(url).status_code == 200


def test_photo_and_submitted_files_are_frozen_on_the_page_while_under_review(
    owner_client, profile, document, application
):
    page = owner_client.get(reverse("applicants:files")).content.decode()
    assert "证件照和已提交的材料不能更换或删除" in page
    assert reverse("applicants:document_delete", args=[document.uuid]) not in page
    before = profile.photo.name
    good = SimpleUploadedFile("me.jpg", jpeg_bytes(300, 400), content_type="image/jpeg")
    response = owner_client.post(reverse("applicants:files"), {"action": "photo", "photo": good})
    assert response.status_code == 200
    assert "证件照不能更换" in response.content.decode()  # said at the field, nothing replaced
    profile.refresh_from_db()
    assert profile.photo.name == before
    response = owner_client.post(
        reverse("applicants:document_delete", args=[document.uuid]), {"confirm": "yes"}
    )
    assert Document.objects.filter(pk=document.pk).exists()
    # A document uploaded after the submission is not what is judged: it may be deleted.
    later = services.document_upload(
        profile=profile, kind="diploma", upload=SimpleUploadedFile("later.pdf", PDF_BYTES)
    )
    page = owner_client.get(reverse("applicants:files")).content.decode()
    assert reverse("applicants:document_delete", args=[later.uuid]) in page
    owner_client.post(reverse("applicants:document_delete", args=[later.uuid]), {"confirm": "yes"})
    assert not Document.objects.filter(pk=later.pk).exists()


def test_save_draft_from_the_apply_page_then_the_reminder_finds_it(
    owner_client, applicant_user, position, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    from notifications.models import Notification
    from notifications.tasks import send_reminders

    page = owner_client.get(reverse("applicants:apply", args=[position.pk])).content.decode()
    url = reverse("applicants:save_draft", args=[position.pk])
    assert f'formaction="{url}"' in page
    assert owner_client.get(url).status_code == 405  # a change only by POST
    response = owner_client.post(url, follow=True)
    draft = Application.objects.get(applicant=applicant_user)
    assert draft.stage == Stage.DRAFT and draft.position_id == position.pk
    assert "已暂存所选岗位" in response.content.decode()
    type(position.announcement).objects.filter(pk=position.announcement_id).update(
        registration_closes_at=timezone.now() + timedelta(hours=20)
    )
    with django_capture_on_commit_callbacks(execute=True):
        sent = send_reminders(
            audience="draft_unsubmitted", event="reminder_draft_unsubmitted", params={"within_hours": 48}
        )
    assert sent == 1
    assert Notification.objects.filter(recipient=applicant_user, event="reminder_draft_unsubmitted").exists()


def test_save_draft_after_submitting_goes_to_the_application(owner_client, application):
    response = owner_client.post(reverse("applicants:save_draft", args=[application.position_id]))
    assert response["Location"] == reverse("applicants:application", args=[application.pk])
    application.refresh_from_db()
    assert application.stage == Stage.SUBMITTED  # untouched


def test_save_draft_is_for_signed_in_applicants_only(client, position, reviewer):
    url = reverse("applicants:save_draft", args=[position.pk])
    assert "/accounts/login/" in client.post(url)["Location"]
    client.force_login(reviewer)
    assert client.post(url).status_code == 403
    assert not Application.objects.exists()


def test_save_draft_after_withdrawing_says_to_submit_again(owner_client, applicant_user, application):
    services.application_withdraw(application=application, user=applicant_user)
    response = owner_client.post(
        reverse("applicants:save_draft", args=[application.position_id]), follow=True
    )
    assert "可在报名截止前直接重新提交" in response.content.decode()
    application.refresh_from_db()
    assert application.stage == Stage.WITHDRAWN
