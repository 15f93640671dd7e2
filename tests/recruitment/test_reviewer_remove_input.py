"""The reviewer-assignment page's remove button posts a user id; anything else (a tampered
form) is answered 404, not a server error."""

import pytest
from django.urls import reverse

from tests.applicants.factories import assign
from tests.recruitment.factories import AnnouncementFactory


@pytest.mark.parametrize("value", ["abc", "", "1.5", "-1"])
def test_a_malformed_remove_is_404(client, administrator, reviewer, value):
    announcement = AnnouncementFactory()
    assign(reviewer, announcement)
    client.force_login(administrator)
    client.raise_request_exception = False
    response = client.post(reverse("recruitment:reviewers", args=[announcement.pk]), {"remove": value})
    assert response.status_code == 404
    assert announcement.reviewer_assignments.filter(reviewer=reviewer).exists()


def test_remove_by_id_still_works(client, administrator, reviewer):
    announcement = AnnouncementFactory()
    assign(reviewer, announcement)
    client.force_login(administrator)
    response = client.post(reverse("recruitment:reviewers", args=[announcement.pk]), {"remove": reviewer.pk})
    assert response.status_code == 302
    assert not announcement.reviewer_assignments.exists()
