"""Issue 13, kind 11 (words for staff): the queue opens on 待审核, oldest first; bulk approval
names the positions it covers; the record reads in words."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from applicants.models import Stage
from tests.applicants.factories import ApplicationFactory, ReviewPositionFactory

pytestmark = pytest.mark.django_db


def test_the_queue_opens_on_awaiting_review_oldest_first(client, assigned_reviewer, position):
    now = timezone.now()
    newer = ApplicationFactory(position=position, submitted_at=now - timedelta(hours=1))
    older = ApplicationFactory(position=position, submitted_at=now - timedelta(days=2))
    decided = ApplicationFactory(
        position=position, stage=Stage.APPROVED, submitted_at=now - timedelta(days=3)
    )
    client.force_login(assigned_reviewer)
    response = client.get(reverse("review:queue"))
    assert [row["pk"] for row in response.context["rows"]] == [older.pk, newer.pk]  # not the approved one
    assert response.context["filters"]["stage"] == "submitted"
    page = response.content.decode()
    assert '<option value="submitted" selected>' in page  # the filter says so
    # "全部" (all) shows every stage, still oldest first; the counters are links.
    response = client.get(reverse("review:queue"), {"stage": "all"})
    assert [row["pk"] for row in response.context["rows"]] == [decided.pk, older.pk, newer.pk]
    assert "?stage=approved" in page and "?stage=all" in page


def test_bulk_approval_names_the_positions_it_covers(client, assigned_reviewer, position):
    second = ReviewPositionFactory(announcement=position.announcement, code="B002", name="社区党建专干")
    ApplicationFactory.create_batch(2, position=position, submitted_at=timezone.now() - timedelta(hours=2))
    ApplicationFactory(position=second, submitted_at=timezone.now() - timedelta(hours=2))
    client.force_login(assigned_reviewer)
    url = reverse("review:bulk_approve")
    page = client.get(url, {"announcement": position.announcement_id}).content.decode()
    positions = page.split('id="bulk-positions"')[1].split("</ul>")[0]
    assert f"{position.code} {position.name} · 2 份" in positions and "B002 社区党建专干 · 1 份" in positions
    assert "全部岗位" in page
    # Filtered to one position: that position, named.
    page = client.get(url, {"announcement": position.announcement_id, "position": second.pk}).content.decode()
    positions = page.split('id="bulk-positions"')[1].split("</ul>")[0]
    assert "B002 社区党建专干" in positions and position.code not in positions
