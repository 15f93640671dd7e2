from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from applicants import services
from applicants.models import Application, ApplicationEvent, Stage
from applicants.transitions import transition
from notifications.models import Notification
from recruitment.models import Announcement, Position
from recruitment.signals import position_changed
from review.models import RejectionReason
from tests.applicants.factories import PDF_BYTES, ProfileFactory
from tests.factories import UserFactory
from tests.recruitment.factories import PositionFactory

pytestmark = pytest.mark.django_db


def submit(user, position, **kwargs):
    kwargs.setdefault("declaration_accepted", True)
    return services.application_submit(user=user, position=position, **kwargs)


def test_submit_records_snapshot_eligibility_audit_and_notification(applicant_user, position, profile):
    application = submit(applicant_user, position)
    assert application.stage == Stage.SUBMITTED
    assert application.snapshot["id_number"] == profile.id_number
    assert application.snapshot["education"][0]["major"] == "社会工作"
    assert application.eligibility_outcome == "passed"
    assert {rule["rule"] for rule in application.eligibility} >= {"age", "education", "household"}
    assert application.declaration_accepted_at is not None
    events = list(ApplicationEvent.objects.filter(application=application))
    assert [(e.from_stage, e.to_stage) for e in events] == [(Stage.DRAFT, Stage.SUBMITTED)]
    assert Notification.objects.filter(recipient=applicant_user, event="application_submitted").count() == 1


def test_declaration_must_be_ticked(applicant_user, position):
    with pytest.raises(services.ApplicationError, match="诚信承诺"):
        submit(applicant_user, position, declaration_accepted=False)
    assert not Application.objects.exists()


def test_a_failed_hard_rule_blocks_and_says_why(applicant_user, announcement):
    too_young = PositionFactory(announcement=announcement, max_age=25)
    with pytest.raises(services.NotEligible) as error:
        submit(applicant_user, too_young)
    assert "周岁" in error.value.message
    assert error.value.eligibility_result.outcome == "failed"
    assert not Application.objects.exists()


def test_manual_outcome_is_submitted_for_a_human(applicant_user, announcement):
    post = PositionFactory(announcement=announcement, majors=["社会学"])
    application = submit(applicant_user, post)
    assert application.eligibility_outcome == "manual"


def test_registration_window_by_the_server_clock(applicant_user, position):
    announcement = position.announcement
    with pytest.raises(services.ApplicationError, match="尚未开始"):
        submit(applicant_user, position, now=announcement.registration_opens_at - timedelta(seconds=1))
    with pytest.raises(services.ApplicationError, match="截止"):
        submit(applicant_user, position, now=announcement.registration_closes_at)
    with pytest.raises(services.ApplicationError, match="截止"):
        submit(applicant_user, position, now=announcement.registration_closes_at + timedelta(seconds=1))
    assert not Application.objects.exists()
    application = submit(
        applicant_user, position, now=announcement.registration_closes_at - timedelta(seconds=1)
    )
    assert application.stage == Stage.SUBMITTED
    other = ProfileFactory().user
    assert submit(other, position, now=announcement.registration_opens_at).stage == Stage.SUBMITTED


def test_unpublished_announcement_and_cancelled_position_refused(applicant_user, position, other_position):
    Position.objects.filter(pk=other_position.pk).update(status=Position.Status.CANCELLED, quota=0)
    other_position.refresh_from_db()
    with pytest.raises(services.ApplicationError, match="取消"):
        submit(applicant_user, other_position)
    Announcement.objects.filter(pk=position.announcement_id).update(status=Announcement.Status.DRAFT)
    position.announcement.refresh_from_db()
    with pytest.raises(services.ApplicationError):
        submit(applicant_user, position)


def test_one_application_per_announcement(applicant_user, position, other_position):
    first = submit(applicant_user, position)
    with pytest.raises(services.AlreadyApplied) as error:
        submit(applicant_user, other_position)
    assert error.value.application.pk == first.pk
    with pytest.raises(services.AlreadyApplied):
        submit(applicant_user, position)  # a double-click
    assert Application.objects.count() == 1


def test_a_draft_is_submitted_in_place(applicant_user, position, other_position):
    draft = services.application_save_draft(user=applicant_user, position=position)
    assert draft.stage == Stage.DRAFT
    application = submit(applicant_user, other_position)
    assert application.pk == draft.pk and application.position_id == other_position.pk
    assert application.stage == Stage.SUBMITTED


def test_profile_and_photo_are_required(position):
    user = UserFactory(role="applicant")
    with pytest.raises(services.ApplicationError, match="个人信息"):
        submit(user, position)
    no_photo = ProfileFactory(photo="")
    with pytest.raises(services.ApplicationError, match="证件照"):
        submit(no_photo.user, position)


