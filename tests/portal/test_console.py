"""The staff console and the workbench: each role lands on its workbench and sees only its
entries; applicants and the public keep the top bar; the reviewer's counts are the queue's."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from accounts.roles import STAFF_ROLES, Role
from applicants.models import Stage
from portal import navigation
from recruitment.models import Announcement
from review import selectors as review_selectors
from tests.applicants.factories import ApplicationFactory, ReviewPositionFactory, assign
from tests.factories import UserFactory
from tests.recruitment.factories import AnnouncementFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Secret#2026"


def _side_groups(html: str) -> set[str]:
    return {key for key, _label, _icon in navigation.GROUPS if f'data-nav-group="{key}"' in html}


# --- landing ------------------------------------------------------------------------


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_each_staff_role_lands_on_its_workbench_after_login(client, role):
    UserFactory(role=role, email="staff@example.cn")
    response = client.post(
        reverse("account_login"), {"login": "staff@example.cn", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("workbench")
    html = response.content.decode()
    assert "staff-console" in html and 'id="staff-nav"' in html


def test_an_applicant_lands_on_the_home_page_with_the_top_bar_only(client):
    UserFactory(role=Role.APPLICANT, email="a@example.cn")
    response = client.post(
        reverse("account_login"), {"login": "a@example.cn", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("home")
    html = response.content.decode()
    assert 'id="staff-nav"' not in html and "staff-console" not in html
    assert reverse("applicants:applications") in html
    for url in (reverse("review:queue"), reverse("recruitment:manage_list"), reverse("workbench")):
        assert f'href="{url}' not in html


def test_the_public_sees_the_top_bar_and_no_staff_entry(client):
    html = client.get(reverse("home")).content.decode()
    assert 'id="staff-nav"' not in html
    assert reverse("recruitment:list") in html and reverse("review:queue") not in html


def test_an_applicant_who_opens_the_workbench_goes_home(client, applicant):
    client.force_login(applicant)
    assert client.get(reverse("workbench"))["Location"] == reverse("home")


def test_the_home_page_sends_staff_to_their_workbench(client, reviewer):
    client.force_login(reviewer)
    assert client.get(reverse("home"))["Location"] == reverse("workbench")


# --- what each role sees ----------------------------------------------------------------


def test_an_examiner_never_sees_review_and_has_an_empty_day(client, examiner):
    client.force_login(examiner)
    html = client.get(reverse("workbench")).content.decode()
    assert reverse("review:queue") not in html
    assert "review" not in _side_groups(html)
    assert 'data-block="examiner-today"' in html and "今天没有需要您评分的面试分组" in html
    assert 'data-block="reviewer-pending"' not in html


def test_a_proctor_sees_their_day_and_nothing_of_review_or_administration(client):
    client.force_login(UserFactory(role=Role.PROCTOR))
    html = client.get(reverse("workbench")).content.decode()
    assert 'data-block="proctor-today"' in html
    # Only exam-day work may be theirs (the exam app's entries); nothing of review, of the
    # announcements' administration, of messages or of the system.
    assert _side_groups(html) <= {"written", "interview"}
    assert reverse("accounts:staff_list") not in html


def test_a_reviewer_sees_review_and_announcements_but_not_messages_or_system(client, reviewer):
    client.force_login(reviewer)
    html = client.get(reverse("workbench")).content.decode()
    groups = _side_groups(html)
    assert {"announcements", "review"} <= groups
    assert not groups & {"messages", "system"}
    assert reverse("review:reasons") not in html  # administrators only
    assert reverse("accounts:staff_list") not in html


def test_an_administrator_sees_every_built_group(client, administrator):
    client.force_login(administrator)
    html = client.get(reverse("workbench")).content.decode()
    assert {"announcements", "review", "messages", "system"} <= _side_groups(html)
    for url in (reverse("accounts:staff_list"), reverse("site_settings"), reverse("notifications:templates")):
        assert url in html
    assert 'data-block="administrator-announcements"' in html


def test_a_group_without_entries_is_absent_and_unknown_groups_are_refused():
    menu = navigation.menu_for(authenticated=True, roles=frozenset({Role.EXAMINER}))
    assert menu["groups"] == []
    with pytest.raises(ValueError):
        navigation._registry = None
        original = navigation.all_items
        try:
            import accounts.navigation as module

            module.NAV_ITEMS.append(navigation.NavItem("x", "home", group="nowhere"))
            original()
        finally:
            module.NAV_ITEMS.pop()
            navigation._registry = None


def test_the_active_entry_is_the_longest_matching_url():
    menu = {"top": [{"url": "/"}, {"url": "/review/"}], "groups": [{"items": [{"url": "/review/reasons/"}]}]}
    assert navigation.active_url(menu, "/review/reasons/3/") == "/review/reasons/"
    assert navigation.active_url(menu, "/review/applications/1/") == "/review/"
    assert navigation.active_url(menu, "/me/") == ""


# --- the administrator's block --------------------------------------------------------------


def test_the_administrator_block_gives_each_announcement_its_stage_and_next_action(client, administrator):
    now = timezone.now()
    draft = AnnouncementFactory(status=Announcement.Status.DRAFT, title="草稿公告")
    open_ = AnnouncementFactory(title="报名中公告")
    reviewing = AnnouncementFactory(
        title="审核中公告",
        registration_opens_at=now - timedelta(days=8),
        registration_closes_at=now - timedelta(days=1),
        review_deadline=now + timedelta(days=2),
    )
    past = AnnouncementFactory(
        title="审核截止公告",
        registration_opens_at=now - timedelta(days=20),
        registration_closes_at=now - timedelta(days=10),
        review_deadline=now - timedelta(days=1),
    )
    AnnouncementFactory(status=Announcement.Status.ARCHIVED, title="已归档公告")
    client.force_login(administrator)
    html = client.get(reverse("workbench")).content.decode()
    assert "已归档公告" not in html
    assert html.index("草稿公告") < html.index("报名中公告")  # drafts first
    assert (
        "检查后发布" in html and "查看报名情况" in html and "跟进审核进度" in html and "核对开考比例" in html
    )
    assert reverse("recruitment:manage_detail", args=[draft.pk]) in html
    assert f"{reverse('review:queue')}?announcement={reviewing.pk}" in html
    assert reverse("review:opening_ratio", args=[past.pk]) in html
    assert open_.title in html


# --- the reviewer's block: the queue's counts -----------------------------------------------


def _reviewer_with_work(reviewer):
    first = ReviewPositionFactory(announcement__title="甲公告")
    second = ReviewPositionFactory(announcement__title="乙公告")
    unassigned = ReviewPositionFactory(announcement__title="未分配公告")
    assign(reviewer, first.announcement)
    assign(reviewer, second.announcement)
    # 甲: 3 waiting (one returned too); 乙: 1 waiting, submitted earlier than all of 甲's.
    now = timezone.now()
    for minutes in (10, 20, 30):
        ApplicationFactory(position=first, submitted_at=now - timedelta(minutes=minutes))
    ApplicationFactory(position=first, stage=Stage.RETURNED, return_instructions="请补充毕业证书")
    ApplicationFactory(position=first, stage=Stage.APPROVED)
    ApplicationFactory(position=second, submitted_at=now - timedelta(days=2))
    ApplicationFactory(position=unassigned)
    return first.announcement, second.announcement


def test_the_reviewer_block_counts_equal_the_queue_and_the_oldest_waiting_comes_first(client, reviewer):
    first, second = _reviewer_with_work(reviewer)
    client.force_login(reviewer)
    html = client.get(reverse("workbench")).content.decode()
    # 甲 3 waiting + 乙 1 waiting = 4; the unassigned announcement's application is not counted.
    assert "data-total>4<" in html
    assert html.index("乙公告") < html.index("甲公告")  # 乙's waiting one is two days old
    assert "未分配公告" not in html
    for announcement, waiting in ((first, 3), (second, 1)):
        queue_counts = review_selectors.stage_counts(reviewer, {"announcement": str(announcement.pk)})
        assert queue_counts.get(Stage.SUBMITTED, 0) == waiting
        assert f"{reverse('review:queue')}?announcement={announcement.pk}&amp;stage=submitted" in html
    assert "审核 3 份" in html and "审核 1 份" in html


def test_the_reviewer_block_follows_the_counters_a_decision_moves(client, reviewer):
    first, _second = _reviewer_with_work(reviewer)
    client.force_login(reviewer)
    client.get(reverse("workbench"))  # counters now in the cache
    # A decision after commit moves the counters (what review.selectors.on_stage_changed does).
    review_selectors.stage_counters_moved(first.pk, Stage.SUBMITTED, Stage.APPROVED)
    review_selectors.stage_counts_invalidate()
    html = client.get(reverse("workbench")).content.decode()
    assert "data-total>3<" in html and "审核 2 份" in html
    assert review_selectors.stage_counts(reviewer, {"announcement": str(first.pk)})[Stage.SUBMITTED] == 2


# --- query budgets -------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.ADMINISTRATOR, Role.EXAMINER, Role.PROCTOR])
def test_workbench_query_budget(client, role, django_assert_max_num_queries):
    user = UserFactory(role=role)
    if role == Role.REVIEWER:
        _reviewer_with_work(user)
    else:
        for _ in range(3):
            AnnouncementFactory()
    client.force_login(user)
    # Cold cache: session, user, roles, site identity, inbox badge, and per block at most
    # (announcements + counters + oldest) for the reviewer or one announcement list.
    cache.clear()
    client.force_login(user)
    with django_assert_max_num_queries(9):
        assert client.get(reverse("workbench")).status_code == 200
    # Warm: session and user, the reviewer's announcement list; the rest is cached.
    with django_assert_max_num_queries(5):
        assert client.get(reverse("workbench")).status_code == 200


def test_the_reviewer_workbench_does_not_grow_with_announcements(client, reviewer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _reviewer_with_work(reviewer)
    client.force_login(reviewer)
    client.get(reverse("workbench"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("workbench"))
    for _ in range(5):
        assign(reviewer, ApplicationFactory().announcement)
    cache.clear()
    client.force_login(reviewer)
    client.get(reverse("workbench"))
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("workbench"))
    assert len(many) == len(few)
