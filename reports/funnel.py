"""The recruitment funnel's arithmetic: pure Python, no database (tested by example).

A step counts everyone who reached it or any later step (from the audit trail): whoever
sat the exam was necessarily issued a ticket, even when no print was recorded, so a step
never holds more people than the step before and no drop-off is ever negative; drop-off is measured against the
step before: lost = previous − this, rate = this ÷ previous (to one decimal place of a
per cent, rounded half up). The first step has no previous step and no drop-off.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

# The steps in order: key → the aggregate column of reports.selectors.
STEPS = (
    "registered",
    "submitted",
    "approved",
    "ticket_printed",
    "sat",
    "passed",
    "shortlisted",
    "interviewed",
    "proposed",
    "hired",
)


@dataclass(frozen=True)
class Step:
    key: str
    count: int
    lost: int | None  # None for the first step
    kept_percent: Decimal | None  # this ÷ previous × 100; None when previous is 0 or first step


def reached(furthest: dict[int, int]) -> dict[str, int]:
    """{step key: people who reached it or a later step} from {index in STEPS of the furthest
    step an application reached: applications}: each step adds the counts of every step at or
    after it. reached({0: 1, 3: 2, 4: 5}) = registered 8, submitted 7, approved 7,
    ticket_printed 7, sat 5, later steps 0."""
    out, total = {}, 0
    for index in range(len(STEPS) - 1, -1, -1):
        total += int(furthest.get(index) or 0)
        out[STEPS[index]] = total
    return {key: out[key] for key in STEPS}


def percent(part: int, whole: int) -> Decimal | None:
    """part ÷ whole as a per cent to one decimal place, half up; None when whole is 0.
    percent(2, 3) = 66.7; percent(1, 8) = 12.5."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def steps(counts: dict[str, int]) -> list[Step]:
    """The funnel from {step key: count}; a missing key counts 0."""
    out: list[Step] = []
    previous: int | None = None
    for key in STEPS:
        count = int(counts.get(key) or 0)
        if previous is None:
            out.append(Step(key, count, None, None))
        else:
            out.append(Step(key, count, previous - count, percent(count, previous)))
        previous = count
    return out


def ratio(numerator: int, denominator: int) -> Decimal | None:
    """numerator ÷ denominator to two places, half up (applicants per post); None for 0 posts."""
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def cumulative(values: list[int]) -> list[int]:
    total, out = 0, []
    for value in values:
        total += value
        out.append(total)
    return out


HISTOGRAM_BINS = 10


def bin_labels(bins: int = HISTOGRAM_BINS) -> list[str]:
    """Score bands as per cent of full marks: 0–9, 10–19, … 90–100 (the last band closed)."""
    width = 100 // bins
    labels = [f"{i * width}–{i * width + width - 1}" for i in range(bins - 1)]
    labels.append(f"{(bins - 1) * width}–100")
    return labels
