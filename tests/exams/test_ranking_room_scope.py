"""The room-correction scope (修正系数的计算范围) as an announcement setting: the same scores
give hand-worked, different coefficients under each scope; the page offers it with each
choice explained; it counts in the fingerprint; it locks with the other settings."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from exams.models_ranking import RankingRow, RankingVersion
from exams.models_rules import RankingSettings
from exams.services import ranking as services
from exams.services import settings as settings_services
from tests.exams.ranking_helpers import interviewed, seven
from tests.exams.test_settings import lock, post_data

D = Decimal


@pytest.fixture
def three_positions(administrator, django_capture_on_commit_callbacks, monkeypatch):
    """Three positions P1, P2, P3 (candidates dealt in turn: 0→P1, 1→P2, 2→P3, 3→P1, …), all
    written 70, seven examiners giving the same score (so the trimmed mean is that score):

        cand  position  group  interview
        0     P1        A      80
        1     P2        B      60
        2     P3        C      90
        3     P1        B      70
        4     P2        B      50
        5     P3        C      70

    Group B interviewed P1 and P2, so those two positions are linked; P3 was interviewed only
    by group C. Correction "pooled_mean": coefficient = overall mean ÷ group mean, means to 2
    places, the coefficient rounded half up to 3 places."""
    announcement, apps, _stand_in = interviewed(
        administrator,
        django_capture_on_commit_callbacks,
        monkeypatch,
        written=["70"] * 6,
        interview=[seven(80), seven(60), seven(90), seven(70), seven(50), seven(70)],
        positions=3,
        rooms=["A", "B", "C", "B", "B", "C"],
    )
    assert [a.position_id for a in apps[:3]] == [a.position_id for a in apps[3:]]
    return announcement, apps


def _coefficients(announcement, administrator, scope):
    RankingSettings.objects.update_or_create(
        announcement=announcement, defaults={"room_correction": "pooled_mean", "room_scope": scope}
    )
    version = services.rank_now(announcement, actor=administrator).version
    rows = dict(RankingRow.objects.filter(version=version).values_list("application_id", "coefficient"))
    return version, rows


def test_each_scope_gives_its_own_hand_worked_coefficients(three_positions, administrator):
    announcement, apps = three_positions
    c0, c1, c2, c3, c4, c5 = (a.pk for a in apps)

    # "position": each position alone.
    #   P1: A {80}, B {70}; overall (80 + 70) / 2 = 75.00;
    #       A 75 / 80 = 0.9375 → 0.938 (half up);
    #       B 75 / 70 = 1.07142… → 1.071.
    #   P2: only group B {60, 50}: overall = group mean = 55.00 → 1.000.
    #   P3: only group C {90, 70}: 80.00 / 80.00 → 1.000.
    version, rows = _coefficients(announcement, administrator, "position")
    assert version.rules["room_scope"] == "position"
    assert [rows[k] for k in (c0, c3, c1, c4, c2, c5)] == [
        D("0.938"),
        D("1.071"),
        D("1.000"),
        D("1.000"),
        D("1.000"),
        D("1.000"),
    ]

    # "linked": P1 and P2 share group B, so they are corrected together; P3 alone.
    #   P1+P2: A {80}, B {70, 60, 50}; overall (80 + 70 + 60 + 50) / 4 = 260 / 4 = 65.00;
    #       A mean 80.00: 65 / 80 = 0.8125 → 0.813 (half up; banker's rounding gives 0.812);
    #       B mean 180 / 3 = 60.00: 65 / 60 = 1.08333… → 1.083.
    #   P3: C alone → 1.000.
    version, rows = _coefficients(announcement, administrator, "linked")
    assert version.rules["room_scope"] == "linked"
    assert [rows[k] for k in (c0, c3, c1, c4, c2, c5)] == [
        D("0.813"),
        D("1.083"),
        D("1.083"),
        D("1.083"),
        D("1.000"),
        D("1.000"),
    ]

    # "announcement": every group at once.
    #   overall (80 + 60 + 90 + 70 + 50 + 70) / 6 = 420 / 6 = 70.00;
    #   A 80.00: 70 / 80 = 0.875; B 60.00: 70 / 60 = 1.16666… → 1.167; C 80.00: 0.875.
    version, rows = _coefficients(announcement, administrator, "announcement")
    assert version.rules["room_scope"] == "announcement"
    assert [rows[k] for k in (c0, c3, c1, c4, c2, c5)] == [
        D("0.875"),
        D("1.167"),
        D("1.167"),
        D("1.167"),
        D("0.875"),
        D("0.875"),
    ]
    # Three scopes, three inputs: three versions (the scope is in the fingerprint).
    assert RankingVersion.objects.filter(announcement=announcement).count() == 3


def test_no_row_means_linked(three_positions, administrator):
    announcement, _apps = three_positions
    inputs = services.assemble(announcement)
    assert inputs.room_scope == "linked" == RankingSettings().room_scope


def test_the_page_offers_each_scope_explained_and_saves_it(client, administrator, three_positions):
    announcement, _apps = three_positions
    client.force_login(administrator)
    url = reverse("exams:settings_edit", args=[announcement.pk])
    page = client.get(url).content.decode()
    for words in (
        "修正系数的计算范围",
        "同一面试组面试的各岗位合并计算",
        "每个岗位单独计算",
        "本公告全部面试组合并计算",
    ):
        assert words in page
    assert page.count('name="s-room_scope"') == 3  # one radio button per choice
    response = client.post(url, post_data(announcement, **{"s-room_scope": "position"}))
    assert response.status_code == 302
    assert RankingSettings.objects.get(announcement=announcement).room_scope == "position"
    response = client.post(url, post_data(announcement, **{"s-room_scope": "room"}))
    assert response.status_code == 200 and response.context["s_form"].errors["room_scope"]
    assert RankingSettings.objects.get(announcement=announcement).room_scope == "position"


def test_the_version_page_names_the_scope(client, administrator, three_positions):
    announcement, _apps = three_positions
    RankingSettings.objects.create(
        announcement=announcement, room_correction="pooled_mean", room_scope="position"
    )
    version = services.rank_now(announcement, actor=administrator).version
    client.force_login(administrator)
    page = client.get(
        reverse("exams:ranking_version", args=[announcement.pk, version.number])
    ).content.decode()
    assert "修正系数的计算范围：每个岗位单独计算。" in page


def test_the_scope_locks_once_a_ranking_is_confirmed(client, administrator, three_positions):
    announcement, _apps = three_positions
    lock(announcement, administrator)
    with pytest.raises(PermissionDenied):
        settings_services.settings_save(
            announcement=announcement,
            actor=administrator,
            announcement_values={},
            settings_values={"room_scope": "announcement"},
        )
    client.force_login(administrator)
    url = reverse("exams:settings_edit", args=[announcement.pk])
    response = client.post(url, post_data(announcement, **{"s-room_scope": "announcement"}))
    assert response.status_code == 200 and response.context["locked"]
    assert response.context["s_form"].fields["room_scope"].disabled
    assert not RankingSettings.objects.filter(announcement=announcement).exists()
