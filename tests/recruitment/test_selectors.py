from datetime import timedelta
from unittest import mock

import pytest
from django.apps import apps
from django.utils import timezone

from recruitment import selectors
from tests.factories import UserFactory
from tests.recruitment.factories import AnnouncementFactory, PositionFactory

pytestmark = pytest.mark.django_db


def test_position_counts_with_no_applications_is_empty_and_cached(django_assert_max_num_queries):
    announcement = AnnouncementFactory()
    with django_assert_max_num_queries(1):
        assert selectors.position_counts(announcement.pk) == {}
        assert selectors.position_counts(announcement.pk) == {}


@pytest.mark.skipif(not apps.is_installed("applicants"), reason="applicants app not installed")
def test_position_counts_over_real_applications(django_assert_num_queries):
    application_model = apps.get_model("applicants", "Application")
    announcement = AnnouncementFactory()
    first, second = PositionFactory(announcement=announcement), PositionFactory(announcement=announcement)
    other = PositionFactory()
    stages = {
        first: ["draft", "submitted", "approved", "hired", "withdrawn"],
        second: ["submitted", "returned"],
        other: ["approved"],
    }
    for position, names in stages.items():
        for stage in names:
            application_model.objects.create(
                applicant=UserFactory(),
                announcement=position.announcement,
                position=position,
                stage=stage,
                return_instructions="补充材料" if stage == "returned" else "",
            )
    with django_assert_num_queries(1):
        counts = selectors.position_counts(announcement.pk)
        assert selectors.position_counts(announcement.pk) == counts
    assert counts == {
        first.pk: {"submitted": 3, "approved": 2},
        second.pk: {"submitted": 2, "approved": 0},
    }


def test_position_counts_uses_one_aggregate_query_and_caches(settings):
    announcement = AnnouncementFactory()
    position = PositionFactory(announcement=announcement)
    chain = mock.MagicMock()
    chain.objects.filter.return_value.order_by.return_value.values.return_value.annotate.return_value = [
        {"position_id": position.pk, "submitted": 7, "approved": 3}
    ]
    real_get_model = apps.get_model

    def fake_get_model(app_label, model_name=None, **kwargs):
        if app_label == "applicants":
            return chain
        return real_get_model(app_label, model_name, **kwargs)

    with mock.patch.object(selectors.apps, "get_model", side_effect=fake_get_model):
        counts = selectors.position_counts(announcement.pk)
        again = selectors.position_counts(announcement.pk)
    assert counts == again == {position.pk: {"submitted": 7, "approved": 3}}
    assert chain.objects.filter.call_count == 1
    chain.objects.filter.assert_called_with(position__announcement_id=announcement.pk)
    annotate_kwargs = (
        chain.objects.filter.return_value.order_by.return_value.values.return_value.annotate.call_args
    )
    assert set(annotate_kwargs.kwargs) == {"submitted", "approved"}
    selectors.position_counts_invalidate(announcement.pk)
    with mock.patch.object(selectors.apps, "get_model", side_effect=fake_get_model):
        selectors.position_counts(announcement.pk)
    assert chain.objects.filter.call_count == 2


def test_stage_sets():
    assert "approved" in selectors.STAGES_AT_OR_AFTER_APPROVED
    assert "hired" in selectors.STAGES_AT_OR_AFTER_APPROVED
    assert "submitted" not in selectors.STAGES_AT_OR_AFTER_APPROVED
    assert selectors.STAGES_NOT_SUBMITTED == ["draft", "withdrawn"]


def test_public_phases():
    now = timezone.now()
    open_one = AnnouncementFactory(title="正在报名的公告")
    upcoming = AnnouncementFactory(
        title="即将开始",
        registration_opens_at=now + timedelta(days=3),
        registration_closes_at=now + timedelta(days=8),
        review_deadline=now + timedelta(days=12),
    )
    past = AnnouncementFactory(
        title="已截止的公告",
        registration_opens_at=now - timedelta(days=30),
        registration_closes_at=now - timedelta(days=20),
        review_deadline=now - timedelta(days=10),
    )
    closed = AnnouncementFactory(title="已结束", status="closed")
    draft = AnnouncementFactory(title="草稿", status="draft")
    assert set(selectors.public_announcements(phase="open")) == {open_one}
    assert set(selectors.public_announcements(phase="upcoming")) == {upcoming}
    assert set(selectors.public_announcements(phase="closed")) == {past, closed}
    assert draft not in set(selectors.public_announcements())
    assert set(selectors.public_announcements(query="即将")) == {upcoming}
    assert selectors.open_announcements() == [open_one]
    assert selectors.announcement_phase(draft) == "draft"
    assert selectors.announcement_phase(upcoming) == "upcoming"
