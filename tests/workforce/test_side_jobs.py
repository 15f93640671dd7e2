"""Side-job declarations: the week with duty hours, the manager's decision with a reason,
permissions (another unit's manager gets 404), expiry and renewal."""

from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from workforce.models import SideJob, WorkerEvent
from workforce.services import side_jobs as services
from workforce.services.common import WorkforceError
from workforce.services.side_jobs import Declaration

from .factories import community, make_worker, manager_of

pytestmark = pytest.mark.django_db


def _declaration(slots=((5, time(9), time(12)),), hours="3", days=180, **kwargs):
    today = timezone.localdate()
    return Declaration(
        organisation=kwargs.get("organisation", "某区社会工作服务中心"),
        kind=kwargs.get("kind", SideJob.Kind.EDUCATION),
        description="",
        paid=kwargs.get("paid", True),
        hours_per_week=Decimal(hours),
        slots=list(slots),
        starts_on=today,
        ends_on=today + timedelta(days=days),
    )


@pytest.fixture
def world():
    unit = community()
    worker = make_worker(unit)
    manager = manager_of(unit.parent)
    other_street = community(street="园林街道", name="胜利社区").parent
    other_manager = manager_of(other_street)
    return worker, manager, other_manager


def test_declare_notifies_the_manager_and_flags_duty_overlap(world, django_capture_on_commit_callbacks):
    worker, manager, _other = world
    with django_capture_on_commit_callbacks(execute=True):
        weekend = services.declare(worker=worker, data=_declaration())
    assert not weekend.overlaps_duty and weekend.status == SideJob.Status.PENDING
    assert Notification.objects.filter(recipient=manager, event="side_job_declared").count() == 1
    during = services.declare(worker=worker, data=_declaration(slots=((2, time(10), time(13)),)))
    assert during.overlaps_duty
    with pytest.raises(WorkforceError) as refused:
        services.decide(actor=manager, job=during, approve=True)
    assert "重叠" in str(refused.value.message)


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"slots": ()}, "slots"),
        ({"hours": "5"}, "hours_per_week"),  # 3 hours of slots for 5 declared
        ({"days": 400}, "ends_on"),  # more than 12 months
    ],
)
def test_bad_declarations_are_refused_at_the_field(world, kwargs, field):
    worker, _manager, _other = world
    with pytest.raises(WorkforceError) as refused:
        services.declare(worker=worker, data=_declaration(**kwargs))
    assert refused.value.field == field
    assert not SideJob.objects.exists()


def test_approve_refuse_and_hours_limit(world, django_capture_on_commit_callbacks):
    worker, manager, _other = world
    job = services.declare(worker=worker, data=_declaration())
    with django_capture_on_commit_callbacks(execute=True):
        services.decide(actor=manager, job=job, approve=True)
    job.refresh_from_db()
    assert job.status == SideJob.Status.APPROVED and job.decided_by == manager
    assert Notification.objects.get(recipient=worker.user, event="side_job_decided").body.count("同意") == 1
    long_job = services.declare(
        worker=worker, data=_declaration(slots=((5, time(8), time(18)),), hours="10", organisation="培训学校")
    )
    with pytest.raises(WorkforceError):
        services.decide(actor=manager, job=long_job, approve=True)  # 10 h > 8 h limit
    with pytest.raises(WorkforceError) as refused:
        services.decide(actor=manager, job=long_job, approve=False, refusal="")
    assert refused.value.field == "refusal"
    with pytest.raises(WorkforceError):
        services.decide(actor=manager, job=long_job, approve=False, refusal=SideJob.Refusal.OTHER, note=" ")
    services.decide(actor=manager, job=long_job, approve=False, refusal=SideJob.Refusal.HOURS)
    long_job.refresh_from_db()
    assert long_job.status == SideJob.Status.REFUSED
    assert WorkerEvent.objects.get(worker=worker, action="side_job_refused").reason == "每周时长超过规定上限"


