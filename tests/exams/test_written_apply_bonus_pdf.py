"""The registration form (报名登记表) lists the bonus items claimed (issue 16 item 3): name,
points, the decision (待认定 / 已认定 / 不予认定) and a refusal's reason. exams adds the
section through applicants.apply_extensions.register_form_section (applicants does not
import exams); an application without claims prints no empty section."""

from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from applicants import registration_form as form_pdf
from applicants.forms import DECLARATION_TEXT
from applicants.snapshot import build_snapshot
from exams.models import BonusClaim
from recruitment.models import BonusCategory
from tests.applicants.factories import (
    ApplicationFactory,
    DocumentFactory,
    ProfileFactory,
    ReviewPositionFactory,
    assign,
)
from tests.pdf_helpers import id_photo, pdf_pages_text, pdf_text, save_png

pytestmark = pytest.mark.django_db


def submitted():
    profile = ProfileFactory(real_name="欧阳晓雯", photo=ContentFile(id_photo(seed=3), name="photo.jpg"))
    profile = (
        type(profile)
        .objects.prefetch_related("education", "work", "certificates", "documents")
        .get(pk=profile.pk)
    )
    return ApplicationFactory(
        position=ReviewPositionFactory(), applicant=profile.user, snapshot=build_snapshot(profile)
    )


def claim(application, name, points, status=BonusClaim.Status.CLAIMED, reason="", reviewer=None):
    category = BonusCategory.objects.create(
        announcement=application.announcement, name=name, points=Decimal(points)
    )
    return BonusClaim.objects.create(
        application=application,
        category=category,
        proof=DocumentFactory(profile=application.applicant.profile),
        status=status,
        reason=reason,
        reviewed_by=reviewer if status != BonusClaim.Status.CLAIMED else None,
    )


def applicant_pdf(client, application) -> bytes:
    client.force_login(application.applicant)
    response = client.get(reverse("applicants:registration_form", args=[application.pk]))
    assert response.status_code == 200
    return response.content


def test_the_claims_are_printed_with_points_decision_and_a_refusals_reason(client, administrator):
    application = submitted()
    claim(application, "社会工作师", "5")
    claim(application, "退役军人", "3", BonusClaim.Status.CONFIRMED, reviewer=administrator)
    claim(
        application,
        "助理社会工作师",
        "2.50",
        BonusClaim.Status.REFUSED,
        reason="证书不在有效期内",
        reviewer=administrator,
    )
    content = applicant_pdf(client, application)
    assert len(pdf_pages_text(content)) == 1  # still one page
    text = pdf_text(content)
    assert "加分申请" in text
    for header in ("加分项目", "分值", "认定结果", "认定说明"):
        assert header in text
    # by points, highest first: name, points, decision (and the reason of the refusal)
    assert "社会工作师5待认定" in text
    assert "退役军人3已认定" in text
    assert "助理社会工作师2.5不予认定证书不在有效期内" in text
    assert text.index("社会工作师5") < text.index("退役军人3") < text.index("助理社会工作师2.5")
    save_png(content, "registration-form-bonus", dpi=100)


def test_no_claims_no_section(client):
    application = submitted()
    # the announcement has categories, but this applicant claimed none; another did
    other = submitted()
    BonusCategory.objects.create(announcement=application.announcement, name="退役军人", points=3)
    claim(other, "社会工作师", "5")
    text = pdf_text(applicant_pdf(client, application))
    assert "欧阳晓雯" in text
    assert "加分申请" not in text and "认定结果" not in text and "社会工作师" not in text


def test_the_staff_print_lists_them_too(client, reviewer):
    application = submitted()
    claim(application, "社会工作师", "5")
    assign(reviewer, application.announcement)
    client.force_login(reviewer)
    response = client.get(reverse("review:registration_form", args=[application.pk]))
    assert response.status_code == 200
    assert "社会工作师5待认定" in pdf_text(response.content)


def test_the_section_is_chinese_whatever_the_readers_language(client, administrator):
    application = submitted()
    claim(application, "退役军人", "10", BonusClaim.Status.CONFIRMED, reviewer=administrator)
    client.force_login(application.applicant)
    response = client.get(
        reverse("applicants:registration_form", args=[application.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    text = pdf_text(response.content)
    assert "退役军人10已认定" in text  # 10, not 1E+1
    assert "Decision" not in text


def test_the_form_data_leaves_empty_sections_out():
    application = submitted()
    sections = form_pdf.extra_sections(application)
    assert sections == ()
    data = form_pdf.registration_form(
        application, photo=None, declaration_text=DECLARATION_TEXT, sections=sections
    )
    assert data.sections == ()
