"""A posted object id that is not a number is 404 on the written-results pages, never a
server error (found by the permission probe's review)."""

import pytest
from django.urls import reverse

from tests.exams.written_factories import issued_exam

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url_name", "field"), [("exams:written_bonus_review", "claim"), ("exams:written_reviews", "request")]
)
@pytest.mark.parametrize("value", ["abc", "1 OR 1=1", ""])
def test_a_non_numeric_posted_id_is_404(
    client, administrator, django_capture_on_commit_callbacks, url_name, field, value
):
    plan, _apps = issued_exam(administrator, django_capture_on_commit_callbacks)[:2]
    client.force_login(administrator)
    response = client.post(reverse(url_name, args=[plan.announcement_id]), {field: value})
    assert response.status_code == 404
