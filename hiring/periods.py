"""The public notice period (公示期): its last day, in calendar days or working days.

Working days follow China's public holidays and make-up working days (调休) from the
chinese-calendar library through exams.workdays.is_workday (no hand-kept holiday list).
Where the library has no data for a year (a release lacks next year's 调休 until the State
Council announces it), the period is not counted at all: NoHolidayData is raised and the
administrator enters the end date by hand (hiring.services.notice records it, audited, and
the notice shows it was entered).

The first day of the notice counts as day 1: a 7-calendar-day notice starting on Monday
1 June ends on Sunday 7 June. In working days, a start on a day off counts from the next
working day.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

CALENDAR = "calendar"
WORKING = "working"


class NoHolidayData(Exception):
    """The holiday library has no data for `year`: working days cannot be counted."""

    def __init__(self, year: int):
        super().__init__(year)
        self.year = year


def _library_is_workday(day: date) -> tuple[bool, bool]:
    from exams.workdays import is_workday

    return is_workday(day)


def notice_end(
    start: date,
    days: int,
    kind: str,
    *,
    is_workday: Callable[[date], tuple[bool, bool]] | None = None,
) -> date:
    """The last day of a notice of `days` days of `kind` ("calendar" | "working") from
    `start` (day 1). Raises ValueError for days < 1 or an unknown kind, NoHolidayData when
    counting working days reaches a year the library does not cover."""
    if days < 1:
        raise ValueError("days")
    if kind == CALENDAR:
        return start + timedelta(days=days - 1)
    if kind != WORKING:
        raise ValueError(kind)
    check = is_workday or _library_is_workday
    day, left = start, days
    while True:
        working, known = check(day)
        if not known:
            raise NoHolidayData(day.year)
        if working:
            left -= 1
            if left == 0:
                return day
        day += timedelta(days=1)


def notice_state(starts_on: date, ends_on: date, today: date) -> str:
    """ "upcoming" before the first day, "open" from the first to the last day, "ended" after."""
    if today < starts_on:
        return "upcoming"
    if today <= ends_on:
        return "open"
    return "ended"
