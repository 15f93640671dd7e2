"""The queue's export names an announcement: one the reviewer is not assigned to is 404
(before the fix it answered 200 with an empty spreadsheet, telling that it exists)."""

from django.urls import reverse

from tests.applicants.factories import assign
from tests.factories import UserFactory


def test_export_of_an_unassigned_announcement_is_404(client, announcement, application):
    outsider = UserFactory(role="reviewer")
    client.force_login(outsider)
    response = client.get(reverse("review:export"), {"announcement": announcement.pk})
    assert response.status_code == 404


def test_export_of_an_assigned_announcement_is_a_masked_spreadsheet(client, announcement, application):
    reviewer = UserFactory(role="reviewer")
    assign(reviewer, announcement)
    client.force_login(reviewer)
    response = client.get(reverse("review:export"), {"announcement": announcement.pk})
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_export_with_a_malformed_announcement_is_not_an_error(client, announcement, application):
    reviewer = UserFactory(role="reviewer")
    assign(reviewer, announcement)
    client.force_login(reviewer)
    response = client.get(reverse("review:export"), {"announcement": "abc"})
    assert response.status_code == 200
