"""Probation (试用期) limits of the Labour Contract Law, art. 19. No Django here.

劳动合同期限三个月以上不满一年的，试用期不得超过一个月；劳动合同期限一年以上不满三年的，
试用期不得超过二个月；三年以上固定期限和无固定期限的劳动合同，试用期不得超过六个月。
劳动合同期限不满三个月的，不得约定试用期。
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from decimal import Decimal


def term_months(contract_years) -> Decimal:
    return Decimal(str(contract_years)) * 12


def max_probation_months(contract_years) -> int:
    """The legal maximum for a contract of `contract_years` (Decimal; None = open-ended)."""
    if contract_years is None:
        return 6
    months = term_months(contract_years)
    if months < 3:
        return 0
    if months < 12:
        return 1
    if months < 36:
        return 2
    return 6


def add_months(day: date, months) -> date:
    """`day` plus whole or fractional (×12 exact) months; the 31st falls to the month's end."""
    whole = int(months)
    month_index = day.month - 1 + whole
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _period_end(start: date, months) -> date:
    """The day before the same day `months` later; where that month has no such day (a
    start on the 31st), its last day."""
    target = add_months(start, months)
    return target if target.day < start.day else target - timedelta(days=1)


def contract_end(start: date, contract_years) -> date:
    """The last day of a contract starting on `start`."""
    return _period_end(start, term_months(contract_years))


def probation_end(start: date, months: int) -> date | None:
    """The last day of a probation of `months` starting on `start` (None without one)."""
    if months <= 0:
        return None
    return _period_end(start, months)


def check_probation(contract_years, months: int | None) -> int:
    """The probation to record: the legal maximum when `months` is None, `months` when
    within it; ValueError (with the maximum) when longer."""
    limit = max_probation_months(contract_years)
    if months is None:
        return limit
    if months < 0:
        raise ValueError("negative probation")
    if months > limit:
        raise ProbationTooLong(limit)
    return months


class ProbationTooLong(ValueError):
    def __init__(self, limit: int):
        super().__init__(limit)
        self.limit = limit
