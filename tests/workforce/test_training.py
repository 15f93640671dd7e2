"""Training: automatic enrolment of new hires, check-in, results, certificate, hours against
the requirement and reminders to those behind."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from tests.factories import UserFactory
from workforce.models import Enrolment, TrainingAttendance, TrainingProgramme
from workforce.services import training as services
from workforce.services.common import WorkforceError

from .factories import community, make_worker, manager_of

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def programme():
    admin = UserFactory(role="administrator")
    programme = services.programme_create(
        actor=admin, name="新录用社区工作者岗前培训", kind="onboarding", auto_enrol=True
    )
    now = timezone.now()
    for i, hours in enumerate((Decimal("8"), Decimal("8"), Decimal("4"))):
        services.session_add(
            actor=admin,
            programme=programme,
            title=f"第{i + 1}讲",
            starts_at=now + timedelta(days=i),
            hours=hours,
            place="区党群服务中心",
        )
    return programme, admin


def test_new_hires_are_enrolled_and_told(programme, django_capture_on_commit_callbacks):
    programme, _admin = programme
    with django_capture_on_commit_callbacks(execute=True):
        worker = make_worker()
    assert Enrolment.objects.filter(programme=programme, worker=worker).exists()
    assert Notification.objects.filter(recipient=worker.user, event="training_scheduled").count() == 1


def test_checkin_hours_result_and_certificate(programme, client):
    programme, admin = programme
    worker = make_worker()
    outsider = make_worker(name="未报名")
    Enrolment.objects.filter(worker=outsider).delete()
    first, second, third = programme.sessions.order_by("starts_at")
    services.check_in(actor=admin, session=first, worker=worker)
    _a, created = services.check_in(actor=admin, session=first, worker=worker)
    assert not created and TrainingAttendance.objects.count() == 1
    services.check_in(actor=admin, session=third, worker=worker)
    with pytest.raises(WorkforceError):
        services.check_in(actor=admin, session=first, worker=outsider)
    today = timezone.localdate()
    start, end = services.period_bounds(
        __import__("workforce.models").models.WorkforceSettings.current(), today
    )
    assert services.hours_by_worker([worker.pk], start, end)[worker.pk] == Decimal("12")
    enrolment = Enrolment.objects.get(programme=programme, worker=worker)
    services.result_set(actor=admin, enrolment=enrolment, passed=True, score=Decimal("86"))
    enrolment.refresh_from_db()
    assert enrolment.result == "passed" and enrolment.certificate_number
    client.force_login(worker.user)
    page = client.get(reverse("workforce:me_training")).content.decode()
    assert "已完成 12 / 要求 32 学时" in page
    response = client.get(reverse("workforce:me_certificate", args=[enrolment.pk]))
    assert response.status_code in (200, 503)  # 503: no CJK font on this host
    if response.status_code == 200:
        assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    client.force_login(outsider.user)
    assert client.get(reverse("workforce:me_certificate", args=[enrolment.pk])).status_code == 404


def test_checkin_page_for_unit_manager_scoped(programme, client):
    programme, _admin = programme
    unit = community()
    worker = make_worker(unit)
    session = programme.sessions.first()
    manager = manager_of(unit.parent)
    client.force_login(manager)
    response = client.post(reverse("workforce:training_checkin", args=[session.pk]), {"worker": worker.pk})
    assert response.status_code == 302 and TrainingAttendance.objects.filter(worker=worker).exists()
    other = manager_of(community(street="园林街道", name="胜利社区").parent)
    client.force_login(other)
    assert client.get(reverse("workforce:training_checkin", args=[session.pk])).status_code == 404


def test_period_bounds_and_reminders(django_capture_on_commit_callbacks):
    from workforce.models import WorkforceSettings

    settings = WorkforceSettings.current()
    assert services.period_bounds(settings, date(2027, 6, 1)) == (date(2026, 1, 1), date(2027, 12, 31))
    behind = make_worker(name="学时不足")
    done = make_worker(name="学时已满")
    admin = UserFactory(role="administrator")
    programme = TrainingProgramme.objects.create(name="在岗轮训", kind="in_service", created_by=admin)
    session = services.session_add(
        actor=admin,
        programme=programme,
        title="全天",
        starts_at=datetime(2026, 3, 2, 9, tzinfo=TZ),
        hours=Decimal("32"),
        place="区委党校",
    )
    services.enrol(actor=admin, programme=programme, workers=[done])
    services.check_in(actor=admin, session=session, worker=done)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.remind_behind(today=date(2026, 11, 30)) == 1
        services.remind_behind(today=date(2026, 11, 30))  # the same month: no second message
    assert Notification.objects.filter(recipient=behind.user, event="training_behind").count() == 1
    assert not Notification.objects.filter(recipient=done.user, event="training_behind").exists()
