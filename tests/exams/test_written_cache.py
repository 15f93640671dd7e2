"""The results-day figures (publication, each position's line and how many sat) are cached
(exams.selectors.written.published_figures); every change that can move them forgets them,
so a page never shows a line or a publication state the database no longer holds."""

from decimal import Decimal

import pytest
from django.db.models import F
from django.urls import reverse

from exams.models import PositionResult, WrittenResults, WrittenScore
from exams.selectors import written as selectors
from exams.services import written
from tests.exams.test_written_results import record
from tests.exams.written_factories import issued_exam

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def exam(administrator, django_capture_on_commit_callbacks):
    plan, tickets = issued_exam(administrator, django_capture_on_commit_callbacks, candidates=3, positions=1)
    record(tickets, ["80", "50", "absent"], administrator)
    return plan.announcement, tickets


def test_publication_is_seen_at_once_although_the_unpublished_state_was_cached(client, exam, administrator):
    announcement, tickets = exam
    client.force_login(tickets[0].application.applicant)
    url = reverse("exams:written_my_scores")
    assert "80.00" not in client.get(url).content.decode()  # cached: not published
    assert selectors.published_figures(announcement.pk).results.published_at is None
    written.results_publish(announcement=announcement, actor=administrator)
    assert "80.00" in client.get(url).content.decode()


def test_a_relative_line_recomputed_after_a_correction_is_shown_at_once(
    client, exam, administrator, django_capture_on_commit_callbacks
):
    announcement, tickets = exam
    announcement.written_pass_mode = "relative"
    announcement.written_pass_line = D("60")
    announcement.save()
    written.results_publish(announcement=announcement, actor=administrator)
    # 60 % of the mean of those who sat: (80 + 50) / 2 = 65 → 39.00.
    assert selectors.published_figures(announcement.pk).positions[
        tickets[0].application.position_id
    ].line == D("39.00")
    score = WrittenScore.objects.get(ticket=tickets[1])
    with django_capture_on_commit_callbacks(execute=True):
        written.written_score_correct(
            score=score,
            actor=administrator,
            status="scored",
            raw=D("70"),
            parts=[("综合知识", D("70"), D("100"))],
            reason="复核发现漏计一题",
            expected_version=score.version,
        )
    assert WrittenResults.objects.get(announcement=announcement).stale
    written.results_compute(announcement=announcement, actor=administrator)
    # (80 + 70) / 2 = 75, × 60 % = 45.00; the page shows the new line without waiting.
    client.force_login(tickets[0].application.applicant)
    page = client.get(reverse("exams:written_my_scores")).content.decode()
    assert "45.00" in page and "39.00" not in page


def test_a_direct_database_change_is_not_seen_until_forgotten(exam, administrator):
    """What the cache is for: the figures are read once, not on every page."""
    announcement, _tickets = exam
    written.results_publish(announcement=announcement, actor=administrator)

    def sat():
        return [r.sat for r in selectors.published_figures(announcement.pk).positions.values()]

    assert sat() == [2]
    PositionResult.objects.filter(announcement=announcement).update(sat=F("sat") + 10)
    assert sat() == [2]
    selectors.forget_figures(announcement.pk)
    assert sat() == [12]


def test_bonus_categories_cached_and_forgotten_on_edit(exam):
    from recruitment.models import BonusCategory

    announcement, _tickets = exam
    assert selectors.bonus_categories(announcement.pk) == []
    category = BonusCategory.objects.create(announcement=announcement, name="社会工作师", points=D("5"))
    assert selectors.bonus_categories(announcement.pk) == [category]
    category.points = D("3")
    category.save()
    assert selectors.bonus_categories(announcement.pk)[0].points == D("3")
    category.delete()
    assert selectors.bonus_categories(announcement.pk) == []


def test_score_query_budget_with_scores_published(client, exam, administrator, django_assert_max_num_queries):
    announcement, tickets = exam
    written.results_publish(announcement=announcement, actor=administrator)
    client.force_login(tickets[0].application.applicant)
    client.get(reverse("exams:written_my_scores"))  # the figures cached
    # session, user, roles; the inbox badge; the applications; the score with its parts
    with django_assert_max_num_queries(8):
        assert client.get(reverse("exams:written_my_scores")).status_code == 200


