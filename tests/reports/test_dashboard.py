"""The announcement dashboard against the hand-built announcement of tests/reports/world.py."""

from __future__ import annotations

import io
from decimal import Decimal, InvalidOperation

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from applicants.models import Stage
from reports import funnel, selectors, tables
from review import services as review_services
from tests.applicants.factories import ApplicationFactory
from tests.factories import UserFactory
from tests.reports.world import build

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def world(needs_postgres):
    return build()


def test_the_funnel_counts_everyone_who_ever_reached_each_step(world):
    data = selectors.compute(world.announcement)
    assert data["funnel"] == {
        "registered": 10,
        "submitted": 9,
        "approved": 6,
        "ticket_printed": 5,
        "sat": 5,
        "passed": 4,
        "shortlisted": 3,
        "interviewed": 3,
        "proposed": 3,
        "hired": 2,
    }
    rows = tables.funnel_table(data).rows
    # Drop-off: approved 6 of 9 submitted (3 lost, 66.7 %); hired 2 of 3 proposed.
    assert [str(v) for v in rows[2][1:]] == ["6", "3", "66.7"]
    assert [str(v) for v in rows[9][1:]] == ["2", "1", "66.7"]


def test_per_position_figures(world):
    data = selectors.compute(world.announcement)
    p1, p2 = data["positions"]
    assert (p1["code"], p1["quota"]) == ("P1", 2)
    assert p1["funnel"] == {
        "registered": 8,
        "submitted": 7,
        "approved": 5,
        "ticket_printed": 4,
        "sat": 4,
        "passed": 3,
        "shortlisted": 2,
        "interviewed": 2,
        "proposed": 2,
        "hired": 1,
    }
    # Applicants today: a3–a8 (a1 is a draft, a2 withdrew); approved ever: a4–a8.
    assert (p1["applicants"], p1["approved"]) == (6, 5)
    assert p1["histogram"] == [0, 0, 0, 0, 1, 0, 1, 1, 1, 0]  # 45, 65, 70, 80
    assert (p1["pass_line"], p1["shortlist_cut"]) == ("60.00", "70.00")
    assert (p2["applicants"], p2["approved"], p2["shortlist_cut"], p2["hire_cut"]) == (2, 1, "90.00", "88.00")
    assert p2["histogram"][9] == 1
    table = tables.positions_table(data)
    # Opening ratio 5 approved : 2 posts = 2.50; shortlist cut 70; hire cut 82.50 (a5; a6
    # gave up); hires 1.
    assert [str(v) for v in table.rows[0]] == [
        "P1",
        "社区专职工作者",
        "正常",
        "2",
        "6",
        "5",
        "2.50",
        "4",
        "60.00",
        "70.00",
        "82.50",
        "1",
    ]


def test_registrations_per_day_count_first_submissions(world):
    data = selectors.compute(world.announcement)
    # a4's second submission (11-05) is not a registration.
    assert data["daily"] == [("2026-11-02", 3), ("2026-11-03", 6)]
    assert tables.daily_table(data).rows == [["2026-11-02", 3, 3], ["2026-11-03", 6, 9]]


def test_review_throughput_per_reviewer_per_day(world):
    data = selectors.compute(world.announcement)
    got = sorted((row["reviewer"], row["day"], row["n"]) for row in data["throughput"])
    assert got == [
        ("审核员一", "2026-11-04", 3),
        ("审核员一", "2026-11-05", 1),
        ("审核员二", "2026-11-04", 4),
    ]


