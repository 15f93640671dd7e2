"""The applicant's side: the exam panel on the application page, the ticket PDF (own
only, inside the window, first print recorded, snapshot without photo), the not-printed
sweep and the reminder."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from applicants.models import Application, ApplicationEvent, Stage
from exams.models import ExamPlan, Ticket
from exams.services import tickets as services
from notifications.models import Notification
from tests.applicants.factories import jpeg_bytes
from tests.exams.factories import make_exam

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(administrator, django_capture_on_commit_callbacks):
    plan, apps = make_exam(candidates=3, positions=1, rooms=(("01", 1, 30),))
    with django_capture_on_commit_callbacks(execute=True):
        services.issue_job_create(plan=plan, actor=administrator)
    plan.refresh_from_db()
    return plan, [Application.objects.select_related("applicant").get(pk=a.pk) for a in apps]


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)


def test_application_page_shows_seat_and_print_button_within_budget(
    client, issued, django_assert_max_num_queries
):
    plan, apps = issued
    ticket = Ticket.objects.select_related("room__venue").get(application=apps[0])
    client.force_login(apps[0].applicant)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("applicants:application", args=[apps[0].pk]))
    html = response.content.decode()
    assert ticket.number in html and ticket.room.venue.name in html
    assert reverse("exams:ticket_pdf", args=[apps[0].pk]) in html


def test_outside_the_window_the_page_gives_the_times_and_the_pdf_is_refused(client, issued):
    plan, apps = issued
    ExamPlan.objects.filter(pk=plan.pk).update(print_starts_at=timezone.now() + timedelta(hours=1))
    client.force_login(apps[0].applicant)
    html = client.get(reverse("applicants:application", args=[apps[0].pk])).content.decode()
    assert "准考证打印时间" in html and "data-print-ticket" not in html
    response = client.get(reverse("exams:ticket_pdf", args=[apps[0].pk]), follow=True)
    assert "准考证打印尚未开始" in response.content.decode()
    assert Ticket.objects.get(application=apps[0]).first_printed_at is None


@pytest.mark.parametrize(
    ("offset", "state"),
    [(-1, "before"), (0, "open"), (1, "open")],
    ids=["second-before", "at", "second-after"],
)
def test_window_start_boundary(issued, offset, state):
    from exams.selectors.tickets import print_state

    plan, _apps = issued
    start = plan.print_starts_at
    assert print_state(plan, start + timedelta(seconds=offset)) == state


@pytest.mark.parametrize(
    ("offset", "state"),
    [(-1, "open"), (0, "after"), (1, "after")],
    ids=["second-before", "at", "second-after"],
)
def test_window_end_boundary(issued, offset, state):
    from exams.selectors.tickets import print_state

    plan, _apps = issued
    assert print_state(plan, plan.print_ends_at + timedelta(seconds=offset)) == state


def test_ticket_pdf_own_only_records_first_print_and_says_no_photo(
    client, issued, django_assert_max_num_queries
):
    plan, apps = issued
    ticket = Ticket.objects.get(application=apps[0])
    client.force_login(apps[1].applicant)
    assert client.get(reverse("exams:ticket_pdf", args=[apps[0].pk])).status_code == 404  # someone else's
    client.force_login(apps[0].applicant)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("exams:ticket_pdf", args=[apps[0].pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    snapshot = apps[0].snapshot
    assert ticket.number in text and snapshot["real_name"] in text
    ticket.refresh_from_db()
    first = ticket.first_printed_at
    assert first is not None and ticket.print_count == 1
    client.get(reverse("exams:ticket_pdf", args=[apps[0].pk]))
    ticket.refresh_from_db()
    assert ticket.first_printed_at == first and ticket.print_count == 2


def test_ticket_pdf_carries_the_submitted_photo(client, issued, settings):
    from django.core.files.storage import default_storage

    plan, apps = issued
    name = default_storage.save("photos/exam-test.jpg", ContentFile(jpeg_bytes()))
    Application.objects.filter(pk=apps[0].pk).update(snapshot={**apps[0].snapshot, "photo": name})
    client.force_login(apps[0].applicant)
    with_photo = client.get(reverse("exams:ticket_pdf", args=[apps[0].pk])).content
    client.force_login(apps[1].applicant)
    without = client.get(reverse("exams:ticket_pdf", args=[apps[1].pk])).content
    assert len(with_photo) > len(without)  # the JPEG is embedded


def test_staff_and_anonymous_cannot_download_a_ticket(client, issued, reviewer):
    _plan, apps = issued
    url = reverse("exams:ticket_pdf", args=[apps[0].pk])
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(reviewer)
    assert client.get(url).status_code == 403


def test_not_printed_counts_as_giving_up_idempotent(issued):
    plan, apps = issued
    services.ticket_record_print(ticket=Ticket.objects.get(application=apps[0]))
    ExamPlan.objects.filter(pk=plan.pk).update(unprinted_forfeits=True)
    plan.refresh_from_db()
    before_close = plan.print_ends_at - timedelta(seconds=1)
    assert services.unprinted_forfeit(plan=plan, now=before_close) == 0  # window still open
    # 3 candidates, 1 printed: 2 marked absent with the reason, audited and notified
    assert services.unprinted_forfeit(plan=plan, now=plan.print_ends_at) == 2
    stages = dict(Application.objects.filter(pk__in=[a.pk for a in apps]).values_list("pk", "stage"))
    assert stages == {apps[0].pk: Stage.TICKET_ISSUED, apps[1].pk: Stage.ABSENT, apps[2].pk: Stage.ABSENT}
    assert (
        ApplicationEvent.objects.filter(to_stage=Stage.ABSENT, reason="未在规定时间内打印准考证").count() == 2
    )
    assert Notification.objects.filter(event="ticket_forfeited").count() == 2
    # a rerun changes nothing
    events = ApplicationEvent.objects.count()
    assert services.unprinted_forfeit(plan=plan, now=plan.print_ends_at + timedelta(hours=1)) == 0
    assert services.unprinted_forfeit_due(now=plan.print_ends_at + timedelta(hours=2)) == 0
    assert ApplicationEvent.objects.count() == events
    assert Notification.objects.filter(event="ticket_forfeited").count() == 2


def test_not_printed_is_nothing_where_the_plan_does_not_say_so(issued):
    plan, _apps = issued
    assert services.unprinted_forfeit(plan=plan, now=plan.print_ends_at + timedelta(days=1)) == 0


def test_reminder_the_day_before_once(issued):
    plan, apps = issued
    session = plan.sessions.get()
    day_before = session.starts_at - timedelta(days=1)
    assert services.exam_reminders_send(now=day_before) == 3
    assert services.exam_reminders_send(now=day_before) == 3  # handled again…
    assert Notification.objects.filter(event="exam_reminder").count() == 3  # …but sent once


def test_no_cjk_font_gives_a_clear_page_not_an_error(client, issued, monkeypatch):
    from exams import documents
    from portal.pdf import FontMissing

    def missing(data):
        raise FontMissing(["/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"])

    monkeypatch.setattr(documents, "render_ticket", missing)
    _plan, apps = issued
    from exams.selectors.tickets import ticket_pdfs_purge

    ticket_pdfs_purge(_plan.announcement_id)  # the issue's job rendered them ahead: none stored now
    client.force_login(apps[0].applicant)
    response = client.get(reverse("exams:ticket_pdf", args=[apps[0].pk]))
    assert response.status_code == 503
    assert "fonts-wqy-zenhei" in response.content.decode()
    assert Ticket.objects.get(application=apps[0]).first_printed_at is None  # not counted as printed
