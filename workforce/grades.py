"""三岗十八级: a community worker's grade as a pure function of their career. No Django here.

A worker holds a post (正职 / 副职 / 其他) whose grades run over a range (by default 正职
7–18, 副职 4–15, 其他 1–12). The entry grade is the bottom of the range plus a credit for
education (本科 +1, 硕士 +2, 博士 +3), or, where the city credits education as years of
service instead (本科 3, 硕士 5, 博士 7 years), the years credited count towards the first
steps. Then:

* one step every `step_years` (3) assessed years at 合格 or better, counted from the first
  1 January after the start date (the partial first year does not count); the step takes
  effect on the 1 January after the assessment that completes the count;
* 基本合格 neither counts nor delays (a setting: `basic_counts` makes it count);
* 不合格 delays: the count starts again (a setting: `fail_resets`; off, the year only does
  not count);
* two consecutive 优秀 years give the step early (the count starts again), at most
  `max_early_steps` (2) times in a career;
* the grade never passes the top of the post's range.

`career()` replays the whole career from the start: the yearly job stores what it returns
and adds only the changes not yet stored, so running it twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

HEAD, DEPUTY, OTHER = "head", "deputy", "other"
POSTS = (HEAD, DEPUTY, OTHER)

EXCELLENT, PASS, BASIC, FAIL = "excellent", "pass", "basic", "fail"
OUTCOMES = (EXCELLENT, PASS, BASIC, FAIL)

ENTRY_BY_EDUCATION, ENTRY_BY_SERVICE_YEARS = "education", "service_years"

# Education codes as applicants.Education stores them (recruitment.choices.Education):
# 10 高中/中专, 20 大专, 30 本科, 40 硕士, 50 博士.
BACHELOR, MASTER, DOCTOR = 30, 40, 50

ENTRY, STEP, EARLY = "entry", "step", "early"


def _default_ranges() -> dict[str, tuple[int, int]]:
    return {HEAD: (7, 18), DEPUTY: (4, 15), OTHER: (1, 12)}


def _default_levels() -> dict[int, int]:
    return {BACHELOR: 1, MASTER: 2, DOCTOR: 3}


def _default_years() -> dict[int, int]:
    return {BACHELOR: 3, MASTER: 5, DOCTOR: 7}


@dataclass(frozen=True)
class GradeRules:
    ranges: dict[str, tuple[int, int]] = field(default_factory=_default_ranges)
    entry_mode: str = ENTRY_BY_EDUCATION
    education_levels: dict[int, int] = field(default_factory=_default_levels)
    education_years: dict[int, int] = field(default_factory=_default_years)
    step_years: int = 3
    basic_counts: bool = False
    fail_resets: bool = True
    early_after_excellent: int = 2
    max_early_steps: int = 2

    def __post_init__(self):
        for post, (low, high) in self.ranges.items():
            if not 1 <= low <= high:
                raise ValueError(f"grade range of {post} must be 1 ≤ low ≤ high, got {low}–{high}")
        if self.step_years < 1:
            raise ValueError("step_years must be at least 1")
        if self.entry_mode not in (ENTRY_BY_EDUCATION, ENTRY_BY_SERVICE_YEARS):
            raise ValueError(f"unknown entry mode {self.entry_mode!r}")


@dataclass(frozen=True)
class Change:
    effective: date
    grade_from: int | None  # None for the entry grade
    grade_to: int
    kind: str  # ENTRY, STEP or EARLY
    year: int | None  # the assessment year that completed the step (None for the entry)


@dataclass(frozen=True)
class Career:
    changes: tuple[Change, ...]
    grade: int  # after every change
    counted_years: int  # 合格-or-better years counted towards the next step
    early_steps_used: int
    at_top: bool

    def grade_on(self, day: date) -> int | None:
        current = None
        for change in self.changes:
            if change.effective <= day:
                current = change.grade_to
        return current


def entry(post: str, education: int | None, rules: GradeRules = GradeRules()) -> tuple[int, int]:
    """(entry grade, years already counted towards the first step)."""
    low, high = rules.ranges[post]
    education = education or 0
    if rules.entry_mode == ENTRY_BY_EDUCATION:
        credit = max(
            (levels for code, levels in rules.education_levels.items() if education >= code), default=0
        )
        return min(low + credit, high), 0
    years = max((years for code, years in rules.education_years.items() if education >= code), default=0)
    steps, rest = divmod(years, rules.step_years)
    return min(low + steps, high), rest


def career(
    *,
    post: str,
    education: int | None,
    start: date,
    assessments: dict[int, str],
    rules: GradeRules = GradeRules(),
) -> Career:
    """Replay a career. `assessments`: {year: outcome} of confirmed annual assessments;
    years before the first counted year (the start year, unless the worker started on
    1 January) are ignored; a missing year counts as nothing (no step, no delay)."""
    for outcome in assessments.values():
        if outcome not in OUTCOMES:
            raise ValueError(f"unknown assessment outcome {outcome!r}")
    low, high = rules.ranges[post]
    grade, counted = entry(post, education, rules)
    changes = [Change(effective=start, grade_from=None, grade_to=grade, kind=ENTRY, year=None)]
    first_year = start.year if (start.month, start.day) == (1, 1) else start.year + 1
    streak = 0
    early_used = 0
    for year in sorted(y for y in assessments if y >= first_year):
        outcome = assessments[year]
        if outcome in (EXCELLENT, PASS) or (outcome == BASIC and rules.basic_counts):
            counted += 1
        elif outcome == FAIL and rules.fail_resets:
            counted = 0
        streak = streak + 1 if outcome == EXCELLENT else 0
        kind = None
        if counted >= rules.step_years:
            kind = STEP
        elif (
            rules.early_after_excellent
            and streak >= rules.early_after_excellent
            and early_used < rules.max_early_steps
        ):
            kind = EARLY
        if kind is None:
            continue
        if grade >= high:
            # At the top of the range: the count stops here, nothing more to earn.
            counted = min(counted, rules.step_years)
            continue
        if kind == EARLY:
            early_used += 1
        changes.append(
            Change(effective=date(year + 1, 1, 1), grade_from=grade, grade_to=grade + 1, kind=kind, year=year)
        )
        grade += 1
        counted = 0
        streak = 0
    return Career(
        changes=tuple(changes),
        grade=grade,
        counted_years=counted,
        early_steps_used=early_used,
        at_top=grade >= high,
    )


def excellent_cap(assessed: int, share) -> int:
    """How many 优秀 a unit may give: `share` (a fraction, e.g. Decimal('0.15')) of those
    assessed, rounded down (不超过): 15 % of 13 is 1.95 → 1; 20 % of 13 is 2.6 → 2."""
    from decimal import ROUND_FLOOR, Decimal

    if assessed <= 0:
        return 0
    return int((Decimal(assessed) * Decimal(str(share))).to_integral_value(rounding=ROUND_FLOOR))
