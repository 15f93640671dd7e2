"""Pure rules of hiring: the backfill chain on exams.scoring.backfill, the 加试 decision and
the notice period in calendar and working days. Hand-worked examples."""

from datetime import date
from decimal import Decimal as D

import pytest

from exams import scoring
from hiring import chain
from hiring.periods import NoHolidayData, notice_end, notice_state


def row(key, composite, rank, eligible=True):
    c = D(composite)
    return scoring.Row(key, c, c, D(1), c, c, rank, eligible)


def ranking(rows, quota, proposed, extra=()):
    return scoring.Ranking(tuple(rows), (), tuple(proposed), tuple(extra), quota)


RULES = scoring.Rules()

# Position with 2 posts: a 90, b 85, c 80 (under the interview line), d 78, e 75, f 75.
ROWS = [
    row("a", "90", 1),
    row("b", "85", 2),
    row("c", "80", 3, eligible=False),
    row("d", "78", 4),
    row("e", "75", 5),
    row("f", "75", 5),
]


def test_medical_failure_skips_the_candidate_under_the_interview_line():
    r = ranking(ROWS, 2, ["a", "b"])
    state = chain.State(proposed=("a", "b"), posts=2)
    result = chain.step(r, state, "b", "medical_fail", RULES, backfill=True)
    # c (80) ranks above d but failed the interview line: d is next.
    assert result.placements == (chain.Placement("d", chain.ACTIVE),)
    assert result.outcome == chain.FILLED and result.posts == 2


def test_second_removal_never_reproposes_the_removed_and_meets_a_tie():
    r = ranking(ROWS, 2, ["a", "b"])
    state = chain.State(proposed=("a", "d"), removed=frozenset({"b"}), posts=2)
    result = chain.step(r, state, "d", "gave_up", RULES, backfill=True)
    # e and f tie at 75 for one place: both wait for a 加试 holding one place.
    assert result.placements == (
        chain.Placement("e", chain.PENDING_TIE, 1),
        chain.Placement("f", chain.PENDING_TIE, 1),
    )
    all_advance = scoring.Rules(unresolved_tie="all_advance")
    result = chain.step(r, state, "d", "gave_up", all_advance, backfill=True)
    assert [p.status for p in result.placements] == [chain.ACTIVE, chain.ACTIVE]


def test_removing_one_of_the_tied_resolves_the_tie():
    r = ranking(ROWS, 2, ["a", "b"])
    state = chain.State(
        proposed=("a",), pending=("e", "f"), pending_places=1, removed=frozenset({"b", "d"}), posts=2
    )
    result = chain.step(r, state, "e", "gave_up", RULES, backfill=True)
    assert result.placements == (chain.Placement("f", chain.ACTIVE),)


@pytest.mark.parametrize(
    ("backfilled", "expected", "posts"),
    [(True, (chain.Placement("d", chain.ACTIVE),), 2), (False, (), 1)],
)
def test_withdrawal_after_the_notice_with_the_setting_on_and_off(backfilled, expected, posts):
    r = ranking(ROWS, 2, ["a", "b"])
    state = chain.State(proposed=("a", "b"), posts=2)
    result = chain.step(r, state, "a", "withdrew_after_notice", RULES, backfill=backfilled)
    assert result.placements == expected
    assert result.posts == posts
    assert result.outcome == (chain.FILLED if backfilled else chain.NOT_BACKFILLED)


def test_disqualification_is_never_backfilled():
    r = ranking(ROWS, 2, ["a", "b"])
    state = chain.State(proposed=("a", "b"), posts=2)
    result = chain.step(r, state, "a", "disqualified", RULES, backfill=True)
    assert result.placements == () and result.outcome == chain.NOT_BACKFILLED and result.posts == 1


def test_the_pool_runs_dry():
    rows = [row("a", "90", 1), row("b", "85", 2), row("c", "70", 3, eligible=False)]
    r = ranking(rows, 2, ["a", "b"])
    state = chain.State(proposed=("a", "b"), posts=2)
    result = chain.step(r, state, "b", "background_fail", RULES, backfill=True)
    assert result.placements == () and result.outcome == chain.POOL_EMPTY


def test_calendar_days():
    # 7 calendar days from Monday 2026-06-01: the 7th day is Sunday 2026-06-07.
    assert notice_end(date(2026, 6, 1), 7, "calendar") == date(2026, 6, 7)
    # A calendar-day notice may end on a public holiday (2025-10-01 国庆).
    assert notice_end(date(2025, 9, 25), 7, "calendar") == date(2025, 10, 1)


def test_working_days_across_national_day_with_a_make_up_saturday():
    # 2025: 10-01..10-08 off (国庆+中秋); Sunday 09-28 and Saturday 10-11 are make-up days (调休).
    # From Friday 09-26: 09-26 (1), 09-28 Sun 调休 (2), 09-29 (3), 09-30 (4), 10-09 (5).
    assert notice_end(date(2025, 9, 26), 5, "working") == date(2025, 10, 9)
    # …10-10 (6), Saturday 10-11 调休 (7).
    assert notice_end(date(2025, 9, 26), 7, "working") == date(2025, 10, 11)
    # Starting on the holiday itself: the first working day is 10-09.
    assert notice_end(date(2025, 10, 1), 1, "working") == date(2025, 10, 9)


def test_a_year_without_holiday_data_is_refused():
    with pytest.raises(NoHolidayData) as caught:
        notice_end(date(2099, 1, 5), 5, "working")
    assert caught.value.year == 2099


def test_notice_state():
    start, end = date(2026, 6, 1), date(2026, 6, 7)
    assert notice_state(start, end, date(2026, 5, 31)) == "upcoming"
    assert notice_state(start, end, date(2026, 6, 7)) == "open"
    assert notice_state(start, end, date(2026, 6, 8)) == "ended"
