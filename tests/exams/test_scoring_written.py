"""exams/scoring.py, written stage: settings, bonus points, pass line, shortlist and its backfill.

Every number is worked by hand in the comment beside it. No database.
"""

import ast
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, Decimal, localcontext
from pathlib import Path

import pytest

from exams import scoring
from exams.scoring import (
    Candidate,
    Rules,
    ScoringError,
    bonus_points,
    pass_line,
    qualifies,
    shortlist,
    shortlist_backfill,
    shortlist_target,
    written_total,
)

D = Decimal


def sat(key, written, *bonus):
    return Candidate(
        key=key, written=None if written is None else D(written), bonus=tuple(D(b) for b in bonus)
    )


# ---------------------------------------------------------------- the module stays pure


def test_scoring_imports_nothing_from_django_and_no_clock():
    tree = ast.parse(Path(scoring.__file__).read_text(encoding="utf-8"))
    modules = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            modules.add(node.module)
    assert not any(name.split(".")[0] == "django" for name in modules), modules
    # Only the standard library's pure parts: no time, no random, no gettext, no models
    # (threading: a thread-local flag that nested calls are already in the exact context).
    assert modules <= {
        "__future__",
        "collections.abc",
        "dataclasses",
        "datetime",
        "decimal",
        "functools",
        "threading",
    }, modules
    assert "now(" not in Path(scoring.__file__).read_text(encoding="utf-8")


# ---------------------------------------------------------------- Rules


def test_rules_defaults_are_the_common_practice():
    rules = Rules()
    assert (rules.pass_line, rules.pass_line_value, rules.pass_line_on_total) == ("fixed", D(60), False)
    assert (rules.bonus_mode, rules.bonus_to, rules.shortlist_ratio) == ("highest_only", "written", D(3))
    assert (rules.drop_extremes, rules.interview_places, rules.interview_pass_line) == (True, 2, D(60))
    assert (rules.room_mean_places, rules.coefficient_places, rules.corrected_places) == (2, 3, 2)
    assert (rules.written_weight, rules.interview_weight, rules.composite_rounding) == (
        D("0.5"),
        D("0.5"),
        "final",
    )
    assert rules.tie_breakers == ("written", "interview", "education", "younger")
    assert rules.unresolved_tie == "extra_test"
    assert rules.backfill_events == {"medical_fail", "background_fail", "gave_up", "objection_upheld"}


def test_rules_from_mapping_reads_json_like_settings():
    rules = Rules.from_mapping(
        {
            "pass_line": "relative_mean",
            "pass_line_value": "0.6",
            "shortlist_ratio": 2,
            "shortlist_ratio_below": [10, "3"],
            "tie_breakers": ["written", "subscore:公文写作"],
            "backfill_events": ["gave_up"],
        }
    )
    assert rules.pass_line_value == D("0.6") and rules.shortlist_ratio == D(2)
    assert rules.shortlist_ratio_below == (10, D(3))
    assert rules.tie_breakers == ("written", "subscore:公文写作")
    assert rules.backfill_events == frozenset({"gave_up"})


