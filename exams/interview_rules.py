"""Pure rules of the interview day (no Django, no database): reading an examiner's typed
score, the draw (抽签) from a recorded seed, the late-arrival cut-off, and which of a
panel's scores exams.scoring.interview_score drops (for display only: the score itself is
computed by exams.scoring and nowhere else).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from .scoring import DROP_EXTREMES_FROM

HUNDRED = Decimal("100")
MAX_PLACES = 2


class ScoreInputError(ValueError):
    """`code`: "empty", "not_a_number", "negative", "over_max", "places"."""

    def __init__(self, code: str, maximum: Decimal = HUNDRED):
        super().__init__(code)
        self.code, self.maximum = code, maximum


def parse_score(text, maximum: Decimal = HUNDRED) -> Decimal:
    """An examiner's score as typed: 0 to `maximum` points with at most 2 decimals.
    "85", "85.5", "85.50" → Decimal; "85.555", "-1", "101", "abc" → ScoreInputError."""
    raw = str(text if text is not None else "").strip().replace("，", ".").replace(",", ".")
    if not raw:
        raise ScoreInputError("empty", maximum)
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ScoreInputError("not_a_number", maximum) from None
    if not value.is_finite():
        raise ScoreInputError("not_a_number", maximum)
    if value < 0:
        raise ScoreInputError("negative", maximum)
    if value > maximum:
        raise ScoreInputError("over_max", maximum)
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > MAX_PLACES:
        raise ScoreInputError("places", maximum)
    return value.quantize(Decimal("0.01"))


@dataclass(frozen=True)
class Dimension:
    """A scoring element (评分要素) with its maximum, e.g. 综合分析能力, 20 points."""

    name: str
    maximum: Decimal


def draw_order(candidate_ids: Sequence[int], seed: int) -> dict[int, int]:
    """The draw: order numbers 1…n for `candidate_ids`, a shuffle of the ids in ascending
    order by random.Random(seed). The same ids and seed give the same order, whatever
    order the ids are passed in."""
    ids = sorted(set(candidate_ids))
    random.Random(seed).shuffle(ids)
    return {candidate_id: number for number, candidate_id in enumerate(ids, start=1)}


def check_physical_draw(orders: dict[int, int]) -> list[str]:
    """A draw typed in from the physical lots: the numbers must be exactly 1…n, once each.
    Returns the faults ("missing", "duplicate", "out_of_range"), empty when correct."""
    faults = []
    numbers = list(orders.values())
    if any(number is None for number in numbers):
        faults.append("missing")
        numbers = [n for n in numbers if n is not None]
    if len(set(numbers)) != len(numbers):
        faults.append("duplicate")
    if any(n < 1 or n > len(orders) for n in numbers):
        faults.append("out_of_range")
    return faults


def is_late(now: datetime, starts_at: datetime, cutoff_minutes: int) -> bool:
    """Arriving at or after start + cut-off is late (面试开始后N分钟未到视为放弃)."""
    return now >= starts_at + timedelta(minutes=cutoff_minutes)


def dropped_indexes(scores: Sequence[Decimal], drop_extremes: bool) -> tuple[int, ...]:
    """The positions in `scores` of the single lowest and single highest score that
    exams.scoring.interview_score leaves out (the first of equal values), or () when it
    averages all (drop_extremes off, or fewer than DROP_EXTREMES_FROM scores)."""
    if not drop_extremes or len(scores) < DROP_EXTREMES_FROM:
        return ()
    low = min(range(len(scores)), key=lambda i: (scores[i], i))
    high = max((i for i in range(len(scores)) if i != low), key=lambda i: (scores[i], -i))
    return tuple(sorted((low, high)))