def test_snapshot_unchanged_after_profile_edit(applicant_user, position, profile):
    application = submit(applicant_user, position)
    before = dict(application.snapshot)
    services.profile_save(
        user=applicant_user,
        fields={"real_name": profile.real_name, "id_number": profile.id_number, "address": "新地址"},
        education=[],
    )
    application.refresh_from_db()
    assert application.snapshot == before
    assert application.snapshot["address"] != "新地址" and application.snapshot["education"]


def test_withdraw_before_close_then_apply_again(applicant_user, position, other_position):
    application = submit(applicant_user, position)
    application = services.application_withdraw(application=application, user=applicant_user)
    assert application.stage == Stage.WITHDRAWN
    again = submit(applicant_user, other_position)
    assert again.pk == application.pk and again.stage == Stage.SUBMITTED


def test_withdraw_after_close_refused(applicant_user, position):
    application = submit(applicant_user, position)
    with pytest.raises(services.ApplicationError, match="截止"):
        services.application_withdraw(
            application=application, user=applicant_user, now=position.announcement.registration_closes_at
        )


def _return(application, reviewer):
    return transition(
        application,
        to_stage=Stage.RETURNED,
        actor=reviewer,
        from_stages=[Stage.SUBMITTED],
        reason="请补充毕业证书",
        return_instructions="请补充毕业证书",
    )


def test_returned_application_resubmitted_to_another_position(
    applicant_user, position, other_position, reviewer
):
    application = _return(submit(applicant_user, position), reviewer)
    application = services.application_resubmit(
        application=application, user=applicant_user, position=other_position, declaration_accepted=True
    )
    assert application.stage == Stage.SUBMITTED
    assert application.position_id == other_position.pk
    assert application.return_instructions == ""
    stages = list(ApplicationEvent.objects.filter(application=application).values_list("to_stage", flat=True))
    assert stages == [Stage.SUBMITTED, Stage.RETURNED, Stage.SUBMITTED]


def test_resubmit_after_review_deadline_refused(applicant_user, position, reviewer):
    application = _return(submit(applicant_user, position), reviewer)
    with pytest.raises(services.ApplicationError, match="审核已截止"):
        services.application_resubmit(
            application=application,
            user=applicant_user,
            declaration_accepted=True,
            now=position.announcement.review_deadline,
        )


def test_rejected_can_resubmit_but_approved_cannot(applicant_user, position, reviewer):
    application = submit(applicant_user, position)
    reason = RejectionReason.objects.get(code="documents")
    application = transition(
        application,
        to_stage=Stage.REJECTED,
        actor=reviewer,
        from_stages=[Stage.SUBMITTED],
        rejection_reason=reason,
    )
    application = services.application_resubmit(
        application=application, user=applicant_user, declaration_accepted=True
    )
    assert application.stage == Stage.SUBMITTED and application.rejection_reason is None
    application = transition(
        application, to_stage=Stage.APPROVED, actor=reviewer, from_stages=[Stage.SUBMITTED]
    )
    with pytest.raises(services.ApplicationError, match="审核通过"):
        services.application_resubmit(application=application, user=applicant_user, declaration_accepted=True)


def test_rejection_reason_catalogue_is_seeded():
    assert set(RejectionReason.objects.values_list("label", flat=True)) >= {
        "年龄不符合",
        "学历不符合",
        "专业不符合",
        "户籍不符合",
        "政治面貌不符合",
        "工作经历不符合",
        "材料不全或不清晰",
        "其他",
    }


def test_switch_once_after_position_cancelled(applicant_user, position, other_position, announcement):
    application = submit(applicant_user, position)
    Position.objects.filter(pk=position.pk).update(status=Position.Status.CANCELLED, quota=0)
    application = Application.objects.select_related("announcement", "position").get(pk=application.pk)
    assert services.can_switch_after_cancel(application)
    application = services.application_switch_position(
        application=application, user=applicant_user, position=other_position
    )
    assert application.switched_position and application.position_id == other_position.pk
    third = PositionFactory(announcement=announcement)
    Position.objects.filter(pk=other_position.pk).update(status=Position.Status.CANCELLED, quota=0)
    application = Application.objects.select_related("announcement", "position").get(pk=application.pk)
    with pytest.raises(services.ApplicationError):
        services.application_switch_position(application=application, user=applicant_user, position=third)


def test_switch_not_allowed_where_announcement_forbids(applicant_user, position, other_position):
    Announcement.objects.filter(pk=position.announcement_id).update(allow_switch_on_cancel=False)
    application = submit(applicant_user, position)
    Position.objects.filter(pk=position.pk).update(status=Position.Status.CANCELLED, quota=0)
    application = Application.objects.select_related("announcement", "position").get(pk=application.pk)
    with pytest.raises(services.ApplicationError):
        services.application_switch_position(
            application=application, user=applicant_user, position=other_position
        )