@pytest.mark.parametrize("chart", tables.CHARTS)
def test_each_chart_endpoint_matches_its_table_and_excel(client, world, chart):
    client.force_login(world.admin)
    page = client.get(reverse("reports:dashboard", args=[world.announcement.pk]))
    assert page.status_code == 200
    payload = client.get(reverse("reports:chart_data", args=[world.announcement.pk, chart])).json()
    table = tables.table_of(chart, selectors.dashboard(world.announcement))
    assert payload["columns"] == table.columns
    assert payload["rows"] == [[v if isinstance(v, int | str) else str(v) for v in row] for row in table.rows]
    # The chart is drawn from those rows: each value plotted is a cell of the table.
    chart_spec = payload["chart"]
    assert chart_spec["labels"] == tables.chart_of(table)["labels"]
    if chart in ("funnel", "daily"):
        assert chart_spec["datasets"][0]["data"] == [row[1] for row in table.rows]
    if chart == "throughput":
        assert sum(sum(d["data"]) for d in chart_spec["datasets"]) == sum(row[2] for row in table.rows)
    if chart == "histogram":
        assert chart_spec["series"][0]["data"] == [
            sum(row[c] for row in table.rows) for c in table.value_columns
        ]
    # The page embeds the same configuration for Chart.js (json_script).
    assert f'id="chart-{chart}-data"' in page.content.decode()
    response = client.get(reverse("reports:chart_xlsx", args=[world.announcement.pk, chart]))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0][0] == world.announcement.title
    assert list(values[1][: len(table.columns)]) == table.columns
    for got, want in zip(values[2 : 2 + len(table.rows)], table.rows, strict=True):
        assert [_norm(v) for v in got[: len(want)]] == [_norm(v) for v in want]


def _norm(value):
    """A cell as a comparable value: numbers by value (Excel keeps 2.50 as 2.5)."""
    try:
        return Decimal(str(value)).normalize()
    except InvalidOperation:
        return str(value)


def test_an_unknown_chart_is_404(client, world):
    client.force_login(world.admin)
    assert (
        client.get(reverse("reports:chart_data", args=[world.announcement.pk, "salaries"])).status_code == 404
    )
    assert (
        client.get(reverse("reports:chart_xlsx", args=[world.announcement.pk, "salaries"])).status_code == 404
    )


def test_a_reviewer_sees_only_their_announcements(client, world):
    url = reverse("reports:dashboard", args=[world.announcement.pk])
    client.force_login(world.r1)  # assigned
    assert client.get(url).status_code == 200
    assert world.announcement.title in client.get(reverse("reports:index")).content.decode()
    client.force_login(world.r2)  # decided some, but not assigned
    assert client.get(url).status_code == 404
    assert (
        client.get(reverse("reports:chart_data", args=[world.announcement.pk, "funnel"])).status_code == 404
    )
    assert world.announcement.title not in client.get(reverse("reports:index")).content.decode()
    client.force_login(UserFactory(role="applicant"))
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302


def test_the_cache_is_invalidated_by_a_decision(client, world, django_capture_on_commit_callbacks):
    before = selectors.dashboard(world.announcement)
    assert before["funnel"]["approved"] == 6
    waiting = world.apps["b2"]
    waiting.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        review_services.application_approve(
            application=waiting, actor=world.r1, expected_version=waiting.version
        )
    after = selectors.dashboard(world.announcement)
    assert after["funnel"]["approved"] == 7
    assert after["positions"][1]["approved"] == 2


def test_a_cached_dashboard_is_served_without_recounting(world, django_assert_num_queries):
    selectors.dashboard(world.announcement)
    with django_assert_num_queries(0):
        selectors.dashboard(world.announcement)


def test_query_budgets(client, world, django_assert_max_num_queries):
    client.force_login(world.admin)
    url = reverse("reports:dashboard", args=[world.announcement.pk])
    # Cold: the user, the announcement, positions, the grouped figures, histogram, pass
    # lines, throughput, reviewer names (+ the session and role lookups of the frame).
    with django_assert_max_num_queries(14):
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(6):
        client.get(reverse("reports:chart_xlsx", args=[world.announcement.pk, "positions"]))
    with django_assert_max_num_queries(6):
        client.get(reverse("reports:index"))


def test_an_empty_announcement_shows_no_data(client, world):
    from tests.recruitment.factories import AnnouncementFactory

    empty = AnnouncementFactory(title="空公告")
    client.force_login(world.admin)
    response = client.get(reverse("reports:dashboard", args=[empty.pk]))
    assert response.status_code == 200
    assert selectors.compute(empty)["funnel"]["registered"] == 0


