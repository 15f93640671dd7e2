"""Django admin of written results: the superuser reads scores, entries, corrections,
requests, results and bonus claims; nobody adds, changes or deletes a final score there."""

import pytest
from django.urls import reverse

from exams.models import WrittenScore
from tests.exams.test_written_results import record
from tests.exams.written_factories import issued_exam
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MODELS = [
    "writtenscore",
    "scoreentry",
    "scorecorrection",
    "scorereviewrequest",
    "writtenresults",
    "positionpassline",
    "positionresult",
    "bonusclaim",
]


@pytest.fixture
def superuser_client(client):
    user = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(user)
    return client


def test_score_models_are_listed_read_only(
    superuser_client, administrator, django_capture_on_commit_callbacks
):
    plan, tickets = issued_exam(administrator, django_capture_on_commit_callbacks, candidates=2, positions=1)
    record(tickets, ["71.5", "absent"], administrator)
    score = WrittenScore.objects.get(ticket=tickets[0])
    for name in MODELS:
        assert superuser_client.get(reverse(f"admin:exams_{name}_changelist")).status_code == 200, name
        assert superuser_client.get(reverse(f"admin:exams_{name}_add")).status_code == 403, name
    page = superuser_client.get(reverse("admin:exams_writtenscore_change", args=[score.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "71.50" in html and 'name="_save"' not in html  # shown, not editable
    assert (
        superuser_client.get(reverse("admin:exams_writtenscore_delete", args=[score.pk])).status_code == 403
    )
    response = superuser_client.post(
        reverse("admin:exams_writtenscore_change", args=[score.pk]), {"raw": "99"}
    )
    assert response.status_code == 403
    score.refresh_from_db()
    assert str(score.raw) == "71.50"


def test_bulk_delete_is_not_offered(superuser_client, administrator, django_capture_on_commit_callbacks):
    plan, tickets = issued_exam(administrator, django_capture_on_commit_callbacks, candidates=1, positions=1)
    record(tickets, ["60"], administrator)
    html = superuser_client.get(reverse("admin:exams_writtenscore_changelist")).content.decode()
    assert "delete_selected" not in html
