"""Every scoring rule after the written exam, as pure functions (笔试、加分、合格线、入围、面试、修正系数、综合成绩、排名、递补).

No database, no Django, no clock, no gettext: frozen dataclasses in, frozen dataclasses out,
`Decimal` throughout (floats are refused), every rounding ROUND_HALF_UP (四舍五入) at exactly
the places the rules name. Errors are `ScoringError` (a ValueError) carrying a stable `code`
that the caller turns into a message. Services read the announcement's settings into
`Rules`, the candidates into `Candidate`, call these functions, then write the results.
Sources in brackets are the keys of /work/shared/DOMAIN-RULES.md §6.

Why about 750 lines (past the ~600 the team aims at): it holds every rule of issues 16 and 17
in one place (issue 17: "nothing else computes a score"), and some 250 of its lines are
docstrings and comments giving units, sources and the choices made where the issue is silent. Splitting
written/interview/ranking apart would spread Rules' validation over three modules.

Every public function computes in its own decimal context (28 digits, the library default),
so a caller that changed the thread's context cannot change a score. Speed (issue 17: 100,000
candidates ranked within 2× of one SQL statement): a public call switches the context once,
nested work calls private helpers (`_round`, `_raw_interview`, …) with no switch, and inputs
already checked by `Candidate` are not checked again.
"""

# ruff: noqa: S105  (S105 takes the setting "pass_line" for a password)

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from decimal import (
    ROUND_CEILING,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    InvalidOperation,
    getcontext,
    setcontext,
)

PASS_LINE_MODES = ("fixed", "relative_mean", "none")
BONUS_MODES = ("highest_only", "cumulative", "cumulative_capped", "none")
BONUS_TARGETS = ("written", "composite")
ROOM_CORRECTIONS = ("none", "pooled_mean", "mean_of_room_means")
COMPOSITE_ROUNDINGS = ("final", "each_part")
UNRESOLVED_TIES = ("extra_test", "all_advance")
PLAIN_TIE_BREAKERS = ("written", "interview", "education", "younger")
BACKFILL_EVENTS = ("medical_fail", "background_fail", "gave_up", "objection_upheld", "withdrew_after_notice")
REMOVAL_EVENTS = (*BACKFILL_EVENTS, "disqualified")  # "disqualified" (fraud) is never backfilled [m20hl]
COMPOSITE_PLACES = 2  # 综合成绩保留两位小数 [yangxin2021, weifang_kfq2021]
DROP_EXTREMES_FROM = 5  # a panel of 5 or more drops one highest and one lowest [fangzi2022]
ZERO = Decimal(0)
ONE = Decimal(1)
_CONTEXT = Context(prec=28, rounding=ROUND_HALF_EVEN)  # Python's default; roundings are explicit
_EXPONENTS = {places: Decimal((0, (1,), -places)) for places in range(12)}  # 0 → 1, 2 → 0.01 (exact)


def _exact(function):
    """Run `function` in _CONTEXT, whatever decimal context the calling thread (or task) has
    set, and give the caller's context back. The context object itself is made current
    (setcontext, ~3× cheaper than localcontext's copy): only its flags ever change, and no
    code reads them; its precision, rounding and traps are never changed. A call from inside
    another public function finds _CONTEXT already current and switches nothing."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        saved = getcontext()
        if saved is _CONTEXT:
            return function(*args, **kwargs)
        setcontext(_CONTEXT)
        try:
            return function(*args, **kwargs)
        finally:
            setcontext(saved)

    return wrapper


class ScoringError(ValueError):
    """An impossible setting or input. `code` is stable (for messages); `detail` is for logs."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


def _decimal(value, what: str, *, allow_none: bool = False) -> Decimal | None:
    """int, str or Decimal → Decimal. A float is refused: 75.665 is stored as 75.66499…"""
    if type(value) is Decimal and value.is_finite():  # the common case, first
        return value
    if value is None and allow_none:
        return None
    if isinstance(value, bool | float) or value is None:
        raise TypeError(f"{what} must be a Decimal (use Decimal(str(x))), not {type(value).__name__}")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int | str):
        try:
            result = Decimal(value)
        except InvalidOperation:
            raise ScoringError("not_a_number", f"{what}: {value!r}")
    else:
        raise TypeError(f"{what} must be a Decimal, not {type(value).__name__}")
    if not result.is_finite():
        raise ScoringError("not_a_number", what)
    return result


_is_finite = Decimal.is_finite


def _decimals(values: Iterable, what: str) -> tuple[Decimal, ...]:
    """A tuple of finite Decimals (see _decimal): all Decimal and finite is checked in C
    first; anything else goes through _decimal one by one, raising for the first bad one."""
    values = tuple(values)
    if {*map(type, values)} <= {Decimal} and all(map(_is_finite, values)):
        return values
    return tuple(_decimal(value, what) for value in values)


def _round(value: Decimal, places: int | None) -> Decimal:
    """round_half_up without the context switch: only for callers already in _CONTEXT."""
    if places is None:
        return value
    exponent = _EXPONENTS.get(places)
    if exponent is None:
        exponent = Decimal(1).scaleb(-places)
    return value.quantize(exponent, rounding=ROUND_HALF_UP)


