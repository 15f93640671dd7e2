"""Staff and worker pages: happy path, bad input, permissions, query budgets."""

from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from workforce.models import Assessment, Outcome
from workforce.services import assessments as assessment_services
from workforce.services import side_jobs as side_job_services
from workforce.services.side_jobs import Declaration

from .factories import community, make_worker, manager_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def street():
    unit = community()
    workers = [make_worker(unit, name=f"人员{i:02d}", start=date(2020, 7, 1)) for i in range(7)]
    today = timezone.localdate()
    for worker in workers[:3]:
        side_job_services.declare(
            worker=worker,
            data=Declaration(
                organisation="公益组织",
                kind="charity",
                description="",
                paid=False,
                hours_per_week=Decimal("2"),
                slots=[(5, time(9), time(11))],
                starts_on=today,
                ends_on=today + timedelta(days=60),
            ),
        )
    return unit, workers, manager_of(unit.parent)


def test_staff_pages_query_budgets(street, client, django_assert_max_num_queries):
    unit, workers, manager = street
    client.force_login(manager)
    admin = UserFactory(role="administrator")
    assessment_round = assessment_services.round_open(actor=admin, unit=unit.parent, year=2025)
    job = workers[0].side_jobs.first()
    pages = [
        (reverse("workforce:index"), 12),
        (reverse("workforce:worker", args=[workers[0].pk]), 20),
        (reverse("workforce:assessments"), 12),
        (reverse("workforce:assessment", args=[assessment_round.pk]), 14),
        (reverse("workforce:side_jobs"), 12),
        (reverse("workforce:side_job", args=[job.pk]), 14),
    ]
    for url, budget in pages:
        with django_assert_max_num_queries(budget):
            response = client.get(url)
        assert response.status_code == 200, url
    # More workers do not mean more queries on the lists.
    for i in range(5):
        make_worker(unit, name=f"新增{i}")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("workforce:index")).status_code == 200


def test_worker_pages_query_budgets(street, client, django_assert_max_num_queries):
    _unit, workers, _manager = street
    client.force_login(workers[0].user)
    for name, budget in (("workforce:me", 12), ("workforce:me_training", 12), ("workforce:me_side_jobs", 12)):
        with django_assert_max_num_queries(budget):
            response = client.get(reverse(name))
        assert response.status_code == 200, name
    job = workers[0].side_jobs.first()
    assert client.get(reverse("workforce:me_side_job", args=[job.pk])).status_code == 200
    assert client.get(reverse("workforce:me_side_job_new")).status_code == 200


def test_assessment_page_refuses_too_many_excellent_and_keeps_the_input(street, client):
    unit, workers, manager = street
    admin = UserFactory(role="administrator")
    assessment_round = assessment_services.round_open(actor=admin, unit=unit.parent, year=2025)
    rows = list(assessment_round.assessments.order_by("pk"))
    data = {f"outcome-{row.pk}": (Outcome.EXCELLENT if i < 2 else Outcome.PASS) for i, row in enumerate(rows)}
    data |= {f"comment-{rows[0].pk}": "表现突出", "submit": "1"}
    client.force_login(manager)
    response = client.post(reverse("workforce:assessment", args=[assessment_round.pk]), data)
    page = response.content.decode()
    assert response.status_code == 200 and "最多1人评为优秀" in page and "表现突出" in page
    assert not Assessment.objects.exclude(outcome="").exists()
    # Side jobs are shown next to each worker.
    assert "公益组织" in page
    data[f"outcome-{rows[1].pk}"] = Outcome.PASS
    response = client.post(reverse("workforce:assessment", args=[assessment_round.pk]), data)
    assert response.status_code == 302
    assessment_round.refresh_from_db()
    assert assessment_round.status == "submitted"
    # Unit managers do not confirm; administrators do.
    assert client.post(reverse("workforce:assessment_confirm", args=[assessment_round.pk])).status_code == 403
    client.force_login(admin)
    assert client.post(reverse("workforce:assessment_confirm", args=[assessment_round.pk])).status_code == 302
    assessment_round.refresh_from_db()
    assert assessment_round.status == "confirmed"


def test_other_street_manager_sees_none_and_gets_404(street, client):
    unit, workers, _manager = street
    other = manager_of(community(street="园林街道", name="胜利社区").parent)
    admin = UserFactory(role="administrator")
    assessment_round = assessment_services.round_open(actor=admin, unit=unit.parent, year=2025)
    client.force_login(other)
    assert "人员00" not in client.get(reverse("workforce:index")).content.decode()
    assert client.get(reverse("workforce:assessment", args=[assessment_round.pk])).status_code == 404
    assert client.get(reverse("workforce:worker", args=[workers[0].pk])).status_code == 404
    # Applicants, reviewers: 403 on staff pages.
    client.force_login(UserFactory(role="reviewer"))
    assert client.get(reverse("workforce:index")).status_code == 403
    client.force_login(workers[1].user)
    assert client.get(reverse("workforce:worker", args=[workers[1].pk])).status_code == 403


def test_admin_pages(street, client):
    client.force_login(UserFactory(role="administrator"))
    for name in ("workforce:units", "workforce:programmes", "workforce:import"):
        assert client.get(reverse(name)).status_code == 200, name
    assert client.post(reverse("workforce:grades_apply")).status_code == 302


def test_settings_page(client):
    from workforce.models import WorkforceSettings

    client.force_login(UserFactory(role="unit_manager"))
    assert client.get(reverse("workforce:settings")).status_code == 403
    admin = UserFactory(role="administrator")
    client.force_login(admin)
    assert client.get(reverse("workforce:settings")).status_code == 200  # no row written by a view
    assert not WorkforceSettings.objects.exists()
    data = {
        "entry_mode": "education",
        "step_years": 3,
        "early_after_excellent": 2,
        "max_early_steps": 2,
        "excellent_share": "0.25",
        "assessment_scale": "competent",
        "training_hours_required": "40",
        "training_period_years": 1,
        "side_job_max_hours": "10",
        "side_job_max_months": 12,
        "probation_reminder_days": 15,
        "head_low": 7,
        "head_high": 18,
        "deputy_low": 4,
        "deputy_high": 15,
        "other_low": 1,
        "other_high": 12,
    }
    response = client.post(reverse("workforce:settings"), data)
    assert response.status_code == 200 and not WorkforceSettings.objects.exists()
    assert "0.2" in response.content.decode()  # the share's error at its field
    data |= {"excellent_share": "0.20", "other_high": 0}
    response = client.post(reverse("workforce:settings"), data)
    assert response.status_code == 200 and not WorkforceSettings.objects.exists()
    data |= {"other_high": 14}
    assert client.post(reverse("workforce:settings"), data).status_code == 302
    saved = WorkforceSettings.current()
    assert saved.excellent_share == Decimal("0.20") and saved.grade_ranges["other"] == [1, 14]
    assert saved.training_hours_required == Decimal("40") and saved.assessment_scale == "competent"
    assert saved.outcome_label("pass") == "称职"
