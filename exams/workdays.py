"""Working days (工作日) for deadlines such as the score review window: Chinese public
holidays and make-up working days (调休) from chinese-calendar (pinned in requirements.txt;
each release covers the years the State Council has announced, 2004–2026 in 1.11.0).

For a year chinese-calendar has no data for, calendar days are counted (every day counts)
and the result says so, so the page can tell staff and applicants.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Deadline:
    day: date  # the last day (inclusive)
    exact: bool  # False: a year without holiday data was counted in calendar days


def is_workday(day: date) -> tuple[bool, bool]:
    """(working day?, from holiday data?)."""
    import chinese_calendar

    try:
        return chinese_calendar.is_workday(day), True
    except NotImplementedError:
        return True, False  # no holiday data: calendar days


def add_workdays(start: date, count: int) -> Deadline:
    """The `count`-th working day after `start` (start itself not counted): published on a
    Friday with 3 working days → the following Wednesday (no holiday between)."""
    day, left, exact = start, count, True
    while left > 0:
        day += timedelta(days=1)
        working, known = is_workday(day)
        exact = exact and known
        if working:
            left -= 1
    return Deadline(day=day, exact=exact)
