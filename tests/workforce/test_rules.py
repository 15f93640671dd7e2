"""The pure rules: grade careers worked by hand, the 优秀 cap, probation limits, the week."""

from datetime import date, time
from decimal import Decimal

import pytest

from workforce import grades, probation, week
from workforce.grades import BASIC, EXCELLENT, FAIL, PASS, GradeRules, career, entry, excellent_cap

# --- entry grade -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "post, education, expected",
    [
        (grades.OTHER, 30, 2),  # 其他 1 + 本科 1
        (grades.HEAD, 40, 9),  # 正职 7 + 硕士 2
        (grades.DEPUTY, 20, 4),  # 副职 4, 大专 adds nothing
        (grades.OTHER, 50, 4),  # 其他 1 + 博士 3
        (grades.OTHER, None, 1),
    ],
)
def test_entry_by_education(post, education, expected):
    assert entry(post, education) == (expected, 0)


def test_entry_by_service_years_credits_years_towards_steps():
    rules = GradeRules(entry_mode=grades.ENTRY_BY_SERVICE_YEARS)
    assert entry(grades.OTHER, 30, rules) == (2, 0)  # 本科 = 3 years = one step, nothing left
    assert entry(grades.OTHER, 40, rules) == (2, 2)  # 硕士 = 5 years = one step + 2 years counted
    assert entry(grades.DEPUTY, 50, rules) == (6, 1)  # 博士 = 7 years = two steps + 1 year
    # 硕士 with 2 years already counted: the first 合格 year completes the next step.
    result = career(
        post=grades.OTHER, education=40, start=date(2024, 1, 1), assessments={2024: PASS}, rules=rules
    )
    assert [(c.effective, c.grade_to) for c in result.changes] == [
        (date(2024, 1, 1), 2),
        (date(2025, 1, 1), 3),
    ]


# --- careers ------------------------------------------------------------------------------


def test_steps_every_three_years_from_the_next_first_of_january():
    """Hired 2020-07-01 as 其他 with 本科: entry 2. 2020 (part year) does not count; 2021–2023
    合格 → 3 on 2024-01-01; 2024 合格, 2025 基本合格 (neither counts nor delays), 2026, 2027 合格
    → 4 on 2028-01-01."""
    result = career(
        post=grades.OTHER,
        education=30,
        start=date(2020, 7, 1),
        assessments={
            2020: PASS,
            2021: PASS,
            2022: PASS,
            2023: PASS,
            2024: PASS,
            2025: BASIC,
            2026: PASS,
            2027: PASS,
        },
    )
    assert [(c.effective, c.grade_from, c.grade_to, c.kind, c.year) for c in result.changes] == [
        (date(2020, 7, 1), None, 2, grades.ENTRY, None),
        (date(2024, 1, 1), 2, 3, grades.STEP, 2023),
        (date(2028, 1, 1), 3, 4, grades.STEP, 2027),
    ]
    assert result.grade == 4 and result.counted_years == 0
    assert result.grade_on(date(2023, 12, 31)) == 2 and result.grade_on(date(2024, 1, 1)) == 3


def test_basic_counts_when_the_city_says_so():
    rules = GradeRules(basic_counts=True)
    result = career(
        post=grades.OTHER,
        education=None,
        start=date(2021, 1, 1),
        assessments={2021: PASS, 2022: BASIC, 2023: PASS},
        rules=rules,
    )
    assert result.grade == 2 and result.changes[-1].effective == date(2024, 1, 1)


def test_two_consecutive_excellent_step_early_at_most_twice():
    """Start 2021-01-01 (counts at once), 大专 其他: entry 1. 优秀 2021+2022 → 2 on 2023-01-01
    (early 1); 2023+2024 → 3 on 2025-01-01 (early 2); 2025+2026 优秀 but no early step left
    (2 years counted); 2027 优秀 completes 3 years → 4 on 2028-01-01 (normal step)."""
    result = career(
        post=grades.OTHER,
        education=20,
        start=date(2021, 1, 1),
        assessments=dict.fromkeys(range(2021, 2028), EXCELLENT),
    )
    assert [(c.effective, c.grade_to, c.kind) for c in result.changes] == [
        (date(2021, 1, 1), 1, grades.ENTRY),
        (date(2023, 1, 1), 2, grades.EARLY),
        (date(2025, 1, 1), 3, grades.EARLY),
        (date(2028, 1, 1), 4, grades.STEP),
    ]
    assert result.early_steps_used == 2


def test_excellent_after_pass_is_not_consecutive():
    result = career(
        post=grades.OTHER,
        education=None,
        start=date(2021, 1, 1),
        assessments={2021: EXCELLENT, 2022: PASS, 2023: EXCELLENT},
    )
    # No two consecutive 优秀; 3 years counted → the normal step.
    assert [(c.effective, c.kind) for c in result.changes[1:]] == [(date(2024, 1, 1), grades.STEP)]