@_exact
def round_half_up(value: Decimal, places: int | None) -> Decimal:
    """四舍五入 to `places` decimals (None: unchanged). 75.665 → 75.67 where round() gives 75.66."""
    return _round(value, places)


def _mean(values: Sequence[Decimal]) -> Decimal:
    """Exact sum ÷ count at the context's 28 significant digits (callers round it where a rule says)."""
    return sum(values, ZERO) / len(values)


# ---------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class Candidate:
    """One candidate of one position, as the service reads them.

    key: any stable string (the application id); it never decides a rank.
    written: raw written score in points (百分制, 2 decimals), None = absent (缺考) or disqualified.
    bonus: the points of each *confirmed* bonus item (加分), e.g. (Decimal("5"), Decimal("3")).
    interview: one score per examiner in points, None = absent or not interviewed.
    room: the interview group (面试组) for the room correction.
    education: an ordinal, higher = higher degree (高中 < 大专 < 本科 < 硕士 < 博士).
    birth_date: for the "younger" tie-breaker; None sorts last.
    flags: statuses such as "网格员" or "党员" for "flag:<name>" tie-breakers.
    subscores: named part scores in points, e.g. {"公文写作": Decimal("18.5"), "extra_test": …}.
    Raises TypeError for floats, ScoringError("negative_score") below 0.
    """

    key: str
    written: Decimal | None = None
    bonus: tuple[Decimal, ...] = ()
    interview: tuple[Decimal, ...] | None = None
    room: str = ""
    education: int = 0
    birth_date: date | None = None
    flags: frozenset[str] = frozenset()
    subscores: Mapping[str, Decimal] = field(default_factory=dict, hash=False)

    def __post_init__(self):
        written = self.written
        if written is not None and not (type(written) is Decimal and written.is_finite()):
            written = _decimal(written, "written")
        bonus = _decimals(self.bonus, "bonus")
        interview = None
        if self.interview is not None:
            interview = _decimals(self.interview, "interview")
        subscores = {name: _decimal(value, f"subscore {name}") for name, value in self.subscores.items()}
        if (
            (written is not None and written < 0)
            or (bonus and min(bonus) < 0)
            or (interview and min(interview) < 0)
            or (subscores and min(subscores.values()) < 0)
        ):
            for value in (written, *bonus, *(interview or ()), *subscores.values()):
                if value is not None and value < 0:
                    raise ScoringError("negative_score", f"{self.key}: {value}")
        put = object.__setattr__  # only what changed (the ranking reads builds 100,000 of these)
        if written is not self.written:
            put(self, "written", written)
        if bonus is not self.bonus:
            put(self, "bonus", bonus)
        if interview is not self.interview:
            put(self, "interview", interview)
        if type(self.flags) is not frozenset:
            put(self, "flags", frozenset(self.flags))
        put(self, "subscores", subscores)


def _default_backfill_events() -> frozenset[str]:
    return frozenset(BACKFILL_EVENTS) - {"withdrew_after_notice"}


