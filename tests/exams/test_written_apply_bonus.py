"""Bonus points claimed on the apply form (issue 16 item 3: "claimed by the applicant with
proof when applying"): exams adds its part through applicants.apply_extensions; the claims
are saved with the submission, both or neither; bad input is shown at the field and
nothing is saved."""

import pytest
from django.urls import reverse

from applicants.models import Application, Stage
from exams.models import BonusClaim
from recruitment.models import BonusCategory
from tests.applicants.factories import DocumentFactory, ProfileFactory
from tests.recruitment.factories import AnnouncementFactory, PositionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def position():
    announcement = AnnouncementFactory()
    return PositionFactory(announcement=announcement, household_regions=["辽宁省鞍山市"])


@pytest.fixture
def categories(position):
    return [
        BonusCategory.objects.create(announcement=position.announcement, name="社会工作师", points=5),
        BonusCategory.objects.create(announcement=position.announcement, name="退役军人", points=3),
    ]


@pytest.fixture
def profile():
    return ProfileFactory()


@pytest.fixture
def owner(client, profile):
    client.force_login(profile.user)
    return client


def test_the_apply_page_offers_each_category_with_a_proof(owner, position, categories, profile):
    DocumentFactory(profile=profile, original_name="社会工作师证书.pdf")
    html = owner.get(reverse("applicants:apply", args=[position.pk])).content.decode()
    assert "加分申请（可选）" in html
    assert "社会工作师（加 5 分）" in html and "退役军人（加 3 分）" in html
    assert "社会工作师证书.pdf" in html


def test_no_categories_no_part(owner, position):
    html = owner.get(reverse("applicants:apply", args=[position.pk])).content.decode()
    assert "加分申请（可选）" not in html


def test_a_claim_ticked_with_its_proof_is_saved_with_the_submission(owner, position, categories, profile):
    proof = DocumentFactory(profile=profile, original_name="社会工作师证书.pdf")
    response = owner.post(
        reverse("applicants:apply", args=[position.pk]),
        {
            "declaration": "on",
            f"bonus-claim_{categories[0].pk}": "on",
            f"bonus-proof_{categories[0].pk}": proof.pk,
        },
    )
    application = Application.objects.get(applicant=profile.user)
    assert response.status_code == 302
    assert application.stage == Stage.SUBMITTED
    claim = BonusClaim.objects.get()
    assert (claim.application_id, claim.category_id, claim.proof_id, claim.status) == (
        application.pk,
        categories[0].pk,
        proof.pk,
        BonusClaim.Status.CLAIMED,
    )


def test_a_claim_without_proof_is_shown_at_the_field_and_nothing_is_saved(
    owner, position, categories, profile
):
    DocumentFactory(profile=profile)
    response = owner.post(
        reverse("applicants:apply", args=[position.pk]),
        {"declaration": "on", f"bonus-claim_{categories[1].pk}": "on"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "申请该加分项目须选择证明材料。" in html
    assert 'aria-invalid="true"' in html
    assert (
        f'name="bonus-claim_{categories[1].pk}" id="id_bonus-claim_{categories[1].pk}" checked' in html
    )  # kept
    assert not Application.objects.exists() and not BonusClaim.objects.exists()


def test_another_persons_document_is_refused(owner, position, categories):
    theirs = DocumentFactory()
    response = owner.post(
        reverse("applicants:apply", args=[position.pk]),
        {
            "declaration": "on",
            f"bonus-claim_{categories[0].pk}": "on",
            f"bonus-proof_{categories[0].pk}": theirs.pk,
        },
    )
    assert response.status_code == 200
    assert not Application.objects.exists() and not BonusClaim.objects.exists()


def test_unticked_categories_claim_nothing(owner, position, categories, profile):
    proof = DocumentFactory(profile=profile)
    owner.post(
        reverse("applicants:apply", args=[position.pk]),
        {"declaration": "on", f"bonus-proof_{categories[0].pk}": proof.pk},
    )
    assert Application.objects.filter(applicant=profile.user).exists()
    assert not BonusClaim.objects.exists()


def test_query_budget_of_the_apply_page_with_categories(
    owner, position, categories, profile, django_assert_max_num_queries
):
    for _ in range(3):
        DocumentFactory(profile=profile)
    # the applicants page's budget (12) plus the categories and the documents: no per-row queries
    with django_assert_max_num_queries(14):
        assert owner.get(reverse("applicants:apply", args=[position.pk])).status_code == 200
