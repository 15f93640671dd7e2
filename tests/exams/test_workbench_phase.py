"""The exam app reports the announcement's phase to the administrator's workbench
(exams.phase through recruitment.hooks): a shortlist, then interview groups (QA: an
announcement interviewing showed 审核已截止 / 核对开考比例). Three grouped queries."""

import pytest
from django.urls import reverse

from exams.models_shortlist import Shortlist
from exams.phase import phases_for
from recruitment import hooks
from tests.applicants.factories import ReviewPositionFactory
from tests.exams.interview_factories import make_interview, shortlisted

pytestmark = pytest.mark.django_db


def test_shortlist_then_interviews(django_assert_max_num_queries):
    position = ReviewPositionFactory()
    pk = position.announcement_id
    assert phases_for([pk]) == {}
    shortlisted(position, 2)
    phase = phases_for([pk])[pk]
    assert (phase.rank, phase.stage, phase.url) == (
        hooks.PHASE_SHORTLIST,
        "确定面试入围名单",
        reverse("exams:shortlist", args=[pk]),
    )
    Shortlist.objects.filter(announcement_id=pk).update(published_at="2026-11-01T09:00:00+08:00")
    assert phases_for([pk])[pk].action == "安排面试分组"
    make_interview(position=position, candidates=1, code="B")
    with django_assert_max_num_queries(3):
        phase = phases_for([pk])[pk]
    assert (phase.rank, phase.stage, phase.action) == (hooks.PHASE_INTERVIEW, "面试阶段", "跟进面试评分")
    assert hooks.announcement_phases([pk])[pk] == phase
