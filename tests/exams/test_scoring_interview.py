"""exams/scoring.py, interview stage: panel means, rounding and the room correction (修正系数).

Every number is worked by hand in the comment beside it. No database.
"""

from decimal import ROUND_HALF_EVEN, Decimal

import pytest

from exams.scoring import Candidate, Rules, ScoringError, interview_score, rank, room_coefficients

D = Decimal


def panel(*scores):
    return [D(str(s)) for s in scores]


# ---------------------------------------------------------------- interview_score


def test_panel_of_3_averages_all_even_with_drop_extremes():
    # 80 + 85 + 90.50 = 255.50; ÷ 3 = 85.1666… → 85.17 (nothing dropped below 5 examiners)
    assert interview_score(panel(80, 85, "90.50"), Rules()) == D("85.17")


def test_panel_of_5_with_a_repeated_highest_drops_it_once():
    # 90, 90, 80, 75, 70: drop ONE 90 and the 70 → 90 + 80 + 75 = 245; ÷ 3 = 81.666… → 81.67.
    # (Dropping both 90s would give (80 + 75) ÷ 2 = 77.50.)
    assert interview_score(panel(90, 90, 80, 75, 70), Rules()) == D("81.67")


def test_panel_of_7_with_a_repeated_lowest_drops_it_once():
    # 88, 86, 85, 84, 84, 70, 70: drop the 88 and ONE 70 → 86 + 85 + 84 + 84 + 70 = 409;
    # ÷ 5 = 81.80 [fangzi2022]. (Dropping both 70s would give 339 ÷ 4 = 84.75.)
    assert interview_score(panel(88, 86, 85, 84, 84, 70, 70), Rules()) == D("81.80")


def test_panel_of_7_all_equal():
    # 7 × 80: drop one 80 each end → 5 × 80 ÷ 5 = 80.00
    assert interview_score(panel(*[80] * 7), Rules()) == D("80.00")


def test_panel_of_7_without_drop_extremes_averages_all():
    # 88 + 86 + 85 + 84 + 84 + 70 + 70 = 567; ÷ 7 = 81.0 → 81.00
    assert interview_score(panel(88, 86, 85, 84, 84, 70, 70), Rules(drop_extremes=False)) == D("81.00")


def test_panel_of_4_never_drops():
    # 80 + 90 + 70 + 60 = 300; ÷ 4 = 75.00
    assert interview_score(panel(80, 90, 70, 60), Rules()) == D("75.00")


def test_interview_mean_rounds_half_up_not_bankers():
    # Panel of 6: drop 90 and 70 → 81 + 81 + 81 + 81.50 = 324.50; ÷ 4 = 81.125 → 81.13 half up
    # (banker's rounding: 81.12).
    scores = panel(90, 81, 81, 81, "81.50", 70)
    assert interview_score(scores, Rules()) == D("81.13")
    assert D("81.125").quantize(D("0.01"), rounding=ROUND_HALF_EVEN) == D("81.12")


def test_interview_places_one_and_unrounded():
    # 80 + 85 + 90.50 = 255.50 ÷ 3 = 85.1666…: 1 place → 85.2 [tianjin_heping2017]; None → unrounded
    scores = panel(80, 85, "90.50")
    assert interview_score(scores, Rules(interview_places=1)) == D("85.2")
    assert interview_score(scores, Rules(interview_places=None)) == D("255.50") / 3


def test_empty_panel_is_refused():
    with pytest.raises(ScoringError) as caught:
        interview_score([], Rules())
    assert caught.value.code == "no_scores"


# ---------------------------------------------------------------- room_coefficients

# Room A: 80, 82, 84 (3 candidates, mean 82.00). Room B: 70, 74 (2 candidates, mean 72.00).
ROOMS = {"A": panel(80, 82, 84), "B": panel(70, 74)}


def test_pooled_mean_with_unequal_rooms():
    # overall = (80 + 82 + 84 + 70 + 74) ÷ 5 = 390 ÷ 5 = 78.00
    # A: 78.00 ÷ 82.00 = 0.95121… → 0.951;  B: 78.00 ÷ 72.00 = 1.08333… → 1.083
    rules = Rules(room_correction="pooled_mean")
    assert room_coefficients(ROOMS, rules) == {"A": D("0.951"), "B": D("1.083")}


def test_mean_of_room_means_with_unequal_rooms_gives_other_coefficients():
    # overall = (82.00 + 72.00) ÷ 2 = 77.00 (二次平均法 [henan_erci])
    # A: 77.00 ÷ 82.00 = 0.93902… → 0.939;  B: 77.00 ÷ 72.00 = 1.06944… → 1.069
    rules = Rules(room_correction="mean_of_room_means")
    assert room_coefficients(ROOMS, rules) == {"A": D("0.939"), "B": D("1.069")}