@pytest.mark.parametrize(
    ("settings", "code"),
    [
        ({"colour": "red"}, "unknown_setting"),
        ({"pass_line": "median"}, "pass_line"),
        ({"pass_line_value": "-1"}, "pass_line_value"),
        ({"pass_line": "relative_mean", "pass_line_value": "60"}, "pass_line_value"),  # 60 is not a fraction
        ({"pass_line": "relative_mean", "pass_line_value": "0"}, "pass_line_value"),
        ({"bonus_mode": "cumulative_capped"}, "bonus_cap"),  # a cap is needed
        ({"bonus_cap": "-1"}, "bonus_cap"),
        ({"bonus_mode": "best"}, "bonus_mode"),
        ({"bonus_to": "interview"}, "bonus_to"),
        ({"shortlist_ratio": "0.5"}, "shortlist_ratio"),
        ({"shortlist_ratio_below": [0, 3]}, "shortlist_ratio_below"),
        ({"shortlist_ratio_below": [10]}, "shortlist_ratio_below"),
        ({"shortlist_ratio_below": [10, "0.9"]}, "shortlist_ratio"),
        ({"interview_places": -1}, "places"),
        ({"coefficient_places": "3"}, "places"),
        ({"interview_pass_line": "-60"}, "interview_pass_line"),
        ({"composite_pass_line": "-1"}, "composite_pass_line"),
        ({"room_correction": "median"}, "room_correction"),
        ({"written_weight": "-0.4"}, "weights"),
        ({"written_weight": 0, "interview_weight": 0}, "weights"),
        ({"composite_rounding": "banker"}, "composite_rounding"),
        ({"tie_breakers": ["written", "written"]}, "tie_breaker"),
        ({"tie_breakers": ["key"]}, "tie_breaker"),
        ({"tie_breakers": ["flag:"]}, "tie_breaker"),
        ({"tie_breakers": [3]}, "tie_breaker"),
        ({"unresolved_tie": "lottery"}, "unresolved_tie"),
        ({"backfill_events": ["gave_up", "disqualified"]}, "disqualified_backfilled"),
        ({"backfill_events": ["moved_away"]}, "backfill_event"),
        ({"pass_line_value": "sixty"}, "not_a_number"),
        ({"written_weight": "NaN"}, "not_a_number"),
    ],
)
def test_impossible_settings_raise_a_value_error_with_a_code(settings, code):
    with pytest.raises(ValueError) as caught:
        Rules.from_mapping(settings)
    assert isinstance(caught.value, ScoringError) and caught.value.code == code


def test_floats_are_refused_everywhere():
    with pytest.raises(TypeError):
        Rules(written_weight=0.4)
    with pytest.raises(TypeError):
        Candidate(key="a", written=75.665)
    with pytest.raises(TypeError):
        scoring.interview_score([80.5, 81.0, 82.0], Rules())


def test_the_callers_decimal_context_changes_nothing():
    # 80 + 85 + 90.50 = 255.50 ÷ 3 = 85.1666… → 85.17, even where the caller's context keeps
    # 3 significant digits and rounds down.
    with localcontext() as context:
        context.prec, context.rounding = 3, ROUND_DOWN
        assert scoring.interview_score([D(80), D(85), D("90.50")], Rules()) == D("85.17")
        assert scoring.composite(D("71.33"), D("80.00"), Rules()) == D("75.67")  # 75.665 half up


def test_negative_scores_are_refused():
    with pytest.raises(ScoringError) as caught:
        Candidate(key="a", written=D("-1"))
    assert caught.value.code == "negative_score"


# ---------------------------------------------------------------- bonus points (加分)


@pytest.mark.parametrize(
    ("mode", "cap", "bonus", "total"),
    [
        # items 5 (社工师) + 3 (退役军人) + 2 (三支一扶) on a raw 70.50:
        ("none", None, "0", "70.50"),  # 70.50 + 0
        ("highest_only", None, "5", "75.50"),  # 70.50 + max(5, 3, 2) = 75.50 [longyou2022]
        ("cumulative", None, "10", "80.50"),  # 70.50 + (5 + 3 + 2) = 80.50
        ("cumulative_capped", "6", "6", "76.50"),  # 70.50 + min(10, 6) = 76.50 [xisaishan2022]
        ("cumulative_capped", "12", "10", "80.50"),  # under the cap: 70.50 + 10
    ],
)
def test_each_bonus_mode(mode, cap, bonus, total):
    rules = Rules(bonus_mode=mode, bonus_cap=cap)
    candidate = sat("a", "70.50", 5, 3, 2)
    assert bonus_points(candidate, rules) == D(bonus)
    assert written_total(candidate, rules) == D(total)


def test_no_bonus_item_is_zero_in_every_mode():
    for mode in scoring.BONUS_MODES:
        assert bonus_points(sat("a", "70"), Rules(bonus_mode=mode, bonus_cap=D(5))) == 0


def test_bonus_mode_changes_who_is_shortlisted():
    # One post at 1:1. A: 72 raw, no bonus. B: 68 raw with items 3 + 2.
    # highest_only: B = 68 + 3 = 71 < 72 → A.  cumulative: B = 68 + 5 = 73 > 72 → B.
    a, b = sat("a", "72"), sat("b", "68", 3, 2)
    assert shortlist([a, b], Rules(shortlist_ratio=D(1)), 1, None) == ("a",)
    assert shortlist([a, b], Rules(shortlist_ratio=D(1), bonus_mode="cumulative"), 1, None) == ("b",)


