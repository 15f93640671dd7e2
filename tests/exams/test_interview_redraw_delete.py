"""Issue 17 item 4, two gaps: the draw (抽签) redone with a reason before the first score,
and an interview group deleted by an administrator while nothing has happened in it yet —
services (state, audit, refusals with nothing changed) and pages (links, confirmation,
permissions, query budget)."""

import datetime as dt

import pytest
from django.contrib.admin.models import CHANGE, DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from exams.interview_rules import draw_order
from exams.models_interview import InterviewCandidate, InterviewExaminer, InterviewGroup
from exams.selectors import interview as selectors
from exams.services import interview as services
from exams.services import interview_day as day_services
from exams.services import interview_scoring as scoring_services
from exams.services.interview import InterviewRefused
from notifications.models import Notification
from tests.exams.interview_factories import make_interview
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
Attendance = InterviewCandidate.Attendance


def orders_of(group) -> dict[int, int | None]:
    return dict(InterviewCandidate.objects.filter(group=group).values_list("pk", "order"))


def group_log(group, action):
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(InterviewGroup),
        object_id=str(group.pk),
        action_flag=action,
    ).order_by("pk")


# ------------------------------------------------------------------ the draw redone


def late_admitted_after_the_draw():
    """Two present and drawn from seed 7; the third arrives late, is admitted, goes last."""
    world = make_interview(panel=3, candidates=3, checked_in=False, start=dt.time(9, 0))
    start = selectors.group_starts(world.group)
    first, second, late = world.candidates
    for candidate in (first, second):
        day_services.checkin_mark(candidate=candidate, present=True, actor=world.admin, now=start)
    day_services.draw_portal(group=world.group, actor=world.admin, seed=7, now=start)
    day_services.checkin_mark(
        candidate=late, present=True, actor=world.admin, now=start + dt.timedelta(minutes=30)
    )
    day_services.late_decide(candidate=late, seat=world.chief, admit=True, reason="地铁故障")
    return world, start


def test_a_redone_portal_draw_draws_everyone_present_from_a_new_recorded_seed():
    world, start = late_admitted_after_the_draw()
    before = orders_of(world.group)
    assert before[world.candidates[2].pk] == 3  # admitted after the draw: last
    ids = [c.pk for c in world.candidates]
    new = day_services.draw_redo(
        group=world.group, actor=world.admin, reason="抽签后仍有考生获准入场", seed=99, now=start
    )
    # The same rule as the first draw (exams.interview_rules.draw_order), over all three.
    assert new == draw_order(ids, 99)
    assert orders_of(world.group) == new and sorted(new.values()) == [1, 2, 3]
    world.group.refresh_from_db()
    assert (world.group.draw_method, world.group.draw_seed) == ("portal", 99)
    # The previous draw stays in the audit record: old seed and order → new, and the reason.
    note = group_log(world.group, CHANGE).last().change_message
    old_order = sorted((number, pk) for pk, number in before.items())
    new_order = sorted((number, pk) for pk, number in new.items())
    assert "抽签后仍有考生获准入场" in note
    assert f"from portal seed 7 order (number, candidate) {old_order}" in note
    assert f"→ to portal seed 99 order {new_order}" in note


def test_a_redone_draw_may_be_typed_in_from_physical_lots():
    world = make_interview(panel=3, candidates=3, drawn=False)
    day_services.draw_portal(group=world.group, actor=world.admin, seed=5)
    a, b, c = (x.pk for x in world.candidates)
    with pytest.raises(ValidationError):
        day_services.draw_redo(
            group=world.group, actor=world.admin, reason="误操作", orders={a: 1, b: 1, c: 2}
        )
    day_services.draw_redo(group=world.group, actor=world.admin, reason="误操作", orders={a: 2, b: 3, c: 1})
    assert orders_of(world.group) == {a: 2, b: 3, c: 1}
    world.group.refresh_from_db()
    assert (world.group.draw_method, world.group.draw_seed) == ("physical", None)
    assert "from portal seed 5" in group_log(world.group, CHANGE).last().change_message


def test_a_redo_is_refused_once_an_examiner_has_scored_and_nothing_changes():
    world = make_interview(panel=3, candidates=2, drawn=False)
    day_services.draw_portal(group=world.group, actor=world.admin, seed=11)
    first = InterviewCandidate.objects.get(group=world.group, order=1)
    scoring_services.score_submit(seat=world.seats[1], candidate=first, total="80")
    before, entries = orders_of(world.group), LogEntry.objects.count()
    with pytest.raises(InterviewRefused, match="考官已开始评分，不能重新抽签。"):
        day_services.draw_redo(group=world.group, actor=world.admin, reason="误操作")
    world.group.refresh_from_db()
    assert orders_of(world.group) == before and world.group.draw_seed == 11
    assert LogEntry.objects.count() == entries


