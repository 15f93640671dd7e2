"""Issue 13, kind 11: audit lines read in words, never codes. The position's reduction or
cancellation ("position_cancelled：2 → 0" on the recruitment record) reaches the
application's record as "岗位取消招聘：招聘人数 2 → 0。原因：…", and stage moves as their labels
("审核通过 → 待审核", never "approved → submitted")."""

import pytest
from django.urls import reverse

from applicants.position_events import describe
from recruitment import services as recruitment_services
from review import services
from tests.applicants.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def test_position_lines_in_words():
    assert describe(action="position_cancelled", from_value="2", to_value="0", reason="报名人数不足。") == (
        "岗位取消招聘：招聘人数 2 → 0。原因：报名人数不足。"
    )
    assert (
        describe(action="position_reduced", from_value="3", to_value="1")
        == "岗位核减招聘人数：招聘人数 3 → 1。"
    )
    # Mine: an action the record does not know gets a neutral label, never its code.
    assert "position_renamed" not in describe(action="position_renamed", from_value="", to_value="")


def test_the_review_page_and_the_timeline_show_codes_as_words(
    client, position, assigned_reviewer, administrator, django_assert_max_num_queries
):
    position.quota = 2
    position.save(update_fields=["quota"])
    application = ApplicationFactory(position=position)
    services.application_approve(application=application, actor=assigned_reviewer, expected_version=1)
    recruitment_services.position_cancel(
        actor=administrator, position=position, reason="审核通过人数不足开考比例"
    )
    client.force_login(assigned_reviewer)
    with django_assert_max_num_queries(17):
        page = client.get(reverse("review:application", args=[application.pk])).content.decode()
    assert "岗位取消招聘：招聘人数 2 → 0。原因：审核通过人数不足开考比例。" in page
    assert "position_cancelled" not in page and "approved" not in page.split('id="events-heading"')[1]
    assert "待审核 → 审核通过" in page
    client.force_login(application.applicant)
    page = client.get(reverse("applicants:application", args=[application.pk])).content.decode()
    assert "岗位取消招聘：招聘人数 2 → 0。原因：审核通过人数不足开考比例。" in page
    assert "position_cancelled" not in page
