"""Bonus items ticked on the apply form survive 暂存 (save draft): kept as claims of the draft,
shown ticked on return; submitting later leaves exactly one claim per category (issue 16
item 3, "claimed by the applicant with proof when applying"). Unticking on a draft withdraws
the claim; nobody can touch someone else's draft."""

import pytest
from django.contrib.admin.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from applicants.models import Application, Stage
from exams.models import BonusClaim
from exams.services import bonus as bonus_services
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


def ticks(*chosen):
    """POST data ticking each (category, proof document)."""
    data = {}
    for category, proof in chosen:
        data[f"bonus-claim_{category.pk}"] = "on"
        data[f"bonus-proof_{category.pk}"] = proof.pk
    return data


def save_draft(client, position, data):
    return client.post(reverse("applicants:save_draft", args=[position.pk]), data)


def submit(client, position, data):
    return client.post(reverse("applicants:apply", args=[position.pk]), {"declaration": "on", **data})


def claims_of(user):
    return sorted(
        BonusClaim.objects.filter(application__applicant=user).values_list(
            "category_id", "proof_id", "status"
        )
    )


def test_the_draft_keeps_the_ticks_and_shows_them_on_return(owner, position, categories, profile):
    proof = DocumentFactory(profile=profile, original_name="社会工作师证书.pdf")
    other = DocumentFactory(profile=profile, original_name="退役证.pdf")
    response = save_draft(owner, position, ticks((categories[0], proof)))
    draft = Application.objects.get(applicant=profile.user)
    assert response.status_code == 302
    assert response["Location"] == reverse("applicants:application", args=[draft.pk])
    assert draft.stage == Stage.DRAFT
    assert claims_of(profile.user) == [(categories[0].pk, proof.pk, BonusClaim.Status.CLAIMED)]
    assert LogEntry.objects.filter(object_id=str(BonusClaim.objects.get().pk)).count() == 1

    html = owner.get(reverse("applicants:apply", args=[position.pk])).content.decode()
    assert f'name="bonus-claim_{categories[0].pk}" id="id_bonus-claim_{categories[0].pk}" checked' in html
    assert f'<option value="{proof.pk}" selected>社会工作师证书.pdf</option>' in html
    # the other category stays unticked, with nothing chosen
    assert f'name="bonus-claim_{categories[1].pk}" id="id_bonus-claim_{categories[1].pk}">' in html
    assert f'<option value="{other.pk}" selected>' not in html
    assert "“暂存”时一并保存" in html


def test_draft_twice_then_submit_gives_one_claim_per_category(owner, position, categories, profile):
    first, second, veteran = (DocumentFactory(profile=profile) for _ in range(3))
    save_draft(owner, position, ticks((categories[0], first)))
    # the second draft changes the proof of the first item and adds the second
    save_draft(owner, position, ticks((categories[0], second), (categories[1], veteran)))
    assert Application.objects.filter(applicant=profile.user).count() == 1
    assert BonusClaim.objects.count() == 2
    response = submit(owner, position, ticks((categories[0], second), (categories[1], veteran)))
    application = Application.objects.get(applicant=profile.user)
    assert response.status_code == 302
    assert application.stage == Stage.SUBMITTED
    assert claims_of(profile.user) == sorted(
        [
            (categories[0].pk, second.pk, BonusClaim.Status.CLAIMED),
            (categories[1].pk, veteran.pk, BonusClaim.Status.CLAIMED),
        ]
    )
    assert set(BonusClaim.objects.values_list("application_id", flat=True)) == {application.pk}


def test_a_draft_without_ticks_then_a_submission_with_ticks_creates_the_claims(
    owner, position, categories, profile
):
    proof = DocumentFactory(profile=profile)
    save_draft(owner, position, {})
    assert Application.objects.get(applicant=profile.user).stage == Stage.DRAFT
    assert not BonusClaim.objects.exists()
    submit(owner, position, ticks((categories[1], proof)))
    assert Application.objects.get(applicant=profile.user).stage == Stage.SUBMITTED
    assert claims_of(profile.user) == [(categories[1].pk, proof.pk, BonusClaim.Status.CLAIMED)]


def test_unticking_on_the_draft_removes_the_claim(owner, position, categories, profile):
    proof, veteran = DocumentFactory(profile=profile), DocumentFactory(profile=profile)
    save_draft(owner, position, ticks((categories[0], proof), (categories[1], veteran)))
    claim_pk = BonusClaim.objects.get(category=categories[0]).pk
    save_draft(owner, position, ticks((categories[1], veteran)))  # the first one unticked
    assert claims_of(profile.user) == [(categories[1].pk, veteran.pk, BonusClaim.Status.CLAIMED)]
    assert LogEntry.objects.filter(object_id=str(claim_pk)).count() == 2  # added, then withdrawn
    # and unticking at the submission too
    submit(owner, position, {})
    assert Application.objects.get(applicant=profile.user).stage == Stage.SUBMITTED
    assert claims_of(profile.user) == []


