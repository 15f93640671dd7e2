"""exams/scoring.py, composite, ranking, ties, eligibility and backfill (递补).

Unless a test says otherwise: 50/50 weights, composite rounded once at the end, interview line
60, ties broken by written → interview → education → younger, 加试 for a tie at the last post.
A panel of 7 equal scores gives that score as the interview score. No database.
"""

from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal

import pytest

from exams.scoring import Candidate, Rules, ScoringError, backfill, composite, rank

D = Decimal


def cand(key, written, interview, room="", **extra):
    scores = None if interview is None else (D(str(interview)),) * 7
    return Candidate(
        key=key, written=None if written is None else D(str(written)), interview=scores, room=room, **extra
    )


def ranks(ranking):
    return {row.key: row.rank for row in ranking.rows}


# ---------------------------------------------------------------- composite


def test_both_rounding_orders_give_different_composites():
    # written 71.33, interview 80.01, 50/50:
    # final:     0.5 × 71.33 + 0.5 × 80.01 = 35.665 + 40.005 = 75.670 → 75.67 [yangxin2021]
    # each_part: 35.665 → 35.67, 40.005 → 40.01; 35.67 + 40.01 = 75.68 [reelogic_60_40]
    assert composite(D("71.33"), D("80.01"), Rules()) == D("75.67")
    assert composite(D("71.33"), D("80.01"), Rules(composite_rounding="each_part")) == D("75.68")


def test_rounding_order_changes_the_hire():
    # One post, ties broken by the interview score [qingyunpu2022].
    # a: written 71.33, interview 80.01 → final 75.67, each_part 75.68 (above).
    # b: written 75.35, interview 76.00 → final 37.675 + 38 = 75.675 → 75.68;
    #    each_part 37.675 → 37.68, + 38.00 = 75.68.
    # final: b 75.68 > a 75.67 → b.  each_part: 75.68 = 75.68, interview 80.01 > 76.00 → a.
    a, b = cand("a", "71.33", "80.01"), cand("b", "75.35", "76.00")
    assert rank([a, b], Rules(tie_breakers=("interview",)), 1).proposed == ("b",)
    each = Rules(composite_rounding="each_part", tie_breakers=("interview",))
    assert rank([a, b], each, 1).proposed == ("a",)


def test_weights_40_60():
    # 0.4 × 75.55 + 0.6 × 80.13 = 30.22 + 48.078 = 78.298 → 78.30
    assert composite(D("75.55"), D("80.13"), Rules(written_weight=D("0.4"), interview_weight=D("0.6"))) == D(
        "78.30"
    )


def test_bonus_added_to_the_composite_xixia():
    # 西夏: 资历量化 + 笔试 × 35% + 面试 × 45%. Items 12 + 5 cumulative = 17.
    # 0.35 × 80 + 0.45 × 90 + 17 = 28 + 40.5 + 17 = 85.50; the written total stays 80.
    rules = Rules(
        bonus_to="composite", bonus_mode="cumulative", written_weight=D("0.35"), interview_weight=D("0.45")
    )
    row = rank([cand("a", 80, 90, bonus=(D(12), D(5)))], rules, 1).rows[0]
    assert (row.written_total, row.composite) == (D(80), D("85.50"))


def test_bonus_in_the_written_total_is_weighted():
    # highest_only: 70 + max(3, 2) = 73 written total; 0.5 × 73 + 0.5 × 80 = 76.50
    row = rank([cand("a", 70, 80, bonus=(D(3), D(2)))], Rules(), 1).rows[0]
    assert (row.written_total, row.composite) == (D(73), D("76.50"))


def test_half_up_at_xx5_decides_the_hire_where_float_and_bankers_would_not():
    # One post.
    # a: 0.5 × 71.33 + 0.5 × 80.00 = 35.665 + 40 = 75.665 → half up 75.67
    # b: 0.5 × 75.32 + 0.5 × 76.00 = 37.66 + 38 = 75.66
    # 75.67 > 75.66 → a is hired.
    a, b = cand("a", "71.33", 80), cand("b", "75.32", 76)
    ranking = rank([a, b], Rules(), 1)
    assert [(r.key, r.composite) for r in ranking.rows] == [("a", D("75.67")), ("b", D("75.66"))]
    assert ranking.proposed == ("a",)
    # Binary float holds 75.665 as 75.66499…, and banker's rounding keeps the even 6: both give
    # a 75.66, a tie with b that the written score (75.32 > 71.33) would give to b.
    assert round(0.5 * 71.33 + 0.5 * 80.0, 2) == 75.66
    assert D("75.665").quantize(D("0.01"), rounding=ROUND_HALF_EVEN) == D("75.66")


