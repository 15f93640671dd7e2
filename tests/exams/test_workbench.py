"""The proctor's workbench block: today's sessions at their venues with one click to
check-in; a proctor of no venue, or on a day without an exam, is told so."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from exams.models import ExamSession
from exams.services import tickets as ticket_services
from tests.exams.factories import make_exam, proctor_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(administrator, django_capture_on_commit_callbacks):
    plan, _apps = make_exam(candidates=2, positions=1)
    with django_capture_on_commit_callbacks(execute=True):
        ticket_services.issue_job_create(plan=plan, actor=administrator)
    return plan.sessions.get()


def _block(client, user):
    client.force_login(user)
    html = client.get(reverse("workbench")).content.decode()
    start = html.index('data-block="proctor-today"')
    return html[start : html.index("</section>", start)]


def test_a_proctor_sees_todays_session_with_its_check_in_link(client, session):
    starts = timezone.now() + timedelta(minutes=30)
    ExamSession.objects.filter(pk=session.pk).update(starts_at=starts, ends_at=starts + timedelta(hours=2))
    proctor = UserFactory(role="proctor")
    proctor_of(session.plan.venues.first(), proctor)
    block = _block(client, proctor)
    assert reverse("exams:checkin", args=[session.pk]) in block
    assert session.subject in block


def test_a_session_next_week_is_upcoming_not_today(client, session):
    starts = timezone.now() + timedelta(days=3)
    ExamSession.objects.filter(pk=session.pk).update(starts_at=starts, ends_at=starts + timedelta(hours=2))
    proctor = UserFactory(role="proctor")
    proctor_of(session.plan.venues.first(), proctor)
    block = _block(client, proctor)
    assert "今天没有安排您监考的考场" in block
    assert reverse("exams:checkin", args=[session.pk]) not in block
    assert reverse("exams:checkin_index") in block


def test_a_proctor_of_another_plan_sees_nothing_of_it(client, session):
    block = _block(client, UserFactory(role="proctor"))
    assert "今天没有安排您监考的考场" in block
    assert session.subject not in block
