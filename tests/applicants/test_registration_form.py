"""The registration form (报名登记表, applicants/registration_form.py) and the two pages that
serve it: the applicant's own (applicants:registration_form) and the staff's
(review:registration_form, scoped like the review console)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from accounts.roles import Role
from applicants import registration_form as form_pdf
from applicants.forms import DECLARATION_TEXT
from applicants.models import Certificate, Stage
from applicants.snapshot import build_snapshot
from portal import pdf
from recruitment.choices import Education
from tests.applicants.factories import (
    ApplicationFactory,
    ProfileFactory,
    ReviewPositionFactory,
    add_work,
    assign,
)
from tests.factories import UserFactory
from tests.pdf_helpers import id_photo, pdf_pages_text, pdf_text, save_png

pytestmark = pytest.mark.django_db
BEIJING = ZoneInfo("Asia/Shanghai")


def submitted(**profile_kwargs):
    """An application submitted with a full snapshot (built by the real snapshot builder)
    and the profile's photo at that time."""
    profile = ProfileFactory(
        real_name="欧阳晓雯",
        ethnicity="汉族",
        political_status="party_member",
        photo=ContentFile(id_photo(seed=7), name="photo.jpg"),
        **profile_kwargs,
    )
    add_work(profile, date(2019, 3, 1), date(2023, 6, 30), community=True)
    add_work(profile, date(2023, 7, 1), employer="鞍山市某物业服务有限公司")
    Certificate.objects.create(
        profile=profile, name="助理社会工作师", number="ZS2021001234", issued_on=date(2021, 6, 20)
    )
    profile = (
        type(profile)
        .objects.prefetch_related("education", "work", "certificates", "documents")
        .get(pk=profile.pk)
    )
    position = ReviewPositionFactory(name="社区综合服务岗", community="园林社区", street="站前街道")
    return ApplicationFactory(
        position=position,
        applicant=profile.user,
        snapshot=build_snapshot(profile),
        declaration_accepted_at=datetime(2026, 11, 20, 14, 32, tzinfo=BEIJING),
        submitted_at=datetime(2026, 11, 20, 14, 32, tzinfo=BEIJING),
    )


def form_of(application, photo=b"from-storage"):
    if photo == b"from-storage":
        photo = form_pdf.read_submitted_photo(application)
    return form_pdf.registration_form(application, photo=photo, declaration_text=DECLARATION_TEXT)


# --- the document ---------------------------------------------------------------------------


def test_one_page_with_the_snapshot_photo_position_and_declaration():
    application = submitted()
    data = form_of(application)
    assert data.photo == application.applicant.profile.photo.open("rb").read()
    content = form_pdf.render(data)
    assert len(pdf_pages_text(content)) == 1
    text = pdf_text(content)
    profile = application.applicant.profile
    for expected in (
        "报名登记表",
        application.announcement.title.replace(" ", ""),
        f"报名序号：{application.pk:08d}",
        "网上提交时间：2026-11-2014:32",
        "欧阳晓雯",
        profile.id_number,
        "1995-05-01",
        "汉族",
        "中共党员",
        "辽宁省鞍山市铁东区",
        "鞍山市铁东区园林街1号",
        f"{application.position.code}社区综合服务岗",
        "站前街道园林社区",
        "本科",
        "辽宁大学",
        "社会工作",
        "2019-03-01—2023-06-30",
        "铁东区站前街道园林社区",
        "2023-07-01—至今",
        "鞍山市某物业服务有限公司",
        "助理社会工作师",
        "ZS2021001234",
        "诚信承诺",
        "本人承诺：所填写的个人信息和提交的材料真实、准确、完整",
        "（已于2026-11-2014:32在网上确认）",
        "本人签名：",
        "日期：",
        "资格复审意见",
        "审核人签名：",
    ):
        assert expected in text, expected
    assert "照片缺失" not in text
    save_png(content, "registration-form", dpi=100)


def test_what_was_submitted_not_what_the_profile_says_now():
    application = submitted()
    submitted_photo = form_pdf.read_submitted_photo(application)
    profile = application.applicant.profile
    profile.address = "后来搬到的新地址"
    profile.photo = ContentFile(id_photo(seed=99), name="photo.jpg")
    profile.save()
    application.refresh_from_db()
    data = form_of(application)
    assert data.address == "鞍山市铁东区园林街1号"
    assert data.photo == submitted_photo != profile.photo.open("rb").read()


def test_without_a_photo_the_form_says_so():
    application = submitted()
    text = pdf_text(form_pdf.render(form_of(application, photo=None)))
    assert "照片缺失，请粘贴近期一寸免冠照片" in text


@pytest.mark.parametrize(
    "name", ["photos/../private/other.jpg", "/etc/passwd", "documents/x.pdf", 7, None, False]
)
def test_a_photo_name_outside_photos_is_not_read(name):
    application = submitted()
    application.snapshot = {**application.snapshot, "photo": name}
    assert form_pdf.snapshot_photo_name(application) == ""
    assert form_pdf.read_submitted_photo(application) is None


def test_an_old_snapshot_that_only_says_there_was_a_photo_uses_the_profiles():
    application = submitted()
    application.snapshot = {**application.snapshot, "photo": True}
    assert form_pdf.snapshot_photo_name(application) == application.applicant.profile.photo.name


def test_a_sparse_old_snapshot_still_renders():
    application = ApplicationFactory()  # the factory's snapshot: name, ID, sex, phone, one school
    text = pdf_text(form_pdf.render(form_of(application)))
    assert application.applicant.profile.real_name in text
    assert "照片缺失" in text  # NamedProfileFactory has no photo
    assert "无" in text  # no work, no certificates