def test_expiry_reminder_and_renewal(world, django_capture_on_commit_callbacks):
    worker, manager, _other = world
    job = services.declare(worker=worker, data=_declaration(days=10))
    services.decide(actor=manager, job=job, approve=True)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.expire() == 0  # ends within 14 days: reminded, not expired
        services.expire()  # reminded once only
    assert Notification.objects.filter(recipient=worker.user, event="side_job_expiring").count() == 1
    assert services.expire(today=timezone.localdate() + timedelta(days=11)) == 1
    job.refresh_from_db()
    assert job.status == SideJob.Status.EXPIRED
    renewal = services.declare(worker=worker, data=_declaration(), renewal_of=job)
    assert renewal.renewal_of == job


def test_a_manager_of_another_street_gets_404(world, client):
    worker, manager, other = world
    job = services.declare(worker=worker, data=_declaration())
    client.force_login(other)
    assert client.get(reverse("workforce:side_job", args=[job.pk])).status_code == 404
    response = client.post(reverse("workforce:side_job", args=[job.pk]), {"decision": "approve"})
    assert response.status_code == 404
    assert client.get(reverse("workforce:worker", args=[worker.pk])).status_code == 404
    response = client.post(reverse("workforce:probation_review", args=[worker.pk]), {"decision": "confirm"})
    assert response.status_code == 404
    job.refresh_from_db()
    worker.refresh_from_db()
    assert job.status == SideJob.Status.PENDING and worker.status == "probation"
    client.force_login(manager)
    response = client.post(reverse("workforce:side_job", args=[job.pk]), {"decision": "approve"})
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == SideJob.Status.APPROVED


def test_refusal_form_needs_a_reason_and_keeps_input(world, client):
    worker, manager, _other = world
    job = services.declare(worker=worker, data=_declaration())
    client.force_login(manager)
    response = client.post(
        reverse("workforce:side_job", args=[job.pk]), {"decision": "refuse", "note": "请补充说明"}
    )
    assert response.status_code == 200
    assert "请选择不予批准的原因" in response.content.decode()
    assert "请补充说明" in response.content.decode()


def test_worker_declares_on_the_phone_page(world, client):
    worker, _manager, _other = world
    client.force_login(worker.user)
    today = timezone.localdate()
    data = {
        "organisation": "社区老年大学",
        "kind": "education",
        "hours_per_week": "2",
        "starts_on": today.isoformat(),
        "ends_on": (today + timedelta(days=90)).isoformat(),
        "slot0_day": "2",
        "slot0_start": "19:00",
        "slot0_end": "21:00",
    }
    response = client.post(reverse("workforce:me_side_job_new"), data)
    assert response.status_code == 302
    job = SideJob.objects.get()
    assert job.slots == [[2, "19:00", "21:00"]] and not job.overlaps_duty
    # A slot whose end is before its start: refused at the field, the rest kept.
    bad = {**data, "slot0_start": "21:00", "slot0_end": "19:00"}
    response = client.post(reverse("workforce:me_side_job_new"), bad)
    assert response.status_code == 200 and "结束时间须晚于开始时间" in response.content.decode()
    assert "社区老年大学" in response.content.decode()
    # Another worker's declaration: 404.
    other = make_worker(community(), name="孙七")
    client.force_login(other.user)
    assert client.get(reverse("workforce:me_side_job", args=[job.pk])).status_code == 404
    assert client.post(reverse("workforce:me_side_job_withdraw", args=[job.pk])).status_code == 404


def test_week_page_shows_the_overlap(world, client):
    worker, _manager, _other = world
    services.declare(worker=worker, data=_declaration(slots=((0, time(11), time(13)),), hours="2"))
    client.force_login(worker.user)
    page = client.get(reverse("workforce:me_side_jobs")).content.decode()
    assert "与工作时间重叠" in page and "08:30–12:00" in page and "11:00–13:00" in page
