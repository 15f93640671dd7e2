from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from recruitment import services
from recruitment.models import Announcement, Position, RecruitmentEvent, ReviewerAssignment
from recruitment.signals import position_changed
from tests.factories import UserFactory
from tests.recruitment.factories import AnnouncementFactory, PositionFactory

pytestmark = pytest.mark.django_db


def _draft(**kwargs):
    return AnnouncementFactory(status=Announcement.Status.DRAFT, published_at=None, **kwargs)


def test_create_update_and_publish_write_audit_rows(administrator):
    now = timezone.now()
    announcement = services.announcement_create(
        actor=administrator,
        fields={
            "title": "公告",
            "organiser": "民政局",
            "body": "正文",
            "registration_opens_at": now,
            "registration_closes_at": now + timedelta(days=5),
            "review_deadline": now + timedelta(days=8),
        },
        bonus_categories=[{"name": "社会工作师", "points": 2}],
    )
    assert announcement.status == "draft"
    assert announcement.bonus_categories.get().name == "社会工作师"
    services.announcement_update(actor=administrator, announcement=announcement, fields={"title": "新标题"})
    services.position_create(
        actor=administrator,
        announcement=announcement,
        fields={"code": "A1", "name": "社区工作者", "district": "铁东区", "quota": 3},
    )
    position = announcement.positions.get()
    assert position.original_quota == 3
    services.announcement_publish(actor=administrator, announcement=announcement)
    announcement.refresh_from_db()
    assert announcement.status == "published" and announcement.published_at
    actions = list(announcement.events.values_list("action", flat=True))
    assert actions == ["created", "updated", "position_created", "published"]
    with pytest.raises(ValidationError):
        services.announcement_update(actor=administrator, announcement=announcement, fields={"title": "x"})
    with pytest.raises(ValidationError):
        services.position_create(
            actor=administrator,
            announcement=announcement,
            fields={"code": "A2", "name": "x", "district": "x", "quota": 1},
        )


def test_publish_refuses_without_positions(administrator):
    announcement = _draft()
    with pytest.raises(ValidationError) as error:
        services.announcement_publish(actor=administrator, announcement=announcement)
    assert "公告还没有岗位。" in error.value.messages
    announcement.refresh_from_db()
    assert announcement.status == "draft"


def test_publish_lists_every_reason(administrator):
    now = timezone.now()
    announcement = _draft(
        review_deadline=now + timedelta(days=10),
        interview_at=now + timedelta(days=6),  # before the review deadline (day 10)
    )
    PositionFactory(announcement=announcement, code="Z1", quota=0, original_quota=0)
    with pytest.raises(ValidationError) as error:
        services.announcement_publish(actor=administrator, announcement=announcement)
    messages = error.value.messages
    assert "面试时间必须晚于资格审核截止时间。" in messages
    assert "岗位 Z1 的招聘人数必须大于 0。" in messages
    assert len(messages) >= 2
    assert not announcement.events.filter(action="published").exists()


def test_schedule_reads_the_written_exam_from_the_exam_plan(administrator):
    """The exam's times are the exam plan's (recruitment.hooks; exams registers it): an
    interview before the written exam's end is refused, after it accepted."""
    from tests.exams.factories import PlanFactory, SessionFactory

    now = timezone.now()
    announcement = _draft(review_deadline=now + timedelta(days=10), interview_at=now + timedelta(days=20))
    plan = PlanFactory(announcement=announcement)
    exam_at = now + timedelta(days=20) - timedelta(hours=1)  # ends an hour after the interview starts
    SessionFactory(plan=plan, starts_at=exam_at, ends_at=exam_at + timedelta(hours=2))
    assert "面试时间必须晚于笔试时间。" in services.schedule_problems(announcement)
    announcement.interview_at = exam_at + timedelta(hours=2, seconds=1)
    assert services.schedule_problems(announcement) == []


def test_publish_refuses_a_registration_already_over(administrator):
    now = timezone.now()
    announcement = _draft(
        registration_opens_at=now - timedelta(days=10),
        registration_closes_at=now - timedelta(days=3),
        review_deadline=now + timedelta(days=1),
    )
    PositionFactory(announcement=announcement)
    with pytest.raises(ValidationError) as error:
        services.announcement_publish(actor=administrator, announcement=announcement)
    assert error.value.messages == ["报名截止时间已过，不能发布。"]


def test_close_and_archive_move_forward_only(administrator):
    announcement = AnnouncementFactory()
    with pytest.raises(ValidationError):
        services.announcement_archive(actor=administrator, announcement=announcement)
    services.announcement_close(actor=administrator, announcement=announcement, reason="招聘结束")
    services.announcement_archive(actor=administrator, announcement=announcement)
    announcement.refresh_from_db()
    assert announcement.status == "archived"
    assert list(announcement.events.values_list("from_value", "to_value")) == [
        ("published", "closed"),
        ("closed", "archived"),
    ]