# ---------------------------------------------------------------- ranks and tie-breakers


def test_equals_after_every_breaker_share_a_rank_1_2_2_4():
    # a 90 | b, c 80 (same written, interview, education, birth date) | d 70
    candidates = [cand("d", 70, 70), cand("c", 80, 80), cand("b", 80, 80), cand("a", 90, 90)]
    ranking = rank(candidates, Rules(), 4)
    assert [(r.key, r.rank) for r in ranking.rows] == [("a", 1), ("b", 2), ("c", 2), ("d", 4)]
    assert ranking.unresolved_ties == (("b", "c"),)
    assert ranking.proposed == ("a", "b", "c", "d") and ranking.extra_test == ()


# x: written 80, interview 70 → 75.00; y: written 70, interview 80 → 75.00: equal composites.
def _pair(**y_extra):
    return [cand("x", 80, 70), cand("y", 70, 80, **y_extra)]


def test_tie_breaker_written():
    # equal 75.00; written 80 > 70 → x first [weifang_kfq2021]
    assert ranks(rank(_pair(), Rules(tie_breakers=("written",)), 1)) == {"x": 1, "y": 2}


def test_tie_breaker_interview():
    # equal 75.00; interview 80 > 70 → y first [qingyunpu2022]
    assert ranks(rank(_pair(), Rules(tie_breakers=("interview",)), 1)) == {"y": 1, "x": 2}


def test_tie_breaker_interview_uses_the_corrected_score():
    # Raw interviews equal (80), written equal (70): composites before correction equal.
    # Rooms A: 80, 90 (mean 85.00); B: 80, 70 (mean 75.00); pooled 320 ÷ 4 = 80.00.
    # A: 80 ÷ 85 = 0.94117… → 0.941; B: 80 ÷ 75 = 1.0666… → 1.067.
    # a1: 80 × 0.941 = 75.28; b1: 80 × 1.067 = 85.36 → b1 ahead of a1.
    candidates = [
        cand("a1", 70, 80, "A"),
        cand("a2", 70, 90, "A"),
        cand("b1", 70, 80, "B"),
        cand("b2", 70, 70, "B"),
    ]
    rows = {r.key: r for r in rank(candidates, Rules(room_correction="pooled_mean"), 1).rows}
    assert (rows["a1"].interview, rows["b1"].interview) == (D("75.28"), D("85.36"))
    assert rows["b1"].rank < rows["a1"].rank


def test_tie_breaker_education():
    # equal everything but education: y (硕士 4) before x (本科 3)
    candidates = [cand("x", 75, 75, education=3), cand("y", 75, 75, education=4)]
    assert ranks(rank(candidates, Rules(tie_breakers=("education",)), 1)) == {"y": 1, "x": 2}


def test_tie_breaker_younger_with_a_missing_birth_date_last():
    # later birth date first [yangxin2021]; "a" has none and sorts last despite its key
    candidates = [
        cand("x", 75, 75, birth_date=date(1990, 5, 1)),
        cand("y", 75, 75, birth_date=date(1995, 1, 1)),
        cand("a", 75, 75),
    ]
    assert ranks(rank(candidates, Rules(tie_breakers=("younger",)), 1)) == {"y": 1, "x": 2, "a": 3}


def test_tie_breaker_flag_holders_first():
    # 网格员 first [shangdu2021]
    candidates = [cand("a", 75, 75), cand("b", 75, 75, flags=frozenset({"网格员"}))]
    assert ranks(rank(candidates, Rules(tie_breakers=("flag:网格员",)), 1)) == {"b": 1, "a": 2}


