"""The interview and ranking settings: rules_for maps every stored setting, the page with its
presets, each field's validation, permissions, the lock once a ranking is confirmed (the page,
the service and recruitment's announcement form), query budget."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from exams.forms_shortlist import AnnouncementRulesForm, RankingSettingsForm
from exams.models import RankingSettings
from exams.rules import rules_for
from exams.scoring import Rules
from exams.services import settings as services
from tests.recruitment.factories import AnnouncementFactory

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def announcement():
    return AnnouncementFactory()


def lock(announcement, admin):
    from exams.models_ranking import RankingVersion

    RankingVersion.objects.create(
        announcement=announcement,
        number=1,
        fingerprint="x" * 64,
        status="confirmed",
        created_by=admin,
        confirmed_by=admin,
        confirmed_at=timezone.now(),
    )


def post_data(announcement, **changes):
    """The page's form as it stands, with `changes` (prefix a- / s- included)."""
    data = {}
    a_form = AnnouncementRulesForm(instance=announcement, prefix="a")
    s_form = RankingSettingsForm(instance=services.settings_row(announcement), prefix="s")
    for prefix, form in (("a", a_form), ("s", s_form)):
        for name, field in form.fields.items():
            value = form.initial.get(name, field.initial)
            if value is None or value is False:
                continue
            data[f"{prefix}-{name}"] = "on" if value is True else value
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def test_missing_row_means_the_scoring_defaults(announcement):
    rules = rules_for(announcement)
    defaults = Rules()
    for name in (
        "bonus_to",
        "drop_extremes",
        "interview_places",
        "room_correction",
        "composite_rounding",
        "unresolved_tie",
        "backfill_events",
        "composite_pass_line",
        "shortlist_ratio_below",
    ):
        assert getattr(rules, name) == getattr(defaults, name), name
    row = RankingSettings(announcement=announcement)
    assert row.panel_size == 7 and sorted(row.backfill_events) == sorted(defaults.backfill_events)
    assert not row.backfill_after_notice


def test_rules_for_maps_every_setting(announcement):
    RankingSettings.objects.create(
        announcement=announcement,
        bonus_to="composite",
        ratio_below_posts=10,
        ratio_below=D("3"),
        drop_extremes=False,
        interview_places=1,
        room_correction="mean_of_room_means",
        room_mean_places=3,
        coefficient_places=4,
        corrected_places=3,
        composite_pass_line=D("60"),
        composite_rounding="each_part",
        unresolved_tie="all_advance",
        backfill_events=["gave_up", "withdrew_after_notice"],
    )
    announcement.refresh_from_db()
    rules = rules_for(announcement)
    assert rules.bonus_to == "composite"
    assert rules.shortlist_ratio_below == (10, D("3"))
    assert (rules.drop_extremes, rules.interview_places) == (False, 1)
    assert (
        rules.room_correction,
        rules.room_mean_places,
        rules.coefficient_places,
        rules.corrected_places,
    ) == ("mean_of_room_means", 3, 4, 3)
    assert (rules.composite_pass_line, rules.composite_rounding, rules.unresolved_tie) == (
        D("60"),
        "each_part",
        "all_advance",
    )
    assert rules.backfill_events == frozenset({"gave_up", "withdrew_after_notice"})
    assert announcement.ranking_settings.backfill_after_notice
    # 笔试 + 面试 直接相加: both weights 1 (quota 1 post, ratio below: 3 under 10 posts → target 3)
    RankingSettings.objects.filter(announcement=announcement).update(composite_sum=True)
    announcement.refresh_from_db()
    rules = rules_for(announcement)
    assert (rules.written_weight, rules.interview_weight) == (D(1), D(1))
    from exams.scoring import composite, shortlist_target

    assert composite(D("70.5"), D("80.25"), rules) == D("150.75")  # 70.5 + 80.25
    assert (
        shortlist_target(9, rules) == 27 and shortlist_target(10, rules) == 30
    )  # ratio 3 both (interview_ratio 3)


def test_page_saves_both_homes(client, administrator, announcement):
    client.force_login(administrator)
    url = reverse("exams:settings_edit", args=[announcement.pk])
    response = client.post(
        url,
        post_data(
            announcement, **{"a-written_weight": "0.4", "s-panel_size": "5", "s-bonus_to": "composite"}
        ),
    )
    assert response.status_code == 302
    announcement.refresh_from_db()
    row = announcement.ranking_settings
    assert (announcement.written_weight, row.panel_size, row.bonus_to, row.updated_by) == (
        D("0.40"),
        5,
        "composite",
        administrator,
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"a-written_weight": "1.5"}, "written_weight"),
        ({"a-written_weight": "-0.1"}, "written_weight"),
        ({"s-panel_size": "2"}, "panel_size"),
        ({"s-panel_size": "10"}, "panel_size"),
        ({"s-panel_size": "3", "s-drop_extremes": "on"}, "drop_extremes"),
        ({"s-ratio_below_posts": "10"}, "ratio_below"),
        ({"s-ratio_below": "3"}, "ratio_below_posts"),
        ({"s-unconfirmed_gives_up": "on", "s-confirm_deadline": None}, "confirm_deadline"),
        ({"s-by_dimensions": "on", "s-dimensions": "综合分析能力 20\n组织协调能力 70"}, "dimensions"),
        ({"s-by_dimensions": "on", "s-dimensions": "综合分析能力 二十"}, "dimensions"),
        ({"s-composite_pass_line": "120"}, "composite_pass_line"),
        ({"a-tie_0": "written", "a-tie_1": "written"}, "tie_1"),
        ({"a-tie_0": "", "a-tie_1": "written", "a-tie_2": "", "a-tie_3": ""}, "tie_1"),
        ({"a-bonus_mode": "sum_capped", "a-bonus_cap": "0"}, "bonus_cap"),
    ],
)
def test_bad_input_is_refused_at_the_field_and_nothing_saved(
    client, administrator, announcement, changes, field
):
    client.force_login(administrator)
    url = reverse("exams:settings_edit", args=[announcement.pk])
    response = client.post(url, post_data(announcement, **changes))
    assert response.status_code == 200
    forms = (response.context["a_form"], response.context["s_form"])
    assert any(field in form.errors for form in forms), [form.errors for form in forms]
    assert not RankingSettings.objects.filter(announcement=announcement).exists()
    # what was typed is still on the page
    typed = next(iter(v for k, v in changes.items() if v))
    assert typed.split("\n")[0] in response.content.decode()


