"""Each rule of the automatic check with its boundaries (pure functions, no database)."""

from datetime import date

import pytest

from applicants.eligibility import FAILED, MANUAL, PASSED, age_on, check
from recruitment.choices import Education, PoliticalRequirement, PoliticalStatus
from recruitment.models import Position

REF = date(2026, 11, 24)


def position(**rules):
    defaults = {
        "min_age": 18,
        "max_age": 35,
        "max_age_experienced": None,
        "experienced_years": 3,
        "min_education": Education.JUNIOR_COLLEGE,
        "majors": [],
        "household_regions": [],
        "household_settled_before": None,
        "political_requirement": "",
        "min_experience_years": 0,
        "other_conditions": "",
    }
    defaults.update(rules)
    return Position(**defaults)


def data(**overrides):
    base = {
        "birth_date": "1995-05-01",
        "political_status": PoliticalStatus.MASSES,
        "household_province": "辽宁省",
        "household_city": "鞍山市",
        "household_district": "铁东区",
        "household_settled_on": None,
        "education": [{"level": Education.BACHELOR, "major": "社会工作", "school": "辽宁大学"}],
        "work": [],
    }
    base.update(overrides)
    return base


def rule(result, name):
    return next(item for item in result.rules if item["rule"] == name)


def test_age_in_full_years():
    assert age_on(date(1990, 11, 24), date(2026, 11, 23)) == 35
    assert age_on(date(1990, 11, 24), date(2026, 11, 24)) == 36
    assert age_on(date(2000, 2, 29), date(2018, 2, 28)) == 17
    assert age_on(date(2000, 2, 29), date(2018, 3, 1)) == 18


def test_max_age_boundary_turns_36_on_the_reference_date():
    person = data(birth_date="1990-11-24")
    assert rule(check(person, position(), date(2026, 11, 23)), "age")["outcome"] == PASSED
    result = check(person, position(), date(2026, 11, 24))
    assert rule(result, "age")["outcome"] == FAILED
    assert "36周岁" in rule(result, "age")["message"]
    assert result.outcome == FAILED


def test_max_age_the_day_after_the_birthday_still_36():
    person = data(birth_date="1990-11-23")
    assert rule(check(person, position(), date(2026, 11, 24)), "age")["outcome"] == FAILED


def test_min_age_boundary():
    person = data(birth_date="2008-11-24")
    assert rule(check(person, position(), date(2026, 11, 23)), "age")["outcome"] == FAILED
    assert rule(check(person, position(), date(2026, 11, 24)), "age")["outcome"] == PASSED


def test_experienced_applicants_get_the_higher_limit():
    post = position(max_age_experienced=40, experienced_years=3)
    three_years = [{"started_on": "2023-11-24", "ended_on": None, "community_work": True}]
    person = data(birth_date="1988-01-01", work=three_years)
    assert rule(check(person, post, REF), "age")["outcome"] == PASSED
    short = [{"started_on": "2024-06-01", "ended_on": None, "community_work": True}]
    result = check(data(birth_date="1988-01-01", work=short), post, REF)
    assert rule(result, "age")["outcome"] == FAILED
    assert "放宽" in rule(result, "age")["message"]
    other_work = [{"started_on": "2015-01-01", "ended_on": None, "community_work": False}]
    assert rule(check(data(birth_date="1988-01-01", work=other_work), post, REF), "age")["outcome"] == FAILED


def test_education_minimum_boundary():
    post = position(min_education=Education.BACHELOR)
    assert rule(check(data(), post, REF), "education")["outcome"] == PASSED
    lower = data(education=[{"level": Education.JUNIOR_COLLEGE, "major": "社会工作"}])
    assert rule(check(lower, post, REF), "education")["outcome"] == FAILED
    assert rule(check(data(education=[]), post, REF), "education")["outcome"] == FAILED


def test_majors_exact_match_passes_else_manual():
    post = position(majors=["社会工作", "行政管理"])
    assert rule(check(data(), post, REF), "major")["outcome"] == PASSED
    other = data(education=[{"level": Education.BACHELOR, "major": "社会学"}])
    result = check(other, post, REF)
    assert rule(result, "major")["outcome"] == MANUAL
    assert result.outcome == MANUAL
    assert rule(check(other, position(), REF), "major")["outcome"] == PASSED


def test_household_prefix_and_settled_before():
    post = position(household_regions=["辽宁省鞍山市"])
    assert rule(check(data(), post, REF), "household")["outcome"] == PASSED
    assert rule(check(data(), position(household_regions=["鞍山市"]), REF), "household")["outcome"] == PASSED
    elsewhere = data(household_city="沈阳市", household_district="和平区")
    assert rule(check(elsewhere, post, REF), "household")["outcome"] == FAILED
    dated = position(household_regions=["辽宁省鞍山市"], household_settled_before=date(2025, 12, 31))
    assert rule(check(data(household_settled_on="2025-12-31"), dated, REF), "household")["outcome"] == PASSED
    assert rule(check(data(household_settled_on="2026-01-01"), dated, REF), "household")["outcome"] == FAILED
    assert rule(check(data(), dated, REF), "household")["outcome"] == MANUAL


def test_political_requirement():
    post = position(political_requirement=PoliticalRequirement.PARTY_MEMBER)
    assert rule(check(data(), post, REF), "political")["outcome"] == FAILED
    for status in (PoliticalStatus.PARTY_MEMBER, PoliticalStatus.PROBATIONARY_MEMBER):
        assert rule(check(data(political_status=status), post, REF), "political")["outcome"] == PASSED
    assert rule(check(data(), position(), REF), "political")["outcome"] == PASSED


def test_experience_years_boundary_and_overlaps_count_once():
    post = position(min_experience_years=2)
    exactly_two = [{"started_on": "2024-11-24", "ended_on": None}]
    assert rule(check(data(work=exactly_two), post, REF), "experience")["outcome"] == PASSED
    short = [{"started_on": "2024-11-26", "ended_on": None}]
    assert rule(check(data(work=short), post, REF), "experience")["outcome"] == FAILED
    overlapping = [
        {"started_on": "2025-01-01", "ended_on": "2025-12-31"},
        {"started_on": "2025-06-01", "ended_on": "2026-06-01"},
    ]
    assert rule(check(data(work=overlapping), post, REF), "experience")["outcome"] == FAILED


def test_other_conditions_go_to_a_human():
    result = check(data(), position(other_conditions="熟悉本社区情况"), REF)
    assert rule(result, "other")["outcome"] == MANUAL
    assert result.outcome == MANUAL


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_rule_has_a_message(language):
    from django.utils import translation

    with translation.override(language):
        result = check(data(), position(), REF)
    assert result.outcome == PASSED
    assert {item["rule"] for item in result.rules} == {
        "age",
        "education",
        "major",
        "household",
        "political",
        "experience",
    }
    assert all(item["message"] for item in result.rules)