def test_position_changed_signal_notifies_applicants(applicant_user, position, administrator):
    submit(applicant_user, position)
    bystander = ProfileFactory().user
    position.status, position.quota = Position.Status.CANCELLED, 0
    position_changed.send(
        sender=Position, position=position, action="cancelled", reason="报名人数不足", actor=administrator
    )
    assert Notification.objects.filter(recipient=applicant_user, event="position_cancelled").count() == 1
    assert not Notification.objects.filter(recipient=bystander, event="position_cancelled").exists()
    for quota in (2, 1, 1):  # the same quota twice (a re-sent signal) is one message
        position.status, position.quota = Position.Status.REDUCED, quota
        position_changed.send(
            sender=Position, position=position, action="reduced", reason="核减", actor=administrator
        )
    assert Notification.objects.filter(recipient=applicant_user, event="position_reduced").count() == 2


def test_identity_is_frozen_after_lock(profile):
    services.profile_lock_identity(profile)
    profile.refresh_from_db()
    assert profile.identity_locked
    with pytest.raises(ValidationError) as error:
        services.profile_save(user=profile.user, fields={"real_name": "李四", "id_number": profile.id_number})
    assert "锁定" in str(error.value)
    saved = services.profile_save(
        user=profile.user,
        fields={"real_name": profile.real_name, "id_number": profile.id_number, "address": "新"},
    )
    assert saved.address == "新"


def test_one_id_number_one_account(profile):
    other = UserFactory(role="applicant")
    with pytest.raises(ValidationError) as error:
        services.profile_save(
            user=other,
            fields={
                "real_name": "李四",
                "id_number": profile.id_number,
                "household_province": "辽宁省",
                "household_city": "鞍山市",
            },
        )
    assert "不能用于本账号" in str(error.value)


def test_profile_save_derives_birth_date_and_sex():
    from applicants.id_numbers import make_id_number

    user = UserFactory(role="applicant")
    number = make_id_number("210303", date(1998, 3, 9), 12)  # sequence 012: even → female
    profile = services.profile_save(
        user=user,
        fields={
            "real_name": "买买提·艾力",
            "id_number": number,
            "household_province": "辽宁省",
            "household_city": "鞍山市",
        },
        education=[
            {
                "level": 30,
                "school": "鞍山师范学院",
                "major": "社会工作",
                "graduated_on": date(2020, 7, 1),
                "full_time": True,
            }
        ],
    )
    assert profile.birth_date == date(1998, 3, 9) and profile.sex == "female"
    assert profile.education.count() == 1
    user.refresh_from_db()
    assert user.name == "买买提·艾力"


def test_document_limits_and_delete_rules(profile, position, settings):
    settings.APPLICANT_DOCUMENT_MAX_COUNT = 2
    for index in range(2):
        services.document_upload(
            profile=profile, kind="diploma", upload=SimpleUploadedFile(f"d{index}.pdf", PDF_BYTES)
        )
    with pytest.raises(ValidationError, match="最多"):
        services.document_upload(
            profile=profile, kind="diploma", upload=SimpleUploadedFile("d3.pdf", PDF_BYTES)
        )
    document = profile.documents.first()
    submit(profile.user, position)
    with pytest.raises(ValidationError, match="不能删除"):
        services.document_delete(profile=profile, document=document)


def test_submit_query_budget(applicant_user, position, django_assert_max_num_queries):
    position = Position.objects.select_related("announcement").get(pk=position.pk)
    # 5 profile reads, 3 application writes + refresh, 5 notification rows, 6 savepoints.
    with django_assert_max_num_queries(21):
        submit(applicant_user, position, now=timezone.now())


def test_audiences_for_reminders_and_mass_notices(applicant_user, position, reviewer):
    from notifications.audiences import as_member, get_audience

    Application.objects.all().delete()
    draft = services.application_save_draft(user=applicant_user, position=position)
    position.announcement.__class__.objects.filter(pk=position.announcement_id).update(
        registration_closes_at=timezone.now() + timedelta(hours=10)
    )
    members = [as_member(m) for m in get_audience("draft_unsubmitted").func(within_hours=48)]
    assert [m.user for m in members] == [applicant_user]
    assert members[0].context["url"] == f"/me/applications/{draft.pk}/"
    assert not list(get_audience("announcement_applicants").func(announcement_id=position.announcement_id))
    submitted = submit(applicant_user, position)
    assert list(get_audience("position_applicants").func(position_id=position.pk)) == [applicant_user]
    _return(submitted, reviewer)
    Announcement.objects.filter(pk=position.announcement_id).update(
        review_deadline=timezone.now() + timedelta(hours=20)
    )
    members = [as_member(m) for m in get_audience("returned_application").func(within_hours=48)]
    assert members[0].context["fix_instructions"] == "请补充毕业证书"


