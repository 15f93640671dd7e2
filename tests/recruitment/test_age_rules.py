"""recruitment.age_rules: age bounds as inclusive birth-date ranges, worked by hand."""

from datetime import date

import pytest

from recruitment.age_rules import BirthRange, birth_range, earliest_birth_date, latest_birth_date


@pytest.mark.parametrize(
    ("max_age", "reference", "earliest"),
    [
        (35, date(2026, 12, 31), date(1990, 12, 31)),  # the issue: 2026 − 36 = 1990, same day
        (35, date(2026, 11, 24), date(1990, 11, 24)),
        (40, date(2026, 1, 1), date(1985, 1, 1)),  # 2026 − 41 = 1985
        (35, date(2028, 2, 29), date(1992, 2, 29)),  # 1992 is a leap year: the day exists
        (34, date(2028, 2, 29), date(1993, 3, 1)),  # 1993-02-29 does not exist → 1 March
    ],
)
def test_earliest_birth_date_for_a_maximum_age(max_age, reference, earliest):
    assert earliest_birth_date(max_age, reference) == earliest


@pytest.mark.parametrize(
    ("min_age", "reference", "latest"),
    [
        (18, date(2026, 12, 31), date(2008, 12, 31)),  # 2026 − 18 = 2008, same day
        (18, date(2026, 3, 1), date(2008, 3, 1)),
        (18, date(2028, 2, 29), date(2010, 2, 28)),  # 2010-02-29 does not exist → 28 February
        (20, date(2028, 2, 29), date(2008, 2, 29)),  # 2008 is a leap year
    ],
)
def test_latest_birth_date_for_a_minimum_age(min_age, reference, latest):
    assert latest_birth_date(min_age, reference) == latest


def test_the_range_is_inclusive_at_both_ends():
    # 18–35 on 2026-12-31: born 1990-12-31 … 2008-12-31.
    stated = birth_range(18, 35, date(2026, 12, 31))
    assert stated == BirthRange(earliest=date(1990, 12, 31), latest=date(2008, 12, 31))
    assert stated.contains(date(1990, 12, 31)) and stated.contains(date(2008, 12, 31))
    assert not stated.contains(date(1990, 12, 30)) and not stated.contains(date(2009, 1, 1))


def test_an_open_end_is_unbounded():
    assert BirthRange(earliest=None, latest=date(2008, 12, 31)).contains(date(1900, 1, 1))