def test_bonus_to_composite_leaves_the_written_total_raw():
    # 资历量化 goes to the composite [xixia2020]: the written total stays 70.50.
    rules = Rules(bonus_to="composite", bonus_mode="cumulative")
    assert written_total(sat("a", "70.50", 5, 3), rules) == D("70.50")
    assert bonus_points(sat("a", "70.50", 5, 3), rules) == D(8)


def test_absent_has_no_written_total():
    assert written_total(sat("a", None, 5), Rules()) is None


# ---------------------------------------------------------------- pass line (合格分数线)


def test_fixed_line_and_none():
    assert pass_line([sat("a", "80")], Rules()) == D(60)
    assert pass_line([sat("a", "80")], Rules(pass_line="fixed", pass_line_value=D(50))) == D(50)
    assert pass_line([sat("a", "80")], Rules(pass_line="none")) is None


def test_relative_line_half_up_with_a_candidate_exactly_on_it():
    # Sat: 40.01, 40.00, 90.00, 96.69; one absent (excluded, not a zero).
    # sum = 266.70, mean = 66.675 (not rounded); 0.6 × 266.70 ÷ 4 = 160.02 ÷ 4 = 40.005
    # half up → 40.01. Banker's rounding gives 40.00, binary float 40.004999… → 40.00:
    # either would let the 40.00 candidate through.
    candidates = [
        sat("on", "40.01"),
        sat("under", "40.00"),
        sat("c", "90.00"),
        sat("d", "96.69"),
        sat("x", None),
    ]
    rules = Rules(pass_line="relative_mean", pass_line_value=D("0.6"))
    line = pass_line(candidates, rules)
    assert line == D("40.01")
    assert D("40.005").quantize(D("0.01"), rounding=ROUND_HALF_EVEN) == D("40.00")
    assert round(0.6 * (40.01 + 40.00 + 90.00 + 96.69) / 4, 2) == 40.0
    assert qualifies(candidates[0], rules, line) is True  # 40.01 ≥ 40.01: on the line passes
    assert qualifies(candidates[1], rules, line) is False  # 40.00 < 40.01
    assert qualifies(candidates[4], rules, line) is False  # absent never qualifies


def test_relative_line_uses_the_unrounded_mean():
    # 60.02 + 70.00 + 50.00 = 180.02; mean 60.00666…; 0.6 × 180.02 ÷ 3 = 36.004 → 36.00.
    # Rounding the mean first would give 0.6 × 60.01 = 36.006 → 36.01.
    rules = Rules(pass_line="relative_mean", pass_line_value=D("0.6"))
    assert pass_line([sat("a", "60.02"), sat("b", "70"), sat("c", "50")], rules) == D("36.00")


def test_relative_line_mean_is_of_raw_scores_without_bonus():
    # Raw 80 and 60 with bonus 5 on the second: mean of raw = 70 → 0.6 × 70 = 42.00 (not 43.50).
    rules = Rules(pass_line="relative_mean", pass_line_value=D("0.6"))
    assert pass_line([sat("a", "80"), sat("b", "60", 5)], rules) == D("42.00")


def test_relative_line_with_nobody_sat_is_none():
    rules = Rules(pass_line="relative_mean", pass_line_value=D("0.6"))
    assert pass_line([sat("a", None)], rules) is None


def test_line_on_raw_or_on_raw_plus_bonus():
    # Line 50 [jimei2017]. 48 raw + 3 bonus: 48 < 50 on the raw score; 48 + 3 = 51 ≥ 50 on the total.
    candidate = sat("a", "48", 3)
    assert qualifies(candidate, Rules(pass_line_value=D(50)), D(50)) is False
    assert qualifies(candidate, Rules(pass_line_value=D(50), pass_line_on_total=True), D(50)) is True
    assert qualifies(candidate, Rules(), None) is True  # no line


# ---------------------------------------------------------------- shortlist (进入面试人员)


