"""Interview pages: the administrator's groups, the staff check-in and draw, the examiner's
blind scoring page, the chief's board, the applicant's notice — happy paths, bad input,
permissions (other group, other day, reviewer, applicant) and query budgets."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from applicants.models import Stage
from exams.models_interview import InterviewCandidate, InterviewExaminer, InterviewGroup, InterviewScore
from exams.services import interview_scoring as scoring_services
from tests.exams.interview_factories import make_interview, shortlisted
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
D = Decimal


def login(client, user):
    client.force_login(user)
    return client


# ------------------------------------------------------------------ the blind page


def test_the_blind_page_shows_order_and_position_and_never_who(client):
    world = make_interview(panel=3, candidates=2)
    candidate = world.candidates[0]
    application = candidate.application
    snapshot = application.snapshot
    # Things an examiner must never see: name, ID number (and its tail), ticket number,
    # photo, written score. The ticket number and written score are put where a careless
    # template could reach them (the application's snapshot).
    application.snapshot = {**snapshot, "ticket_number": "02103010105", "written_total": "87.35"}
    application.save(update_fields=["snapshot"])
    response = login(client, world.seats[1].user).get(reverse("exams:interview_score", args=[world.group.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "data-order>1<" in html
    assert application.position.name in html
    for secret in (
        snapshot["real_name"],
        snapshot["id_number"],
        snapshot["id_number"][-4:],
        "02103010105",
        "87.35",
        application.applicant.email,
        application.applicant.phone,
        "photo",
        "照片",
    ):
        assert secret not in html, secret
    assert world.candidates[1].application.snapshot["real_name"] not in html


def test_the_chief_board_is_blind_until_sign_off_then_shows_the_dropped(client):
    world = make_interview(panel=5, candidates=1)
    candidate = world.candidates[0]
    values = ["70", "70", "80", "85", "95"]
    for seat, value in zip(world.seats, values, strict=True):
        scoring_services.score_submit(seat=seat, candidate=candidate, total=value)
    login(client, world.chief.user)
    html = client.get(reverse("exams:interview_chief_board", args=[world.group.pk])).content.decode()
    assert "95" not in html and candidate.application.snapshot["real_name"] not in html
    assert html.count('aria-label="已评分"') == 5
    response = client.post(reverse("exams:interview_sign_off", args=[world.group.pk, candidate.pk]))
    assert response.status_code == 302
    html = client.get(reverse("exams:interview_chief", args=[world.group.pk])).content.decode()
    assert "data-final>78.33<" in html
    assert len(re.findall(r"<del[^>]*data-dropped>", html)) == 2
    candidate.refresh_from_db()
    assert candidate.application.stage == Stage.INTERVIEWED


# ------------------------------------------------------------------ scoring through the page


def test_an_examiner_scores_on_the_page_and_a_second_post_is_refused(client):
    world = make_interview(panel=3, candidates=1)
    candidate = world.candidates[0]
    url = reverse("exams:interview_score", args=[world.group.pk])
    login(client, world.seats[1].user)
    response = client.post(url, {"candidate": candidate.pk, "total": "85.5"})
    assert response.status_code == 302
    assert InterviewScore.objects.get().total == D("85.50")
    html = client.get(url).content.decode()
    assert "85.50" in html and "已提交并锁定" in html and 'hx-trigger="every 5s"' in html
    response = client.post(url, {"candidate": candidate.pk, "total": "90"}, follow=True)
    assert "不能重复提交" in response.content.decode()
    assert InterviewScore.objects.get().total == D("85.50")


@pytest.mark.parametrize(("value", "message"), [("85.555", "最多保留两位小数"), ("100.5", "不能超过 100 分")])
def test_a_bad_score_is_shown_at_the_field_with_the_typed_value(client, value, message):
    world = make_interview(panel=3, candidates=1)
    login(client, world.seats[1].user)
    response = client.post(
        reverse("exams:interview_score", args=[world.group.pk]),
        {"candidate": world.candidates[0].pk, "total": value},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html and f'value="{value}"' in html and "is-invalid" in html
    assert not InterviewScore.objects.exists()


def test_a_reopen_by_a_non_chief_is_refused(client):
    world = make_interview(panel=3, candidates=1)
    candidate = world.candidates[0]
    scoring_services.score_submit(seat=world.seats[2], candidate=candidate, total="60")
    login(client, world.seats[1].user)
    response = client.post(
        reverse("exams:interview_reopen", args=[world.group.pk]),
        {"candidate": candidate.pk, "examiner": world.seats[2].pk, "reason": "我觉得太低"},
        follow=True,
    )
    assert "只有本组主考官" in response.content.decode()
    assert InterviewScore.objects.get().locked
    login(client, world.chief.user)
    client.post(
        reverse("exams:interview_reopen", args=[world.group.pk]),
        {"candidate": candidate.pk, "examiner": world.seats[2].pk, "reason": "考官报告笔误"},
    )
    assert not InterviewScore.objects.get().locked


def test_a_sign_off_with_a_score_missing_is_refused_on_the_page(client):
    world = make_interview(panel=3, candidates=1)
    candidate = world.candidates[0]
    scoring_services.score_submit(seat=world.seats[0], candidate=candidate, total="80")
    login(client, world.chief.user)
    response = client.post(
        reverse("exams:interview_sign_off", args=[world.group.pk, candidate.pk]), follow=True
    )
    assert "还有 2 位考官未提交评分" in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.signed_off_at is None


# ------------------------------------------------------------------ who may see what


def test_an_examiner_of_another_group_gets_404_everywhere(client):
    world = make_interview(panel=3, candidates=1)
    other = make_interview(panel=3, candidates=1, code="B")
    login(client, other.seats[0].user)  # the chief of group B
    g, c = world.group.pk, world.candidates[0].pk
    assert client.get(reverse("exams:interview_score", args=[g])).status_code == 404
    assert client.get(reverse("exams:interview_chief", args=[g])).status_code == 404
    assert client.get(reverse("exams:interview_chief_board", args=[g])).status_code == 404
    assert (
        client.post(reverse("exams:interview_score", args=[g]), {"candidate": c, "total": "99"}).status_code
        == 404
    )
    assert client.post(reverse("exams:interview_sign_off", args=[g, c])).status_code == 404
    # Posting group B's URL with group A's candidate: 404 too.
    assert (
        client.post(
            reverse("exams:interview_score", args=[other.group.pk]), {"candidate": c, "total": "99"}
        ).status_code
        == 404
    )
    assert not InterviewScore.objects.exists()


def test_an_examiner_sees_their_group_only_on_its_day(client):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    world = make_interview(panel=3, candidates=1, date=tomorrow)
    login(client, world.chief.user)
    response = client.get(reverse("exams:interview_score", args=[world.group.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        "评分页面只在面试当天开放" in html
        and "data-order" not in html
        and "<form" not in html.split("<main")[-1]
    )
    html = client.get(reverse("exams:interview_chief", args=[world.group.pk])).content.decode()
    assert "主考官面板只在面试当天开放" in html and "data-board" not in html


@pytest.mark.parametrize("role", ["reviewer", "applicant", "administrator", "proctor"])
def test_other_roles_cannot_open_the_examiner_pages(client, role):
    world = make_interview(panel=3, candidates=1)
    login(client, UserFactory(role=role))
    for name in ("exams:interview_score", "exams:interview_chief", "exams:interview_mine"):
        args = [] if name == "exams:interview_mine" else [world.group.pk]
        assert client.get(reverse(name, args=args)).status_code == 403, name


def test_an_ordinary_examiner_has_no_chief_board(client):
    world = make_interview(panel=3, candidates=1)
    login(client, world.seats[1].user)
    assert client.get(reverse("exams:interview_chief", args=[world.group.pk])).status_code == 404


def test_anonymous_is_sent_to_log_in(client):
    world = make_interview(panel=3, candidates=1)
    response = client.get(reverse("exams:interview_score", args=[world.group.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_group_pages_are_for_administrators(client):
    world = make_interview(panel=3, candidates=1)
    a, g = world.group.announcement_id, world.group.pk
    for role in ("reviewer", "examiner", "applicant"):
        login(client, UserFactory(role=role))
        assert client.get(reverse("exams:interview_group", args=[a, g])).status_code == 403
    # A group of another announcement under this announcement's URL: 404.
    other = make_interview(panel=3, candidates=1, code="B")
    login(client, world.admin)
    assert client.get(reverse("exams:interview_group", args=[a, other.group.pk])).status_code == 404


def test_check_in_is_for_administrators_and_the_announcements_reviewers(client):
    world = make_interview(panel=3, candidates=1, checked_in=False)
    url = reverse("exams:interview_checkin", args=[world.group.pk])
    login(client, UserFactory(role="reviewer"))
    assert client.get(url).status_code == 404
    reviewer = UserFactory(role="reviewer")
    world.group.announcement.reviewer_assignments.create(reviewer=reviewer, assigned_by=world.admin)
    login(client, reviewer)
    assert client.get(url).status_code == 200
    login(client, world.seats[1].user)
    assert client.get(url).status_code == 403


# ------------------------------------------------------------------ administrator flow


def test_create_a_group_add_examiners_assign_and_publish(client, django_capture_on_commit_callbacks):
    admin = UserFactory(role="administrator")
    world = make_interview(panel=3, candidates=0, published=False, checked_in=False, admin=admin)
    position = world.group.positions.get()
    announcement = position.announcement
    apps = shortlisted(position, 2)
    login(client, admin)
    tomorrow = timezone.localdate() + dt.timedelta(days=2)
    # Bad input: the report-by after the start, a duplicate code.
    data = {
        "code": "A",
        "name": "第二面试组",
        "date": tomorrow.isoformat(),
        "starts_at": "08:30",
        "report_by": "09:00",
        "place": "铁东区人才服务中心",
        "waiting_room": "",
        "bring": "身份证、准考证",
        "positions": [position.pk],
    }
    response = client.post(reverse("exams:interview_group_add", args=[announcement.pk]), data)
    html = response.content.decode()
    assert response.status_code == 200 and "报到截止时间不能晚于面试开始时间" in html
    data["report_by"] = "08:00"
    response = client.post(reverse("exams:interview_group_add", args=[announcement.pk]), data)
    assert "本次招聘已有此代码的面试组" in response.content.decode()
    data["code"] = "B"
    response = client.post(reverse("exams:interview_group_add", args=[announcement.pk]), data)
    group = InterviewGroup.objects.get(code="B")
    assert response.status_code == 302
    # Examiners: a non-examiner is not offered; seven examiners, one chief.
    examiners = [UserFactory(role="examiner") for _ in range(7)]
    add = reverse("exams:interview_examiner_add", args=[announcement.pk, group.pk])
    client.post(add, {"user": UserFactory(role="reviewer").pk})
    assert not group.examiners.exists()
    for index, user in enumerate(examiners):
        client.post(add, {"user": user.pk, "chief": "on" if index == 0 else ""})
    assert (
        group.examiners.filter(active=True).count() == 7 and group.examiners.filter(chief=True).count() == 1
    )
    # World's group A took none of these (candidates=0): assign the two shortlisted.
    client.post(reverse("exams:interview_candidates_assign", args=[announcement.pk, group.pk]))
    assert set(group.candidates.values_list("application_id", flat=True)) == {a.pk for a in apps}
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            reverse("exams:interview_publish", args=[announcement.pk, group.pk]), follow=True
        )
    assert "已向 2 名考生发送面试通知" in response.content.decode()
    # The applicant's page shows date, time and place.
    login(client, apps[0].applicant)
    html = client.get(reverse("applicants:application", args=[apps[0].pk])).content.decode()
    assert "data-interview-panel" in html and "铁东区人才服务中心" in html and "08:30" in html


def test_conflict_on_the_examiners_page_then_replacement_by_the_administrator(client):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    world = make_interview(panel=3, candidates=1, date=tomorrow, start=dt.time(9), checked_in=False)
    seat = world.seats[1]
    login(client, seat.user)
    assert "申请回避" in client.get(reverse("exams:interview_mine")).content.decode()
    response = client.post(
        reverse("exams:interview_conflict", args=[world.group.pk]), {"reason": ""}, follow=True
    )
    assert "请说明需要回避的原因" in response.content.decode()
    client.post(reverse("exams:interview_conflict", args=[world.group.pk]), {"reason": "与考生系同事"})
    seat.refresh_from_db()
    assert seat.conflict_reason == "与考生系同事"
    login(client, world.admin)
    a = world.group.announcement_id
    html = client.get(reverse("exams:interview_group", args=[a, world.group.pk])).content.decode()
    assert "与考生系同事" in html
    substitute = UserFactory(role="examiner")
    response = client.post(
        reverse("exams:interview_examiner_replace", args=[a, world.group.pk, seat.pk]),
        {"user": substitute.pk},
    )
    assert response.status_code == 302
    assert InterviewExaminer.objects.get(group=world.group, user=substitute).active
    seat.refresh_from_db()
    assert not seat.active


def test_staff_check_in_and_portal_draw_on_the_page(client):
    world = make_interview(panel=3, candidates=3, checked_in=False)
    login(client, world.admin)
    mark = reverse("exams:interview_checkin_mark", args=[world.group.pk])
    first, second, third = world.candidates
    client.post(mark, {"candidate": first.pk, "action": "present"})
    client.post(mark, {"candidate": second.pk, "action": "present"})
    client.post(mark, {"candidate": third.pk, "action": "absent"})
    assert client.post(mark, {"candidate": "x"}).status_code == 404
    third.refresh_from_db()
    assert third.application.stage == Stage.ABSENT
    client.post(reverse("exams:interview_draw", args=[world.group.pk]), {"method": "portal"})
    world.group.refresh_from_db()
    assert world.group.draw_seed is not None
    html = client.get(reverse("exams:interview_checkin", args=[world.group.pk])).content.decode()
    assert str(world.group.draw_seed) in html
    assert sorted(InterviewCandidate.objects.exclude(order=None).values_list("order", flat=True)) == [1, 2]


# ------------------------------------------------------------------ query budgets


def test_query_budgets(client, django_assert_max_num_queries):
    """12 candidates, 7 examiners: the same counts as with 3 (measured 8, 5, 11, 9, 10, 6, 7)."""
    world = make_interview(panel=7, candidates=12)
    for candidate in world.candidates[:3]:
        for seat, value in zip(world.seats, ["80", "81", "82", "83", "84", "85", "86"], strict=True):
            scoring_services.score_submit(seat=seat, candidate=candidate, total=value)
        scoring_services.candidate_sign_off(candidate=candidate, seat=world.chief)
    g, a = world.group.pk, world.group.announcement_id
    login(client, world.seats[1].user)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("exams:interview_score", args=[g])).status_code == 200
    with django_assert_max_num_queries(7):
        assert client.get(reverse("exams:interview_score_state", args=[g])).status_code == 200
    login(client, world.chief.user)
    with django_assert_max_num_queries(13):
        assert client.get(reverse("exams:interview_chief", args=[g])).status_code == 200
    with django_assert_max_num_queries(11):
        assert client.get(reverse("exams:interview_chief_board", args=[g])).status_code == 200
    login(client, world.admin)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("exams:interview_group", args=[a, g])).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(reverse("exams:interview_checkin", args=[g])).status_code == 200
    with django_assert_max_num_queries(9):
        assert client.get(reverse("exams:interview_groups", args=[a])).status_code == 200


def test_the_blind_page_asks_for_each_dimension_when_set(client):
    from exams.models_rules import RankingSettings

    world = make_interview(panel=3, candidates=1)
    RankingSettings.objects.create(
        announcement=world.group.announcement,
        panel_size=3,
        by_dimensions=True,
        dimensions=[{"name": "综合分析能力", "max": "60"}, {"name": "语言表达能力", "max": "40"}],
    )
    login(client, world.seats[1].user)
    url = reverse("exams:interview_score", args=[world.group.pk])
    html = client.get(url).content.decode()
    assert "综合分析能力" in html and "满分 60" in html and "满分 40" in html
    response = client.post(url, {"candidate": world.candidates[0].pk, "d0": "55", "d1": "41"})
    assert "不能超过 40 分" in response.content.decode()
    client.post(url, {"candidate": world.candidates[0].pk, "d0": "55", "d1": "36.5"})
    score = InterviewScore.objects.get()
    assert score.total == D("91.50") and score.parts == {"综合分析能力": "55.00", "语言表达能力": "36.50"}


def test_a_candidate_who_left_the_pool_has_no_check_in_buttons(client):
    world = make_interview(panel=3, candidates=2, checked_in=False)
    gone = world.candidates[1].application
    type(gone).objects.filter(pk=gone.pk).update(stage=Stage.DECLINED)
    login(client, world.admin)
    html = client.get(reverse("exams:interview_checkin", args=[world.group.pk])).content.decode()
    assert html.count('value="present"') == 1
    assert str(Stage.DECLINED.label) in html


def test_the_groups_page_counts_every_candidate_shortlisted_for_the_interview(client):
    """QA: the header said 0 while the groups listed 6. Placed candidates count even after
    they left the pool's stages (ranked), and so do those not yet placed: 3 placed (one
    ranked) + 1 waiting = 4 (the pool alone gives 3). In English the column says Examiners."""
    from applicants.models import Application

    world = make_interview(panel=1, candidates=3)
    Application.objects.filter(pk=world.applications[0].pk).update(stage=Stage.RANKED)
    shortlisted(world.applications[0].position, 1)
    login(client, world.admin)
    url = reverse("exams:interview_groups", args=[world.group.announcement_id])
    assert "入围面试考生 4 人" in client.get(url).content.decode()
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-label="Examiners"' in html