@dataclass(frozen=True)
class Rules:
    """An announcement's scoring settings (a position may override the pass line). Defaults
    are the most common practice of DOMAIN-RULES.md; each field is explained there.

    pass_line: "fixed" (pass_line_value points, default 60 [huicheng2022]; also a line set by
        hand after the exam [linqu2017]) | "relative_mean" (pass_line_value is the fraction,
        e.g. 0.6 [yangxin2021]) | "none" [qingyunpu2022].
    pass_line_on_total: False = the line applies to the raw written score; True = to raw +
        bonus [jimei2017].
    bonus_mode: "highest_only" [longyou2022, shaanxi2012] | "cumulative" | "cumulative_capped"
        with bonus_cap points [xisaishan2022] | "none". bonus_to: "written" (every 社区 source)
        | "composite" (资历量化 [xixia2020]).
    shortlist_ratio: candidates per post (3 [henan2017]); the target is quota × ratio rounded
        up. shortlist_ratio_below: (posts, ratio): that ratio when the quota is under `posts`
        ((10, 3) with ratio 2 [yangxin2021]).
    drop_extremes / interview_places: see interview_score. interview_pass_line: 60
        [weifang_kfq2021] or None; composite_pass_line: None or e.g. 60 [dantu2020].
    room_correction, room_mean_places, coefficient_places, corrected_places: see
        room_coefficients [qingyunpu2022, xuancheng2024, henan_erci].
    written_weight, interview_weight: 0.5/0.5; need not add to 1 where points are added
        [xixia2020]. composite_rounding: see composite.
    tie_breakers: ordered, from "written", "interview", "education", "younger",
        "flag:<name>", "subscore:<name>" [yangxin2021, xisaishan2022, shangdu2021].
    unresolved_tie: "extra_test" (加试 [dangyang2022]) | "all_advance" [tianjin_heping2017].
    backfill_events: the removals that are backfilled (递补) [haishu2023, bwnwqq_backfill];
        "disqualified" is never one.
    Numbers may be given as Decimal, int or str (floats are refused). Raises ScoringError with
    a code naming the impossible setting.
    """

    pass_line: str = "fixed"
    pass_line_value: Decimal = Decimal("60")
    pass_line_on_total: bool = False
    bonus_mode: str = "highest_only"
    bonus_cap: Decimal | None = None
    bonus_to: str = "written"
    shortlist_ratio: Decimal = Decimal("3")
    shortlist_ratio_below: tuple[int, Decimal] | None = None
    drop_extremes: bool = True
    interview_places: int | None = 2
    interview_pass_line: Decimal | None = Decimal("60")
    composite_pass_line: Decimal | None = None
    room_correction: str = "none"
    room_mean_places: int | None = 2
    coefficient_places: int | None = 3
    corrected_places: int | None = 2
    written_weight: Decimal = Decimal("0.5")
    interview_weight: Decimal = Decimal("0.5")
    composite_rounding: str = "final"
    tie_breakers: tuple[str, ...] = ("written", "interview", "education", "younger")
    unresolved_tie: str = "extra_test"
    backfill_events: frozenset[str] = field(default_factory=_default_backfill_events)

    def __post_init__(self):
        def put(name, value):
            object.__setattr__(self, name, value)

        for name in ("pass_line_value", "shortlist_ratio", "written_weight", "interview_weight"):
            put(name, _decimal(getattr(self, name), name))
        for name in ("bonus_cap", "interview_pass_line", "composite_pass_line"):
            put(name, _decimal(getattr(self, name), name, allow_none=True))
        if self.shortlist_ratio_below is not None:
            try:
                posts, ratio = self.shortlist_ratio_below
            except (TypeError, ValueError):
                raise ScoringError("shortlist_ratio_below", "(posts, ratio)")
            if isinstance(posts, bool) or not isinstance(posts, int) or posts < 1:
                raise ScoringError("shortlist_ratio_below", f"posts {posts!r}")
            put("shortlist_ratio_below", (posts, _decimal(ratio, "shortlist_ratio_below")))
        put("tie_breakers", tuple(self.tie_breakers))
        put("backfill_events", frozenset(self.backfill_events))
        self._validate()

    def _validate(self):
        choices = {
            "pass_line": PASS_LINE_MODES,
            "bonus_mode": BONUS_MODES,
            "bonus_to": BONUS_TARGETS,
            "room_correction": ROOM_CORRECTIONS,
            "composite_rounding": COMPOSITE_ROUNDINGS,
            "unresolved_tie": UNRESOLVED_TIES,
        }
        for name, allowed in choices.items():
            if getattr(self, name) not in allowed:
                raise ScoringError(name, f"{getattr(self, name)!r} not in {allowed}")
        if self.pass_line == "fixed" and self.pass_line_value < 0:
            raise ScoringError("pass_line_value", "a fixed line is at least 0")
        if self.pass_line == "relative_mean" and not ZERO < self.pass_line_value <= ONE:
            raise ScoringError("pass_line_value", "a relative line is a fraction in (0, 1], e.g. 0.6")
        if self.bonus_mode == "cumulative_capped" and self.bonus_cap is None:
            raise ScoringError("bonus_cap", "cumulative_capped needs a cap")
        if self.bonus_cap is not None and self.bonus_cap < 0:
            raise ScoringError("bonus_cap", "the cap is at least 0")
        if self.shortlist_ratio < 1 or (self.shortlist_ratio_below and self.shortlist_ratio_below[1] < 1):
            raise ScoringError("shortlist_ratio", "at least one candidate per post")
        for name in ("interview_places", "room_mean_places", "coefficient_places", "corrected_places"):
            places = getattr(self, name)
            if places is not None and (isinstance(places, bool) or not isinstance(places, int) or places < 0):
                raise ScoringError("places", f"{name}={places!r}")
        for name in ("interview_pass_line", "composite_pass_line"):
            if getattr(self, name) is not None and getattr(self, name) < 0:
                raise ScoringError(name, "a line is at least 0")
        if self.written_weight < 0 or self.interview_weight < 0:
            raise ScoringError("weights", "a weight is at least 0")
        if self.written_weight == 0 and self.interview_weight == 0:
            raise ScoringError("weights", "both weights are 0")
        if len(set(self.tie_breakers)) != len(self.tie_breakers):
            raise ScoringError("tie_breaker", "a tie-breaker is listed twice")
        for breaker in self.tie_breakers:
            kind, _, name = str(breaker).partition(":")
            if not isinstance(breaker, str) or not (
                breaker in PLAIN_TIE_BREAKERS or (kind in ("flag", "subscore") and name.strip())
            ):
                raise ScoringError("tie_breaker", repr(breaker))
        if "disqualified" in self.backfill_events:
            raise ScoringError("disqualified_backfilled", "a removal for fraud is never backfilled")
        if not self.backfill_events <= set(BACKFILL_EVENTS):
            raise ScoringError("backfill_event", repr(sorted(self.backfill_events - set(BACKFILL_EVENTS))))

    @classmethod
    def from_mapping(cls, settings: Mapping[str, object]) -> Rules:
        """Rules from a plain mapping (JSON-like: lists for tuples and sets, strings or ints for
        Decimals). Missing keys take the defaults; an unknown key raises
        ScoringError("unknown_setting"), any impossible value the code of `Rules`."""
        known = {f.name for f in fields(cls)}
        unknown = set(settings) - known
        if unknown:
            raise ScoringError("unknown_setting", ", ".join(sorted(unknown)))
        values = dict(settings)
        if values.get("shortlist_ratio_below") is not None:
            values["shortlist_ratio_below"] = tuple(values["shortlist_ratio_below"])
        return cls(**values)