def test_equal_rooms_give_the_same_coefficients_both_ways():
    # A: 80, 84 (mean 82); B: 70, 74 (mean 72); pooled 308 ÷ 4 = 77 = (82 + 72) ÷ 2
    rooms = {"A": panel(80, 84), "B": panel(70, 74)}
    pooled = room_coefficients(rooms, Rules(room_correction="pooled_mean"))
    assert pooled == room_coefficients(rooms, Rules(room_correction="mean_of_room_means"))
    assert pooled == {"A": D("0.939"), "B": D("1.069")}  # 77 ÷ 82 = 0.93902…, 77 ÷ 72 = 1.06944…


def test_xuancheng_published_example_recomputes():
    # 宣城 2024: 72.98 ÷ 72.15 = 1.01150… → 1.012. Rooms 72.15 and 73.81 pool to 145.96 ÷ 2 = 72.98;
    # the other room: 72.98 ÷ 73.81 = 0.98875… → 0.989.
    rooms = {"1": panel("72.15"), "2": panel("73.81")}
    assert room_coefficients(rooms, Rules(room_correction="pooled_mean")) == {
        "1": D("1.012"),
        "2": D("0.989"),
    }


def test_room_means_are_rounded_before_dividing():
    # Room A: 80, 80, 80.01 → 240.01 ÷ 3 = 80.00333… → 80.00; room B: 70.
    # Pooled: 310.01 ÷ 4 = 77.5025 → 77.50. A: 77.50 ÷ 80.00 = 0.96875 → 0.969 (half up);
    # B: 77.50 ÷ 70.00 = 1.10714… → 1.107.
    rooms = {"A": panel(80, 80, "80.01"), "B": panel(70)}
    assert room_coefficients(rooms, Rules(room_correction="pooled_mean")) == {
        "A": D("0.969"),
        "B": D("1.107"),
    }


def test_coefficient_places_two_henan_tegang():
    # 河南特岗: coefficient 2 places. A: 78 ÷ 82 = 0.951… → 0.95; B: 78 ÷ 72 = 1.0833… → 1.08
    rules = Rules(room_correction="pooled_mean", coefficient_places=2)
    assert room_coefficients(ROOMS, rules) == {"A": D("0.95"), "B": D("1.08")}


def test_no_correction_gives_one():
    assert room_coefficients(ROOMS, Rules()) == {"A": D(1), "B": D(1)}


def test_empty_room_and_zero_mean_are_refused():
    with pytest.raises(ScoringError) as caught:
        room_coefficients({"A": []}, Rules(room_correction="pooled_mean"))
    assert caught.value.code == "empty_room"
    with pytest.raises(ScoringError) as caught:
        room_coefficients({"A": panel(0), "B": panel(80)}, Rules(room_correction="pooled_mean"))
    assert caught.value.code == "room_mean_zero"


def _interviewed(key, room, score, written="70"):
    return Candidate(key=key, written=D(written), interview=tuple(panel(*[score] * 7)), room=room)


def test_corrected_scores_in_the_ranking_both_methods():
    # Raw scores as ROOMS (a panel of 7 equal scores gives that score).
    # pooled: A's 84 × 0.951 = 79.884 → 79.88; B's 74 × 1.083 = 80.142 → 80.14
    # mean_of_room_means: A's 84 × 0.939 = 78.876 → 78.88; B's 74 × 1.069 = 79.106 → 79.11
    candidates = [
        _interviewed("a80", "A", 80),
        _interviewed("a82", "A", 82),
        _interviewed("a84", "A", 84),
        _interviewed("b70", "B", 70),
        _interviewed("b74", "B", 74),
    ]
    for method, a84, b74 in [("pooled_mean", "79.88", "80.14"), ("mean_of_room_means", "78.88", "79.11")]:
        rows = {r.key: r for r in rank(candidates, Rules(room_correction=method), 1).rows}
        assert (rows["a84"].interview_raw, rows["a84"].interview) == (D("84.00"), D(a84))
        assert (rows["b74"].interview_raw, rows["b74"].interview) == (D("74.00"), D(b74))


def test_coefficients_passed_in_are_used_and_an_unknown_room_is_refused():
    # Scope wider than the position: the service passes the group's coefficients.
    # 80 × 1.100 = 88.00 → composite 0.5 × 70 + 0.5 × 88 = 79.00
    candidate = _interviewed("a", "A", 80)
    ranking = rank([candidate], Rules(room_correction="pooled_mean"), 1, {"A": D("1.100")})
    assert (ranking.rows[0].coefficient, ranking.rows[0].interview, ranking.rows[0].composite) == (
        D("1.100"),
        D("88.00"),
        D("79.00"),
    )
    with pytest.raises(ScoringError) as caught:
        rank([candidate], Rules(room_correction="pooled_mean"), 1, {"B": D(1)})
    assert caught.value.code == "unknown_room"
