"""Public registration statistics (报名人数统计): counts only, per position and per day."""

from __future__ import annotations

import pytest
from django.urls import reverse

from recruitment.models import Announcement
from tests.recruitment.factories import AnnouncementFactory
from tests.reports.world import build

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def world(needs_postgres):
    return build()


def test_counts_per_position_and_day_and_no_names(client, world):
    response = client.get(reverse("reports:public", args=[world.announcement.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "2026-11-02" in html and "2026-11-03" in html
    context = response.context
    rows = {row["position"].code: (row["submitted"], row["approved"]) for row in context["rows"]}
    # Live counts (recruitment.selectors.position_counts): submitted = not draft / withdrawn;
    # approved = approved or a later stage of the public table's list.
    assert rows["P1"][0] == 6 and rows["P2"] == (2, 1)
    assert [(d["day"], d["n"], d["total"]) for d in context["days"]] == [
        ("2026-11-02", 3, 3),
        ("2026-11-03", 6, 9),
    ]
    for application in world.apps.values():
        profile = application.applicant.profile
        assert profile.real_name not in html and profile.id_number not in html
        assert application.applicant.phone not in html


def test_one_positions_history(client, world):
    url = reverse("reports:public", args=[world.announcement.pk])
    response = client.get(url, {"position": world.p2.pk})
    assert [(d["day"], d["n"]) for d in response.context["days"]] == [("2026-11-02", 1), ("2026-11-03", 1)]
    # A position of another announcement, or nonsense, shows every position.
    for bad in ("999999", "abc", "-1"):
        response = client.get(url, {"position": bad})
        assert response.status_code == 200 and response.context["chosen"] is None


def test_a_draft_has_no_public_statistics(client, db):
    draft = AnnouncementFactory(status=Announcement.Status.DRAFT)
    assert client.get(reverse("reports:public", args=[draft.pk])).status_code == 404


def test_anonymous_visitors_share_one_rendering(client, world, django_assert_max_num_queries):
    url = reverse("reports:public", args=[world.announcement.pk])
    with django_assert_max_num_queries(5):
        client.get(url)
    with django_assert_max_num_queries(0):
        assert client.get(url).status_code == 200


def test_the_announcement_page_links_to_the_statistics(client, world):
    response = client.get(reverse("recruitment:detail", args=[world.announcement.pk]))
    assert reverse("reports:public", args=[world.announcement.pk]) in response.content.decode()


def test_a_corrected_title_shows_without_waiting_for_the_shared_rendering(client, world, monkeypatch):
    # The shared rendering was kept under a key without the announcement's version: a
    # corrected title showed up to PAGE_SECONDS (30 s) late. The key now carries the version
    # (read from the shared cache at most every PUBLIC_VERSION_SECONDS; 0 here: every view).
    from recruitment import page_cache
    from reports import views

    monkeypatch.setattr(views, "PUBLIC_VERSION_SECONDS", 0)
    url = reverse("reports:public", args=[world.announcement.pk])
    assert world.announcement.title in client.get(url).content.decode()
    Announcement.objects.filter(pk=world.announcement.pk).update(title="更正后的公告标题")
    assert "更正后的公告标题" not in client.get(url).content.decode()  # still the shared rendering
    page_cache.bump_version(world.announcement.pk)  # what recruitment.services._event does on commit
    assert "更正后的公告标题" in client.get(url).content.decode()