# ---------------------------------------------------------------------------- written


@_exact
def bonus_points(candidate: Candidate, rules: Rules) -> Decimal:
    """The bonus (加分) the candidate's confirmed items give, in points.

    "highest_only": the largest item (5 and 3 → 5) [longyou2022, shaanxi2012; jimei2017's
    "one item of the candidate's choice" is the same, since a candidate picks the largest];
    "cumulative": the sum; "cumulative_capped": the sum, at most bonus_cap [xisaishan2022];
    "none": 0. No item → 0.
    """
    return _bonus_points(candidate, rules)


def _bonus_points(candidate: Candidate, rules: Rules) -> Decimal:
    items = candidate.bonus
    if rules.bonus_mode == "none" or not items:
        return ZERO
    if rules.bonus_mode == "highest_only":
        return max(items)
    total = sum(items, ZERO)
    if rules.bonus_mode == "cumulative_capped":
        return min(total, rules.bonus_cap)
    return total


@_exact
def written_total(candidate: Candidate, rules: Rules) -> Decimal | None:
    """The written score that ranks the shortlist: raw + bonus when bonus_to is "written"
    (every 社区 source adds it before the shortlist), else the raw score. None = absent.
    Exact (the inputs have 2 decimals; nothing to round)."""
    return _written_total(candidate, rules)


def _written_total(candidate: Candidate, rules: Rules) -> Decimal | None:
    if candidate.written is None:
        return None
    if rules.bonus_to == "written":
        return candidate.written + _bonus_points(candidate, rules)
    return candidate.written


@_exact
def pass_line(candidates: Iterable[Candidate], rules: Rules) -> Decimal | None:
    """The written pass line (笔试合格分数线) in points, or None (no line).

    candidates: everyone who sat the announcement's exam (the service excludes the absent and
    disqualified; a `written` of None is skipped here too). "fixed": pass_line_value
    [jimei2017, dantu2020, huicheng2022]. "relative_mean": fraction × the mean of the raw
    written scores (bonus never counts in the mean) [yangxin2021]; the mean is not rounded, the
    line is rounded half up to 2 places ("the natural reading": the source states no
    rounding). Computed as fraction × sum ÷ count so the one division is the only inexact
    step. Nobody sat → None (there is nobody to apply a line to). "none": None.
    """
    if rules.pass_line == "none":
        return None
    if rules.pass_line == "fixed":
        return rules.pass_line_value
    scores = [c.written for c in candidates if c.written is not None]
    if not scores:
        return None
    return _round(rules.pass_line_value * sum(scores, ZERO) / len(scores), 2)


@_exact
def qualifies(candidate: Candidate, rules: Rules, line: Decimal | None) -> bool:
    """Sat the exam and reached the line (at or above it). The score compared is the raw one,
    or raw + bonus_points when pass_line_on_total ("50 on the score including bonus"
    [jimei2017]) — whatever bonus_to says."""
    if candidate.written is None:
        return False
    if line is None:
        return True
    score = candidate.written
    if rules.pass_line_on_total:
        score += _bonus_points(candidate, rules)
    return score >= line


def _check_keys(candidates: Sequence[Candidate]) -> None:
    keys = [c.key for c in candidates]
    if len(set(keys)) != len(keys):
        raise ScoringError("duplicate_key", ", ".join(sorted({k for k in keys if keys.count(k) > 1})))


@_exact
def shortlist_target(quota: int, rules: Rules) -> int:
    """How many the shortlist aims at: ceil(quota × ratio) (3 posts at 1:2.5 → 8), the ratio
    being shortlist_ratio_below's when the quota is under its threshold [yangxin2021].
    Raises ScoringError("quota") for a quota under 1."""
    if isinstance(quota, bool) or not isinstance(quota, int) or quota < 1:
        raise ScoringError("quota", repr(quota))
    ratio = rules.shortlist_ratio
    if rules.shortlist_ratio_below is not None and quota < rules.shortlist_ratio_below[0]:
        ratio = rules.shortlist_ratio_below[1]
    return int((quota * ratio).to_integral_value(rounding=ROUND_CEILING))


def _take_with_ties(ordered: list[tuple[Decimal, str]], count: int) -> tuple[str, ...]:
    """The first `count` of (score, key) pairs sorted best first, plus everyone tied with the last."""
    if count <= 0 or not ordered:
        return ()
    if count >= len(ordered):
        return tuple(key for _, key in ordered)
    last = ordered[count - 1][0]
    return tuple(key for score, key in ordered if score >= last)


def _by_written(candidates: Iterable[Candidate], rules: Rules) -> list[tuple[Decimal, str]]:
    pairs = [(_written_total(c, rules), c.key) for c in candidates]
    return sorted(pairs, key=lambda pair: (-pair[0], pair[1]))  # key orders equals for display only


@_exact
def shortlist(
    candidates: Sequence[Candidate], rules: Rules, quota: int, line: Decimal | None
) -> tuple[str, ...]:
    """The keys of one position's interview shortlist (进入面试人员), best written_total first.

    Those who qualify (see `qualifies`), up to shortlist_target(quota); everyone tied with the
    last place enters (末位同分一并进入 [qingyunpu2022, dantu2020, cangshan2015]); where fewer
    qualify, all who qualify (按实有人数 [henan2017, yangxin2021]). Tied candidates are listed
    by key for display only. (包河's sub-score break at the cut [baohe2014] is not offered.)
    Raises ScoringError("quota"), ScoringError("duplicate_key").
    """
    _check_keys(candidates)
    target = shortlist_target(quota, rules)
    qualified = [c for c in candidates if qualifies(c, rules, line)]
    return _take_with_ties(_by_written(qualified, rules), target)


