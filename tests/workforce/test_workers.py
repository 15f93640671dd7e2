"""Workers: from a hire (signal, idempotent), entry grade, probation by law, probation review."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from notifications.models import Notification
from tests.factories import UserFactory
from workforce.models import GradeChange, Worker, WorkerEvent
from workforce.services import workers as worker_services
from workforce.services.common import WorkforceError

from .factories import community, make_worker

pytestmark = pytest.mark.django_db


def test_a_new_worker_gets_the_entry_grade_and_the_legal_probation():
    worker = make_worker(years="3", education=40)  # 其他 1 + 硕士 2
    assert worker.grade == 3 and worker.status == Worker.Status.PROBATION
    assert worker.probation_months == 6 and worker.probation_ends == date(2024, 8, 31)
    assert worker.contract_end == date(2027, 2, 28)
    assert GradeChange.objects.get(worker=worker).grade_to == 3
    assert WorkerEvent.objects.filter(worker=worker, action="created").exists()
    assert worker.user.groups.filter(name="worker").exists()


@pytest.mark.parametrize(
    "years, months, ok", [("2", 2, True), ("2", 3, False), ("0.2", 1, False), ("3", 6, True), ("3", 7, False)]
)
def test_probation_longer_than_the_law_is_refused(years, months, ok):
    if ok:
        assert make_worker(years=years, probation_months=months).probation_months == months
    else:
        with pytest.raises(WorkforceError) as refused:
            make_worker(years=years, probation_months=months)
        assert "试用期" in str(refused.value.message) and refused.value.field == "probation_months"
        assert not Worker.objects.exists()


def test_a_short_contract_has_no_probation():
    worker = make_worker(years="0.2")
    assert (
        worker.probation_months == 0
        and worker.probation_ends is None
        and worker.status == Worker.Status.ON_DUTY
    )


def test_probation_review_confirm_and_end(django_capture_on_commit_callbacks):
    worker = make_worker()
    manager = UserFactory(role="unit_manager")
    with pytest.raises(WorkforceError):
        worker_services.probation_review(actor=manager, worker=worker, confirm=False, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        worker_services.probation_review(actor=manager, worker=worker, confirm=True)
    worker.refresh_from_db()
    assert worker.status == Worker.Status.ON_DUTY
    assert Notification.objects.filter(recipient=worker.user, event="probation_decided").exists()
    other = make_worker(name="王五")
    worker_services.probation_review(actor=manager, worker=other, confirm=False, reason="多次无故脱岗")
    other.refresh_from_db()
    assert other.status == Worker.Status.LEFT and other.left_on is not None
    assert WorkerEvent.objects.get(worker=other, action="probation_ended").reason == "多次无故脱岗"


def test_probation_set_shorter_not_longer():
    worker = make_worker(years="2")
    worker_services.probation_set(actor=None, worker=worker, months=1)
    worker.refresh_from_db()
    assert worker.probation_months == 1 and worker.probation_ends == date(2024, 3, 31)
    with pytest.raises(WorkforceError):
        worker_services.probation_set(actor=None, worker=worker, months=3)


def test_a_changed_probation_is_told_to_the_worker_with_the_reason_once():
    worker = make_worker(years="2")  # contract of 2 years: at most 2 months (art. 19)
    worker_services.probation_set(actor=None, worker=worker, months=1, reason="工作经历与岗位相近")
    told = Notification.objects.get(recipient=worker.user, event="probation_decided")
    assert "试用期调整为1个月，至2024-03-31届满" in told.body
    assert "工作经历与岗位相近" in told.body
    worker_services.probation_set(actor=None, worker=worker, months=1)  # unchanged: no second notice
    assert Notification.objects.filter(recipient=worker.user, event="probation_decided").count() == 1


def test_hire_confirmed_creates_the_worker_once(django_capture_on_commit_callbacks):
    from hiring.models import Hire
    from hiring.signals import hire_confirmed
    from tests.applicants.factories import ApplicationFactory

    application = ApplicationFactory(
        position__district="铁东区", position__street="站前街道", position__community="园林社区"
    )
    application.snapshot = {**(application.snapshot or {}), "real_name": "赵六", "education": [{"level": 30}]}
    application.save(update_fields=["snapshot"])
    admin = UserFactory(role="administrator")
    hire = Hire.objects.create(
        application=application,
        announcement=application.announcement,
        position=application.position,
        start_date=date(2026, 12, 1),
        contract_years=Decimal("3"),
        confirmed_by=admin,
    )
    hire_confirmed.send(sender=Hire, hire=hire)
    hire_confirmed.send(sender=Hire, hire=hire)  # delivered twice: still one worker
    worker = Worker.objects.get()
    assert worker.application == application and worker.user == application.applicant
    assert worker.name == "赵六" and worker.grade == 2 and worker.unit.path == "铁东区 站前街道 园林社区"
    assert worker.probation_months == 6 and worker.source == Worker.Source.HIRE


def test_worker_pages_need_a_worker_record(client):
    applicant = UserFactory(role="applicant")
    client.force_login(applicant)
    assert client.get(reverse("workforce:me")).status_code == 404
    worker = make_worker(unit=community())
    client.force_login(worker.user)
    assert client.get(reverse("workforce:me")).status_code == 200


def test_unit_manager_is_reminded_once_of_a_probation_ending(django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    from workforce.services.reminders import probation_reminders

    from .factories import manager_of

    unit = community()
    manager = manager_of(unit.parent)
    today = timezone.localdate()
    soon = make_worker(unit, name="将届满", start=today - timedelta(days=170), years="3")  # ends in ~2 weeks
    make_worker(unit, name="刚入职", start=today, years="3")  # ends in 6 months
    with django_capture_on_commit_callbacks(execute=True):
        assert probation_reminders(today=today) == 1
        probation_reminders(today=today)
    notices = Notification.objects.filter(recipient=manager, event="probation_due")
    assert notices.count() == 1 and soon.name in notices.get().body


def test_the_hired_application_page_links_to_my_work(client):
    from hiring.models import Hire
    from tests.applicants.factories import ApplicationFactory

    application = ApplicationFactory()
    hire = Hire.objects.create(
        application=application,
        announcement=application.announcement,
        position=application.position,
        start_date=date(2026, 12, 1),
        contract_years=Decimal("3"),
        confirmed_by=UserFactory(role="administrator"),
    )
    worker_services.worker_create_from_hire(hire)
    client.force_login(application.applicant)
    page = client.get(reverse("applicants:application", args=[application.pk])).content.decode()
    assert reverse("workforce:me") in page


def test_nightly_catch_up_makes_missing_workers(monkeypatch):
    from hiring.models import Hire
    from tests.applicants.factories import ApplicationFactory

    application = ApplicationFactory()
    Hire.objects.create(
        application=application,
        announcement=application.announcement,
        position=application.position,
        start_date=date(2026, 12, 1),
        contract_years=Decimal("1"),
        confirmed_by=UserFactory(role="administrator"),
    )  # the signal was never sent (or its receiver failed)
    assert worker_services.sync_hires() == 1
    assert worker_services.sync_hires() == 0
    worker = Worker.objects.get(application=application)
    assert worker.probation_months == 2  # 1-year contract: at most 2 months


def test_two_reviews_of_one_probation_the_second_is_refused():
    """Two managers opened the worker's page: one confirms, the other, on their stale copy,
    ends the appointment — refused; the record and the single notice both say confirmed."""
    worker = make_worker()
    stale = Worker.objects.get(pk=worker.pk)
    manager = UserFactory(role="unit_manager")
    worker_services.probation_review(actor=manager, worker=worker, confirm=True)
    with pytest.raises(WorkforceError, match="不在试用期内"):
        worker_services.probation_review(actor=manager, worker=stale, confirm=False, reason="多次无故脱岗")
    assert Worker.objects.get(pk=worker.pk).status == Worker.Status.ON_DUTY
    assert not WorkerEvent.objects.filter(worker=worker, action="probation_ended").exists()
    with pytest.raises(WorkforceError, match="试用期已结束"):
        worker_services.probation_set(actor=manager, worker=stale, months=1)