def test_a_redo_needs_a_reason_a_draw_and_the_day():
    world = make_interview(panel=3, candidates=2, drawn=False)
    with pytest.raises(InterviewRefused, match="尚未抽签"):
        day_services.draw_redo(group=world.group, actor=world.admin, reason="误操作")
    day_services.draw_portal(group=world.group, actor=world.admin, seed=3)
    before = orders_of(world.group)
    with pytest.raises(ValidationError):
        day_services.draw_redo(group=world.group, actor=world.admin, reason="  ")
    start = selectors.group_starts(world.group)
    with pytest.raises(InterviewRefused, match="面试当天"):
        day_services.draw_redo(
            group=world.group, actor=world.admin, reason="误操作", now=start + dt.timedelta(days=1)
        )
    assert orders_of(world.group) == before


def test_the_check_in_page_offers_the_redo_until_the_first_score(client, django_assert_max_num_queries):
    world = make_interview(panel=3, candidates=2, drawn=False)
    day_services.draw_portal(group=world.group, actor=world.admin, seed=1)
    client.force_login(world.admin)
    url = reverse("exams:interview_checkin", args=[world.group.pk])
    redo = reverse("exams:interview_draw_redo", args=[world.group.pk])
    # session, user, roles, group, candidates, settings, counts, "any score?", site
    # settings, unread notices
    with django_assert_max_num_queries(10):
        html = client.get(url).content.decode()
    assert redo in html
    response = client.post(redo, {"method": "portal", "reason": "误操作"}, follow=True)
    assert "已重新抽签" in response.content.decode()
    assert "draw redone: 误操作; from portal seed 1" in group_log(world.group, CHANGE).last().change_message
    world.group.refresh_from_db()
    # No reason: refused with the message, nothing changed.
    seed = world.group.draw_seed
    response = client.post(redo, {"method": "portal", "reason": ""}, follow=True)
    assert "请填写重新抽签的原因" in response.content.decode()
    world.group.refresh_from_db()
    assert world.group.draw_seed == seed
    first = InterviewCandidate.objects.get(group=world.group, order=1)
    scoring_services.score_submit(seat=world.seats[1], candidate=first, total="80")
    html = client.get(url).content.decode()
    assert redo not in html and "考官已开始评分，不能再重新抽签。" in html


def test_a_reviewer_of_another_announcement_cannot_redo(client):
    world = make_interview(panel=3, candidates=2)
    client.force_login(UserFactory(role="reviewer"))
    response = client.post(reverse("exams:interview_draw_redo", args=[world.group.pk]), {"reason": "x"})
    assert response.status_code == 404


# ------------------------------------------------------------------ a group deleted


def test_a_group_with_nothing_happened_is_deleted_and_its_candidates_return_to_the_pool():
    world = make_interview(panel=3, candidates=2, checked_in=False)
    InterviewGroup.objects.filter(pk=world.group.pk).update(published_at=None)  # not yet published
    world.group.refresh_from_db()
    group, admin = world.group, world.admin
    seat = world.seats[1]
    # A replaced seat (kept inactive, pointing to its replacement) goes with the group too.
    new = InterviewExaminer.objects.create(group=group, user=UserFactory(role="examiner"), added_by=admin)
    InterviewExaminer.objects.filter(pk=seat.pk).update(active=False, replaced_by=new)
    notices = Notification.objects.count()
    services.group_delete(group=group, actor=admin, confirm_name="第A面试组")
    assert not InterviewGroup.objects.filter(pk=group.pk).exists()
    assert not InterviewExaminer.objects.filter(group_id=group.pk).exists()
    assert not InterviewCandidate.objects.filter(group_id=group.pk).exists()
    # The audit record outlives the row and names what went with it.
    [entry] = group_log(group, DELETION)
    assert entry.user_id == admin.pk
    assert "group deleted: A 第A面试组" in entry.change_message
    assert str(sorted(a.pk for a in world.applications)) in entry.change_message
    # No examiner is told (the portal sends no assignment notice to withdraw).
    assert Notification.objects.count() == notices
    # The candidates can be placed in another group of the same position.
    other = InterviewGroup.objects.create(
        announcement=group.announcement,
        code="B",
        name="第B面试组",
        date=group.date,
        starts_at=group.starts_at,
        place="301",
        created_by=admin,
    )
    other.positions.add(world.applications[0].position)
    assert services.candidates_assign(group=other, actor=admin) == 2


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("drawn", "本组已抽签。"),
        ("checked_in", "本组已有考生签到或登记缺考。"),
        ("scored", "考官已对本组考生评分。"),
    ],
)
def test_a_group_where_something_happened_is_not_deleted(setup, message):
    world = make_interview(panel=3, candidates=2, checked_in=True, drawn=setup != "checked_in")
    if setup == "drawn":
        InterviewCandidate.objects.filter(group=world.group).update(attendance=Attendance.PENDING, order=None)
    if setup == "scored":
        scoring_services.score_submit(seat=world.seats[0], candidate=world.candidates[0], total="80")
    entries = LogEntry.objects.count()
    with pytest.raises(InterviewRefused) as refused:
        services.group_delete(group=world.group, actor=world.admin, confirm_name="第A面试组")
    assert message in refused.value.message
    assert InterviewGroup.objects.filter(pk=world.group.pk).exists()
    assert LogEntry.objects.count() == entries