@_exact
def shortlist_backfill(
    candidates: Sequence[Candidate],
    rules: Rules,
    line: Decimal | None,
    shortlisted: Iterable[str],
    vacated: Iterable[str],
) -> tuple[str, ...]:
    """One round of 递补进入面试: the keys added, best first.

    shortlisted: everyone ever shortlisted for the position (earlier rounds' additions too);
    vacated: those of them who left and whose places this round fills. Takes as many as left
    from the qualified never shortlisted, by written_total, plus anyone tied with the last
    taken (并列的一并递补 [qingyunpu2022]); fewer available → all of them; none → (). Whether a
    second round is held is the service's setting (青云谱 递补一次).
    Raises ScoringError("vacated_not_shortlisted"), ScoringError("duplicate_key").
    """
    _check_keys(candidates)
    shortlisted, vacated = set(shortlisted), set(vacated)
    if not vacated <= shortlisted:
        raise ScoringError("vacated_not_shortlisted", ", ".join(sorted(vacated - shortlisted)))
    pool = [c for c in candidates if c.key not in shortlisted and qualifies(c, rules, line)]
    return _take_with_ties(_by_written(pool, rules), len(vacated))


# ---------------------------------------------------------------------------- interview


@_exact
def interview_score(scores: Sequence[Decimal], rules: Rules) -> Decimal:
    """One candidate's raw interview score (面试成绩, before any room correction), in points.

    scores: one per examiner. With drop_extremes and 5 or more scores, ONE highest and ONE
    lowest are dropped — once each, even when several examiners gave that score — and the
    rest averaged (7 examiners: sum of 5 ÷ 5 [fangzi2022, dangyang2022; linqu2017]);
    otherwise all are averaged (a 3-member panel averages all: no source drops from 3).
    The mean is rounded half up to interview_places (2: 第三位小数四舍五入 [qingyunpu2022,
    fangzi2022]; 1 [tianjin_heping2017]; None: unrounded).
    Raises ScoringError("no_scores") for an empty panel; TypeError for floats.
    """
    return _raw_interview(_decimals(scores, "interview score"), rules)


def _raw_interview(scores: Sequence[Decimal], rules: Rules) -> Decimal:
    """interview_score of scores already checked (finite Decimals), in _CONTEXT."""
    if not scores:
        raise ScoringError("no_scores")
    values = sorted(scores)  # summed in this order, as ever (exact at 28 digits anyway)
    if rules.drop_extremes and len(values) >= DROP_EXTREMES_FROM:
        values = values[1:-1]
    return _round(sum(values, ZERO) / len(values), rules.interview_places)


@_exact
def room_coefficients(raw_by_room: Mapping[str, Sequence[Decimal]], rules: Rules) -> dict[str, Decimal]:
    """修正系数 per interview room: coefficient = overall mean ÷ room mean.

    raw_by_room: room → the raw interview scores (interview_score) of everyone interviewed in
    it, over the scope the announcement names (usually one interview group across its
    positions). Each room mean is rounded to room_mean_places; the overall mean is
    "pooled_mean": the mean of all scores pooled (同一职位所有考生平均分 [qingyunpu2022,
    xunyang2015, xuancheng2024]) or "mean_of_room_means": the plain mean of the (rounded,
    as published) room means (二次平均法 [henan_erci]), rounded to room_mean_places too; the
    coefficient is rounded to coefficient_places (3 [xuancheng2024]: 72.98 / 72.15 → 1.012).
    The two differ only when rooms have unequal sizes. "none": 1 for every room.
    (Trimmed room means [gaoan, xunyang2015] are not offered.)
    Raises ScoringError("empty_room"), ScoringError("room_mean_zero").
    """
    if rules.room_correction == "none":
        return dict.fromkeys(raw_by_room, ONE)
    rooms = {room: _decimals(scores, f"room {room} score") for room, scores in raw_by_room.items()}
    if not rooms:
        return {}
    for room, scores in rooms.items():
        if not scores:
            raise ScoringError("empty_room", room)
    room_means = {room: _round(_mean(scores), rules.room_mean_places) for room, scores in rooms.items()}
    if rules.room_correction == "pooled_mean":
        overall = _mean([score for scores in rooms.values() for score in scores])
    else:
        overall = _mean(list(room_means.values()))
    overall = _round(overall, rules.room_mean_places)
    coefficients = {}
    for room, mean in room_means.items():
        if mean == 0:
            raise ScoringError("room_mean_zero", room)
        coefficients[room] = _round(overall / mean, rules.coefficient_places)
    return coefficients


@_exact
def corrected_interview(raw: Decimal, coefficient: Decimal, rules: Rules) -> Decimal:
    """最终面试成绩 in points = raw × coefficient, rounded to corrected_places (2 [qingyunpu2022,
    xuancheng2024]; 4 [henan_tegang]); with no correction, the raw score unchanged."""
    return _corrected(raw, coefficient, rules)