@pytest.mark.parametrize(
    ("quota", "ratio", "below", "target"),
    [
        (1, "3", None, 3),  # 1 × 3
        (4, "3", None, 12),  # 4 × 3
        (3, "2.5", None, 8),  # 3 × 2.5 = 7.5 → up to 8
        (9, "2", (10, "3"), 27),  # under 10 posts → 1:3: 9 × 3 [yangxin2021]
        (10, "2", (10, "3"), 20),  # 10 posts or more → 1:2: 10 × 2
    ],
)
def test_shortlist_target(quota, ratio, below, target):
    assert shortlist_target(quota, Rules(shortlist_ratio=D(ratio), shortlist_ratio_below=below)) == target


@pytest.mark.parametrize("quota", [0, -1, True, "2"])
def test_shortlist_target_refuses_an_impossible_quota(quota):
    with pytest.raises(ScoringError) as caught:
        shortlist_target(quota, Rules())
    assert caught.value.code == "quota"


def test_tie_at_the_shortlist_cut_all_enter():
    # 1 post × 3 = 3 places. Totals 90, 85, 80, 80, 75: the 3rd place (80) is shared → 4 enter.
    candidates = [sat("e", "75"), sat("d", "80"), sat("a", "90"), sat("c", "80"), sat("b", "85")]
    assert shortlist(candidates, Rules(), 1, D(60)) == ("a", "b", "c", "d")


def test_tie_at_the_cut_with_bonus_counts_the_total():
    # 1 post × 2. a 82; b 78 + 3 = 81; c 81 + 0 = 81 → the 2nd place 81 is shared by b and c.
    candidates = [sat("a", "82"), sat("b", "78", 3), sat("c", "81")]
    assert shortlist(candidates, Rules(shortlist_ratio=D(2)), 1, None) == ("a", "b", "c")


def test_fewer_qualifying_than_the_target_all_who_qualify_enter():
    # 2 posts × 3 = 6 places, line 60: only 70, 65, 60 (on the line) qualify; 59.99 and the
    # absent do not → 3 enter.
    candidates = [sat("a", "70"), sat("b", "65"), sat("c", "60"), sat("d", "59.99"), sat("e", None)]
    assert shortlist(candidates, Rules(), 2, D(60)) == ("a", "b", "c")


def test_shortlist_without_a_line_takes_every_one_who_sat():
    assert shortlist([sat("a", "20"), sat("b", None)], Rules(pass_line="none"), 1, None) == ("a",)


def test_shortlist_refuses_duplicate_keys():
    with pytest.raises(ScoringError) as caught:
        shortlist([sat("a", "70"), sat("a", "71")], Rules(), 1, None)
    assert caught.value.code == "duplicate_key"


# ---------------------------------------------------------------- backfill into the interview (递补进入面试)


def test_shortlist_backfill_takes_as_many_as_left_plus_ties_with_the_last():
    # Shortlisted a, b, c; b left. Pool (never shortlisted, at or above 60): d 78, e 78, f 70;
    # g 59 is under the line. One place, d and e tie for it → both [qingyunpu2022].
    candidates = [
        sat(k, s) for k, s in [("a", 90), ("b", 85), ("c", 80), ("d", 78), ("e", 78), ("f", 70), ("g", 59)]
    ]
    assert shortlist_backfill(candidates, Rules(), D(60), {"a", "b", "c"}, {"b"}) == ("d", "e")


def test_shortlist_backfill_second_round_skips_everyone_ever_shortlisted():
    # Round 2: d and e (added in round 1) count as shortlisted; a leaves → f.
    candidates = [sat(k, s) for k, s in [("a", 90), ("b", 85), ("c", 80), ("d", 78), ("e", 78), ("f", 70)]]
    assert shortlist_backfill(candidates, Rules(), D(60), {"a", "b", "c", "d", "e"}, {"a"}) == ("f",)


def test_shortlist_backfill_pool_dry_and_nothing_vacated():
    candidates = [sat("a", "90"), sat("b", "50")]
    assert shortlist_backfill(candidates, Rules(), D(60), {"a"}, {"a"}) == ()  # b is under the line
    assert shortlist_backfill(candidates, Rules(), None, {"a"}, set()) == ()


def test_shortlist_backfill_refuses_a_vacancy_never_shortlisted():
    with pytest.raises(ScoringError) as caught:
        shortlist_backfill([sat("a", "90")], Rules(), None, {"a"}, {"z"})
    assert caught.value.code == "vacated_not_shortlisted"
