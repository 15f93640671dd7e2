"""The exam plan: refusals at the field, the lock, corrections telling exactly the
candidates affected, and the administrator pages with their query budgets."""

from datetime import datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from exams.forms import RoomForm, RoomsAddForm
from exams.models import ExamPlan, PlanCorrection
from exams.services import plan as services
from exams.services import tickets as ticket_services
from notifications.models import Notification
from tests.applicants.factories import ReviewPositionFactory
from tests.exams.factories import SessionFactory, VenueFactory, add_rooms, make_exam

pytestmark = pytest.mark.django_db


def test_plan_is_created_with_defaults_and_is_the_announcements_exam_schedule(administrator):
    from recruitment import hooks

    position = ReviewPositionFactory()
    announcement = position.announcement
    assert hooks.exam_schedule(announcement) is None  # no plan: no exam dates anywhere
    plan = services.plan_get_or_create(announcement=announcement, actor=administrator)
    assert (plan.print_starts_at, plan.print_ends_at, plan.sessions.count()) == (None, None, 0)
    assert plan.rules_text  # the standard candidates' rules
    exam_at = timezone.now() + timedelta(days=10)
    SessionFactory(plan=plan, subject="公共基础知识", starts_at=exam_at, ends_at=exam_at + timedelta(hours=2))
    schedule = hooks.exam_schedule(announcement)
    assert [(s.subject, s.starts_at) for s in schedule.sessions] == [("公共基础知识", exam_at)]
    assert schedule.last_ends_at == exam_at + timedelta(hours=2)
    assert schedule.url == f"/exams/announcements/{announcement.pk}/"
    assert services.plan_get_or_create(announcement=announcement, actor=administrator) == plan


def test_overlapping_sessions_sharing_a_position_are_refused_other_positions_may_overlap(administrator):
    plan, _apps = make_exam(candidates=0, positions=2)
    first_position, second_position = plan.announcement.positions.order_by("pk")
    morning = plan.sessions.get()
    morning.positions.set([first_position])
    start = morning.starts_at + timedelta(minutes=30)
    fields = {"subject": "社区工作实务", "starts_at": start, "ends_at": start + timedelta(hours=1)}
    with pytest.raises(ValidationError) as error:
        services.session_save(plan=plan, actor=administrator, fields=fields, positions=[first_position])
    assert "starts_at" in error.value.error_dict
    assert plan.sessions.count() == 1
    # the other position may sit a paper at the same time
    services.session_save(plan=plan, actor=administrator, fields=fields, positions=[second_position])
    assert plan.sessions.count() == 2
    # a session for all positions overlaps both
    with pytest.raises(ValidationError):
        services.session_save(plan=plan, actor=administrator, fields={**fields, "subject": "X"}, positions=[])


def test_window_must_close_before_the_exam(administrator):
    plan, _apps = make_exam(candidates=0)
    exam_start = plan.sessions.get().starts_at
    with pytest.raises(ValidationError) as error:
        services.plan_update(
            plan=plan, actor=administrator, fields={"print_ends_at": exam_start + timedelta(seconds=1)}
        )
    assert "print_ends_at" in error.value.error_dict
    services.plan_update(plan=plan, actor=administrator, fields={"print_ends_at": exam_start})
    assert ExamPlan.objects.get(pk=plan.pk).print_ends_at == exam_start


def test_parts_must_add_up_to_full_marks():
    # 40 + 60 = 100 fits; 40 + 50 = 90 ≠ 100 is refused
    assert services.clean_parts("公共基础知识 40\n社区工作 60", 100) == [
        {"name": "公共基础知识", "marks": "40"},
        {"name": "社区工作", "marks": "60"},
    ]
    with pytest.raises(ValidationError):
        services.clean_parts("公共基础知识 40\n社区工作 50", 100)


def test_a_room_over_99_seats_is_refused_at_the_field():
    assert not RoomsAddForm({"count": 1, "capacity": 100}).is_valid()
    form = RoomForm({"number": 1, "capacity": 100, "location": ""})
    assert not form.is_valid() and "capacity" in form.errors
    assert "99" in form.errors["capacity"][0]