def test_tie_breaker_subscore_with_a_missing_subscore_last():
    # 公文写作 18.50 > 17 [xisaishan2022]; "a" has no such subscore → last
    candidates = [
        cand("x", 75, 75, subscores={"公文写作": D("17")}),
        cand("y", 75, 75, subscores={"公文写作": D("18.50")}),
        cand("a", 75, 75),
    ]
    assert ranks(rank(candidates, Rules(tie_breakers=("subscore:公文写作",)), 1)) == {"y": 1, "x": 2, "a": 3}


def test_tie_breakers_apply_in_their_order():
    # x: 硕士, born 1990; y: 本科, born 1996 → education first: x; younger first: y
    candidates = [
        cand("x", 75, 75, education=4, birth_date=date(1990, 1, 1)),
        cand("y", 75, 75, education=3, birth_date=date(1996, 1, 1)),
    ]
    assert ranks(rank(candidates, Rules(tie_breakers=("education", "younger")), 1)) == {"x": 1, "y": 2}
    assert ranks(rank(candidates, Rules(tie_breakers=("younger", "education")), 1)) == {"y": 1, "x": 2}


def test_no_tie_breakers_equal_composites_share_a_rank():
    assert ranks(rank(_pair(), Rules(tie_breakers=()), 2)) == {"x": 1, "y": 1}


# ---------------------------------------------------------------- eligibility and absence


def test_interview_line_applies_after_the_correction_and_ineligible_keep_their_rank():
    # Rooms A: 61, 80 (mean 70.50); B: 60, 70 (mean 65.00); pooled 271 ÷ 4 = 67.75.
    # A: 67.75 ÷ 70.50 = 0.96099… → 0.961; B: 67.75 ÷ 65.00 = 1.04230… → 1.042.
    # a61: 61 × 0.961 = 58.621 → 58.62 < 60: not eligible (raw 61 would pass);
    #      composite 0.5 × 100 + 0.5 × 58.62 = 79.31, still rank 1.
    # b60: 60 × 1.042 = 62.52 ≥ 60: eligible (raw 60 was on the line); 35 + 31.26 = 66.26.
    # a80: 80 × 0.961 = 76.88; 30 + 38.44 = 68.44.  b70: 70 × 1.042 = 72.94; 30 + 36.47 = 66.47.
    candidates = [
        cand("a61", 100, 61, "A"),
        cand("a80", 60, 80, "A"),
        cand("b60", 70, 60, "B"),
        cand("b70", 60, 70, "B"),
    ]
    ranking = rank(candidates, Rules(room_correction="pooled_mean"), 1)
    assert [(r.key, r.interview, r.composite, r.rank, r.eligible) for r in ranking.rows] == [
        ("a61", D("58.62"), D("79.31"), 1, False),
        ("a80", D("76.88"), D("68.44"), 2, True),
        ("b70", D("72.94"), D("66.47"), 3, True),
        ("b60", D("62.52"), D("66.26"), 4, True),
    ]
    assert ranking.proposed == ("a80",)


def test_composite_line():
    # Line 60 [dantu2020]. x: 0.5 × 59.98 + 0.5 × 60 = 29.99 + 30 = 59.99 < 60 → not eligible.
    # y: 0.5 × 40 + 0.5 × 80 = 60.00 → on the line, eligible.
    ranking = rank([cand("x", "59.98", 60), cand("y", 40, 80)], Rules(composite_pass_line=D(60)), 2)
    assert {r.key: r.eligible for r in ranking.rows} == {"x": False, "y": True}
    assert ranking.proposed == ("y",)


def test_no_interview_line():
    ranking = rank([cand("x", 70, 30)], Rules(interview_pass_line=None), 1)
    assert ranking.rows[0].eligible and ranking.proposed == ("x",)


def test_absent_candidates_are_not_ranked():
    candidates = [cand("a", 80, 80), cand("b", 90, None), cand("c", None, None)]
    ranking = rank(candidates, Rules(), 2)
    assert [r.key for r in ranking.rows] == ["a"] and ranking.absent == ("b", "c")
    assert ranking.proposed == ("a",)  # fewer eligible than posts: all of them


