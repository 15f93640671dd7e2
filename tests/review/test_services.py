import pytest
from django.core.exceptions import ValidationError

from applicants.models import ApplicationEvent, Stage
from applicants.transitions import StaleApplication
from review import services

pytestmark = pytest.mark.django_db


def test_approve_moves_to_approved_audits_locks_identity_and_notifies(
    application, assigned_reviewer, notified
):
    result = services.application_approve(
        application=application, actor=assigned_reviewer, expected_version=1
    )
    assert result.stage == Stage.APPROVED
    assert result.version == 2
    assert result.reviewed_by == assigned_reviewer
    assert result.decided_at is not None
    application.applicant.profile.refresh_from_db()
    assert application.applicant.profile.identity_locked
    event = ApplicationEvent.objects.get(application=application)
    assert (event.from_stage, event.to_stage, event.actor) == (
        Stage.SUBMITTED,
        Stage.APPROVED,
        assigned_reviewer,
    )
    assert [call[1] for call in notified] == ["application_approved"]


def test_reject_requires_a_reason_and_words(application, assigned_reviewer, reason):
    with pytest.raises(ValidationError) as error:
        services.application_reject(
            application=application, actor=assigned_reviewer, expected_version=1, reason=None, note=""
        )
    assert set(error.value.message_dict) == {"reason", "note"}
    application.refresh_from_db()
    assert application.stage == Stage.SUBMITTED
    assert not ApplicationEvent.objects.exists()


def test_reject_refuses_an_inactive_reason(application, assigned_reviewer, reason):
    reason.active = False
    reason.save()
    with pytest.raises(ValidationError):
        services.application_reject(
            application=application,
            actor=assigned_reviewer,
            expected_version=1,
            reason=reason,
            note="本科以下",
        )


def test_reject_records_reason_and_tells_the_applicant(application, assigned_reviewer, reason, notified):
    result = services.application_reject(
        application=application,
        actor=assigned_reviewer,
        expected_version=1,
        reason=reason,
        note="仅有高中学历",
    )
    assert result.stage == Stage.REJECTED
    assert result.rejection_reason == reason
    assert result.rejection_note == "仅有高中学历"
    event = ApplicationEvent.objects.get(application=application)
    assert event.to_stage == Stage.REJECTED
    assert "学历不符合岗位要求" in event.reason and "仅有高中学历" in event.reason
    (pk, name, context) = notified[0]
    assert name == "application_rejected"
    assert context["reason"] == "学历不符合岗位要求：仅有高中学历"
    assert context["reason_code"] == "review-test-education"


def test_rejection_wording_follows_the_applicant_language(application, assigned_reviewer, reason, notified):
    application.applicant.language = "en"
    application.applicant.save()
    services.application_reject(
        application=application,
        actor=assigned_reviewer,
        expected_version=1,
        reason=reason,
        note="high school only",
    )
    assert notified[0][2]["reason"] == "Education does not meet the requirement: high school only"


def test_return_requires_instructions(application, assigned_reviewer):
    with pytest.raises(ValidationError) as error:
        services.application_return(
            application=application, actor=assigned_reviewer, expected_version=1, instructions="  "
        )
    assert "instructions" in error.value.message_dict


def test_return_records_what_to_fix(application, assigned_reviewer, notified):
    result = services.application_return(
        application=application,
        actor=assigned_reviewer,
        expected_version=1,
        instructions="请上传清晰的毕业证",
    )
    assert result.stage == Stage.RETURNED
    assert result.return_instructions == "请上传清晰的毕业证"
    assert ApplicationEvent.objects.get(application=application).reason == "请上传清晰的毕业证"
    assert notified[0][1] == "application_returned"
    assert notified[0][2]["fix_instructions"] == "请上传清晰的毕业证"


def test_a_decision_on_an_old_version_is_refused_and_overwrites_nothing(
    application, assigned_reviewer, reason, notified
):
    services.application_return(
        application=application, actor=assigned_reviewer, expected_version=1, instructions="补充材料"
    )
    with pytest.raises(StaleApplication) as error:
        services.application_approve(application=application, actor=assigned_reviewer, expected_version=1)
    assert "已被他人处理" in str(error.value)
    application.refresh_from_db()
    assert application.stage == Stage.RETURNED
    assert ApplicationEvent.objects.filter(application=application).count() == 1
    assert len(notified) == 1


def test_a_decided_application_cannot_be_decided_again(application, assigned_reviewer, reason):
    services.application_approve(application=application, actor=assigned_reviewer, expected_version=1)
    with pytest.raises(StaleApplication):
        services.application_reject(
            application=application, actor=assigned_reviewer, expected_version=2, reason=reason, note="x"
        )


def test_notifications_are_written_with_the_decision(application, assigned_reviewer):
    from notifications.models import Notification

    services.application_approve(application=application, actor=assigned_reviewer, expected_version=1)
    assert (
        Notification.objects.filter(recipient=application.applicant, event="application_approved").count()
        == 1
    )


def test_a_transition_keeps_related_objects_whose_key_did_not_change(
    application, reviewer, django_assert_num_queries
):
    from django.db import transaction

    from applicants.models import Application
    from applicants.transitions import transition

    loaded = Application.objects.select_related("applicant", "announcement", "reviewed_by").get(
        pk=application.pk
    )
    with transaction.atomic():
        transition(
            loaded,
            to_stage=Stage.RETURNED,
            actor=reviewer,
            from_stages=[Stage.SUBMITTED],
            reviewed_by=reviewer,
            return_instructions="补充学历证书",
        )
    with django_assert_num_queries(0):  # not fetched again for the notification
        assert (loaded.applicant.pk, loaded.announcement.title) == (
            application.applicant_id,
            application.announcement.title,
        )
    assert loaded.reviewed_by == reviewer and loaded.stage == Stage.RETURNED  # a changed key is not kept