def test_too_few_seats_for_the_approved_candidates_is_refused_when_removing_seats(administrator):
    # 31 candidates, rooms 30 + 30 = 60 seats: deleting one room would leave 30 < 31
    plan, _apps = make_exam(candidates=31, positions=1, rooms=(("01", 2, 30),))
    room = plan.venues.get().rooms.first()
    with pytest.raises(ValidationError) as error:
        services.room_delete(room=room, actor=administrator)
    assert "capacity" in error.value.error_dict


def _issue(plan, actor, capture):
    with capture(execute=True):
        ticket_services.issue_job_create(plan=plan, actor=actor)
    plan.refresh_from_db()


def test_plan_locks_once_tickets_are_issued_and_a_correction_tells_exactly_those_affected(
    administrator, django_capture_on_commit_callbacks
):
    plan, _apps = make_exam(candidates=4, positions=1, rooms=(("01", 1, 2), ("02", 1, 30)))
    _issue(plan, administrator, django_capture_on_commit_callbacks)
    session = plan.sessions.get()
    with pytest.raises(services.PlanLocked):
        services.session_save(plan=plan, actor=administrator, session=session, fields={"subject": "改"})
    room = plan.venues.get(code="01").rooms.get()
    correction = services.room_correct(
        room=room, actor=administrator, location="教学楼二楼205室", reason="原考场漏水"
    )
    # room 01/01 holds 2 of the 4 candidates: exactly 2 told
    assert correction.notified == 2
    assert Notification.objects.filter(event="exam_changed").count() == 2
    later = session.starts_at + timedelta(hours=1)
    correction = services.session_correct_time(
        session=session,
        actor=administrator,
        starts_at=later,
        ends_at=later + timedelta(hours=2),
        reason="统一调整",
    )
    assert correction.notified == 4
    assert PlanCorrection.objects.count() == 2
    with pytest.raises(ValidationError) as error:
        services.room_correct(room=room, actor=administrator, location="X", reason=" ")
    assert "reason" in error.value.error_dict


# --- pages -----------------------------------------------------------------------------------


def test_plan_pages_for_an_administrator_within_budget(client, administrator, django_assert_max_num_queries):
    plan, _apps = make_exam(candidates=3, positions=2, rooms=(("01", 3, 30), ("02", 2, 30)))
    client.force_login(administrator)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("exams:index"))
    assert response.status_code == 200
    with django_assert_max_num_queries(22):
        response = client.get(reverse("exams:plan", args=[plan.announcement_id]))
    assert response.status_code == 200
    assert "审核通过考生" in response.content.decode()
    # more venues and rooms: the same number of queries
    add_rooms(VenueFactory(plan=plan, code="03"), 5)
    with django_assert_max_num_queries(22):
        assert client.get(reverse("exams:plan", args=[plan.announcement_id])).status_code == 200


def test_session_form_shows_the_overlap_at_the_field(client, administrator):
    plan, _apps = make_exam(candidates=0, positions=1)
    existing = plan.sessions.get()
    # A session in office hours the day after, so that start + 90 min never crosses midnight
    # (the suite may run at any hour of Beijing time).
    day = timezone.localtime(existing.starts_at).date() + timedelta(days=1)
    local = timezone.make_aware(datetime.combine(day, time(9, 0)))
    existing.starts_at, existing.ends_at = local, local + timedelta(hours=2)
    existing.save(update_fields=["starts_at", "ends_at"])
    client.force_login(administrator)
    response = client.post(
        reverse("exams:session_add", args=[plan.announcement_id]),
        {
            "subject": "加试",
            "day": local.date().isoformat(),
            "start": (local + timedelta(minutes=30)).strftime("%H:%M"),
            "end": (local + timedelta(minutes=90)).strftime("%H:%M"),
            "full_marks": "100",
        },
    )
    assert response.status_code == 200
    assert "时间重叠" in response.content.decode()
    assert plan.sessions.count() == 1


@pytest.mark.parametrize("role", ["reviewer", "applicant", "proctor"])
def test_plan_pages_refused_to_others(client, role):
    from tests.factories import UserFactory

    plan, _apps = make_exam(candidates=0)
    client.force_login(UserFactory(role=role))
    assert client.get(reverse("exams:plan", args=[plan.announcement_id])).status_code == 403
    assert client.post(reverse("exams:issue", args=[plan.announcement_id])).status_code == 403


def test_issue_from_the_page_and_follow_the_job(client, administrator, django_capture_on_commit_callbacks):
    plan, _apps = make_exam(candidates=3)
    client.force_login(administrator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("exams:issue", args=[plan.announcement_id]))
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200 and "3 / 3" in page.content.decode()


