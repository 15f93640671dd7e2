"""Pages of written results: who may open each, what the applicant and the public see
before and after publication, masked names, query budgets."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from exams.models import WrittenResults, WrittenScore
from exams.selectors.written import mask_name
from exams.services import written
from tests.exams.test_written_results import record
from tests.exams.written_factories import assign, issued_exam, sheet

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def exam(administrator, django_capture_on_commit_callbacks):
    plan, tickets = issued_exam(administrator, django_capture_on_commit_callbacks, candidates=4, positions=1)
    record(tickets, ["82.5", "75", "75", "absent"], administrator)
    return plan.announcement, tickets


def test_mask_name():
    assert mask_name("张三") == "张*"
    assert mask_name("张小三") == "张*三"
    assert mask_name("欧阳娜娜") == "欧**娜"
    assert mask_name("买买提·艾力") == "买****力"


def test_staff_pages_for_administrators_and_assigned_reviewers_only(
    client, exam, administrator, reviewer, applicant
):
    announcement, tickets = exam
    score = WrittenScore.objects.get(ticket=tickets[0])
    urls = [
        reverse("exams:written_results", args=[announcement.pk]),
        reverse("exams:written_template", args=[announcement.pk]),
        reverse("exams:written_bonus_review", args=[announcement.pk]),
        reverse("exams:written_reviews", args=[announcement.pk]),
        reverse("exams:written_correct", args=[announcement.pk, score.pk]),
    ]
    for user, expected in ((applicant, 404), (reviewer, 404), (administrator, 200)):
        client.force_login(user)
        assert [client.get(url).status_code for url in urls] == [expected] * len(urls), user
    assign(reviewer, announcement, administrator)
    client.force_login(reviewer)
    assert [client.get(url).status_code for url in urls] == [200] * len(urls)
    client.force_login(applicant)
    assert client.get(reverse("exams:written_index")).status_code == 403


def test_results_page_query_budget(client, exam, administrator, django_assert_max_num_queries):
    announcement, _tickets = exam
    client.force_login(administrator)
    with django_assert_max_num_queries(22):
        response = client.get(reverse("exams:written_results", args=[announcement.pk]))
    assert response.status_code == 200
    assert "已登记 4 / 4 人" in response.content.decode()


def test_applicant_sees_own_score_only_after_publication(
    client, exam, administrator, django_assert_max_num_queries
):
    announcement, tickets = exam
    application = tickets[0].application
    owner = application.applicant
    client.force_login(owner)
    url = reverse("exams:written_my_score", args=[application.pk])
    assert "82.50" not in client.get(url).content.decode()  # not yet published
    later = timezone.now() + timedelta(hours=1)
    written.results_publish(announcement=announcement, actor=administrator, at=later)
    assert "82.50" not in client.get(url).content.decode()  # scheduled, not yet time
    WrittenResults.objects.filter(announcement=announcement).update(
        scheduled_for=timezone.now() - timedelta(minutes=1)
    )
    assert written.publish_due() == 1
    with django_assert_max_num_queries(12):
        page = client.get(url).content.decode()
    # 82.50 is first of the three who sat (75, 75 share 2nd); the line is the fixed 60.
    assert "82.50" in page and "第 1 名（共 3 人参加考试）" in page and "合格" in page
    # Someone else's application: 404.
    other = tickets[1].application
    assert client.get(reverse("exams:written_my_score", args=[other.pk])).status_code == 404
    with django_assert_max_num_queries(14):
        assert client.get(reverse("exams:written_my_scores")).status_code == 200


def test_public_list_only_after_publication_masked_and_as_excel(
    client, exam, administrator, django_assert_max_num_queries
):
    from openpyxl import load_workbook

    announcement, tickets = exam
    position = tickets[0].application.position
    url = reverse("exams:written_public", args=[announcement.pk])
    assert client.get(url).status_code == 404
    assert client.get(reverse("exams:written_public_bonus", args=[announcement.pk])).status_code == 404
    written.results_publish(announcement=announcement, actor=administrator)
    with django_assert_max_num_queries(8):
        page = client.get(url).content.decode()
    name = tickets[0].application.snapshot["real_name"]
    assert mask_name(name) in page and name not in page
    assert tickets[0].number in page and "缺考" in page
    response = client.get(reverse("exams:written_public_xlsx", args=[announcement.pk, position.pk]))
    rows = list(load_workbook(__import__("io").BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][0] == tickets[0].number and rows[1][1] == mask_name(name) and rows[1][5] == 1
    assert client.get(reverse("exams:written_public_bonus", args=[announcement.pk])).status_code == 200


def test_application_page_panel_shows_the_published_score(client, exam, administrator):
    announcement, tickets = exam
    application = tickets[0].application
    client.force_login(application.applicant)
    detail = reverse("applicants:application", args=[application.pk])
    assert "笔试总成绩" not in client.get(detail).content.decode()
    written.results_publish(announcement=announcement, actor=administrator)
    assert "笔试总成绩" in client.get(detail).content.decode()


def test_import_page_starts_a_job_and_shows_the_report(
    client, exam, administrator, django_capture_on_commit_callbacks
):
    announcement, tickets = exam
    client.force_login(administrator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("exams:written_import", args=[announcement.pk]),
            {"file": sheet([(tickets[0].number, "101")])},
        )
    page = client.get(response.url).content.decode()
    assert "超过满分" in page and "全部成绩均未保存" in page


def test_score_review_once_within_the_window_answered_and_notified(client, exam, administrator):
    from notifications.models import Notification

    announcement, tickets = exam
    written.results_publish(announcement=announcement, actor=administrator)
    application = tickets[1].application
    client.force_login(application.applicant)
    url = reverse("exams:written_my_score", args=[application.pk])
    client.post(url, {"reason": "第二部分可能漏计分"})
    client.post(url, {"reason": "再次申请"})
    score = WrittenScore.objects.get(ticket=tickets[1])
    assert score.review_request.reason == "第二部分可能漏计分"
    written.review_answer(
        request=score.review_request,
        actor=administrator,
        outcome="corrected",
        rechecked_raw=D("77"),
        note="漏计2分",
    )
    score.refresh_from_db()
    assert score.raw == D("77.00")
    assert (
        Notification.objects.filter(event="score_review_answered", recipient=application.applicant).count()
        == 1
    )
    assert Notification.objects.filter(event="score_corrected", recipient=application.applicant).count() == 1