def test_reduce_position_sends_signal_and_audits(administrator):
    position = PositionFactory(quota=5, original_quota=5)
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    position_changed.connect(receiver)
    try:
        services.position_reduce(
            actor=administrator, position=position, quota=2, reason="报名人数不足开考比例"
        )
    finally:
        position_changed.disconnect(receiver)
    position.refresh_from_db()
    assert (position.quota, position.original_quota, position.status) == (2, 5, "reduced")
    assert received[0]["action"] == "reduced" and received[0]["position"].pk == position.pk
    assert received[0]["actor"] == administrator and received[0]["reason"] == "报名人数不足开考比例"
    event = RecruitmentEvent.objects.get(action="position_reduced")
    assert (event.from_value, event.to_value, event.position_id) == ("5", "2", position.pk)
    assert received[0]["old_quota"] == 5
    # A second reduction tells the quota it had just before (2), not the original (5).
    position_changed.connect(receiver)
    try:
        services.position_reduce(actor=administrator, position=position, quota=1, reason="仍不足")
    finally:
        position_changed.disconnect(receiver)
    assert received[1]["old_quota"] == 2


@pytest.mark.parametrize("quota", [0, 5, 6, -1])
def test_reduce_requires_a_smaller_positive_quota(administrator, quota):
    position = PositionFactory(quota=5, original_quota=5)
    with pytest.raises(ValidationError) as error:
        services.position_reduce(actor=administrator, position=position, quota=quota, reason="原因")
    assert "quota" in error.value.message_dict


def test_reduce_and_cancel_require_a_reason(administrator):
    position = PositionFactory(quota=5, original_quota=5)
    with pytest.raises(ValidationError):
        services.position_reduce(actor=administrator, position=position, quota=2, reason="  ")
    with pytest.raises(ValidationError):
        services.position_cancel(actor=administrator, position=position, reason="")


def test_cancel_sets_quota_zero_and_a_receiver_error_rolls_back(administrator):
    position = PositionFactory(quota=3, original_quota=3)

    def failing(sender, **kwargs):
        raise RuntimeError("notify failed")

    position_changed.connect(failing)
    try:
        with pytest.raises(RuntimeError):
            services.position_cancel(actor=administrator, position=position, reason="未达开考比例")
    finally:
        position_changed.disconnect(failing)
    position.refresh_from_db()
    assert position.status == "open" and position.quota == 3
    services.position_cancel(actor=administrator, position=position, reason="未达开考比例")
    position.refresh_from_db()
    assert (position.status, position.quota, position.status_reason) == ("cancelled", 0, "未达开考比例")
    with pytest.raises(ValidationError):
        services.position_cancel(actor=administrator, position=position, reason="again")


def test_reduce_refused_on_a_draft(administrator):
    position = PositionFactory(announcement=_draft(), quota=3, original_quota=3)
    with pytest.raises(ValidationError):
        services.position_reduce(actor=administrator, position=position, quota=1, reason="x")


def test_position_delete_only_in_drafts(administrator):
    draft_position = PositionFactory(announcement=_draft())
    services.position_delete(actor=administrator, position=draft_position)
    assert not Position.objects.filter(pk=draft_position.pk).exists()
    published_position = PositionFactory()
    with pytest.raises(ValidationError):
        services.position_delete(actor=administrator, position=published_position)


def test_reviewer_assignment(administrator, reviewer, applicant):
    announcement = AnnouncementFactory()
    services.reviewer_assign(actor=administrator, announcement=announcement, reviewer=reviewer)
    services.reviewer_assign(actor=administrator, announcement=announcement, reviewer=reviewer)  # idempotent
    assert ReviewerAssignment.objects.filter(announcement=announcement).count() == 1
    with pytest.raises(ValidationError):
        services.reviewer_assign(actor=administrator, announcement=announcement, reviewer=applicant)
    services.reviewer_unassign(actor=administrator, announcement=announcement, reviewer=reviewer)
    assert not ReviewerAssignment.objects.exists()
    assert list(announcement.events.values_list("action", flat=True)) == [
        "reviewer_assigned",
        "reviewer_unassigned",
    ]


def test_attachment_must_be_a_pdf(administrator, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    announcement = AnnouncementFactory()
    fake = SimpleUploadedFile("x.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    with pytest.raises(ValidationError):
        services.attachment_add(actor=administrator, announcement=announcement, title="附件", upload=fake)
    pdf = SimpleUploadedFile(
        "岗位表.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\n%%EOF", content_type="application/pdf"
    )
    attachment = services.attachment_add(
        actor=administrator, announcement=announcement, title="岗位表", upload=pdf
    )
    assert attachment.file.name.endswith(".pdf")


def test_factories_are_stable():
    position = PositionFactory()
    assert position.announcement.status == "published"
    assert position.original_quota == position.quota == 2
    assert (
        position.announcement.registration_opens_at
        < timezone.now()
        < position.announcement.registration_closes_at
    )
    assert UserFactory()