def test_long_lists_shrink_onto_one_page():
    application = submitted()
    snapshot = dict(application.snapshot)
    snapshot["work"] = [
        {
            "employer": f"第{i}家用人单位（很长的单位名称用于测试换行效果）",
            "role": "工作人员",
            "started_on": "2010-01-01",
        }
        for i in range(25)
    ]
    snapshot["education"] = [{"level": Education.MASTER, "school": "某某大学", "major": "社会学"}] * 4
    application.snapshot = snapshot
    content = form_pdf.render(form_of(application))
    assert len(pdf_pages_text(content)) == 1
    assert "第24家用人单位" in pdf_text(content)


def test_text_is_escaped_not_markup():
    application = submitted()
    application.snapshot = {**application.snapshot, "address": "<font size=40>大字</font> & 小字"}
    assert "<fontsize=40>大字</font>&小字" in pdf_text(form_pdf.render(form_of(application)))


# --- the applicant's page -------------------------------------------------------------------


def url(application):
    return reverse("applicants:registration_form", args=[application.pk])


def test_applicant_prints_their_own(client, django_assert_max_num_queries):
    application = submitted()
    client.force_login(application.applicant)
    # session, user, roles (cached after), the application joined to its announcement,
    # position, applicant and profile: 4; the photo is a file, not a query; the sections
    # of higher apps (exams: the bonus items claimed, one query): 5
    with django_assert_max_num_queries(5):
        response = client.get(url(application))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert "no-store" in response["Cache-Control"]
    text = pdf_text(response.content)
    assert "欧阳晓雯" in text and application.applicant.profile.id_number in text


def test_another_applicant_gets_404(client):
    application = submitted()
    client.force_login(ProfileFactory().user)
    assert client.get(url(application)).status_code == 404


@pytest.mark.parametrize("stage", [Stage.DRAFT, Stage.WITHDRAWN])
def test_not_submitted_gets_404(client, stage):
    application = submitted()
    application.stage = stage
    application.save(update_fields=["stage"])
    client.force_login(application.applicant)
    assert client.get(url(application)).status_code == 404


@pytest.mark.parametrize("stage", [Stage.SUBMITTED, Stage.RETURNED, Stage.APPROVED, Stage.TICKET_ISSUED])
def test_printable_once_submitted(client, stage):
    application = submitted()
    application.stage = stage
    application.return_instructions = "请补充毕业证" if stage == Stage.RETURNED else ""
    application.save(update_fields=["stage", "return_instructions"])
    client.force_login(application.applicant)
    assert client.get(url(application)).status_code == 200


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(url(submitted()))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_staff_use_the_staff_page_not_the_applicants(client, administrator):
    client.force_login(administrator)
    assert client.get(url(submitted())).status_code == 403


def test_without_the_font_the_applicant_is_told_what_is_missing(client, monkeypatch):
    application = submitted()
    monkeypatch.setattr(pdf, "_registered", None)
    monkeypatch.setattr(pdf, "_candidates", lambda: [])
    client.force_login(application.applicant)
    response = client.get(url(application), follow=True)
    assert response.redirect_chain[-1][0] == reverse("applicants:application", args=[application.pk])
    assert "fonts-wqy-zenhei" in response.content.decode()


def test_the_application_page_has_the_print_button(client):
    application = submitted()
    client.force_login(application.applicant)
    page = client.get(reverse("applicants:application", args=[application.pk])).content.decode()
    assert url(application) in page


def test_a_draft_page_has_no_print_button(client):
    application = submitted()
    application.stage = Stage.DRAFT
    application.save(update_fields=["stage"])
    client.force_login(application.applicant)
    page = client.get(reverse("applicants:application", args=[application.pk])).content.decode()
    assert url(application) not in page


# --- the staff page ---------------------------------------------------------------------------


def staff_url(application):
    return reverse("review:registration_form", args=[application.pk])


def test_assigned_reviewer_prints_it(client, reviewer, django_assert_max_num_queries):
    application = submitted()
    assign(reviewer, application.announcement)
    client.force_login(reviewer)
    # session, user, roles (cached after), the reviewer's announcement ids, the application
    # with its joins: 5; the bonus items claimed (exams' section): 6
    with django_assert_max_num_queries(6):
        response = client.get(staff_url(application))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "欧阳晓雯" in pdf_text(response.content)


def test_administrator_prints_it(client, administrator, django_assert_max_num_queries):
    application = submitted()
    client.force_login(administrator)
    with django_assert_max_num_queries(6):  # as the reviewer's: every announcement's ids
        response = client.get(staff_url(application))
    assert response.status_code == 200
    assert "欧阳晓雯" in pdf_text(response.content)


def test_reviewer_of_another_announcement_gets_404(client):
    application = submitted()
    other = UserFactory(role=Role.REVIEWER)
    assign(other, ReviewPositionFactory().announcement)
    client.force_login(other)
    assert client.get(staff_url(application)).status_code == 404


def test_unassigned_reviewer_gets_404(client, reviewer):
    client.force_login(reviewer)
    assert client.get(staff_url(submitted())).status_code == 404


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.EXAMINER])
def test_other_roles_are_refused(client, role):
    application = submitted()
    client.force_login(UserFactory(role=role))
    assert client.get(staff_url(application)).status_code == 403


def test_the_applicant_cannot_use_the_staff_page_for_their_own(client):
    application = submitted()
    client.force_login(application.applicant)
    assert client.get(staff_url(application)).status_code == 403


def test_the_review_page_has_the_print_button(client, administrator):
    application = submitted()
    client.force_login(administrator)
    page = client.get(reverse("review:application", args=[application.pk])).content.decode()
    assert staff_url(application) in page
