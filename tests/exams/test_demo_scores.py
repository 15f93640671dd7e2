"""The written-results demo (exams.demo_scores.seed_scored_announcement): an announcement
past its written exam with scores final, the door record, bonus claims decided, results
published, applicant@demo.cn passed and able to read their score; seeding twice changes
nothing."""

import io
from decimal import Decimal

import pytest
from django.db.models import Count
from django.urls import reverse

from accounts.models import User
from applicants.models import Application, Stage
from exams import demo_scores
from exams.models import Attendance, Ticket
from exams.models_written import BonusClaim, PositionResult, WrittenResults, WrittenScore
from notifications.models import Notification
from tests.applicants.factories import ProfileFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_people(monkeypatch):
    monkeypatch.setattr(demo_scores, "FIRST_DEMO_APPLICANT", 0)
    monkeypatch.setattr(demo_scores, "CANDIDATES", 14)
    monkeypatch.setattr(demo_scores, "ABSENT", 2)
    UserFactory(email="admin@demo.cn", role="administrator")
    UserFactory(email="reviewer@demo.cn", role="reviewer")
    ProfileFactory(user=UserFactory(email="applicant@demo.cn", role="applicant"))
    for n in range(16):
        ProfileFactory(user=UserFactory(email=f"demo.applicant{n:03d}@demo.cn", role="applicant"))


def counts(announcement):
    return {
        "applications": Application.objects.filter(announcement=announcement).count(),
        "tickets": Ticket.objects.filter(announcement=announcement).count(),
        "attendance": Attendance.objects.filter(ticket__announcement=announcement).count(),
        "scores": WrittenScore.objects.filter(announcement=announcement).count(),
        "claims": BonusClaim.objects.filter(application__announcement=announcement).count(),
        "notices": Notification.objects.count(),
    }


def test_seed_publishes_scores_and_is_idempotent(demo_people, client):
    out = io.StringIO()
    announcement = demo_scores.seed_scored_announcement(out)
    first = counts(announcement)
    again = demo_scores.seed_scored_announcement(out)
    assert again.pk == announcement.pk
    assert counts(announcement) == first
    assert first["applications"] == first["tickets"] == first["scores"] == 15
    assert announcement.positions.count() == 3
    stages = list(Application.objects.filter(announcement=announcement).values_list("stage", flat=True))
    assert stages.count(Stage.ABSENT) == 2
    assert stages.count(Stage.DISQUALIFIED) == 1
    assert stages.count(Stage.WRITTEN_SCORED) == 12
    # Absence and disqualification are states, never 0.
    assert not WrittenScore.objects.filter(
        announcement=announcement, status="absent", raw__isnull=False
    ).exists()
    results = WrittenResults.objects.get(announcement=announcement)
    assert results.published_at is not None and not results.stale
    assert PositionResult.objects.filter(announcement=announcement, line=Decimal("60.00")).count() == 3
    claims = dict(
        BonusClaim.objects.filter(application__announcement=announcement)
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    assert claims == {"confirmed": 6, "refused": 1, "claimed": 1}
    # The demo applicant: 32.50 + 46.00 = 78.50, 社会工作师 +5 confirmed, passed.
    score = WrittenScore.objects.get(
        announcement=announcement, ticket__application__applicant__email="applicant@demo.cn"
    )
    assert (score.raw, score.bonus, score.total, score.passed) == (
        Decimal("78.50"),
        Decimal("5.00"),
        Decimal("83.50"),
        True,
    )
    # Two confirmed items of one candidate: the highest single item counts (3, not 6).
    two = WrittenScore.objects.filter(
        announcement=announcement, ticket__application__bonus_claims__status="confirmed"
    ).values_list("pk", flat=True)
    assert max(WrittenScore.objects.filter(pk__in=list(two)).values_list("bonus", flat=True)) == Decimal(
        "5.00"
    )
    client.force_login(User.objects.get(email="applicant@demo.cn"))
    html = client.get(reverse("exams:written_my_scores")).content.decode()
    assert "78.50" in html and "83.50" in html and "合格" in html