def test_fail_delays_the_step():
    """2021, 2022 合格; 2023 不合格 restarts the count; 2024–2026 合格 → step on 2027-01-01."""
    assessments = {2021: PASS, 2022: PASS, 2023: FAIL, 2024: PASS, 2025: PASS, 2026: PASS}
    result = career(post=grades.DEPUTY, education=None, start=date(2020, 12, 1), assessments=assessments)
    assert [(c.effective, c.grade_to) for c in result.changes] == [
        (date(2020, 12, 1), 4),
        (date(2027, 1, 1), 5),
    ]
    # A city where 不合格 only does not count: 2021, 2022, 2024 → step on 2025-01-01.
    mild = career(
        post=grades.DEPUTY,
        education=None,
        start=date(2020, 12, 1),
        assessments=assessments,
        rules=GradeRules(fail_resets=False),
    )
    assert [(c.effective, c.grade_to) for c in mild.changes] == [
        (date(2020, 12, 1), 4),
        (date(2025, 1, 1), 5),
    ]


def test_grade_stops_at_the_top_of_the_range():
    rules = GradeRules(ranges={grades.OTHER: (1, 2), grades.HEAD: (7, 18), grades.DEPUTY: (4, 15)})
    result = career(
        post=grades.OTHER,
        education=30,
        start=date(2021, 1, 1),
        assessments=dict.fromkeys(range(2021, 2030), PASS),
        rules=rules,
    )
    assert result.grade == 2 and result.at_top and len(result.changes) == 1


def test_replaying_is_stable():
    kwargs = {
        "post": grades.HEAD,
        "education": 30,
        "start": date(2019, 3, 1),
        "assessments": {2020: PASS, 2021: PASS, 2022: PASS},
    }
    assert career(**kwargs) == career(**kwargs)


def test_unknown_outcome_refused():
    with pytest.raises(ValueError):
        career(post=grades.OTHER, education=None, start=date(2021, 1, 1), assessments={2021: "good"})


# --- the 优秀 cap -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "assessed, share, cap",
    [
        (13, "0.15", 1),  # 1.95 → 1
        (13, "0.20", 2),  # 2.6 → 2
        (20, "0.15", 3),  # 3.0
        (10, "0.15", 1),  # 1.5 → 1
        (5, "0.15", 0),  # 0.75 → 0
        (0, "0.15", 0),
        (7, "0.20", 1),  # 1.4 → 1
    ],
)
def test_excellent_cap_rounds_down(assessed, share, cap):
    assert excellent_cap(assessed, Decimal(share)) == cap


# --- probation --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "years, limit",
    [
        ("0.2", 0),  # 2.4 months: no probation allowed
        ("0.25", 1),  # 3 months
        ("0.99", 1),
        ("1", 2),  # 一年以上 includes one year
        ("2.99", 2),
        ("3", 6),
        ("5", 6),
        (None, 6),  # open-ended
    ],
)
def test_probation_legal_maximum(years, limit):
    assert probation.max_probation_months(None if years is None else Decimal(years)) == limit


def test_probation_default_shorter_and_longer():
    assert probation.check_probation(Decimal("3"), None) == 6
    assert probation.check_probation(Decimal("3"), 3) == 3
    with pytest.raises(probation.ProbationTooLong) as refused:
        probation.check_probation(Decimal("2"), 3)
    assert refused.value.limit == 2


def test_probation_and_contract_dates():
    assert probation.probation_end(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert probation.probation_end(date(2026, 3, 1), 6) == date(2026, 8, 31)
    assert probation.probation_end(date(2026, 3, 1), 0) is None
    assert probation.contract_end(date(2026, 3, 1), Decimal("3")) == date(2029, 2, 28)


# --- the week --------------------------------------------------------------------------------


def test_side_job_slot_in_duty_hours_is_flagged():
    duty = [(0, time(8, 30), time(12)), (0, time(14), time(17, 30))]
    evening = week.parse_slot(0, "19:00", "21:00")
    lunch = week.parse_slot(0, "11:30", "14:30")
    assert week.clashes([evening], duty) == []
    assert week.clashes([lunch], duty) == [
        week.Clash(0, time(11, 30), time(12)),
        week.Clash(0, time(14), time(14, 30)),
    ]
    rows = week.week(duty, [("夜校", [evening]), ("咨询", [lunch])])
    assert rows[0].clash and not rows[1].clash and len(rows) == 7


def test_bad_slots_refused():
    for args in ((7, "19:00", "20:00"), (0, "21:00", "19:00"), (0, "25:00", "26:00")):
        with pytest.raises(ValueError):
            week.parse_slot(*args)
