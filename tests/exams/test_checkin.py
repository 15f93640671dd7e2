"""Exam-day check-in: who may check in whom, tokens, the entry cut-off, closing a
session (unmarked → absent, a state, never a score), the paper route."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from applicants.models import Application, Stage
from exams.models import Attendance, ExamSession, Ticket
from exams.selectors.checkin import CheckinRefused, access_for, ticket_from_input
from exams.services import checkin as services
from exams.services import tickets as ticket_services
from exams.tokens import ticket_token
from tests.exams.factories import SessionFactory, make_exam, proctor_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def exam(administrator, django_capture_on_commit_callbacks):
    """Two venues (01: 2 seats, 02: 30) with 4 candidates; the session started 5 minutes ago."""
    plan, apps = make_exam(candidates=4, positions=1, rooms=(("01", 1, 2), ("02", 1, 30)))
    with django_capture_on_commit_callbacks(execute=True):
        ticket_services.issue_job_create(plan=plan, actor=administrator)
    started = timezone.now() - timedelta(minutes=5)
    ExamSession.objects.filter(plan=plan).update(starts_at=started, ends_at=started + timedelta(hours=2))
    session = plan.sessions.get()
    now = session.starts_at + timedelta(minutes=5)
    venues = {v.code: v for v in plan.venues.all()}
    tickets = {
        code: list(Ticket.objects.filter(room__venue=venue).select_related("room__venue", "application"))
        for code, venue in venues.items()
    }
    return plan, session, venues, tickets, now


@pytest.fixture
def proctor(exam):
    _plan, _session, venues, _tickets, _now = exam
    user = UserFactory(role="proctor")
    proctor_of(venues["01"], user)
    return user


def test_proctor_marks_present_by_typed_number_and_by_token(exam, proctor):
    plan, session, _venues, tickets, now = exam
    access = access_for(proctor, session)
    first, second = tickets["01"]
    assert ticket_from_input(session, first.number) == first
    attendance = services.checkin_mark_present(
        session=session, access=access, actor=proctor, ticket=first, via="typed", now=now
    )
    assert attendance.status == Attendance.Status.PRESENT and attendance.marked_by == proctor
    token = ticket_token(announcement_id=plan.announcement_id, ticket_number=second.number)
    assert ticket_from_input(session, token) == second
    # marking twice keeps the first mark
    again = services.checkin_mark_present(
        session=session, access=access, actor=proctor, ticket=first, via="scan", now=now
    )
    assert again.pk == attendance.pk


def test_a_ticket_of_another_venue_is_refused_saying_which(exam, proctor):
    _plan, session, venues, tickets, now = exam
    other = tickets["02"][0]
    with pytest.raises(CheckinRefused) as refused:
        services.checkin_mark_present(
            session=session,
            access=access_for(proctor, session),
            actor=proctor,
            ticket=other,
            via="typed",
            now=now,
        )
    assert venues["02"].name in refused.value.message
    assert not Attendance.objects.exists()


def test_a_ticket_of_another_session_is_refused_saying_which(exam, proctor):
    plan, session, _venues, tickets, now = exam
    other_position = type(tickets["01"][0].application.position).objects.create(
        announcement=plan.announcement,
        code="X01",
        name="另一岗位",
        district="铁东区",
        quota=1,
        original_quota=1,
    )
    afternoon = SessionFactory(
        plan=plan, subject="社区工作实务", starts_at=session.ends_at + timedelta(hours=2)
    )
    afternoon.positions.set([other_position])
    with pytest.raises(CheckinRefused) as refused:
        services.checkin_mark_present(
            session=afternoon,
            access=access_for(proctor, afternoon),
            actor=proctor,
            ticket=tickets["01"][0],
            via="typed",
            now=afternoon.starts_at,
        )
    assert "综合知识" in refused.value.message and "社区工作实务" in refused.value.message


def test_tampered_foreign_and_malformed_tokens_are_refused(exam):
    plan, session, _venues, tickets, _now = exam
    token = ticket_token(announcement_id=plan.announcement_id, ticket_number=tickets["01"][0].number)
    tampered = token.replace(tickets["01"][0].number, tickets["01"][1].number)
    foreign = ticket_token(announcement_id=plan.announcement_id + 1000, ticket_number=tickets["01"][0].number)
    for text, words in (
        (tampered, "二维码无效"),
        ("garbage:token", "二维码无效"),
        (foreign, "不属于本次考试"),
    ):
        with pytest.raises(CheckinRefused) as refused:
            ticket_from_input(session, text)
        assert words in refused.value.message
    with pytest.raises(CheckinRefused):
        ticket_from_input(session, "99999999999")


def test_after_the_cut_off_only_the_chief_admits_with_a_reason(exam, proctor):
    _plan, session, venues, tickets, _now = exam
    late = services.entry_cutoff(session)  # start + 30 min: entry is closed from this second
    ticket = tickets["01"][0]
    with pytest.raises(CheckinRefused) as refused:
        services.checkin_mark_present(
            session=session,
            access=access_for(proctor, session),
            actor=proctor,
            ticket=ticket,
            via="typed",
            now=late,
        )
    assert "主考" in refused.value.message
    chief = UserFactory(role="proctor")
    proctor_of(venues["01"], chief, chief=True)
    access = access_for(chief, session)
    with pytest.raises(Exception) as no_reason:  # noqa: B017 - ValidationError on the reason field
        services.checkin_mark_present(
            session=session, access=access, actor=chief, ticket=ticket, via="typed", now=late
        )
    assert "reason" in no_reason.value.error_dict
    attendance = services.checkin_mark_present(
        session=session,
        access=access,
        actor=chief,
        ticket=ticket,
        via="typed",
        reason="交通管制，有证明",
        now=late,
    )
    assert attendance.late and attendance.reason == "交通管制，有证明"
    # a second before the cut-off an ordinary proctor still admits
    services.checkin_mark_present(
        session=session,
        access=access_for(proctor, session),
        actor=proctor,
        ticket=tickets["01"][1],
        via="typed",
        now=late - timedelta(seconds=1),
    )


def test_session_close_marks_the_unmarked_absent_idempotent(exam, proctor, administrator):
    _plan, session, _venues, tickets, now = exam
    present = tickets["01"][0]
    services.checkin_mark_present(
        session=session,
        access=access_for(proctor, session),
        actor=proctor,
        ticket=present,
        via="typed",
        now=now,
    )
    with pytest.raises(Exception):  # noqa: B017 - not ended yet
        services.session_close(session=session, now=session.ends_at - timedelta(seconds=1))
    # 4 candidates, 1 present: 3 absent
    assert services.session_close(session=session, actor=administrator, now=session.ends_at) == 3
    assert Attendance.objects.filter(status=Attendance.Status.ABSENT).count() == 3
    stages = set(
        Application.objects.exclude(pk=present.application_id)
        .filter(exam_ticket__isnull=False)
        .values_list("stage", flat=True)
    )
    assert stages == {Stage.ABSENT}
    assert Application.objects.get(pk=present.application_id).stage == Stage.TICKET_ISSUED
    assert services.session_close(session=session, now=session.ends_at + timedelta(hours=1)) == 0
    assert services.sessions_close_due(now=session.ends_at + timedelta(days=1)) == 0
    assert ExamSession.objects.get(pk=session.pk).closed_at is not None


def test_paper_marks_typed_in_afterwards(client, exam, proctor):
    _plan, session, venues, tickets, _now = exam
    room = venues["01"].rooms.get()
    client.force_login(proctor)
    url = reverse("exams:room_marks", args=[session.pk, room.pk])
    page = client.get(url)
    assert page.status_code == 200 and tickets["01"][0].number in page.content.decode()
    response = client.post(url, {"present": [str(tickets["01"][0].pk), str(tickets["02"][0].pk)]})
    assert response.status_code == 302
    # only the room's own ticket is marked (the other room's id is ignored)
    assert list(Attendance.objects.values_list("ticket_id", "via")) == [(tickets["01"][0].pk, "paper")]


def test_checkin_page_refused_to_a_proctor_of_no_venue_a_reviewer_and_an_applicant(
    client, exam, reviewer, applicant
):
    _plan, session, _venues, _tickets, _now = exam
    url = reverse("exams:checkin", args=[session.pk])
    client.force_login(UserFactory(role="proctor"))  # a proctor, but of no venue of this exam
    assert client.get(url).status_code == 404
    for user in (reviewer, applicant):
        client.force_login(user)
        assert client.get(url).status_code == 403


def test_checkin_page_lookup_and_admit_within_budget(client, exam, proctor, django_assert_max_num_queries):
    _plan, session, _venues, tickets, _now = exam
    ticket = tickets["01"][0]
    client.force_login(proctor)
    url = reverse("exams:checkin", args=[session.pk])
    with django_assert_max_num_queries(18):
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(24):
        response = client.post(url, {"action": "lookup", "code": ticket.number})
    html = response.content.decode()
    assert ticket.application.snapshot["real_name"] in html and "data-admit" in html
    with django_assert_max_num_queries(20):
        response = client.post(
            reverse("exams:checkin_admit", args=[session.pk]),
            {"ticket": ticket.pk, "via": "typed", "reason": ""},
        )
    assert response.status_code == 302
    assert Attendance.objects.filter(ticket=ticket, status="present").exists()
    # another venue's number is refused on the page, naming the venue
    other = tickets["02"][0]
    html = client.post(url, {"action": "lookup", "code": other.number}).content.decode()
    assert "data-refusal" in html and other.room.venue.name in html


def test_room_sheets_as_pdf(client, exam, proctor, django_assert_max_num_queries):
    _plan, session, venues, tickets, _now = exam
    room = venues["01"].rooms.get()
    client.force_login(proctor)
    for kind in ("sign-in", "seating"):
        with django_assert_max_num_queries(15):
            response = client.get(reverse("exams:room_sheet", args=[session.pk, room.pk, kind]))
        assert response.status_code == 200 and response.content.startswith(b"%PDF")
    other_room = venues["02"].rooms.get()
    assert (
        client.get(reverse("exams:room_sheet", args=[session.pk, other_room.pk, "sign-in"])).status_code
        == 404
    )
