"""Seating and ticket numbers: the issue job, reruns, late approvals, uniqueness per
announcement, and transition_many."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from applicants.models import Application, ApplicationEvent, Stage
from applicants.transitions import stage_changed, transition_many
from exams.models import Ticket
from exams.numbering import Candidate, RoomSeats, seat_candidates
from exams.selectors.checkin import ticket_from_input
from exams.services import tickets as services
from notifications.models import Notification
from portal.models import BackgroundJob
from tests.exams.factories import SessionFactory, approved, make_exam

pytestmark = pytest.mark.django_db


def issue(plan, actor, capture):
    with capture(execute=True):
        job = services.issue_job_create(plan=plan, actor=actor)
    job.refresh_from_db()
    plan.refresh_from_db()
    return job


def seats_of(plan):
    return dict(
        Ticket.objects.filter(announcement_id=plan.announcement_id).values_list("application_id", "number")
    )


def test_issue_seats_numbers_moves_stage_audits_and_notifies(
    administrator, django_capture_on_commit_callbacks
):
    plan, apps = make_exam(candidates=7, positions=2, rooms=(("01", 1, 4), ("02", 1, 30)))
    job = issue(plan, administrator, django_capture_on_commit_callbacks)
    assert job.status == BackgroundJob.Status.DONE and job.done == job.total == 7
    tickets = list(Ticket.objects.filter(announcement_id=plan.announcement_id).select_related("room__venue"))
    assert len(tickets) == 7
    # 7 candidates: room 01/01 (4 seats) full, 3 in room 02/01; number = 0 + 2103 + venue + room + seat
    by_room = {}
    for ticket in tickets:
        by_room.setdefault(ticket.room.venue.code, []).append(ticket.seat)
        assert ticket.number == f"02103{ticket.room.venue.code}01{ticket.seat:02d}"
        assert len(ticket.number) == 11
    assert sorted(by_room["01"]) == [1, 2, 3, 4] and sorted(by_room["02"]) == [1, 2, 3]
    assert set(Application.objects.filter(pk__in=[a.pk for a in apps]).values_list("stage", flat=True)) == {
        Stage.TICKET_ISSUED
    }
    assert ApplicationEvent.objects.filter(to_stage=Stage.TICKET_ISSUED, actor=administrator).count() == 7
    assert Notification.objects.filter(event="ticket_ready").count() == 7
    assert plan.locked and plan.seating_seed is not None and plan.seated_count == 7


def test_seating_reproduces_from_the_recorded_seed(administrator, django_capture_on_commit_callbacks):
    plan, apps = make_exam(candidates=20, positions=3, rooms=(("01", 3, 10),))
    issue(plan, administrator, django_capture_on_commit_callbacks)
    rooms = list(plan.venues.get().rooms.order_by("number"))
    again = seat_candidates(
        [Candidate(a.pk, a.position_id) for a in apps],
        [RoomSeats(r.pk, r.capacity) for r in rooms],
        seed=plan.seating_seed,
    )
    stored = {
        t.application_id: (t.room_id, t.seat)
        for t in Ticket.objects.filter(announcement_id=plan.announcement_id)
    }
    assert {s.application_id: (s.room_id, s.seat) for s in again} == stored


def test_issuing_twice_gives_the_same_seats(administrator, django_capture_on_commit_callbacks):
    plan, _apps = make_exam(candidates=9)
    issue(plan, administrator, django_capture_on_commit_callbacks)
    before = seats_of(plan)
    with pytest.raises(ValidationError) as refused:  # nobody left to seat: refused at the page
        services.issue_job_create(plan=plan, actor=administrator)
    assert "capacity" in refused.value.error_dict
    # A second run of the same job (a redelivered message) changes nothing either.
    job = BackgroundJob.objects.get(kind=services.JOB_KIND)
    BackgroundJob.objects.filter(pk=job.pk).update(status=BackgroundJob.Status.PENDING)
    job.refresh_from_db()
    services.issue_run(job)
    assert seats_of(plan) == before


def test_late_approval_takes_the_first_free_seat_nobody_renumbered(
    administrator, django_capture_on_commit_callbacks
):
    plan, apps = make_exam(candidates=5, positions=1, rooms=(("01", 1, 30),))
    issue(plan, administrator, django_capture_on_commit_callbacks)
    before = seats_of(plan)
    # Free seat 3 of room 01 by hand, as if that candidate never existed.
    freed = Ticket.objects.get(announcement_id=plan.announcement_id, seat=3)
    freed_app = freed.application_id
    freed.delete()
    del before[freed_app]
    late = approved(apps[0].position)[0]
    # the approval's stage_changed after commit starts the seating job by itself
    with django_capture_on_commit_callbacks(execute=True):
        stage_changed.send(
            sender=Application,
            announcement_id=plan.announcement_id,
            from_stage=Stage.SUBMITTED,
            to_stage=Stage.APPROVED,
        )
    after = seats_of(plan)
    assert {k: v for k, v in after.items() if k in before} == before  # nobody moved
    assert after[late.pk] == "02103010103"  # the first free seat: room 01, seat 03
    assert Ticket.objects.get(application=late).initial is False


def test_approved_during_a_run_is_seated_by_the_next_run_never_twice(
    administrator, django_capture_on_commit_callbacks, monkeypatch
):
    plan, apps = make_exam(candidates=4, positions=1)
    job = services.issue_job_create(plan=plan, actor=administrator)
    real = services._candidates
    late = []

    def read_then_someone_is_approved(plan_):
        waiting = real(plan_)
        late.extend(approved(apps[0].position))  # approved after the run read its list
        return waiting

    monkeypatch.setattr(services, "_candidates", read_then_someone_is_approved)
    services.issue_run(job)
    monkeypatch.setattr(services, "_candidates", real)
    assert not Ticket.objects.filter(application=late[0]).exists()
    assert Application.objects.get(pk=late[0].pk).stage == Stage.APPROVED  # not lost
    issue(plan, administrator, django_capture_on_commit_callbacks)
    assert Ticket.objects.filter(application=late[0]).count() == 1
    assert Ticket.objects.filter(announcement_id=plan.announcement_id).count() == 5


def test_too_few_seats_refused_at_the_field(administrator):
    plan, _apps = make_exam(candidates=31, positions=1, rooms=(("01", 1, 30),))
    # 31 approved, 1 room × 30 seats: refused, saying both numbers
    with pytest.raises(ValidationError) as error:
        services.issue_job_create(plan=plan, actor=administrator)
    assert "capacity" in error.value.error_dict
    assert "31" in error.value.messages[0] and "30" in error.value.messages[0]
    assert not Ticket.objects.exists() and not BackgroundJob.objects.exists()


def test_same_number_in_two_announcements_resolves_within_its_own(
    administrator, django_capture_on_commit_callbacks
):
    plan_a, apps_a = make_exam(candidates=1, positions=1)
    plan_b, apps_b = make_exam(candidates=1, positions=1)
    issue(plan_a, administrator, django_capture_on_commit_callbacks)
    issue(plan_b, administrator, django_capture_on_commit_callbacks)
    number_a, number_b = (
        Ticket.objects.get(application=apps_a[0]).number,
        Ticket.objects.get(application=apps_b[0]).number,
    )
    assert number_a == number_b == "02103010101"
    session_b = plan_b.sessions.get()
    assert ticket_from_input(session_b, number_b).application_id == apps_b[0].pk
    assert ticket_from_input(plan_a.sessions.get(), number_a).application_id == apps_a[0].pk
    # and the database keeps a number unique within one announcement
    ticket = Ticket.objects.get(application=apps_a[0])
    other = approved(apps_a[0].position)[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        Ticket.objects.create(
            application=other,
            announcement_id=plan_a.announcement_id,
            number=ticket.number,
            room=ticket.room,
            seat=29,
        )


def test_transition_many_locks_moves_audits_and_signals_per_pair(
    administrator, django_capture_on_commit_callbacks
):
    plan, apps = make_exam(candidates=3, positions=1)
    Application.objects.filter(pk=apps[2].pk).update(stage=Stage.SUBMITTED)
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    stage_changed.connect(receiver, dispatch_uid="test.many")
    try:
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            moved = transition_many(
                [a.pk for a in apps],
                to_stage=Stage.TICKET_ISSUED,
                actor=administrator,
                from_stages=[Stage.APPROVED],
            )
    finally:
        stage_changed.disconnect(dispatch_uid="test.many")
    assert moved == sorted([apps[0].pk, apps[1].pk])  # the submitted one is skipped
    assert Application.objects.get(pk=apps[0].pk).version == apps[0].version + 1
    assert ApplicationEvent.objects.filter(to_stage=Stage.TICKET_ISSUED).count() == 2
    assert received == [
        {
            "signal": stage_changed,
            "announcement_id": plan.announcement_id,
            "from_stage": Stage.APPROVED,
            "to_stage": Stage.TICKET_ISSUED,
            "count": 2,
        }
    ]


def test_two_sessions_one_ticket(administrator, django_capture_on_commit_callbacks):
    plan, _apps = make_exam(candidates=2, positions=1)
    SessionFactory(plan=plan, subject="社区工作实务", starts_at=plan.sessions.get().ends_at)
    issue(plan, administrator, django_capture_on_commit_callbacks)
    assert Ticket.objects.filter(announcement_id=plan.announcement_id).count() == 2


# --- The ticket PDF, rendered once per ticket and content ------------------------------------


def _download(client, application):
    from django.urls import reverse

    response = client.get(reverse("exams:ticket_pdf", args=[application.pk]))
    assert response.status_code == 200, response.content[:200]
    return response.content


def _text(content: bytes) -> str:
    from io import BytesIO

    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)


@pytest.fixture
def printing(administrator, django_capture_on_commit_callbacks, monkeypatch):
    """Two candidates seated in a room of 30 (seats 01, 02), the window open; renderings
    counted (exams.documents.render_ticket wrapped) from before the issue, whose job renders
    every ticket ahead of the window."""
    from exams import documents

    rendered = []
    real = documents.render_ticket

    def counting(data):
        rendered.append(data)
        return real(data)

    monkeypatch.setattr(documents, "render_ticket", counting)
    plan, apps = make_exam(candidates=2, positions=1, rooms=(("01", 1, 30),))
    issue(plan, administrator, django_capture_on_commit_callbacks)
    apps = [Application.objects.select_related("applicant").get(pk=a.pk) for a in apps]
    return plan, apps, rendered


def test_issuing_renders_every_ticket_ahead_and_a_rerun_renders_nothing(
    printing, administrator, django_capture_on_commit_callbacks
):
    from exams.selectors.tickets import TICKET_PDF_DIR

    plan, apps, rendered = printing
    job = BackgroundJob.objects.get(kind=services.RENDER_KIND, announcement_id=plan.announcement_id)
    assert (job.status, job.done, job.total) == ("done", 2, 2)
    assert sorted(data.ticket_number for data in rendered) == sorted(
        Ticket.objects.filter(announcement_id=plan.announcement_id).values_list("number", flat=True)
    )
    from django.core.files.storage import default_storage

    assert len(default_storage.listdir(f"{TICKET_PDF_DIR}/{plan.announcement_id}")[0]) == 2
    with django_capture_on_commit_callbacks(execute=True):
        again = services.pdfs_job_create(plan=plan, actor=administrator)
    again.refresh_from_db()
    assert again.status == "done" and len(rendered) == 2  # stored already: nothing rendered


def test_the_render_job_without_a_font_fails_saying_so(
    administrator, django_capture_on_commit_callbacks, monkeypatch
):
    from exams import documents
    from portal.pdf import FontMissing

    def missing(data):
        raise FontMissing(["/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"])

    monkeypatch.setattr(documents, "render_ticket", missing)
    plan, _apps = make_exam(candidates=1, positions=1, rooms=(("01", 1, 30),))
    issue(plan, administrator, django_capture_on_commit_callbacks)
    job = BackgroundJob.objects.get(kind=services.RENDER_KIND, announcement_id=plan.announcement_id)
    assert job.status == "failed" and "fonts-wqy-zenhei" in job.error
    assert Ticket.objects.filter(announcement_id=plan.announcement_id).count() == 1  # seating stands


def test_second_download_is_the_stored_pdf_and_still_counts_the_print(
    client, printing, django_assert_max_num_queries
):
    plan, apps, rendered = printing
    assert len(rendered) == 2  # both rendered by the issue's job
    client.force_login(apps[0].applicant)
    first = _download(client, apps[0])
    with django_assert_max_num_queries(10):
        second = _download(client, apps[0])
    assert second == first  # same bytes: deterministic token, stored rendering
    assert len(rendered) == 2  # nothing rendered in a request
    ticket = Ticket.objects.get(application=apps[0])
    assert ticket.print_count == 2 and ticket.first_printed_at is not None
    # each candidate has a PDF of their own
    client.force_login(apps[1].applicant)
    other = _download(client, apps[1])
    assert other != first and len(rendered) == 2
    assert Ticket.objects.get(application=apps[1]).number in _text(other)


def test_a_moved_seat_gives_a_new_pdf_and_the_old_one_is_dropped(client, printing):
    from django.core.files.storage import default_storage

    from exams.selectors.tickets import TICKET_PDF_DIR

    plan, apps, rendered = printing
    ticket = Ticket.objects.get(application=apps[0])
    client.force_login(apps[0].applicant)
    before = _download(client, apps[0])
    assert f"{ticket.seat:02d}" in _text(before)
    folder = f"{TICKET_PDF_DIR}/{plan.announcement_id}/{ticket.pk}"
    assert len(default_storage.listdir(folder)[1]) == 1
    Ticket.objects.filter(pk=ticket.pk).update(seat=27)  # moved to seat 27 of the same room
    after = _download(client, apps[0])
    assert after != before and len(rendered) == 3
    text = _text(after)
    assert "27" in text
    assert len(default_storage.listdir(folder)[1]) == 1  # the outdated rendering is gone
    assert _download(client, apps[0]) == after and len(rendered) == 3  # and the new one is kept


def test_a_corrected_session_time_gives_a_new_pdf(
    client, printing, administrator, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from exams.services import plan as plan_services

    plan, apps, rendered = printing
    client.force_login(apps[0].applicant)
    before = _download(client, apps[0])
    session = plan.sessions.get()
    later = session.starts_at + timedelta(hours=3)
    with django_capture_on_commit_callbacks(execute=True):  # the sessions' cache moves on commit
        plan_services.session_correct_time(
            session=session,
            actor=administrator,
            starts_at=later,
            ends_at=later + timedelta(hours=2),
            reason="考点调整",
        )
    after = _download(client, apps[0])
    assert after != before and len(rendered) == 3
    from django.utils import timezone

    assert f"{timezone.localtime(later):%H:%M}" in _text(after)


def test_stored_pdfs_are_purged_once_the_window_has_closed(client, printing):
    from datetime import timedelta

    from django.core.files.storage import default_storage
    from django.utils import timezone

    from exams.selectors.tickets import TICKET_PDF_DIR

    plan, apps, _rendered = printing
    for application in apps:
        client.force_login(application.applicant)
        _download(client, application)
    root = f"{TICKET_PDF_DIR}/{plan.announcement_id}"
    assert len(default_storage.listdir(root)[0]) == 2
    assert services.ticket_pdfs_purge_due(now=plan.print_ends_at - timedelta(seconds=1)) == 0  # still open
    assert services.ticket_pdfs_purge_due(now=plan.print_ends_at) == 2
    assert not default_storage.exists(root)
    assert services.ticket_pdfs_purge_due(now=timezone.now() + timedelta(days=30)) == 0  # a rerun: nothing