def _scores_page(client):
    return client.get(reverse("exams:written_my_scores")).content.decode()


def test_the_score_query_is_served_from_the_stored_page_while_nothing_changed(
    client, exam, administrator, django_assert_num_queries
):
    announcement, tickets = exam
    written.results_publish(announcement=announcement, actor=administrator)
    client.force_login(tickets[0].application.applicant)
    first = _scores_page(client)  # sets the CSRF cookie: from now on the page may be stored
    second = _scores_page(client)
    assert "80.00" in first and "80.00" in second
    # The stored page: the session, the user and the stamp (roles and badge are cached) —
    # no model of the applications, no parts, no template. Rendered, it was 5 or more.
    with django_assert_num_queries(3) as queries:
        assert "80.00" in _scores_page(client)
    assert not any("exams_writtenpartscore" in q["sql"] for q in queries.captured_queries)


def test_a_correction_and_a_moved_rank_show_at_once_on_a_stored_page(
    client, exam, administrator, django_capture_on_commit_callbacks
):
    announcement, tickets = exam
    written.results_publish(announcement=announcement, actor=administrator)
    client.force_login(tickets[1].application.applicant)
    _scores_page(client)
    assert "50.00" in _scores_page(client)  # stored
    score = WrittenScore.objects.get(ticket=tickets[1])
    with django_capture_on_commit_callbacks(execute=True):
        written.written_score_correct(
            score=score,
            actor=administrator,
            status="scored",
            raw=D("70"),
            parts=[("综合知识", D("70"), D("100"))],
            reason="复核发现漏计一题",
            expected_version=score.version,
        )
    # The corrected raw score shows at once (the total follows at the next recompute).
    assert '<dd class="col-7">70.00</dd>' in _scores_page(client)
    # A rank moved by a recomputation of others (no signal, no notice): the stamp holds it.
    WrittenScore.objects.filter(ticket=tickets[1]).update(rank=9)
    assert "第 9 名" in _scores_page(client)


def test_sign_out_works_from_a_stored_page(exam, administrator):
    import re

    from django.test import Client

    announcement, tickets = exam
    written.results_publish(announcement=announcement, actor=administrator)
    client = Client(enforce_csrf_checks=True)
    client.force_login(tickets[0].application.applicant)
    _scores_page(client)
    stored = _scores_page(client)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', stored).group(1)
    response = client.post(reverse("account_logout"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert client.get(reverse("exams:written_my_scores")).status_code == 302  # signed out


@pytest.mark.django_db(transaction=True)
def test_the_stamp_survives_its_prepared_statement_being_dropped(
    administrator, django_capture_on_commit_callbacks
):
    """PostgreSQL: the stamp query runs as a prepared statement of the connection; a pooler's
    DISCARD ALL drops it, and the next call answers with the plain query, then prepares again."""
    from django.db import connection

    from tests.exams.written_factories import issued_exam

    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    _plan, tickets = issued_exam(administrator, django_capture_on_commit_callbacks, candidates=1, positions=1)
    user = tickets[0].application.applicant
    first = selectors.my_scores_stamp(user)
    assert first and first[0][0][0] == tickets[0].application_id
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE exams_my_scores_stamp")
    assert selectors.my_scores_stamp(user) == first  # the plain query answered
    assert selectors.my_scores_stamp(user) == first  # prepared again
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE name = 'exams_my_scores_stamp'")
        assert cursor.fetchone()[0] == 1


def test_without_prepared_statements_the_stamp_is_the_plain_query(exam, administrator, settings):
    """PREPARED_STATEMENTS off (behind a pooler in transaction mode): the same stamp, no PREPARE."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    announcement, tickets = exam
    written.results_publish(announcement=announcement, actor=administrator)
    user = tickets[0].application.applicant
    expected = selectors.my_scores_stamp(user)
    settings.PREPARED_STATEMENTS = False
    with CaptureQueriesContext(connection) as queries:
        assert selectors.my_scores_stamp(user) == expected
    assert not any("EXECUTE" in q["sql"] or "PREPARE" in q["sql"] for q in queries.captured_queries)