def _corrected(raw: Decimal, coefficient: Decimal, rules: Rules) -> Decimal:
    if rules.room_correction == "none":
        return raw
    return _round(raw * coefficient, rules.corrected_places)


@_exact
def composite(written: Decimal, interview: Decimal, rules: Rules, bonus: Decimal = ZERO) -> Decimal:
    """综合成绩 in points, 2 decimals.

    written: written_total (with the bonus when bonus_to is "written"); interview: the final
    (corrected) interview score; bonus: bonus_points, added here only when bonus_to is
    "composite" (资历量化 [xixia2020]) — pass it whatever bonus_to says.
    "final": round(written × w + interview × w′ + bonus) [yangxin2021]; "each_part": round each
    weighted part to 2 places, then add ("折算后的笔试成绩、面试成绩…均保留两位" [reelogic_60_40]).
    The two orders differ at the 0.01 level (0.5 × 71.33 = 35.665 is where they split).
    """
    return _composite(written, interview, rules, bonus)


def _composite(written: Decimal, interview: Decimal, rules: Rules, bonus: Decimal) -> Decimal:
    extra = bonus if rules.bonus_to == "composite" else ZERO
    written_part = written * rules.written_weight
    interview_part = interview * rules.interview_weight
    if rules.composite_rounding == "each_part":
        return (
            _round(written_part, COMPOSITE_PLACES)
            + _round(interview_part, COMPOSITE_PLACES)
            + _round(extra, COMPOSITE_PLACES)
        )
    return _round(written_part + interview_part + extra, COMPOSITE_PLACES)


# ---------------------------------------------------------------------------- ranking


@dataclass(frozen=True)
class Row:
    """One ranked candidate. Scores in points; interview = after correction; rank 1, 2, 2, 4."""

    key: str
    written_total: Decimal
    interview_raw: Decimal
    coefficient: Decimal
    interview: Decimal
    composite: Decimal
    rank: int
    eligible: bool


@dataclass(frozen=True)
class Ranking:
    """One position's ranking.

    rows: the ranked, by rank (equals by key, for display only). unresolved_ties: every group
    of two or more sharing a rank (keys sorted), best first. proposed: the eligible in rank
    order up to the quota (拟录用/进入体检). extra_test: the equals straddling the last post
    under "extra_test" (none of them proposed until the 加试). quota: the posts.
    absent: keys not ranked (no written or no interview score).
    """

    rows: tuple[Row, ...]
    unresolved_ties: tuple[tuple[str, ...], ...]
    proposed: tuple[str, ...]
    extra_test: tuple[str, ...]
    quota: int
    absent: tuple[str, ...] = ()


def _missing_last(value) -> tuple:
    return (1, 0) if value is None else (0, -value)


def _breaker_key(breaker: str, candidate: Candidate, row_written: Decimal, row_interview: Decimal) -> tuple:
    if breaker == "written":
        return (0, -row_written)
    if breaker == "interview":
        return (0, -row_interview)
    if breaker == "education":
        return (0, -candidate.education)
    if breaker == "younger":  # later birth date first [yangxin2021]
        born = candidate.birth_date
        return _missing_last(born.toordinal() if born else None)
    kind, _, name = breaker.partition(":")
    if kind == "flag":  # holders first [shangdu2021, dalian_xg2022]
        return (0 if name in candidate.flags else 1,)
    return _missing_last(candidate.subscores.get(name))  # subscore [xisaishan2022]


def _groups(rows: Sequence[Row]) -> list[list[Row]]:
    """Consecutive rows sharing a rank."""
    groups: list[list[Row]] = []
    for row in rows:
        if groups and groups[-1][0].rank == row.rank:
            groups[-1].append(row)
        else:
            groups.append([row])
    return groups


@_exact
def rank(
    candidates: Sequence[Candidate],
    rules: Rules,
    quota: int,
    coefficients: Mapping[str, Decimal] | None = None,
) -> Ranking:
    """Rank one position by composite, then rules.tie_breakers in order.

    candidates: the position's interviewed candidates; one with no written or no interview
    score is absent (自动放弃) and not ranked. coefficients: room → 修正系数 from
    room_coefficients over the announcement's scope; None with a correction on computes them
    from these candidates alone; ignored when room_correction is "none".
    Candidates equal on composite and every tie-breaker share a rank (1, 2, 2, 4): a tie is
    never broken by key, name, id or chance. A missing birth date or subscore sorts last.
    eligible is False under interview_pass_line (applied to the final, corrected interview
    score [weifang_kfq2021]) or composite_pass_line [dantu2020]; such a candidate keeps their
    composite and rank but is never proposed. proposed: the eligible in rank order up to the
    quota; a group of eligible equals straddling the last post is, under "extra_test", listed
    in extra_test and none of it proposed (加试 [dangyang2022]); under "all_advance" all of it
    is proposed, over the quota (均进入体检 [tianjin_heping2017]). The 加试 result comes back as
    the subscore "extra_test" with "subscore:extra_test" appended to the tie-breakers.
    Raises ScoringError("quota" | "duplicate_key" | "unknown_room" | "no_scores" | …).
    """
    return _rank(candidates, rules, quota, coefficients, None)


def _present(candidates: Sequence[Candidate]) -> list[Candidate]:
    return [c for c in candidates if c.written is not None and c.interview is not None]


