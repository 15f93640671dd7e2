"""Issue 13, kind 11: an administrator reopens a decision made in error before the review
deadline, with a reason, audited and notified — the one audited exception to "stages only
move forward". Reviewers get 403, applicants 403, anonymous visitors the sign-in page."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from applicants.models import ApplicationEvent, Stage
from applicants.transitions import StaleApplication
from notifications.models import Notification
from review import services
from tests.applicants.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(application, assigned_reviewer):
    return services.application_approve(application=application, actor=assigned_reviewer, expected_version=1)


def test_reopening_an_approval_goes_back_to_awaiting_review_audited_notified_and_unlocked(
    approved, administrator, notified
):
    submitted_at = approved.submitted_at
    assert approved.applicant.profile.identity_locked
    result = services.application_reopen(
        application=approved,
        actor=administrator,
        expected_version=approved.version,
        reason="误将学历不符者通过。",
    )
    # Stage back to 待审核, version 2 → 3, decision fields cleared, queue place kept.
    assert (result.stage, result.version, result.reviewed_by, result.decided_at) == (
        Stage.SUBMITTED,
        3,
        None,
        None,
    )
    assert result.submitted_at == submitted_at
    event = ApplicationEvent.objects.filter(application=approved).latest("pk")
    assert (event.from_stage, event.to_stage, event.actor) == (Stage.APPROVED, Stage.SUBMITTED, administrator)
    assert "误将学历不符者通过" in event.reason and "撤销审核结论" in event.reason
    assert notified[-1][1] == "application_reopened"
    assert notified[-1][2]["reason"] == "误将学历不符者通过"  # the template adds its own full stop
    body = Notification.objects.filter(recipient=approved.applicant, event="application_reopened").get().body
    assert "误将学历不符者通过。" in body and "。。" not in body
    approved.applicant.profile.refresh_from_db()
    assert not approved.applicant.profile.identity_locked  # the approval that locked it is gone


@pytest.mark.parametrize("stage", [Stage.REJECTED, Stage.RETURNED])
def test_a_rejection_or_a_return_can_be_reopened_too(position, administrator, reason, stage):
    fields = {"rejection_reason": reason} if stage == Stage.REJECTED else {"return_instructions": "补照片"}
    application = ApplicationFactory(position=position, stage=stage, **fields)
    result = services.application_reopen(
        application=application, actor=administrator, expected_version=application.version, reason="审核有误"
    )
    assert (result.stage, result.rejection_reason, result.return_instructions) == (Stage.SUBMITTED, None, "")


def _refused(application, actor, **kwargs):
    before = (application.stage, application.version)
    with pytest.raises((ValidationError, PermissionDenied, StaleApplication)) as error:
        services.application_reopen(
            application=application,
            actor=actor,
            expected_version=kwargs.pop("expected_version", application.version),
            reason=kwargs.pop("reason", "审核有误"),
            **kwargs,
        )
    application.refresh_from_db()
    assert (application.stage, application.version) == before  # nothing written
    assert not ApplicationEvent.objects.filter(application=application, to_stage=Stage.SUBMITTED).exists()
    return error.value


def test_refusals_write_nothing(approved, administrator, assigned_reviewer):
    assert isinstance(_refused(approved, assigned_reviewer), PermissionDenied)  # reviewers may not
    assert "reason" in _refused(approved, administrator, reason="  ").message_dict
    late = approved.announcement.review_deadline + timedelta(seconds=1)
    assert "截止" in _refused(approved, administrator, now=late).messages[0]
    assert isinstance(_refused(approved, administrator, expected_version=1), StaleApplication)


def test_only_decided_applications_can_be_reopened(application, administrator):
    # Awaiting review already (nothing to withdraw) → refused.
    assert "撤销结论" in _refused(application, administrator).messages[0]


def test_an_earlier_approval_elsewhere_keeps_the_identity_locked(approved, administrator, assigned_reviewer):
    from tests.applicants.factories import ReviewPositionFactory

    other = ApplicationFactory(
        applicant=approved.applicant, position=ReviewPositionFactory(), stage=Stage.APPROVED
    )
    assert other.pk
    services.application_reopen(
        application=approved, actor=administrator, expected_version=approved.version, reason="审核有误"
    )
    approved.applicant.profile.refresh_from_db()
    assert approved.applicant.profile.identity_locked


# --- The page ---------------------------------------------------------------------------------


def test_the_administrator_sees_the_form_and_reopens_from_the_review_page(
    client, approved, administrator, django_assert_max_num_queries
):
    client.force_login(administrator)
    url = reverse("review:application", args=[approved.pk])
    with django_assert_max_num_queries(16):
        page = client.get(url).content.decode()
    assert reverse("review:reopen", args=[approved.pk]) in page and "撤销审核结论" in page
    response = client.post(
        reverse("review:reopen", args=[approved.pk]),
        {"version": approved.version, "reason": "误判"},
        follow=True,
    )
    approved.refresh_from_db()
    assert approved.stage == Stage.SUBMITTED
    page = response.content.decode()
    assert "已撤销审核结论" in page and "误判" in page  # the reason shows in the record
    assert "审核通过 → 待审核" in page  # words, not "approved → submitted"


def test_a_missing_reason_is_said_and_changes_nothing(client, approved, administrator):
    client.force_login(administrator)
    response = client.post(
        reverse("review:reopen", args=[approved.pk]), {"version": approved.version}, follow=True
    )
    assert "请写明撤销审核结论的原因" in response.content.decode()
    approved.refresh_from_db()
    assert approved.stage == Stage.APPROVED


def test_reviewers_and_applicants_get_403_and_visitors_sign_in(
    client, approved, assigned_reviewer, applicant
):
    url = reverse("review:reopen", args=[approved.pk])
    data = {"version": approved.version, "reason": "误判"}
    response = client.post(url, data)
    assert response.status_code == 302 and "login" in response["Location"]
    for user in (assigned_reviewer, applicant, approved.applicant):
        client.force_login(user)
        assert client.post(url, data).status_code == 403
    client.force_login(assigned_reviewer)
    page = client.get(reverse("review:application", args=[approved.pk])).content.decode()
    assert reverse("review:reopen", args=[approved.pk]) not in page  # no form for reviewers
    approved.refresh_from_db()
    assert approved.stage == Stage.APPROVED


def test_no_form_after_the_review_deadline(client, approved, administrator):
    announcement = approved.announcement
    announcement.review_deadline = timezone.now() - timedelta(minutes=1)
    announcement.save(update_fields=["review_deadline"])
    client.force_login(administrator)
    page = client.get(reverse("review:application", args=[approved.pk])).content.decode()
    assert reverse("review:reopen", args=[approved.pk]) not in page
