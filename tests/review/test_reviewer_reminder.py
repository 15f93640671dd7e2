import pytest

from applicants.models import Stage
from notifications.audiences import get_audience
from tests.applicants.factories import ApplicationFactory, ReviewPositionFactory, assign

pytestmark = pytest.mark.django_db


def test_reviewers_with_pending_queue_counts_submitted_applications_of_assigned_announcements(
    assigned_reviewer, position, examiner, django_assert_max_num_queries
):
    ApplicationFactory.create_batch(2, position=position)
    ApplicationFactory(position=position, stage=Stage.APPROVED)
    other_position = ReviewPositionFactory()
    ApplicationFactory(position=other_position)  # not assigned to our reviewer
    idle_reviewer = type(assigned_reviewer).objects.create_user("idle@example.cn", "x")
    assign(idle_reviewer, ReviewPositionFactory().announcement)  # assigned, nothing pending

    with django_assert_max_num_queries(2):
        members = list(get_audience("reviewers_with_pending_queue").func())

    assert [(m.user, m.context["pending_count"]) for m in members] == [(assigned_reviewer, 2)]
