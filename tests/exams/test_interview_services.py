"""Interview services: groups, examiners, check-in, draw, blind scores, reopening, sign-off,
and the ranking's inputs — each rule with hand-worked numbers."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.admin.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from applicants.models import Stage
from exams.interview_rules import draw_order
from exams.models_interview import InterviewCandidate, InterviewExaminer, InterviewReopening, InterviewScore
from exams.selectors import interview as selectors
from exams.services import interview as services
from exams.services import interview_day as day_services
from exams.services import interview_scoring as scoring_services
from exams.services.interview import InterviewRefused
from notifications.models import Notification
from tests.exams.interview_factories import make_interview
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
D = Decimal
Attendance = InterviewCandidate.Attendance


def score_all(world, candidate, values):
    for seat, value in zip(world.seats, values, strict=True):
        scoring_services.score_submit(seat=seat, candidate=candidate, total=value)


# ------------------------------------------------------------------ panels of 3, 5, 7


@pytest.mark.parametrize(
    ("values", "expected", "dropped"),
    [
        # 3 examiners: no score dropped; (80 + 85 + 90.5) / 3 = 255.5 / 3 = 85.1666… → 85.17
        (["80", "85", "90.5"], "85.17", []),
        # 5 examiners, the lowest repeated: drop ONE 70 and the 95;
        # (70 + 80 + 85) / 3 = 235 / 3 = 78.333… → 78.33
        (["70", "70", "80", "85", "95"], "78.33", ["70", "95"]),
        # 7 examiners, the highest repeated three times: drop 70 and ONE 90;
        # (85.5 + 86 + 87.25 + 90 + 90) / 5 = 438.75 / 5 = 87.75
        (["90", "90", "85.5", "86", "87.25", "70", "90"], "87.75", ["90", "70"]),
        # 7 examiners, half-up at the third decimal: drop 60 and 95;
        # (80 + 80 + 80 + 80.01 + 80.02) / 5 = 400.03 / 5 = 80.006 → 80.01
        (["60", "80", "80", "80", "80.01", "80.02", "95"], "80.01", ["60", "95"]),
    ],
)
def test_panels_of_3_5_7_through_the_service(values, expected, dropped):
    world = make_interview(panel=len(values), candidates=1)
    candidate = world.candidates[0]
    score_all(world, candidate, values)
    scoring_services.candidate_sign_off(candidate=candidate, seat=world.chief)
    candidate.refresh_from_db()
    assert candidate.score == D(expected)
    assert candidate.application.stage == Stage.INTERVIEWED
    examiners = selectors.active_examiners(world.group)
    [row] = selectors.board(world.group, examiners)
    assert sorted(m["score"].total for m in row.marks if m["dropped"]) == sorted(D(x) for x in dropped)


def test_interview_inputs_give_group_code_and_scores_or_none_for_the_absent():
    world = make_interview(panel=5, candidates=3)
    first, second, third = world.candidates
    score_all(world, first, ["80", "81", "82", "83", "84"])
    scoring_services.candidate_sign_off(candidate=first, seat=world.chief)
    InterviewCandidate.objects.filter(pk=third.pk).update(attendance=Attendance.ABSENT, order=None)
    inputs = selectors.interview_inputs(world.group.announcement)
    assert inputs == {
        first.application_id: ("A", (D("80"), D("81"), D("82"), D("83"), D("84"))),
        third.application_id: ("A", None),
    }
    assert second.application_id not in inputs  # not yet signed off


def test_interview_inputs_cost_two_queries(django_assert_max_num_queries):
    world = make_interview(panel=3, candidates=2)
    for candidate in world.candidates:
        score_all(world, candidate, ["70", "80", "90"])
        scoring_services.candidate_sign_off(candidate=candidate, seat=world.chief)
    with django_assert_max_num_queries(2):  # one on PostgreSQL (test_interview_selectors_ranking)
        inputs = selectors.interview_inputs(world.group.announcement)
    assert len(inputs) == 2


# ------------------------------------------------------------------ bad scores


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("100.01", "不能超过 100 分"),
        ("-1", "不能小于 0"),
        ("85.555", "最多保留两位小数"),
        ("八十", "请填写数字"),
    ],
)
def test_a_bad_score_is_refused_at_the_field_and_nothing_saved(value, message):
    world = make_interview(panel=3, candidates=1)
    with pytest.raises(ValidationError) as error:
        scoring_services.score_submit(seat=world.seats[1], candidate=world.candidates[0], total=value)
    assert message in error.value.message_dict["total"][0]
    assert not InterviewScore.objects.exists()


def test_a_second_submission_is_refused_and_the_first_kept():
    world = make_interview(panel=3, candidates=1)
    seat, candidate = world.seats[1], world.candidates[0]
    scoring_services.score_submit(seat=seat, candidate=candidate, total="85.5")
    with pytest.raises(InterviewRefused, match="不能重复提交"):
        scoring_services.score_submit(seat=seat, candidate=candidate, total="90")
    assert InterviewScore.objects.get().total == D("85.50")


def test_an_examiner_of_another_group_cannot_score_here():
    world = make_interview(panel=3, candidates=1)
    other = make_interview(panel=3, candidates=1, code="B")
    with pytest.raises(InterviewRefused):
        scoring_services.score_submit(seat=other.seats[1], candidate=world.candidates[0], total="80")
    assert not InterviewScore.objects.exists()


def test_scoring_on_another_day_is_refused():
    world = make_interview(panel=3, candidates=1, date=timezone.localdate() + dt.timedelta(days=1))
    with pytest.raises(InterviewRefused, match="面试当天"):
        scoring_services.score_submit(seat=world.seats[1], candidate=world.candidates[0], total="80")


def test_a_candidate_not_drawn_cannot_be_scored():
    world = make_interview(panel=3, candidates=1, drawn=False)
    with pytest.raises(InterviewRefused, match="尚未到场抽签"):
        scoring_services.score_submit(seat=world.seats[1], candidate=world.candidates[0], total="80")


# ------------------------------------------------------------------ reopening, sign-off


def test_only_the_chief_reopens_with_a_reason_and_the_examiner_resubmits():
    world = make_interview(panel=3, candidates=1)
    seat, candidate = world.seats[2], world.candidates[0]
    score = scoring_services.score_submit(seat=seat, candidate=candidate, total="60")
    with pytest.raises(InterviewRefused, match="只有本组主考官"):
        scoring_services.score_reopen(score=score, seat=world.seats[1], reason="笔误")
    with pytest.raises(ValidationError):
        scoring_services.score_reopen(score=score, seat=world.chief, reason="  ")
    scoring_services.score_reopen(score=score, seat=world.chief, reason="考官报告输入笔误，应为 86")
    reopening = InterviewReopening.objects.get()
    assert reopening.old_total == D("60") and reopening.by == world.chief.user
    assert LogEntry.objects.filter(object_id=str(score.pk), change_message__contains="笔误").exists()
    scoring_services.score_submit(seat=seat, candidate=candidate, total="86")
    score.refresh_from_db()
    assert score.total == D("86") and score.locked
    with pytest.raises(InterviewRefused):
        scoring_services.score_submit(seat=seat, candidate=candidate, total="87")


def test_a_sign_off_with_a_score_missing_is_refused():
    world = make_interview(panel=5, candidates=1)
    candidate = world.candidates[0]
    for seat, value in zip(world.seats[:4], ["80", "81", "82", "83"], strict=True):
        scoring_services.score_submit(seat=seat, candidate=candidate, total=value)
    with pytest.raises(InterviewRefused, match="还有 1 位考官未提交评分"):
        scoring_services.candidate_sign_off(candidate=candidate, seat=world.chief)
    candidate.refresh_from_db()
    assert candidate.signed_off_at is None and candidate.application.stage == Stage.SHORTLISTED


def test_a_reopened_score_counts_as_missing_at_sign_off():
    world = make_interview(panel=3, candidates=1)
    candidate = world.candidates[0]
    score_all(world, candidate, ["80", "81", "82"])
    score = InterviewScore.objects.get(examiner=world.seats[1])
    scoring_services.score_reopen(score=score, seat=world.chief, reason="重新考虑")
    with pytest.raises(InterviewRefused, match="未提交"):
        scoring_services.candidate_sign_off(candidate=candidate, seat=world.chief)


def test_only_the_chief_signs_off_and_only_once():
    world = make_interview(panel=3, candidates=1)
    candidate = world.candidates[0]
    score_all(world, candidate, ["80", "81", "82"])
    with pytest.raises(InterviewRefused, match="只有本组主考官"):
        scoring_services.candidate_sign_off(candidate=candidate, seat=world.seats[1])
    scoring_services.candidate_sign_off(candidate=candidate, seat=world.chief)
    with pytest.raises(InterviewRefused):
        scoring_services.candidate_sign_off(candidate=candidate, seat=world.chief)
    with pytest.raises(InterviewRefused, match="已确认"):
        scoring_services.score_reopen(score=InterviewScore.objects.first(), seat=world.chief, reason="x")


# ------------------------------------------------------------------ check-in and draw


def _start(world):
    return selectors.group_starts(world.group)


def test_check_in_before_the_cut_off_is_present_after_it_waits_for_the_chief():
    world = make_interview(
        panel=3, candidates=3, checked_in=False, start=dt.time(9, 0)
    )  # start + 30 min stays today
    start = _start(world)
    first, second, third = world.candidates
    day_services.checkin_mark(
        candidate=first, present=True, actor=world.admin, now=start + dt.timedelta(minutes=19)
    )
    late = day_services.checkin_mark(
        candidate=second, present=True, actor=world.admin, now=start + dt.timedelta(minutes=20)
    )
    assert InterviewCandidate.objects.get(pk=first.pk).attendance == Attendance.PRESENT
    assert late.attendance == Attendance.LATE
    # The chief admits only with a reason; an ordinary examiner not at all.
    with pytest.raises(InterviewRefused):
        day_services.late_decide(candidate=second, seat=world.seats[1], admit=True, reason="交通管制")
    with pytest.raises(ValidationError):
        day_services.late_decide(candidate=second, seat=world.chief, admit=True, reason="")
    day_services.late_decide(candidate=second, seat=world.chief, admit=True, reason="地铁故障，有车站证明")
    second.refresh_from_db()
    assert second.attendance == Attendance.PRESENT and second.late_reason == "地铁故障，有车站证明"
    # Refused: absent, stage ABSENT.
    day_services.checkin_mark(
        candidate=third, present=True, actor=world.admin, now=start + dt.timedelta(minutes=40)
    )
    day_services.late_decide(candidate=third, seat=world.chief, admit=False, reason="")
    third.refresh_from_db()
    assert third.attendance == Attendance.ABSENT and third.application.stage == Stage.ABSENT


def test_absent_moves_the_application_to_absent():
    world = make_interview(panel=3, candidates=1, checked_in=False)
    candidate = world.candidates[0]
    day_services.checkin_mark(candidate=candidate, present=False, actor=world.admin, now=_start(world))
    candidate.refresh_from_db()
    assert candidate.attendance == Attendance.ABSENT
    assert candidate.application.stage == Stage.ABSENT
    assert candidate.application.events.filter(to_stage=Stage.ABSENT).exists()


def test_check_in_only_on_the_day():
    world = make_interview(panel=3, candidates=1, checked_in=False)
    with pytest.raises(InterviewRefused, match="面试当天"):
        day_services.checkin_mark(
            candidate=world.candidates[0],
            present=True,
            actor=world.admin,
            now=_start(world) - dt.timedelta(days=1),
        )


def test_the_portal_draw_is_reproducible_from_its_recorded_seed():
    world = make_interview(panel=3, candidates=5, drawn=False)
    orders = day_services.draw_portal(group=world.group, actor=world.admin)
    world.group.refresh_from_db()
    assert world.group.draw_seed is not None and world.group.draw_method == "portal"
    ids = [c.pk for c in world.candidates]
    assert draw_order(ids, world.group.draw_seed) == orders
    stored = dict(InterviewCandidate.objects.filter(group=world.group).values_list("pk", "order"))
    assert stored == orders and sorted(stored.values()) == [1, 2, 3, 4, 5]
    with pytest.raises(InterviewRefused, match="已抽签"):
        day_services.draw_portal(group=world.group, actor=world.admin)


def test_a_candidate_admitted_after_the_draw_goes_last():
    world = make_interview(
        panel=3, candidates=3, checked_in=False, start=dt.time(9, 0)
    )  # start + 30 min stays today
    start = _start(world)
    first, second, late = world.candidates
    for candidate in (first, second):
        day_services.checkin_mark(candidate=candidate, present=True, actor=world.admin, now=start)
    day_services.draw_portal(group=world.group, actor=world.admin, seed=42, now=start)
    day_services.checkin_mark(
        candidate=late, present=True, actor=world.admin, now=start + dt.timedelta(minutes=30)
    )
    day_services.late_decide(candidate=late, seat=world.chief, admit=True, reason="身体不适，医务室证明")
    late.refresh_from_db()
    assert late.order == 3


def test_a_physical_draw_typed_in_must_be_one_to_n():
    world = make_interview(panel=3, candidates=3, drawn=False)
    a, b, c = (x.pk for x in world.candidates)
    with pytest.raises(ValidationError):
        day_services.draw_physical(group=world.group, actor=world.admin, orders={a: 1, b: 1, c: 2})
    with pytest.raises(ValidationError):
        day_services.draw_physical(group=world.group, actor=world.admin, orders={a: 1, b: 2})
    day_services.draw_physical(group=world.group, actor=world.admin, orders={a: 3, b: 1, c: 2})
    assert dict(InterviewCandidate.objects.values_list("pk", "order")) == {a: 3, b: 1, c: 2}


# ------------------------------------------------------------------ examiners and the group


def test_conflict_declared_then_replaced_before_the_start_audited():
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    world = make_interview(panel=3, candidates=1, date=tomorrow, start=dt.time(9, 0), checked_in=False)
    chief = world.chief
    services.conflict_declare(examiner=chief, reason="考生王某是我的表妹")
    substitute = UserFactory(role="examiner")
    new = services.examiner_replace(examiner=chief, user=substitute, actor=world.admin)
    chief.refresh_from_db()
    assert not chief.active and chief.replaced_by == new
    assert new.chief and new.active and new.user == substitute
    assert LogEntry.objects.filter(object_id=str(chief.pk), change_message__contains="表妹").exists()
    # The replaced examiner's seat is gone for them: 404 on their pages.
    with pytest.raises(Exception):  # noqa: B017 - Http404
        selectors.seat_of(chief.user, world.group.pk)
    # A non-examiner cannot be the replacement.
    with pytest.raises(ValidationError):
        services.examiner_replace(examiner=new, user=UserFactory(role="reviewer"), actor=world.admin)


def test_no_replacement_once_the_group_started():
    world = make_interview(panel=3, candidates=1)
    with pytest.raises(InterviewRefused, match="面试已开始"):
        services.examiner_replace(
            examiner=world.seats[1], user=UserFactory(role="examiner"), actor=world.admin
        )
    with pytest.raises(InterviewRefused):
        services.conflict_declare(examiner=world.seats[1], reason="认识考生")


def test_examiner_add_respects_panel_size_role_and_one_chief():
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    world = make_interview(
        panel=6, candidates=1, date=tomorrow, start=dt.time(9, 0), checked_in=False, published=False
    )
    with pytest.raises(ValidationError):
        services.examiner_add(
            group=world.group, user=UserFactory(role="reviewer"), chief=False, actor=world.admin
        )
    with pytest.raises(ValidationError):
        services.examiner_add(
            group=world.group, user=UserFactory(role="examiner"), chief=True, actor=world.admin
        )
    services.examiner_add(
        group=world.group, user=UserFactory(role="examiner"), chief=False, actor=world.admin
    )
    with pytest.raises(InterviewRefused, match="考官已满 7 人"):
        services.examiner_add(
            group=world.group, user=UserFactory(role="examiner"), chief=False, actor=world.admin
        )


def test_the_database_refuses_two_chiefs_a_double_seat_and_a_repeated_order():
    world = make_interview(panel=3, candidates=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        InterviewExaminer.objects.filter(pk=world.seats[1].pk).update(chief=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        InterviewExaminer.objects.create(group=world.group, user=world.seats[1].user, added_by=world.admin)
    with pytest.raises(IntegrityError), transaction.atomic():
        InterviewCandidate.objects.filter(pk=world.candidates[1].pk).update(order=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        InterviewScore.objects.create(
            candidate=world.candidates[0], examiner=world.seats[0], total=D("100.5")
        )


def test_publish_needs_a_full_panel_with_a_chief_and_sends_the_notice():
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    world = make_interview(
        panel=6, candidates=2, date=tomorrow, start=dt.time(9, 0), checked_in=False, published=False
    )
    with pytest.raises(InterviewRefused, match="考官人数应为 7 人，现有 6 人"):
        services.group_publish(group=world.group, actor=world.admin)
    services.examiner_add(
        group=world.group, user=UserFactory(role="examiner"), chief=False, actor=world.admin
    )
    world.group.report_by = dt.time(8, 30)
    world.group.save()
    told = services.group_publish(group=world.group, actor=world.admin)
    assert told == 2
    notices = Notification.objects.filter(event="interview_scheduled")
    assert notices.count() == 2
    body = notices.first().body
    assert "铁东区政务服务中心三楼301室" in body and "09:00" in body and "08:30" in body
    assert "请于08:30前到" in body and "报到，按抽签顺序依次面试。" in body
    assert "请携带" in body and "按时参加" in body
    assert "（" not in body.split("面试定于")[1].split("进行")[0]  # the time alone, no bracketed notes
    with pytest.raises(InterviewRefused):
        services.group_publish(group=world.group, actor=world.admin)


def test_assign_takes_the_shortlisted_of_the_groups_positions_not_yet_grouped():
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    world = make_interview(
        panel=3, candidates=1, date=tomorrow, start=dt.time(9, 0), checked_in=False, published=False
    )
    from tests.applicants.factories import ApplicationFactory
    from tests.exams.interview_factories import shortlisted

    position = world.group.positions.get()
    new = shortlisted(position, 2)
    ApplicationFactory(position=position, stage=Stage.NOT_SHORTLISTED)
    ApplicationFactory(position=position, stage=Stage.SHORTLISTED)  # no shortlist entry: not in the pool
    assert services.candidates_assign(group=world.group, actor=world.admin) == 2
    assert set(world.group.candidates.values_list("application_id", flat=True)) == {
        world.applications[0].pk,
        *(a.pk for a in new),
    }
    assert services.candidates_assign(group=world.group, actor=world.admin) == 0


# ------------------------------------------------------------------ scoring by dimensions


def _by_dimensions(announcement):
    from exams.models_rules import RankingSettings

    return RankingSettings.objects.create(
        announcement=announcement,
        panel_size=3,
        by_dimensions=True,
        dimensions=[
            {"name": "综合分析能力", "max": "40"},
            {"name": "语言表达能力", "max": "30"},
            {"name": "应变能力", "max": "30"},
        ],
    )


def test_scoring_by_dimensions_sums_within_each_maximum_and_gives_subscores():
    world = make_interview(panel=3, candidates=1)
    _by_dimensions(world.group.announcement)
    candidate = world.candidates[0]
    with pytest.raises(ValidationError) as error:
        scoring_services.score_submit(
            seat=world.seats[0],
            candidate=candidate,
            parts={"综合分析能力": "41", "语言表达能力": "20.555", "应变能力": "25"},
        )
    assert "不能超过 40 分" in error.value.message_dict["综合分析能力"][0]
    assert "两位小数" in error.value.message_dict["语言表达能力"][0]
    assert not InterviewScore.objects.exists()
    # 综合分析能力 35 / 32 / 30, 语言表达能力 25 / 24 / 20, 应变能力 20 / 24.5 / 28.
    for seat, parts in zip(
        world.seats,
        [("35", "25", "20"), ("32", "24", "24.5"), ("30", "20", "28")],
        strict=True,
    ):
        scoring_services.score_submit(
            seat=seat,
            candidate=candidate,
            parts=dict(zip(["综合分析能力", "语言表达能力", "应变能力"], parts, strict=True)),
        )
    # Totals: 80, 80.5, 78 → a panel of 3 averages all: 238.5 / 3 = 79.50.
    assert sorted(InterviewScore.objects.values_list("total", flat=True)) == [D("78"), D("80"), D("80.5")]
    scoring_services.candidate_sign_off(candidate=candidate, seat=world.chief)
    candidate.refresh_from_db()
    assert candidate.score == D("79.50")
    # Subscores, each through exams.scoring.interview_score: 97 / 3 = 32.333… → 32.33;
    # 69 / 3 = 23.00; 72.5 / 3 = 24.1666… → 24.17.
    assert selectors.interview_subscores(world.group.announcement) == {
        candidate.application_id: {
            "综合分析能力": D("32.33"),
            "语言表达能力": D("23.00"),
            "应变能力": D("24.17"),
        }
    }


def test_a_change_of_place_after_publication_tells_the_candidates_again():
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    world = make_interview(panel=3, candidates=2, date=tomorrow, start=dt.time(9, 0), checked_in=False)
    group = world.group
    data = {name: getattr(group, name) for name in services.GROUP_FIELDS}
    services.group_save(
        announcement=group.announcement,
        actor=world.admin,
        data=data,
        positions=group.positions.all(),
        group=group,
    )
    assert not Notification.objects.filter(event="interview_scheduled").exists()  # nothing changed
    data["place"] = "铁东区政务服务中心五楼501室"
    services.group_save(
        announcement=group.announcement,
        actor=world.admin,
        data=data,
        positions=group.positions.all(),
        group=group,
    )
    notices = Notification.objects.filter(event="interview_scheduled")
    assert notices.count() == 2 and all("五楼501室" in n.body for n in notices)