def _rank(
    candidates: Sequence[Candidate],
    rules: Rules,
    quota: int,
    coefficients: Mapping[str, Decimal] | None,
    raws: list[Decimal] | None,
) -> Ranking:
    """rank, in _CONTEXT; raws: the raw interview scores of _present(candidates) when the
    caller has computed them (rank_scope), else computed here."""
    _check_keys(candidates)
    shortlist_target(quota, rules)  # validates the quota
    present = _present(candidates)
    absent = tuple(sorted(c.key for c in candidates if c.written is None or c.interview is None))
    if raws is None:
        raws = [_raw_interview(c.interview, rules) for c in present]  # Candidate checked the scores
    correct = rules.room_correction != "none"
    if correct and coefficients is None:
        by_room: dict[str, list[Decimal]] = {}
        for c, raw in zip(present, raws, strict=True):
            by_room.setdefault(c.room, []).append(raw)
        coefficients = room_coefficients(by_room, rules)
    checked: dict[str, Decimal] = {}  # room → its coefficient, checked once
    interview_line, composite_line = rules.interview_pass_line, rules.composite_pass_line
    breakers = rules.tie_breakers
    scored = []
    for c, raw in zip(present, raws, strict=True):
        coefficient = ONE
        if correct:
            coefficient = checked.get(c.room)
            if coefficient is None:
                if c.room not in coefficients:
                    raise ScoringError("unknown_room", f"{c.key}: {c.room!r}")
                coefficient = checked[c.room] = _decimal(coefficients[c.room], "coefficient")
        interview = _corrected(raw, coefficient, rules)
        written = _written_total(c, rules)
        total = _composite(written, interview, rules, _bonus_points(c, rules))
        eligible = not (
            (interview_line is not None and interview < interview_line)
            or (composite_line is not None and total < composite_line)
        )
        order = ((-total,), *[_breaker_key(b, c, written, interview) for b in breakers])
        scored.append((order, c.key, written, raw, coefficient, interview, total, eligible))
    scored.sort()  # by order, then key (unique: the rest is never compared) for display only
    rows: list[Row] = []
    previous = None
    for index, (order, key, written, raw, coefficient, interview, total, eligible) in enumerate(scored):
        position = rows[-1].rank if order == previous else index + 1
        rows.append(Row(key, written, raw, coefficient, interview, total, position, eligible))
        previous = order
    ties = tuple(tuple(r.key for r in group) for group in _groups(rows) if len(group) > 1)
    proposed: list[str] = []
    extra: tuple[str, ...] = ()
    for group in _groups([r for r in rows if r.eligible]):
        places = quota - len(proposed)
        if places <= 0:
            break
        if len(group) <= places or rules.unresolved_tie == "all_advance":
            proposed.extend(r.key for r in group)
        else:
            extra = tuple(r.key for r in group)
            break
    return Ranking(tuple(rows), ties, tuple(proposed), extra, quota, absent)


@_exact
def rank_scope(
    positions: Mapping[object, tuple[Sequence[Candidate], int]], rules: Rules
) -> dict[object, Ranking]:
    """Rank the positions of one room-correction scope (the positions whose interview rooms
    are corrected together): position → (candidates, quota) in, position → Ranking out.

    The same as room_coefficients over the raw interview scores (interview_score) of every
    present candidate of the scope, rooms and scores in the order given, then rank for each
    position with those coefficients (none when room_correction is "none") — with each raw
    score computed once instead of twice (issue 17's bench: a quarter of the compute).
    Raises what those raise, in that order: with a correction, "no_scores" of any position
    first, then the coefficients' "empty_room" / "room_mean_zero", then each position's
    "duplicate_key", "quota", "unknown_room"; without, each position's as rank raises them.
    """
    if rules.room_correction == "none":  # no coefficients: each position as rank alone
        return {key: _rank(people, rules, quota, None, None) for key, (people, quota) in positions.items()}
    raws = {
        key: [_raw_interview(c.interview, rules) for c in _present(people)]
        for key, (people, _) in positions.items()
    }
    by_room: dict[str, list[Decimal]] = {}
    for key, (people, _) in positions.items():
        for c, raw in zip(_present(people), raws[key], strict=True):
            by_room.setdefault(c.room, []).append(raw)
    coefficients = room_coefficients(by_room, rules)
    return {
        key: _rank(people, rules, quota, coefficients, raws[key])
        for key, (people, quota) in positions.items()
    }


# ---------------------------------------------------------------------------- backfill


