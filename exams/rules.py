"""The one place that maps stored settings to exams.scoring.Rules.

The announcement (recruitment.Announcement) holds the written and composite rules; a
position may override the written pass line (exams.PositionPassLine); every other
interview, ranking and backfill rule lives in exams.RankingSettings (exams.models_rules; a
missing row = the defaults). Every default is Rules' own: a setting that is
not stored is simply not passed, so no default is written twice. Units converted here:
- the stored relative pass line is a percentage (60 = 60 %), scoring wants the fraction 0.6;
- the stored written weight w gives interview weight 1 − w.

Mode names stored → scoring:
  written_pass_mode: fixed → fixed; relative → relative_mean; manual (set by hand after the
  exam [linqu2017]) → fixed; none → none.
  bonus_mode: highest → highest_only; sum → cumulative; sum_capped → cumulative_capped; none → none.
"""

from __future__ import annotations

from decimal import Decimal

from .scoring import Rules

PASS_MODES = {"fixed": "fixed", "relative": "relative_mean", "manual": "fixed", "none": "none"}
BONUS_MODES = {
    "highest": "highest_only",
    "sum": "cumulative",
    "sum_capped": "cumulative_capped",
    "none": "none",
}
HUNDRED = Decimal(100)


def pass_setting(announcement, override=None) -> tuple[str, Decimal | None]:
    """(stored mode, stored value) of the written pass line: the position's override when
    there is one, else the announcement's. Modes: fixed, relative, manual, none."""
    if override is not None:
        return override.mode, override.value
    return announcement.written_pass_mode, announcement.written_pass_line


def _pass_line_settings(mode: str, value) -> dict:
    if mode not in PASS_MODES:
        raise ValueError(f"unknown pass-line mode {mode!r}")
    settings = {"pass_line": PASS_MODES[mode]}
    if mode == "relative":
        settings["pass_line_value"] = Decimal(value) / HUNDRED
    elif mode in ("fixed", "manual") and value is not None:
        settings["pass_line_value"] = Decimal(value)
    return settings


def rules_for(announcement, position=None, *, override=...) -> Rules:
    """exams.scoring.Rules for `announcement` (recruitment.Announcement), with `position`'s
    pass-line override (exams.PositionPassLine) when it has one.

    override: the PositionPassLine (or None) when the caller has already read it, so a loop
    over positions costs no query per position; left out, it is looked up (one query) when
    a position is given. Raises exams.scoring.ScoringError for an impossible combination
    (e.g. a relative line of 0 %), ValueError for an unknown stored mode."""
    if override is ...:
        override = None
        if position is not None:
            from .models_written import PositionPassLine

            override = PositionPassLine.objects.filter(position=position).first()
    settings: dict = {}
    settings.update(_pass_line_settings(*pass_setting(announcement, override)))
    bonus_mode = getattr(announcement, "bonus_mode", None)
    if bonus_mode:
        if bonus_mode not in BONUS_MODES:
            raise ValueError(f"unknown bonus mode {bonus_mode!r}")
        settings["bonus_mode"] = BONUS_MODES[bonus_mode]
        if BONUS_MODES[bonus_mode] == "cumulative_capped":
            settings["bonus_cap"] = announcement.bonus_cap
    for stored, name in (
        ("interview_ratio", "shortlist_ratio"),
        ("interview_pass_line", "interview_pass_line"),
    ):
        value = getattr(announcement, stored, None)
        if value is not None:
            settings[name] = Decimal(value)
    weight = getattr(announcement, "written_weight", None)
    if weight is not None:
        settings["written_weight"] = Decimal(weight)
        settings["interview_weight"] = Decimal(1) - Decimal(weight)
    tie_breakers = getattr(announcement, "tie_breakers", None)
    if tie_breakers:
        settings["tie_breakers"] = tuple(str(item) for item in tie_breakers)
    value = getattr(announcement, "written_pass_on_total", None)
    if value is not None:
        settings["pass_line_on_total"] = value
    settings.update(ranking_settings_map(ranking_settings_of(announcement)))
    return Rules(**settings)


def ranking_settings_of(announcement):
    """The announcement's exams.RankingSettings, or None (a missing row = every default).
    One query the first time, none after (Django caches the reverse one-to-one, a miss too)."""
    from django.core.exceptions import ObjectDoesNotExist

    if getattr(announcement, "pk", None) is None:
        return None
    try:
        return announcement.ranking_settings
    except ObjectDoesNotExist:
        return None


def ranking_settings_map(row) -> dict:
    """The scoring.Rules fields a RankingSettings row sets (nothing for None: the defaults).
    Units: the ratio below a quota is (posts, ratio); places None = unrounded; the
    backfill events a list stored, a frozenset in scoring."""
    if row is None:
        return {}
    settings = {
        "bonus_to": row.bonus_to,
        "drop_extremes": row.drop_extremes,
        "interview_places": row.interview_places,
        "composite_pass_line": row.composite_pass_line,
        "room_correction": row.room_correction,
        "room_mean_places": row.room_mean_places,
        "coefficient_places": row.coefficient_places,
        "corrected_places": row.corrected_places,
        "composite_rounding": row.composite_rounding,
        "unresolved_tie": row.unresolved_tie,
        "backfill_events": frozenset(row.backfill_events or ()),
    }
    if row.composite_sum:  # 直接相加: both weights 1 (they need not add to 1 where points are added)
        settings["written_weight"] = Decimal(1)
        settings["interview_weight"] = Decimal(1)
    if row.ratio_below_posts is not None and row.ratio_below is not None:
        settings["shortlist_ratio_below"] = (int(row.ratio_below_posts), Decimal(row.ratio_below))
    return settings
