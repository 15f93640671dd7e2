"""The interview demo (exams.demo_groups): groups for an announcement past its interviews,
everyone signed off but one absent, and a group today with scores in progress for
examiner@demo.cn; seeding twice changes nothing."""

import io

import pytest
from django.urls import reverse

from accounts.models import User
from applicants.models import Stage
from exams import demo_groups
from exams.models_interview import InterviewCandidate, InterviewGroup, InterviewScore
from exams.selectors import interview as selectors
from tests.applicants.factories import ProfileFactory, ReviewPositionFactory
from tests.exams.interview_factories import shortlisted
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_signed_off_groups_and_one_today_idempotently(client):
    UserFactory(email="admin@demo.cn", role="administrator")
    for n in range(6):
        ProfileFactory(user=UserFactory(email=f"demo.applicant{n:03d}@demo.cn", role="applicant"))
    first = ReviewPositionFactory()
    announcement = first.announcement
    second = ReviewPositionFactory(announcement=announcement)
    apps = shortlisted(first, 4) + shortlisted(second, 3)
    out = io.StringIO()
    demo_groups.seed(announcement, out)
    demo_groups.seed(announcement, out)  # again: nothing new
    groups = InterviewGroup.objects.filter(announcement=announcement)
    assert sorted(groups.values_list("code", flat=True)) == ["A", "B"]
    inputs = selectors.interview_inputs(announcement)
    assert len(inputs) == 7
    assert sum(1 for _code, scores in inputs.values() if scores is None) == 1  # one absent
    assert all(len(scores) == 7 for _code, scores in inputs.values() if scores)
    stages = set(type(apps[0]).objects.filter(pk__in=[a.pk for a in apps]).values_list("stage", flat=True))
    assert stages == {Stage.INTERVIEWED, Stage.ABSENT}
    assert InterviewScore.objects.filter(candidate__group__announcement=announcement).count() == 6 * 7
    # Today's group: examiner@demo.cn is chief and sees candidate 3 to score.
    today = InterviewGroup.objects.get(announcement__title=demo_groups.TODAY_TITLE)
    assert InterviewCandidate.objects.filter(group=today, signed_off_at__isnull=False).count() == 2
    assert InterviewScore.objects.filter(candidate__group=today, candidate__order=3).count() == 4
    client.force_login(User.objects.get(email="examiner@demo.cn"))
    html = client.get(reverse("exams:interview_score", args=[today.pk])).content.decode()
    assert "data-order>3<" in html and "提交评分" in html