def test_rank_refuses_bad_quota_and_duplicate_keys():
    with pytest.raises(ScoringError) as caught:
        rank([cand("a", 80, 80)], Rules(), 0)
    assert caught.value.code == "quota"
    with pytest.raises(ScoringError) as caught:
        rank([cand("a", 80, 80), cand("a", 70, 70)], Rules(), 1)
    assert caught.value.code == "duplicate_key"


# ---------------------------------------------------------------- a tie at the last post


def _last_post_tie():
    # 2 posts: a 90.00; b and c equal on everything at 80.00 for the one post left; d 70.
    return [cand("a", 90, 90), cand("c", 80, 80), cand("b", 80, 80), cand("d", 70, 70)]


def test_unresolved_tie_at_the_last_post_extra_test():
    ranking = rank(_last_post_tie(), Rules(), 2)
    assert ranking.proposed == ("a",)  # none of b, c until the 加试 [dangyang2022]
    assert ranking.extra_test == ("b", "c")
    assert ranking.unresolved_ties == (("b", "c"),)


def test_unresolved_tie_at_the_last_post_all_advance():
    ranking = rank(_last_post_tie(), Rules(unresolved_tie="all_advance"), 2)
    assert ranking.proposed == ("a", "b", "c")  # 3 for 2 posts [tianjin_heping2017]
    assert ranking.extra_test == ()


def test_the_extra_test_result_decides_in_a_new_ranking():
    # 加试: b 78, c 85 → "subscore:extra_test" appended → c takes the post.
    rules = Rules(tie_breakers=(*Rules().tie_breakers, "subscore:extra_test"))
    candidates = [cand("a", 90, 90), cand("b", 80, 80, subscores={"extra_test": D(78)})]
    candidates += [cand("c", 80, 80, subscores={"extra_test": D(85)}), cand("d", 70, 70)]
    ranking = rank(candidates, rules, 2)
    assert ranking.proposed == ("a", "c") and ranking.extra_test == () and ranking.unresolved_ties == ()
    assert ranks(ranking) == {"a": 1, "c": 2, "b": 3, "d": 4}


# ---------------------------------------------------------------- backfill (递补)


def _backfill_ranking(**rules):
    # 2 posts.
    # a: 90/90 → 90.00 (1)   b: 85/85 → 85.00 (2)
    # c: 90/58 → 74.00 (3), under the interview line 60: never proposed, never backfilled
    # d, e: 70/70 → 70.00 (4, 4), equal on everything
    # f: 60/65 → 62.50 (6)
    candidates = [cand("a", 90, 90), cand("b", 85, 85), cand("c", 90, 58)]
    candidates += [cand("d", 70, 70), cand("e", 70, 70), cand("f", 60, 65)]
    return rank(candidates, Rules(**rules), 2)


def test_backfill_ranking_is_as_described():
    ranking = _backfill_ranking()
    assert ranks(ranking) == {"a": 1, "b": 2, "c": 3, "d": 4, "e": 4, "f": 6}
    assert ranking.proposed == ("a", "b") and ranking.extra_test == ()


def test_backfill_skips_someone_under_the_interview_line_and_reaches_a_group_of_equals():
    # a fails the medical: c (74.00) is under the interview line → next are d and e, equal,
    # for one place → both, and a 加试 decides.
    assert backfill(_backfill_ranking(), [("a", "medical_fail")], Rules()) == (
        ("a", "medical_fail", ("d", "e")),
    )


def test_backfill_a_second_vacancy_goes_to_the_pending_group_first():
    # After a: d, e pending for 1 place. b gives up: that place goes to d and e (2 places for
    # 2) → both proposed, nobody below is reached. Then d fails the background check → f.
    history = [("a", "medical_fail"), ("b", "gave_up"), ("d", "background_fail")]
    assert backfill(_backfill_ranking(), history, Rules()) == (
        ("a", "medical_fail", ("d", "e")),
        ("b", "gave_up", ("d", "e")),
        ("d", "background_fail", ("f",)),
    )