def test_a_ticked_item_without_proof_is_not_saved_and_is_shown_at_the_field(
    owner, position, categories, profile
):
    DocumentFactory(profile=profile)
    response = save_draft(owner, position, {f"bonus-claim_{categories[0].pk}": "on"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "未暂存" in html
    assert "申请该加分项目须选择证明材料。" in html
    assert f'name="bonus-claim_{categories[0].pk}" id="id_bonus-claim_{categories[0].pk}" checked' in html
    assert not Application.objects.exists() and not BonusClaim.objects.exists()


def test_someone_elses_draft_cannot_be_touched(client, owner, position, categories, profile):
    proof = DocumentFactory(profile=profile)
    save_draft(owner, position, ticks((categories[0], proof)))
    draft = Application.objects.get(applicant=profile.user)
    before = claims_of(profile.user)

    intruder = ProfileFactory()
    client.force_login(intruder.user)
    # Their own document for the intruder's own draft: only their own draft is made.
    theirs = DocumentFactory(profile=intruder)
    assert save_draft(client, position, ticks((categories[1], theirs))).status_code == 302
    assert Application.objects.get(applicant=intruder.user).pk != draft.pk
    # The owner's document: refused at the field, nothing saved.
    response = save_draft(client, position, ticks((categories[0], proof)))
    assert response.status_code == 200
    assert claims_of(profile.user) == before
    assert claims_of(intruder.user) == [(categories[1].pk, theirs.pk, BonusClaim.Status.CLAIMED)]
    # The service refuses another person's application outright.
    with pytest.raises(PermissionDenied):
        bonus_services.bonus_claims_sync(
            application=draft, actor=intruder.user, categories=categories, chosen=[]
        )
    assert claims_of(profile.user) == before
    # The owner's draft page stays theirs alone.
    assert client.get(reverse("applicants:application", args=[draft.pk])).status_code == 404


def test_a_decided_claim_is_kept_when_unticked(owner, position, categories, profile, administrator):
    proof = DocumentFactory(profile=profile)
    save_draft(owner, position, ticks((categories[0], proof)))
    claim = BonusClaim.objects.get()
    BonusClaim.objects.filter(pk=claim.pk).update(
        status=BonusClaim.Status.REFUSED, reason="证书已过期", reviewed_by=administrator
    )
    save_draft(owner, position, {})
    assert claims_of(profile.user) == [(categories[0].pk, proof.pk, BonusClaim.Status.REFUSED)]


def test_query_budget_of_the_apply_page_with_a_draft_holding_claims(
    owner, position, categories, profile, django_assert_max_num_queries
):
    proofs = [DocumentFactory(profile=profile) for _ in range(3)]
    save_draft(owner, position, ticks((categories[0], proofs[0]), (categories[1], proofs[1])))
    # the page without a draft (14, test_written_apply_bonus) plus the draft's claims: one
    # query whatever their number
    with django_assert_max_num_queries(15):
        assert owner.get(reverse("applicants:apply", args=[position.pk])).status_code == 200


def test_a_drafts_claims_wait_for_the_submission_before_review(owner, position, categories, profile, client):
    from tests.exams.factories import PlanFactory
    from tests.factories import UserFactory

    PlanFactory(announcement=position.announcement)  # the announcement's exam: its score pages
    proof = DocumentFactory(profile=profile)
    save_draft(owner, position, ticks((categories[0], proof)))
    claim = BonusClaim.objects.get()
    admin = UserFactory(role="administrator")
    staff = client.__class__()
    staff.force_login(admin)
    url = reverse("exams:written_bonus_review", args=[position.announcement_id])
    page = staff.get(url)
    assert page.status_code == 200
    assert f'name="claim" value="{claim.pk}"' not in page.content.decode()
    results = staff.get(reverse("exams:written_results", args=[position.announcement_id]))
    assert results.context["pending_claims"] == 0
    response = staff.post(url, {"claim": claim.pk, f"c{claim.pk}-decision": "confirm"})
    assert response.status_code == 404
    claim.refresh_from_db()
    assert claim.status == BonusClaim.Status.CLAIMED
    submit(owner, position, ticks((categories[0], proof)))
    assert f'name="claim" value="{claim.pk}"' in staff.get(url).content.decode()
    results = staff.get(reverse("exams:written_results", args=[position.announcement_id]))
    assert results.context["pending_claims"] == 1
    staff.post(url, {"claim": claim.pk, f"c{claim.pk}-decision": "confirm"})
    claim.refresh_from_db()
    assert claim.status == BonusClaim.Status.CONFIRMED
