"""Age bounds as the announcements write them: an inclusive range of birth dates.

Pure functions, no database: used by the position service (to fill the range a position
states), by the position table (to print it) and by applicants.eligibility (to check it).

Source: the announcements themselves print every age bound as a birth date, both ends
inclusive, counted from the age reference date (年龄计算基准日):

- "35周岁及以下（1990年12月31日及以后出生）" for a reference date of 2026-12-31;
- 国家公务员考试录用公告: "18周岁以上、35周岁以下（1988年10月至2006年10月期间出生）" for
  October 2024 — the lower and the upper birth bound are both the reference date minus a
  whole number of years.

So, for a reference date R:

- a minimum age of N ("N周岁及以上") is "born on or before R − N years": on R the person
  has had their N-th birthday (born 2008-12-31, R 2026-12-31: 18 that very day, eligible);
- a maximum age of M ("M周岁及以下") is "born on or after R − (M + 1) years": the person
  whose (M + 1)-th birthday falls on R itself is still eligible (born 1990-12-31, R
  2026-12-31: eligible, as the announcement prints). This matches the legal reckoning of
  周岁 "从周岁生日的第二天起算" (最高人民法院法释〔2006〕1号 第二条): a person becomes
  M + 1 on the day after that birthday, so on R they are still M.

29 February: R − N years may name a day that does not exist (R = 2028-02-29, N = 18 →
2010-02-29). A person born 2010-02-28 has had their 18th birthday by R and one born
2010-03-01 has not, so the upper birth bound is 28 February. For the lower birth bound
(maximum age) the first person still eligible is born on 1 March. A person born on
29 February has their birthday on 1 March in common years (as applicants.eligibility.age_on
reckons it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class BirthRange:
    """Inclusive: eligible when ``earliest <= birth date <= latest`` (either may be None)."""

    earliest: date | None  # born on or after (from the maximum age)
    latest: date | None  # born on or before (from the minimum age)

    def contains(self, birth: date) -> bool:
        if self.earliest and birth < self.earliest:
            return False
        return not (self.latest and birth > self.latest)


def _years_before(day: date, years: int, *, invalid_goes: str) -> date:
    """``day`` minus whole years; a 29 February that does not exist becomes 28 February
    (``invalid_goes="back"``) or 1 March (``"forward"``)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a common year
        back = date(day.year - years, 2, 28)
        return back if invalid_goes == "back" else back + timedelta(days=1)


def latest_birth_date(min_age: int, reference_date: date) -> date:
    """Born on or before this day to be at least ``min_age`` full years old on the
    reference date. min_age 18, 2026-12-31 → 2008-12-31; 18, 2028-02-29 → 2010-02-28."""
    return _years_before(reference_date, min_age, invalid_goes="back")


def earliest_birth_date(max_age: int, reference_date: date) -> date:
    """Born on or after this day to be at most ``max_age`` (周岁及以下) on the reference
    date. max_age 35, 2026-12-31 → 1990-12-31; 34, 2028-02-29 → 1993-03-01."""
    return _years_before(reference_date, max_age + 1, invalid_goes="forward")


def birth_range(min_age: int | None, max_age: int | None, reference_date: date) -> BirthRange:
    """The inclusive birth-date range for an age range on a reference date."""
    return BirthRange(
        earliest=earliest_birth_date(max_age, reference_date) if max_age is not None else None,
        latest=latest_birth_date(min_age, reference_date) if min_age is not None else None,
    )
