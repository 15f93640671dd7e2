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


def test_issue_example_35_and_under_born_on_or_after_1990_12_31():
    # "35周岁及以下（1990年12月31日及以后出生）" for the reference date 2026-12-31:
    # earliest = 2026-12-31 − (35 + 1) years = 1990-12-31, inclusive.
    ref = date(2026, 12, 31)
    result = check(data(birth_date="1990-12-31"), position(), ref)
    assert rule(result, "age")["outcome"] == PASSED
    failed = rule(check(data(birth_date="1990-12-30"), position(), ref), "age")
    assert failed["outcome"] == FAILED
    assert "35周岁及以下（1990年12月31日及以后出生）" in failed["message"]


def test_max_age_boundary_on_the_36th_birthday_still_eligible():
    # ref 2026-11-24, max 35 → earliest = 2026-11-24 − 36 years = 1990-11-24 (inclusive):
    # the 36th birthday falls on the reference date; 周岁 count from the day after it.
    person = data(birth_date="1990-11-24")
    assert rule(check(person, position(), date(2026, 11, 24)), "age")["outcome"] == PASSED
    # ref 2026-11-25 → earliest 1990-11-25: the same person is one day too early.
    result = check(person, position(), date(2026, 11, 25))
    assert rule(result, "age")["outcome"] == FAILED
    assert "1990年11月25日及以后出生" in rule(result, "age")["message"]
    assert result.outcome == FAILED


def test_max_age_the_day_before_the_bound_fails():
    # ref 2026-11-24 → earliest 1990-11-24; born 1990-11-23 is one day earlier.
    person = data(birth_date="1990-11-23")
    assert rule(check(person, position(), date(2026, 11, 24)), "age")["outcome"] == FAILED


def test_min_age_boundary():
    # min 18: latest = ref − 18 years. ref 2026-11-23 → 2008-11-23 (born 11-24 too late);
    # ref 2026-11-24 → 2008-11-24 (inclusive: the 18th birthday is the reference date).
    person = data(birth_date="2008-11-24")
    assert rule(check(person, position(), date(2026, 11, 23)), "age")["outcome"] == FAILED
    assert rule(check(person, position(), date(2026, 11, 24)), "age")["outcome"] == PASSED
    too_young = rule(check(person, position(), date(2026, 11, 23)), "age")["message"]
    assert "18周岁及以上（2008年11月23日及以前出生）" in too_young


def test_min_age_on_29_february_reference_date():
    # ref 2028-02-29, min 18 → 2010-02-29 does not exist → latest 2010-02-28
    # (born 2010-02-28 had the 18th birthday the day before; 2010-03-01 has it tomorrow).
    ref = date(2028, 2, 29)
    assert rule(check(data(birth_date="2010-02-28"), position(), ref), "age")["outcome"] == PASSED
    assert rule(check(data(birth_date="2010-03-01"), position(), ref), "age")["outcome"] == FAILED


def test_max_age_on_29_february_reference_date():
    # ref 2028-02-29, max 34 → 2028 − 35 = 1993-02-29 does not exist → earliest 1993-03-01
    # (born 1993-02-28: 35th birthday 2028-02-28, so 35 from 2028-02-29: too old).
    ref = date(2028, 2, 29)
    post = position(max_age=34)
    assert rule(check(data(birth_date="1993-03-01"), post, ref), "age")["outcome"] == PASSED
    assert rule(check(data(birth_date="1993-02-28"), post, ref), "age")["outcome"] == FAILED


def test_born_on_29_february_in_a_common_reference_year():
    # Born 2008-02-29, min 18. ref 2026-02-28 → latest 2008-02-28: not yet (FAILED);
    # ref 2026-03-01 → latest 2008-03-01: eligible.
    person = data(birth_date="2008-02-29")
    assert rule(check(person, position(), date(2026, 2, 28)), "age")["outcome"] == FAILED
    assert rule(check(person, position(), date(2026, 3, 1)), "age")["outcome"] == PASSED


def test_the_stated_birth_range_wins_over_the_ages():
    # An administrator wrote 1991-01-01 as the earliest birth date: born 1990-12-31 fails
    # although the ages alone (ref 2026-12-31 → 1990-12-31) would let them pass.
    post = position(born_on_or_after=date(1991, 1, 1), born_on_or_before=date(2008, 12, 31))
    result = rule(check(data(birth_date="1990-12-31"), post, date(2026, 12, 31)), "age")
    assert result["outcome"] == FAILED
    assert "1991年1月1日及以后出生" in result["message"]


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


def test_experienced_limit_boundary_as_a_birth_date():
    # max 40 with 3 years of community work, ref 2026-11-24:
    # earliest = 2026-11-24 − 41 years = 1985-11-24 (inclusive).
    post = position(max_age_experienced=40, experienced_years=3)
    three_years = [{"started_on": "2023-11-24", "ended_on": None, "community_work": True}]
    passed = rule(check(data(birth_date="1985-11-24", work=three_years), post, REF), "age")
    assert passed["outcome"] == PASSED and "1985年11月24日及以后出生" in passed["message"]
    failed = check(data(birth_date="1985-11-23", work=three_years), post, REF)
    assert rule(failed, "age")["outcome"] == FAILED


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