def test_a_reduced_position_keeps_its_applicants_no_switch(applicant_user, position, other_position):
    application = submit(applicant_user, position)
    Position.objects.filter(pk=position.pk).update(status=Position.Status.REDUCED, quota=1)
    application = Application.objects.select_related("announcement", "position").get(pk=application.pk)
    assert not services.can_switch_after_cancel(application)
    with pytest.raises(services.ApplicationError):
        services.application_switch_position(
            application=application, user=applicant_user, position=other_position
        )
    assert Application.objects.get(pk=application.pk).position_id == position.pk


def _identity(profile, **changes):
    return {"real_name": profile.real_name, "id_number": profile.id_number, **changes}


def test_identity_cannot_change_while_under_review(applicant_user, position, profile):
    application = submit(applicant_user, position)
    with pytest.raises(ValidationError) as error:
        services.profile_save(user=applicant_user, fields=_identity(profile, real_name="王五"))
    assert "审核中" in str(error.value.message_dict["real_name"])
    profile.refresh_from_db()
    assert profile.real_name == application.snapshot["real_name"]
    # Other fields stay editable (the snapshot keeps what was submitted).
    assert (
        services.profile_save(user=applicant_user, fields=_identity(profile, address="新址")).address
        == "新址"
    )
    # Withdrawn, the applicant may correct the name and submit again.
    services.application_withdraw(application=application, user=applicant_user)
    services.profile_save(user=applicant_user, fields=_identity(profile, real_name="王五"))
    resubmitted = submit(applicant_user, position)
    assert resubmitted.snapshot["real_name"] == "王五"


def test_photo_cannot_be_replaced_while_under_review(applicant_user, position, profile):
    from tests.applicants.factories import jpeg_bytes

    application = submit(applicant_user, position)
    assert application.snapshot["photo"] == profile.photo.name
    upload = SimpleUploadedFile("new.jpg", jpeg_bytes(color=(10, 10, 10)), content_type="image/jpeg")
    with pytest.raises(ValidationError) as error:
        services.profile_set_photo(profile=profile, upload=upload)
    assert "证件照不能更换" in error.value.messages[0]
    profile.refresh_from_db()
    assert profile.photo.name == application.snapshot["photo"]


def test_a_replaced_photo_stays_on_disk_while_a_snapshot_names_it(
    applicant_user, position, profile, django_capture_on_commit_callbacks
):
    from tests.applicants.factories import jpeg_bytes

    application = submit(applicant_user, position)
    services.application_withdraw(application=application, user=applicant_user)
    submitted_photo = profile.photo.name
    upload = SimpleUploadedFile("new.jpg", jpeg_bytes(color=(10, 10, 10)), content_type="image/jpeg")
    with django_capture_on_commit_callbacks(execute=True):
        services.profile_set_photo(profile=profile, upload=upload)
    assert profile.photo.name != submitted_photo
    assert profile.photo.storage.exists(submitted_photo)  # the withdrawn application still names it
    again = SimpleUploadedFile("again.jpg", jpeg_bytes(color=(90, 90, 90)), content_type="image/jpeg")
    replaced = profile.photo.name
    with django_capture_on_commit_callbacks(execute=True):
        services.profile_set_photo(profile=profile, upload=again)
    assert not profile.photo.storage.exists(replaced)  # named by no application: removed


def test_approval_refused_when_identity_differs_from_the_submission(
    applicant_user, position, profile, reviewer
):
    from review import services as review_services

    application = submit(applicant_user, position)
    # A change that slipped past the form (e.g. by an administrator in the database).
    type(profile).objects.filter(pk=profile.pk).update(real_name="赵六")
    with pytest.raises(review_services.IdentityChanged):
        review_services.application_approve(
            application=application, actor=reviewer, expected_version=application.version
        )
    application.refresh_from_db()
    profile.refresh_from_db()
    assert application.stage == Stage.SUBMITTED and not profile.identity_locked


def test_records_are_kept_in_chinese_whatever_language_the_applicant_uses(applicant_user, position):
    from django.utils import translation

    with translation.override("en"):
        application = submit(applicant_user, position)
        services.application_withdraw(application=application, user=applicant_user)
    messages = " ".join(rule["message"] for rule in application.eligibility)
    assert "周岁" in messages and "years" not in messages
    event = ApplicationEvent.objects.filter(application=application, to_stage=Stage.WITHDRAWN).get()
    assert event.reason == "本人撤回"


def test_a_rejection_reason_reads_in_the_readers_language():
    from django.utils import translation

    reason = RejectionReason(code="x", label="学历不符合", label_en="Education does not qualify")
    assert str(reason) == "学历不符合"
    with translation.override("en"):
        assert str(reason) == "Education does not qualify"
        reason.label_en = ""
        assert str(reason) == "学历不符合"