def test_dimensions_adding_to_100_are_stored(client, administrator, announcement):
    client.force_login(administrator)
    url = reverse("exams:settings_edit", args=[announcement.pk])
    client.post(
        url,
        post_data(
            announcement,
            **{"s-by_dimensions": "on", "s-dimensions": "综合分析能力 30\n组织协调能力 30\n语言表达 40"},
        ),
    )
    row = RankingSettings.objects.get(announcement=announcement)
    assert row.dimensions == [
        {"name": "综合分析能力", "max": "30"},
        {"name": "组织协调能力", "max": "30"},
        {"name": "语言表达", "max": "40"},
    ]


@pytest.mark.parametrize("preset", services.PRESETS, ids=lambda p: p.key)
def test_presets_fill_the_form_and_save(client, administrator, announcement, preset):
    client.force_login(administrator)
    url = reverse("exams:settings_edit", args=[announcement.pk])
    response = client.post(url, {"preset": preset.key})
    assert response.status_code == 200
    assert not RankingSettings.objects.filter(announcement=announcement).exists()  # filled, not saved
    a_form, s_form = response.context["a_form"], response.context["s_form"]
    assert a_form.is_valid() and s_form.is_valid(), (a_form.errors, s_form.errors)
    data = dict(a_form.data)
    client.post(url, data)
    row = RankingSettings.objects.get(announcement=announcement)
    announcement.refresh_from_db()
    rules = rules_for(announcement)
    for name, value in preset.settings.items():
        assert getattr(row, name) == value, name
    if preset.key == "w40_i60_3_7":
        assert (rules.written_weight, rules.interview_weight, rules.shortlist_ratio, row.panel_size) == (
            D("0.40"),
            D("0.60"),
            D("3"),
            7,
        )
    if preset.key == "sum_3_7":
        assert (rules.written_weight, rules.interview_weight) == (D(1), D(1))


def test_permissions(client, reviewer, applicant, announcement):
    url = reverse("exams:settings_edit", args=[announcement.pk])
    assert client.get(url).status_code == 302  # to sign in
    for user in (reviewer, applicant):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(url, {"preset": "w40_i60_3_7"}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.settings_save(
            announcement=announcement, actor=reviewer, announcement_values={}, settings_values={}
        )


def test_locked_once_a_ranking_is_confirmed(client, administrator, announcement):
    assert not services.settings_locked(announcement)
    lock(announcement, administrator)
    assert services.settings_locked(announcement)
    with pytest.raises(PermissionDenied):
        services.settings_save(
            announcement=announcement,
            actor=administrator,
            announcement_values={},
            settings_values={"panel_size": 5},
        )
    client.force_login(administrator)
    url = reverse("exams:settings_edit", args=[announcement.pk])
    response = client.post(url, post_data(announcement, **{"s-panel_size": "5"}))
    assert response.status_code == 200 and response.context["locked"]
    assert "规则已锁定" in response.content.decode()
    assert not RankingSettings.objects.filter(announcement=announcement).exists()


def test_recruitment_form_refuses_locked_rules(administrator, announcement):
    from recruitment.forms import AnnouncementForm

    lock(announcement, administrator)
    form = AnnouncementForm(instance=announcement)
    data = {name: form.initial.get(name) for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    for name in ("registration_opens_at", "registration_closes_at", "review_deadline", "interview_at"):
        value = data.get(name)
        if hasattr(value, "strftime"):
            data[name] = timezone.localtime(value).strftime("%Y-%m-%dT%H:%M:%S")
    data["written_weight"] = "0.40"
    bound = AnnouncementForm(data, instance=announcement)
    assert not bound.is_valid()
    assert "written_weight" in bound.errors


def test_scoring_refuses_an_impossible_combination(administrator, announcement):
    with pytest.raises(ValidationError):
        services.settings_save(
            announcement=announcement,
            actor=administrator,
            announcement_values={"written_pass_mode": "relative", "written_pass_line": D("0")},
            settings_values={},
        )
    assert not RankingSettings.objects.filter(announcement=announcement).exists()


def test_query_budget(client, administrator, announcement, django_assert_max_num_queries):
    client.force_login(administrator)
    url = reverse("exams:settings_edit", args=[announcement.pk])
    with django_assert_max_num_queries(15):
        assert client.get(url).status_code == 200


def test_deadline_field_round_trip(client, administrator, announcement):
    client.force_login(administrator)
    url = reverse("exams:settings_edit", args=[announcement.pk])
    at = timezone.localtime(timezone.now() + timedelta(days=3)).replace(second=0, microsecond=0)
    client.post(
        url,
        post_data(
            announcement,
            **{"s-confirm_deadline": at.strftime("%Y-%m-%dT%H:%M"), "s-unconfirmed_gives_up": "on"},
        ),
    )
    row = RankingSettings.objects.get(announcement=announcement)
    assert row.confirm_deadline == at and row.unconfirmed_gives_up