def test_backfill_group_of_equals_under_all_advance_all_proposed():
    # all_advance: a's place goes to d and e together → b, d, e proposed for 2 posts.
    # b then gives up: d and e hold the 2 posts → nobody more.
    rules = Rules(unresolved_tie="all_advance")
    history = [("a", "medical_fail"), ("b", "gave_up"), ("d", "gave_up")]
    assert backfill(_backfill_ranking(unresolved_tie="all_advance"), history, rules) == (
        ("a", "medical_fail", ("d", "e")),
        ("b", "gave_up", ()),
        ("d", "gave_up", ("f",)),  # e alone now: one place free → f
    )


def test_disqualified_is_never_backfilled_and_the_place_is_lost():
    # a disqualified (fraud): nobody. b then fails the medical: one post is left → d and e for it.
    history = [("a", "disqualified"), ("b", "medical_fail")]
    assert backfill(_backfill_ranking(), history, Rules()) == (
        ("a", "disqualified", ()),
        ("b", "medical_fail", ("d", "e")),
    )


def test_withdrawal_after_notice_is_backfilled_only_when_the_setting_says_so():
    history = [("a", "withdrew_after_notice")]
    assert backfill(_backfill_ranking(), history, Rules()) == (("a", "withdrew_after_notice", ()),)
    rules = Rules(backfill_events=frozenset({"withdrew_after_notice", "medical_fail"}))
    assert backfill(_backfill_ranking(), history, rules) == (("a", "withdrew_after_notice", ("d", "e")),)


def test_backfill_pool_running_dry():
    # f gives up before anything (never proposed: just leaves the pool). a fails: d, e pending.
    # d gives up: e alone fits the one place → e proposed. b fails: c is under the line, f gone → ().
    history = [("f", "gave_up"), ("a", "medical_fail"), ("d", "gave_up"), ("b", "medical_fail")]
    assert backfill(_backfill_ranking(), history, Rules()) == (
        ("f", "gave_up", ()),
        ("a", "medical_fail", ("d", "e")),
        ("d", "gave_up", ("e",)),
        ("b", "medical_fail", ()),
    )


def test_backfill_at_rank_time_tie_is_pending():
    # 2 posts, b and c tied for the last one (extra_test). a fails: the place goes to b and c.
    ranking = rank(_last_post_tie(), Rules(), 2)
    assert backfill(ranking, [("a", "medical_fail")], Rules()) == (("a", "medical_fail", ("b", "c")),)


def test_backfill_replayed_on_the_ranking_after_the_extra_test():
    # The 加试 between d (80) and e (90) makes a new ranking; replaying a's removal gives e alone.
    rules = Rules(tie_breakers=(*Rules().tie_breakers, "subscore:extra_test"))
    candidates = [cand("a", 90, 90), cand("b", 85, 85), cand("c", 90, 58)]
    candidates += [
        cand("d", 70, 70, subscores={"extra_test": D(80)}),
        cand("e", 70, 70, subscores={"extra_test": D(90)}),
    ]
    candidates += [cand("f", 60, 65)]
    assert backfill(rank(candidates, rules, 2), [("a", "medical_fail")], rules) == (
        ("a", "medical_fail", ("e",)),
    )


@pytest.mark.parametrize(
    ("history", "code"),
    [
        ([("a", "moved")], "unknown_event"),
        ([("zz", "gave_up")], "unknown_candidate"),
        ([("a", "gave_up"), ("a", "medical_fail")], "already_removed"),
    ],
)
def test_backfill_refuses_impossible_histories(history, code):
    with pytest.raises(ScoringError) as caught:
        backfill(_backfill_ranking(), history, Rules())
    assert caught.value.code == code


def test_a_nested_call_keeps_the_exact_context_and_a_caller_context_never_leaks():
    """The speed-up (nested public calls skip the context switch) must not let a caller's
    context in: 0.5 × 71.33 + 0.5 × 80 = 75.665 → 75.67 even under a 3-digit, half-even context."""
    from decimal import localcontext

    rules = Rules(interview_pass_line=None)
    people = [Candidate("a", written=D("71.33"), interview=(D("80"),) * 7)]
    with localcontext() as ctx:
        ctx.prec, ctx.rounding = 3, ROUND_HALF_EVEN
        assert rank(people, rules, 1).rows[0].composite == D("75.67")
        assert composite(D("71.33"), D("80"), rules) == D("75.67")
