"""The pure rules of the interview day (exams.interview_rules), by example."""

import datetime as dt
from decimal import Decimal

import pytest

from exams.interview_rules import (
    ScoreInputError,
    check_physical_draw,
    draw_order,
    dropped_indexes,
    is_late,
    parse_score,
)

D = Decimal


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("85", "85.00"),
        ("85.5", "85.50"),
        ("85.50", "85.50"),
        (" 0 ", "0.00"),
        ("100", "100.00"),
        ("99，75", "99.75"),
    ],
)
def test_a_score_of_0_to_100_with_up_to_two_decimals(text, value):
    assert parse_score(text) == D(value)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "empty"),
        ("abc", "not_a_number"),
        ("NaN", "not_a_number"),
        ("-1", "negative"),
        ("100.01", "over_max"),
        ("101", "over_max"),
        ("85.555", "places"),
        ("85.001", "places"),
    ],
)
def test_a_bad_score_is_refused_with_its_reason(text, code):
    with pytest.raises(ScoreInputError) as error:
        parse_score(text)
    assert error.value.code == code


def test_a_dimension_has_its_own_maximum():
    assert parse_score("20", D("20")) == D("20.00")
    with pytest.raises(ScoreInputError) as error:
        parse_score("20.5", D("20"))
    assert error.value.code == "over_max"


def test_the_draw_is_reproducible_from_its_seed_whatever_the_input_order():
    first = draw_order([11, 12, 13, 14, 15], 20261130)
    assert draw_order([15, 13, 11, 14, 12], 20261130) == first
    assert sorted(first.values()) == [1, 2, 3, 4, 5]
    assert draw_order([11, 12, 13, 14, 15], 7) != first or draw_order([11, 12, 13, 14, 15], 8) != first


def test_a_physical_draw_must_be_one_to_n_once_each():
    assert check_physical_draw({1: 2, 2: 1, 3: 3}) == []
    assert "duplicate" in check_physical_draw({1: 1, 2: 1, 3: 3})
    assert "out_of_range" in check_physical_draw({1: 1, 2: 4, 3: 3})
    assert "missing" in check_physical_draw({1: 1, 2: None, 3: 2})


def test_late_from_the_cut_off_on():
    start = dt.datetime(2026, 12, 5, 8, 30)
    assert not is_late(start + dt.timedelta(minutes=19, seconds=59), start, 20)
    assert is_late(start + dt.timedelta(minutes=20), start, 20)


def test_the_dropped_scores_are_one_lowest_and_one_highest_even_when_repeated():
    # 7 examiners: 70 and one of the two 95s are dropped (the first of equal values).
    scores = [D("95"), D("80"), D("70"), D("95"), D("85"), D("82"), D("88")]
    assert dropped_indexes(scores, True) == (0, 2)
    # All equal: still two different seats.
    assert dropped_indexes([D("80")] * 5, True) == (0, 1)
    # A panel of 3, or drop_extremes off: nothing dropped.
    assert dropped_indexes([D("70"), D("80"), D("90")], True) == ()
    assert dropped_indexes(scores, False) == ()
