"""The administrator's workbench follows the pipeline (QA: an announcement in 公示 and one
interviewing both showed 审核已截止 / 核对开考比例): exams and hiring report their phase
through recruitment.hooks; the hiring block counts what waits, with links."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from exams.models_ranking import RankingVersion
from hiring.models import Proposal
from hiring.services import checks, notice, proposals
from hiring.workbench import administrator_hiring, hiring_rows
from recruitment import hooks
from recruitment.models import Announcement
from recruitment.workbench import announcement_rows
from tests.factories import UserFactory
from tests.hiring.factories import ranked_position

pytestmark = pytest.mark.django_db

ROWS = [("90", 1, True), ("85", 2, True), ("80", 3, False), ("78", 4, True)]


@pytest.fixture
def admin():
    return UserFactory(role="administrator")


def _past_review(announcement):
    now = timezone.now()
    Announcement.objects.filter(pk=announcement.pk).update(
        status=Announcement.Status.PUBLISHED,
        registration_opens_at=now - timedelta(days=60),
        registration_closes_at=now - timedelta(days=50),
        review_deadline=now - timedelta(days=40),
    )


def _row(pk):
    return next(row for row in announcement_rows(None)["rows"] if row["pk"] == pk)


def test_a_confirmed_ranking_points_to_proposing(admin):
    position, _apps = ranked_position(ROWS, quota=2, admin=admin)
    announcement = position.announcement
    _past_review(announcement)
    phase = hooks.announcement_phases([announcement.pk])[announcement.pk]
    assert phase.rank == hooks.PHASE_RANKING
    row = _row(announcement.pk)
    assert (row["stage"], row["action"]) == ("综合成绩已确认", "提出拟录用人员")
    assert row["url"] == reverse("hiring:announcement", args=[announcement.pk])


def test_a_draft_ranking_asks_to_confirm(admin):
    position, _apps = ranked_position(ROWS, quota=2, admin=admin, confirmed=False)
    announcement = position.announcement
    _past_review(announcement)
    assert RankingVersion.objects.filter(announcement=announcement, status="confirmed").count() == 0
    row = _row(announcement.pk)
    assert (row["stage"], row["action"]) == ("综合成绩排名", "核对并确认综合成绩")


def test_hiring_phases_from_proposed_to_notice_to_ready_to_done(admin, django_assert_max_num_queries):
    position, apps = ranked_position(ROWS, quota=2, admin=admin)
    announcement = position.announcement
    _past_review(announcement)
    made = proposals.propose_position(announcement=announcement, position=position, actor=admin)
    row = _row(announcement.pk)
    # Two proposed, none on notice, no check recorded.
    assert (row["stage"], row["action"]) == ("拟录用", "录入体检和考察结论")
    for proposal in made:
        on = timezone.localdate()
        check = checks.schedule_medical(proposal=proposal, on_date=on, place="区医院", actor=admin)
        checks.record_medical(check=check, result="passed", result_on=on, actor=admin, expected_version=1)
        checks.record_background(
            proposal=proposal, result="passed", summary="好", on_date=timezone.localdate(), actor=admin
        )
    assert _row(announcement.pk)["action"] == "发布公示"
    published = notice.publish_notice(
        announcement=announcement,
        proposal_ids=[p.pk for p in made],
        starts_on=timezone.localdate(),
        actor=admin,
    )
    row = _row(announcement.pk)
    assert (row["stage"], row["action"]) == ("公示中", "查看录用进度")
    (counts,) = hiring_rows([announcement.pk])
    assert (counts.active, counts.in_notice, counts.ready, counts.checks_to_record) == (2, 2, 0, 0)
    type(published).objects.filter(pk=published.pk).update(
        starts_on=timezone.localdate() - timedelta(days=8), ends_on=timezone.localdate() - timedelta(days=1)
    )
    row = _row(announcement.pk)
    assert (row["stage"], row["action"]) == ("公示期满", "确认录用")
    with django_assert_max_num_queries(4):
        (counts,) = hiring_rows([announcement.pk])
    assert (counts.ready, counts.in_notice) == (2, 0)
    assert administrator_hiring(admin)["rows"][0].ready == 2
    Proposal.objects.filter(pk__in=[p.pk for p in made]).update(status=Proposal.Status.HIRED)
    row = _row(announcement.pk)
    assert (row["stage"], row["action"]) == ("录用已完成", "结束公告")
    assert administrator_hiring(admin)["rows"] == []


def test_the_workbench_page_shows_the_hiring_block(client, admin):
    position, _apps = ranked_position(ROWS, quota=2, admin=admin)
    announcement = position.announcement
    _past_review(announcement)
    proposals.propose_position(announcement=announcement, position=position, actor=admin)
    client.force_login(admin)
    page = client.get(reverse("workbench")).content.decode()
    assert "录用进度" in page and "体检或考察待录入 2 人" in page
    assert reverse("hiring:announcement", args=[announcement.pk]) in page
    assert "核对开考比例" not in page
    # At 390 px the announcements table stacks into labelled cards (下一步 was scrolled away).
    assert "table-responsive-stack" in page and 'data-label="下一步"' in page