@_exact
def backfill(
    ranking: Ranking, removals: Iterable[tuple[str, str]], rules: Rules
) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """递补 after the ranking: replay the position's whole history of removals, in order.

    removals: (key, event), event one of REMOVAL_EVENTS. Returns (key, event, replacements)
    for each. A removed proposed candidate whose event is in rules.backfill_events frees their
    place, which goes to the next eligible candidate in rank order never proposed, pending or
    removed (面试合格的同职位人员中从高分到低分顺次递补 [haishu2023]); where several share that
    rank for one place, all of them: under "extra_test" they become pending (a 加试 decides,
    as at the last post), under "all_advance" all are proposed. Any other event, above all
    "disqualified" (不再顺延递补 [m20hl]), loses the place; an empty pool gives () (无递补对象的,
    不再递补 [guizhou_medical]). Under the interview line = not eligible = skipped.
    Choices where the issue is silent: a place is filled only while the proposed and the
    places held by a pending 加试 group are fewer than the posts left (so under "all_advance"
    a group proposed over the quota absorbs a removal); while a group is pending, a freed
    place goes to that group first (it ranks above everyone left) and the group is returned
    as the replacements: all proposed once it fits its places, else still pending, the 加试
    now deciding one more place; the removal of a
    pending candidate draws nobody from below, but returns the rest of their group when it
    now fits its places (the tie resolved itself, no 加试 needed); removing a candidate never
    proposed only takes them out of the pool.
    Raises ScoringError("unknown_event" | "unknown_candidate" | "already_removed").
    """
    rows = {row.key: row for row in ranking.rows}
    order = list(ranking.rows)
    proposed = list(ranking.proposed)
    pending = list(ranking.extra_test)
    pending_places = ranking.quota - len(proposed) if pending else 0
    posts = ranking.quota
    removed: set[str] = set()
    ever: set[str] = set(proposed) | set(pending)
    results = []
    for key, event in removals:
        if event not in REMOVAL_EVENTS:
            raise ScoringError("unknown_event", repr(event))
        if key not in rows:
            raise ScoringError("unknown_candidate", key)
        if key in removed:
            raise ScoringError("already_removed", key)
        removed.add(key)
        replacements: list[str] = []
        if key in pending:
            pending.remove(key)
            if len(pending) <= pending_places:
                replacements.extend(pending)
                proposed.extend(pending)
                pending, pending_places = [], 0
        elif key in proposed:
            proposed.remove(key)
            if event not in rules.backfill_events:
                posts -= 1
            vacancies = posts - len(proposed) - pending_places
            if vacancies > 0 and pending:
                grant = min(vacancies, len(pending) - pending_places)
                pending_places += grant
                vacancies -= grant
                replacements.extend(pending)
                if len(pending) <= pending_places:
                    proposed.extend(pending)
                    pending, pending_places = [], 0
            pool = [r for r in order if r.eligible and r.key not in ever and r.key not in removed]
            for group in _groups(pool):
                if vacancies <= 0:
                    break
                keys = [r.key for r in group]
                ever.update(keys)
                replacements.extend(keys)
                if len(keys) <= vacancies or rules.unresolved_tie == "all_advance":
                    proposed.extend(keys)
                    vacancies -= len(keys)
                else:
                    pending, pending_places, vacancies = keys, vacancies, 0
        results.append((key, event, tuple(replacements)))
    return tuple(results)


# ---------------------------------------------------------------------------- 加试


@dataclass(frozen=True)
class ExtraTestDecision:
    """What one 加试 decided for a group of equals holding `places` posts.

    winners: take a place now. tied: equal on the 加试 score across the last place — they
    stay pending for `places_left` places, to be decided by another 加试. others: below the
    places (not proposed; first in line for a later backfill). Each tuple is in score order,
    equals by key for display only; places_left is 0 when nobody is tied."""

    winners: tuple[str, ...]
    tied: tuple[str, ...]
    places_left: int
    others: tuple[str, ...]


@_exact
def extra_test_decide(scores: Mapping[str, Decimal], places: int) -> ExtraTestDecision:
    """The 加试 of a group of equals (same composite, same on every tie-breaker) competing for
    `places` posts: the higher 加试 score first (加试后再行排序 [dangyang2022]; 当场面试加试
    [lx5188_extra]).

    scores: key → 加试 score in points (Decimal, int or str; floats refused), one per member
    of the group. places: the posts the group holds, 1 ≤ places < len(scores) (a group that
    fits its places needs no 加试).
    This is the rule `rank` applies when the 加试 enters as the subscore "extra_test" with
    "subscore:extra_test" appended to the tie-breakers: hiring's decision on a backfill tie
    and a later ranking run agree. Scores are compared as numbers (85.5 equals 85.50).
    A tie in the 加试 itself: DOMAIN-RULES is silent; the scores are never broken by key,
    name, id or chance — those equal across the last place stay pending (tied, places_left)
    and the administrator records another 加试 for them; those above it win, those below lose.
    Raises ScoringError("extra_test_places" | "negative_score"), TypeError for a float.
    """
    if isinstance(places, bool) or not isinstance(places, int) or not 1 <= places < len(scores):
        raise ScoringError("extra_test_places", f"{places!r} of {len(scores)}")
    values = {key: _decimal(value, f"extra test {key}") for key, value in scores.items()}
    for key, value in values.items():
        if value < 0:
            raise ScoringError("negative_score", f"{key}: {value}")
    ordered = sorted(values, key=lambda key: (-values[key], key))  # the key for display only
    groups: list[list[str]] = []
    for key in ordered:
        if groups and values[groups[-1][0]] == values[key]:
            groups[-1].append(key)
        else:
            groups.append([key])
    winners: list[str] = []
    tied: tuple[str, ...] = ()
    others: list[str] = []
    left, places_left = places, 0
    for group in groups:
        if left <= 0:
            others.extend(group)
        elif len(group) <= left:
            winners.extend(group)
            left -= len(group)
        else:
            tied = tuple(group)
            left, places_left = 0, left
    return ExtraTestDecision(tuple(winners), tied, places_left, tuple(others))