def test_another_announcement_does_not_leak_into_the_counts(world):
    ApplicationFactory(stage=Stage.SUBMITTED)  # another announcement
    assert selectors.compute(world.announcement)["funnel"]["registered"] == 10


def test_the_final_report_lists_the_hires(world):
    from reports import documents

    rows = documents.hires_table(world.announcement).rows
    assert [(row[0], row[3]) for row in rows] == [("P1", Decimal("82.50")), ("P2", Decimal("88.00"))]
    assert rows[0][2] == world.apps["a5"].snapshot["real_name"]


def test_other_pages_query_budgets(client, world, django_assert_max_num_queries):
    client.force_login(world.admin)
    client.get(reverse("reports:dashboard", args=[world.announcement.pk]))
    with django_assert_max_num_queries(6):
        client.get(reverse("reports:chart_data", args=[world.announcement.pk, "positions"]))
    with django_assert_max_num_queries(12):
        client.get(reverse("reports:report_pdf", args=[world.announcement.pk]))


def test_the_final_report_is_a_pdf_for_staff_of_the_announcement(client, world):
    url = reverse("reports:report_pdf", args=[world.announcement.pk])
    client.force_login(world.admin)
    response = client.get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert "no-store" in response["Cache-Control"]
    client.force_login(world.r2)
    assert client.get(url).status_code == 404


def test_an_approval_reopened_and_given_again_counts_once(world):
    from tests.reports.world import _event, at

    a5 = world.apps["a5"]
    _event(a5, world.admin, Stage.APPROVED, Stage.SUBMITTED, at(5, 11))  # reopened …
    _event(a5, world.r1, Stage.SUBMITTED, Stage.APPROVED, at(5, 12))  # … and approved again
    data = selectors.compute(world.announcement)
    assert data["funnel"]["approved"] == 6 and data["funnel"]["submitted"] == 9
    assert data["daily"] == [("2026-11-02", 3), ("2026-11-03", 6)]  # no new registration


def test_no_step_counts_more_than_the_one_before_when_prints_went_unrecorded(world):
    # The QA demo recorded no printed tickets while 56 sat: the funnel showed 打印准考证 0,
    # then 参加笔试 56 (−56). Whoever sat was issued a ticket: with no print recorded, the
    # printed step counts those who reached it or a later step — a4, a5, a6, a8, b1 sat (5);
    # a7 (absent, never printed) did not reach it.
    from exams.models import Ticket

    Ticket.objects.filter(announcement=world.announcement).update(first_printed_at=None, print_count=0)
    data = selectors.compute(world.announcement)
    assert (data["funnel"]["ticket_printed"], data["funnel"]["sat"]) == (5, 5)
    assert all(step.lost >= 0 for step in funnel.steps(data["funnel"])[1:])
    for position in data["positions"]:
        assert all(step.lost >= 0 for step in funnel.steps(position["funnel"])[1:])


def test_funnel_steps_read_as_states_in_english(world):
    # The applicants, exams and hiring catalogues (earlier in INSTALLED_APPS) translated the
    # bare msgids as actions: "Submit application", "Print admission ticket", "Hiring".
    from django.utils import translation

    with translation.override("en"):
        labels = [row[0] for row in tables.funnel_table(selectors.compute(world.announcement)).rows]
    assert labels[1] == "Submitted" and labels[3] == "Admission ticket printed" and labels[9] == "Hired"
    with translation.override("zh-hans"):
        labels = [row[0] for row in tables.funnel_table(selectors.compute(world.announcement)).rows]
    assert labels[1] == "提交报名" and labels[3] == "打印准考证" and labels[9] == "录用"


def test_tables_fit_a_phone(world):
    # At 390 px the portal keeps table headings on one line and the last column (保留比例,
    # 合计) was cut: headings wrap, and a table wider than four columns stacks on a phone,
    # each cell labelled with its column.
    data = selectors.compute(world.announcement)
    narrow = tables.table_html(tables.funnel_table(data))
    assert "table-responsive-stack" not in narrow and 'class="text-wrap"' in narrow
    wide = tables.table_html(tables.positions_table(data))
    assert "table-responsive-stack" in wide and 'data-label="' in wide