def test_the_name_must_be_typed_to_confirm():
    world = make_interview(panel=3, candidates=1, checked_in=False)
    with pytest.raises(ValidationError):
        services.group_delete(group=world.group, actor=world.admin, confirm_name="第B面试组")
    assert InterviewGroup.objects.filter(pk=world.group.pk).exists()


def test_the_delete_pages(client, django_assert_max_num_queries):
    world = make_interview(panel=3, candidates=2, checked_in=False)
    InterviewGroup.objects.filter(pk=world.group.pk).update(published_at=None)  # not yet published
    a, g = world.group.announcement_id, world.group.pk
    client.force_login(world.admin)
    url = reverse("exams:interview_group_delete", args=[a, g])
    assert url in client.get(reverse("exams:interview_group", args=[a, g])).content.decode()
    with django_assert_max_num_queries(10):
        html = client.get(url).content.decode()
    for seat in world.seats:
        assert (seat.user.name or seat.user.email) in html
    assert world.applications[0].position.name in html and "主考官" in html
    # A wrong name: the page again with the message, nothing deleted.
    html = client.post(url, {"confirm_name": "第一组"}).content.decode()
    assert "请准确输入面试组名称以确认删除" in html
    assert InterviewGroup.objects.filter(pk=g).exists()
    response = client.post(url, {"confirm_name": "第A面试组"})
    assert response.status_code == 302 and response.url == reverse("exams:interview_groups", args=[a])
    assert not InterviewGroup.objects.filter(pk=g).exists()


def test_the_delete_page_says_why_not_and_offers_no_button(client):
    world = make_interview(panel=3, candidates=2)  # checked in and drawn
    a, g = world.group.announcement_id, world.group.pk
    client.force_login(world.admin)
    url = reverse("exams:interview_group_delete", args=[a, g])
    html = client.get(url).content.decode()
    assert "该面试组不能删除" in html and "本组已抽签。" in html and 'name="confirm_name"' not in html
    response = client.post(url, {"confirm_name": "第A面试组"}, follow=True)
    assert "该面试组不能删除" in response.content.decode()
    assert InterviewGroup.objects.filter(pk=g).exists()


@pytest.mark.parametrize("role", ["reviewer", "examiner", "applicant"])
def test_only_administrators_delete_groups(client, role):
    world = make_interview(panel=3, candidates=1, checked_in=False)
    client.force_login(UserFactory(role=role))
    url = reverse("exams:interview_group_delete", args=[world.group.announcement_id, world.group.pk])
    assert client.get(url).status_code in (403, 404)
    assert client.post(url, {"confirm_name": "第A面试组"}).status_code in (403, 404)
    assert InterviewGroup.objects.filter(pk=world.group.pk).exists()


def test_a_published_group_keeps_its_candidates_until_they_are_moved():
    """They hold its interview notice (time and place): moved to another group they are told
    the new one; deleted with the group, nobody would tell them."""
    world = make_interview(panel=3, candidates=2, checked_in=False)
    InterviewGroup.objects.filter(pk=world.group.pk).update(published_at=timezone.now())
    world.group.refresh_from_db()
    with pytest.raises(InterviewRefused) as refused:
        services.group_delete(group=world.group, actor=world.admin, confirm_name="第A面试组")
    assert "请先将考生调整到其他面试组" in refused.value.message
    InterviewCandidate.objects.filter(group=world.group).delete()  # moved elsewhere
    services.group_delete(group=world.group, actor=world.admin, confirm_name="第A面试组")
    assert not InterviewGroup.objects.filter(pk=world.group.pk).exists()
