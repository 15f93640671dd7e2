"""Workforce reports against hand-built records (numbers worked out in each test).

Units: 站前街道 (园林社区, 和平社区) and 其他街道 (东山社区).
Workers: w1 园林 正职 grade 8; w2 园林 其他 grade 3; w3 和平 副职 grade 5; w4 和平 其他 grade 3;
w5 东山 其他 grade 1; w6 园林 其他, left (never counted).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from reports import workforce_stats as workforce
from tests.factories import UserFactory
from tests.workforce.factories import community, make_worker, manager_of
from workforce.models import (
    Assessment,
    AssessmentRound,
    Post,
    SideJob,
    TrainingAttendance,
    TrainingProgramme,
    TrainingSession,
    Worker,
)

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def records(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # committed, as in real life
        return _records()


def _records():
    admin = UserFactory(role="administrator")
    garden, peace = community(name="园林社区"), community(name="和平社区")
    east = community(street="其他街道", name="东山社区")
    w = {
        "w1": make_worker(garden, name="甲", post=Post.HEAD, grade=8),
        "w2": make_worker(garden, name="乙", post=Post.OTHER, grade=3),
        "w3": make_worker(peace, name="丙", post=Post.DEPUTY, grade=5),
        "w4": make_worker(peace, name="丁", post=Post.OTHER, grade=3),
        "w5": make_worker(east, name="戊", post=Post.OTHER, grade=1),
        "w6": make_worker(garden, name="己", post=Post.OTHER, grade=2),
    }
    Worker.objects.filter(pk=w["w6"].pk).update(status=Worker.Status.LEFT, left_on=date(2025, 6, 30))

    def round_of(unit, year, confirmed, outcomes):
        r = AssessmentRound.objects.create(
            unit=unit,
            year=year,
            excellent_share=Decimal("0.15"),
            created_by=admin,
            status=AssessmentRound.Status.CONFIRMED if confirmed else AssessmentRound.Status.DRAFT,
            confirmed_at=timezone.now() if confirmed else None,
        )
        for key, outcome in outcomes.items():
            Assessment.objects.create(round=r, worker=w[key], outcome=outcome)

    round_of(garden, 2025, True, {"w1": "excellent", "w2": "pass"})
    round_of(peace, 2025, True, {"w3": "pass", "w4": "basic"})
    round_of(east, 2025, False, {"w5": "excellent"})  # a draft: not counted
    round_of(garden, 2024, True, {"w1": "pass", "w2": "fail"})

    programme = TrainingProgramme.objects.create(name="在岗培训", kind="in_service", created_by=admin)
    now = timezone.now()

    def session(hours, when):
        return TrainingSession.objects.create(
            programme=programme, title="课程", starts_at=when, hours=Decimal(hours), place="区民政局"
        )

    s1, s2 = session(20, now - timedelta(days=30)), session(16, now - timedelta(days=60))
    s3 = session(40, now - timedelta(days=3 * 365))  # before the two-year period
    for key, sessions in {"w1": [s1, s2], "w2": [s1], "w3": [s3], "w5": [s1, s2]}.items():
        for s in sessions:
            TrainingAttendance.objects.create(
                session=s, worker=w[key], checked_in_at=s.starts_at, checked_by=admin
            )

    def side_job(key, kind, status):
        SideJob.objects.create(
            worker=w[key],
            organisation="某协会",
            kind=kind,
            hours_per_week=Decimal(4),
            starts_on=date(2026, 1, 1),
            ends_on=date(2026, 12, 31),
            status=status,
            decided_at=timezone.now() if status in ("approved", "refused") else None,
            refusal="other" if status == "refused" else "",
        )

    side_job("w1", "community", "approved")
    side_job("w2", "education", "pending")
    side_job("w3", "community", "refused")
    side_job("w4", "other", "withdrawn")  # not counted
    side_job("w5", "charity", "approved")
    return admin, w


def test_every_table_for_an_administrator(records):
    admin, _w = records
    data = workforce.compute(admin)
    units = workforce.units_table(data)
    assert units.rows == [
        ["其他街道 东山社区", 0, 0, 1, 1],
        ["站前街道 和平社区", 0, 1, 1, 2],
        ["站前街道 园林社区", 1, 0, 1, 2],  # w6 left: not counted
    ]
    assert workforce.grades_table(data).rows == [
        ["1 级", 0, 0, 1, 1],
        ["3 级", 0, 0, 2, 2],
        ["5 级", 0, 1, 0, 1],
        ["8 级", 1, 0, 0, 1],
    ]
    # 2024: 合格 1, 不合格 1 → 0 优秀 of 2; 2025 (confirmed only): 1 优秀 of 4 = 25.0 %.
    assessments = [[str(v) for v in row] for row in workforce.assessments_table(data).rows]
    assert assessments == [
        ["2024", "0", "1", "0", "1", "0", "2", "0.0"],
        ["2025", "1", "2", "1", "0", "0", "4", "25.0"],
    ]
    # 32 hours in 2 years: w1 36 (met), w2 20, w3 0 (their 40 h are older), w4 0, w5 36 (met).
    training = [[str(v) for v in row] for row in workforce.training_table(data).rows]
    assert training == [
        ["其他街道 东山社区", "1", "1", "100.0", "36.0"],
        ["站前街道 和平社区", "2", "0", "0.0", "0.0"],
        ["站前街道 园林社区", "2", "1", "50.0", "28.0"],
    ]
    side_jobs = workforce.side_jobs_table(data)
    assert side_jobs.columns[1:6] == [
        "社区服务类",
        "政策研究与咨询类",
        "公益组织与企业合作类",
        "教育与培训类",
        "其他",
    ]
    assert side_jobs.rows == [
        ["其他街道 东山社区", 0, 0, 1, 0, 0, 1, 1],
        ["站前街道 和平社区", 1, 0, 0, 0, 0, 1, 0],
        ["站前街道 园林社区", 1, 0, 0, 1, 0, 2, 1],
    ]


def test_a_unit_manager_sees_their_street_only(client, records):
    _admin, w = records
    manager = manager_of(w["w1"].unit.parent)
    data = workforce.compute(manager)
    assert [row[0] for row in workforce.units_table(data).rows] == ["站前街道 和平社区", "站前街道 园林社区"]
    assert [row[0] for row in workforce.side_jobs_table(data).rows] == [
        "站前街道 和平社区",
        "站前街道 园林社区",
    ]
    client.force_login(manager)
    response = client.get(reverse("reports:workforce"))
    assert response.status_code == 200 and "东山社区" not in response.content.decode()


def test_permissions(client, records):
    url = reverse("reports:workforce")
    assert client.get(url).status_code == 302
    for role in ("reviewer", "applicant", "examiner"):
        client.force_login(UserFactory(role=role))
        assert client.get(url).status_code == 403
        assert client.get(reverse("reports:workforce_xlsx", args=["units"])).status_code == 403


@pytest.mark.parametrize("chart", workforce.CHARTS)
def test_chart_data_and_excel_match_the_table(client, records, chart):
    admin, _w = records
    client.force_login(admin)
    payload = client.get(reverse("reports:workforce_data", args=[chart])).json()
    table = workforce.table_of(chart, workforce.data_for(admin))
    assert payload["rows"] == [[v if isinstance(v, int | str) else str(v) for v in row] for row in table.rows]
    assert payload["chart"]["labels"] == [str(row[0]) for row in table.rows]
    response = client.get(reverse("reports:workforce_xlsx", args=[chart]))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert client.get(reverse("reports:workforce_data", args=["salary"])).status_code == 404


def test_a_new_worker_moves_the_cached_figures(records, django_capture_on_commit_callbacks):
    admin, w = records
    assert workforce.units_table(workforce.data_for(admin)).rows[0][-1] == 1
    with django_capture_on_commit_callbacks(execute=True):
        make_worker(w["w5"].unit, name="庚")
    assert workforce.units_table(workforce.data_for(admin)).rows[0][-1] == 2


def test_query_budget(client, records, django_assert_max_num_queries):
    admin, _w = records
    client.force_login(admin)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("reports:workforce")).status_code == 200
    with django_assert_max_num_queries(5):
        assert client.get(reverse("reports:workforce")).status_code == 200