def test_session_factory_default_is_after_window():
    session = SessionFactory()
    assert session.plan.print_ends_at < session.starts_at


def test_venue_added_from_the_page_takes_the_next_free_code(client, administrator):
    plan, _apps = make_exam(candidates=0, rooms=(("01", 1, 30),))
    client.force_login(administrator)
    response = client.post(
        reverse("exams:venue_add", args=[plan.announcement_id]),
        {"name": "第二考点", "address": "鞍山市立山区建国路12号", "directions": "", "code": ""},
    )
    assert response.status_code == 302
    assert plan.venues.get(name="第二考点").code == "02"
    response = client.post(
        reverse("exams:venue_add", args=[plan.announcement_id]),
        {"name": "第三考点", "address": "某地", "directions": "", "code": "01"},
    )
    assert "已被使用" in response.content.decode()


def test_demo_seed_gives_the_demo_applicant_a_ticket_in_an_open_window(db, settings):
    import io

    from django.core.management import call_command

    from applicants.models import Application, Stage
    from exams import demo
    from exams.models import Ticket
    from exams.selectors.tickets import print_state

    call_command("seed_demo", stdout=io.StringIO())
    application = Application.objects.get(
        applicant__email="applicant@demo.cn", announcement__title=demo.TITLE
    )
    ticket = Ticket.objects.select_related("room__venue__plan").get(application=application)
    assert application.stage == Stage.TICKET_ISSUED
    assert print_state(ticket.room.venue.plan) == "open"
    assert ticket.room.venue.plan.venues.count() == 2
    # idempotent: seeding again keeps the same ticket
    call_command("seed_demo", stdout=io.StringIO())
    assert Ticket.objects.get(application=application).number == ticket.number


def test_every_form_page_within_budget(
    client, administrator, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    plan, _apps = make_exam(candidates=2, positions=2, rooms=(("01", 2, 30),))
    venue = plan.venues.get()
    room = venue.rooms.first()
    session = plan.sessions.get()
    pk = plan.announcement_id
    client.force_login(administrator)
    before = [
        reverse("exams:plan_edit", args=[pk]),
        reverse("exams:session_add", args=[pk]),
        reverse("exams:session_edit", args=[pk, session.pk]),
        reverse("exams:venue_add", args=[pk]),
        reverse("exams:venue_edit", args=[pk, venue.pk]),
        reverse("exams:rooms_add", args=[pk, venue.pk]),
        reverse("exams:room_edit", args=[pk, room.pk]),
        reverse("exams:proctor_add", args=[pk, venue.pk]),
    ]
    for url in before:
        with django_assert_max_num_queries(16):
            assert client.get(url).status_code == 200, url
    _issue(plan, administrator, django_capture_on_commit_callbacks)
    after = [
        reverse("exams:window_correct", args=[pk]),
        reverse("exams:session_correct", args=[pk, session.pk]),
        reverse("exams:venue_correct", args=[pk, venue.pk]),
        reverse("exams:room_correct", args=[pk, room.pk]),
        reverse("exams:checkin_index"),
    ]
    for url in after:
        with django_assert_max_num_queries(16):
            assert client.get(url).status_code == 200, url
    from portal.models import BackgroundJob

    job = BackgroundJob.objects.filter(kind=ticket_services.JOB_KIND).first()
    with django_assert_max_num_queries(16):
        assert client.get(reverse("exams:job", args=[job.pk])).status_code == 200


def test_retention_counts_the_exam_plans_dates_as_the_announcements_end():
    """Data retention starts from an announcement's last milestone; the exam's dates are the
    plan's (read through recruitment.hooks), the announcement no longer carries them."""
    from applicants import retention
    from recruitment.models import Announcement

    position = ReviewPositionFactory()
    announcement = position.announcement
    Announcement.objects.filter(pk=announcement.pk).update(
        status=Announcement.Status.CLOSED, interview_at=None
    )
    announcement.refresh_from_db()
    assert retention.announcement_end(announcement) == announcement.review_deadline
    exam_at = announcement.review_deadline + timedelta(days=20)
    SessionFactory(plan__announcement=announcement, starts_at=exam_at, ends_at=exam_at + timedelta(hours=2))
    assert retention.announcement_end(announcement) == exam_at + timedelta(hours=2)
