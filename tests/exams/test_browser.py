"""The exam pages in a phone-sized browser: the applicant prints the ticket, a proctor
checks a candidate in by the typed ticket number."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from exams.models import Attendance, ExamSession, Ticket
from exams.services import tickets as ticket_services
from tests.exams.factories import make_exam, proctor_of
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


@pytest.fixture
def issued():
    admin = UserFactory(role="administrator")
    plan, apps = make_exam(candidates=3, positions=1, rooms=(("01", 1, 2), ("02", 1, 30)))
    job = ticket_services.issue_job_create(plan=plan, actor=admin)
    ticket_services.issue_run(job)
    return plan, apps


def test_the_applicant_prints_the_ticket_at_390px(needs_chromium, live_server, page, issued):
    _plan, apps = issued
    application = apps[0]
    ticket = Ticket.objects.get(application=application)
    _login(page, live_server, application.applicant)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/me/applications/{application.pk}/")
    page.get_by_text(ticket.number).wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    button = page.get_by_role("link", name="打印准考证")
    href = button.get_attribute("href")
    response = page.request.get(live_server.url + href)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    ticket.refresh_from_db()
    assert ticket.first_printed_at is not None


def test_a_proctor_checks_in_by_typed_number_at_390px(needs_chromium, live_server, page, issued):
    plan, _apps = issued
    started = timezone.now() - timedelta(minutes=10)
    ExamSession.objects.filter(plan=plan).update(starts_at=started, ends_at=started + timedelta(hours=2))
    session = plan.sessions.get()
    venue = plan.venues.get(code="01")
    ticket = Ticket.objects.filter(room__venue=venue).select_related("application").first()
    proctor = UserFactory(role="proctor")
    proctor_of(venue, proctor)
    _login(page, live_server, proctor)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/exams/checkin/{session.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_label("准考证号或二维码").fill(ticket.number)
    page.get_by_role("button", name="查询").click()
    page.get_by_text(ticket.application.snapshot["real_name"]).first.wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("button", name="核对无误，签到").click()
    page.get_by_text("签到成功").wait_for()
    assert Attendance.objects.filter(ticket=ticket, session=session, status="present", via="typed").exists()
    # a ticket of the other venue is refused, naming it
    other = Ticket.objects.filter(room__venue__code="02").first()
    page.get_by_label("准考证号或二维码").fill(other.number)
    page.get_by_role("button", name="查询").click()
    page.get_by_text("不在本考点").wait_for()
