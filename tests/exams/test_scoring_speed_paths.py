"""exams/scoring.py: the fast paths of the ranking run (issue 17 speed) give what the plain
rules give, and the decimal context stays the caller's.

The fast paths: a public call makes _CONTEXT current with setcontext and gives the caller's
context object back; rank calls private helpers with no context switch and does not check
again what Candidate checked; Candidate checks a tuple of Decimals in C first. No database.
"""

import threading
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, Decimal, Inexact, getcontext, localcontext

import pytest

from exams import scoring
from exams.scoring import Candidate, Rules, ScoringError, rank

D = Decimal


def test_the_callers_context_object_is_given_back_after_a_call_and_after_an_error():
    with localcontext() as mine:
        mine.prec, mine.rounding = 3, ROUND_DOWN
        assert scoring.interview_score([D(80), D(85), D("90.50")], Rules()) == D("85.17")
        assert getcontext() is mine
        with pytest.raises(ScoringError):
            scoring.interview_score([], Rules())
        assert getcontext() is mine
        assert (mine.prec, mine.rounding) == (3, ROUND_DOWN)


def test_a_caller_trapping_inexact_still_gets_the_rounded_scores():
    # 255.50 ÷ 3 is inexact: the caller's trap must not fire inside the scoring rules.
    with localcontext() as mine:
        mine.traps[Inexact] = True
        assert scoring.interview_score([D(80), D(85), D("90.50")], Rules()) == D("85.17")
        assert mine.traps[Inexact]


def test_other_threads_keep_their_own_context():
    seen = {}

    def work():
        with localcontext() as mine:
            mine.prec = 5
            scoring.composite(D("71.33"), D("80"), Rules())
            seen["prec"] = getcontext().prec

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert seen["prec"] == 5
    assert getcontext() is not scoring._CONTEXT


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        ("75.665", 2, "75.67"),
        ("2.5", 0, "3"),
        ("125", -1, "1.3E+2"),  # outside the table of exponents: computed
        ("1.23456789012345", 13, "1.2345678901235"),
        ("7.123", None, "7.123"),
    ],
)
def test_round_half_up_inside_and_outside_the_table_of_exponents(value, places, expected):
    assert str(scoring.round_half_up(D(value), places)) == expected


def test_candidate_checks_every_score_in_order():
    with pytest.raises(ScoringError) as caught:
        Candidate(key="a", interview=(D(80), D("NaN"), D(70)))
    assert caught.value.code == "not_a_number"
    with pytest.raises(TypeError):
        Candidate(key="a", interview=(D(80), 70.5))
    with pytest.raises(TypeError):
        Candidate(key="a", interview=(D(80), True))
    with pytest.raises(ScoringError) as caught:
        Candidate(key="a", written=D(80), bonus=(D(2),), interview=(D(80), D(-3), D(-1)))
    assert caught.value.code == "negative_score"
    assert "-3" in str(caught.value)
    person = Candidate(key="a", written="80", bonus=[1, "2.5"], interview=[D(80), "81.5", 79])
    assert person.bonus == (D(1), D("2.5")) and person.interview == (D(80), D("81.5"), D(79))
    assert all(type(value) is Decimal for value in (*person.bonus, *person.interview))


def test_rank_agrees_with_the_public_rules_one_by_one():
    # a: 7 examiners, 88 and 60 dropped: (80+80+81+79+80) ÷ 5 = 80.00; c: 3, none dropped: 80.00;
    # b: 70.00. Room A mean 80.00, room B 70.00, pooled (80 + 80 + 70) ÷ 3 = 76.666… → 76.67;
    # coefficients 76.67 ÷ 80 = 0.958375 → 0.958 and 76.67 ÷ 70 = 1.0952… → 1.095.
    # a: 80.00 × 0.958 = 76.64; composite 0.5 × 71.33 + 0.5 × 76.64 = 73.985 → 73.99 (half up).
    rules = Rules(room_correction="pooled_mean", interview_pass_line=None)
    people = [
        Candidate("a", written=D("71.33"), interview=tuple(map(D, (88, 80, 80, 81, 79, 80, 60))), room="A"),
        Candidate("b", written=D("70"), interview=(D(70),) * 7, room="B"),
        Candidate("c", written=D("66"), interview=(D(80), D(79), D(81)), room="A"),
    ]
    ranking = rank(people, rules, 2)
    row = {r.key: r for r in ranking.rows}
    assert row["a"].interview_raw == D("80.00") and row["a"].coefficient == D("0.958")
    assert row["a"].interview == D("76.64") and row["a"].composite == D("73.99")
    assert row["b"].coefficient == D("1.095") and row["b"].interview == D("76.65")  # 70 × 1.095
    coefficients = scoring.room_coefficients(
        {
            "A": [scoring.interview_score(p.interview, rules) for p in people if p.room == "A"],
            "B": [D("70.00")],
        },
        rules,
    )
    for person in people:
        raw = scoring.interview_score(person.interview, rules)
        corrected = scoring.corrected_interview(raw, coefficients[person.room], rules)
        written = scoring.written_total(person, rules)
        total = scoring.composite(written, corrected, rules, scoring.bonus_points(person, rules))
        assert (row[person.key].interview_raw, row[person.key].interview, row[person.key].composite) == (
            raw,
            corrected,
            total,
        )


def test_a_candidate_with_an_empty_panel_is_refused_by_rank():
    with pytest.raises(ScoringError) as caught:
        rank([Candidate("a", written=D(80), interview=())], Rules(), 1)
    assert caught.value.code == "no_scores"


def test_rank_under_a_caller_context_of_three_digits_half_even():
    with localcontext() as mine:
        mine.prec, mine.rounding = 3, ROUND_HALF_EVEN
        ranking = rank(
            [Candidate("a", written=D("71.33"), interview=(D(80),) * 7)], Rules(interview_pass_line=None), 1
        )
    assert ranking.rows[0].composite == D("75.67")


# ---------------------------------------------------------------- rank_scope


def _scope():
    # Position P1 (1 post): a (room A, 80.00), b (room B, 70.00); position P2 (1 post): c (room A,
    # 7 examiners: 95 and 60 dropped, (82 + 84 + 80 + 83 + 81) ÷ 5 = 82.00), d absent.
    # Room A: (80.00 + 82.00) ÷ 2 = 81.00; room B 70.00; pooled (80 + 70 + 82) ÷ 3 = 77.333… → 77.33.
    # Coefficients: A 77.33 ÷ 81 = 0.95469… → 0.955; B 77.33 ÷ 70 = 1.10471… → 1.105.
    # a: 80 × 0.955 = 76.40, composite (70 + 76.40) ÷ 2 = 73.20; b: 70 × 1.105 = 77.35,
    # composite (75 + 77.35) ÷ 2 = 76.175 → 76.18 (half up); c: 82 × 0.955 = 78.31,
    # composite (60 + 78.31) ÷ 2 = 69.155 → 69.16.
    p1 = [
        Candidate("a", written=D("70"), interview=(D(80),) * 5, room="A"),
        Candidate("b", written=D("75"), interview=(D(70),) * 3, room="B"),
    ]
    p2 = [
        Candidate("c", written=D("60"), interview=tuple(map(D, (95, 82, 84, 60, 80, 83, 81))), room="A"),
        Candidate("d", written=D("90"), interview=None, room="A"),
    ]
    return {"P1": (p1, 1), "P2": (p2, 1)}


def test_rank_scope_by_hand():
    rules = Rules(room_correction="pooled_mean")
    rankings = scoring.rank_scope(_scope(), rules)
    rows = {r.key: r for ranking in rankings.values() for r in ranking.rows}
    assert (rows["a"].coefficient, rows["a"].interview, rows["a"].composite) == (
        D("0.955"),
        D("76.40"),
        D("73.20"),
    )
    assert (rows["b"].coefficient, rows["b"].interview, rows["b"].composite) == (
        D("1.105"),
        D("77.35"),
        D("76.18"),
    )
    assert (rows["c"].interview_raw, rows["c"].interview, rows["c"].composite) == (
        D("82.00"),
        D("78.31"),
        D("69.16"),
    )
    assert [r.key for r in rankings["P1"].rows] == ["b", "a"] and rankings["P1"].proposed == ("b",)
    assert rankings["P2"].absent == ("d",) and rankings["P2"].proposed == ("c",)


@pytest.mark.parametrize("correction", ["none", "pooled_mean", "mean_of_room_means"])
def test_rank_scope_equals_room_coefficients_then_rank(correction):
    rules = Rules(room_correction=correction, interview_pass_line=None)
    scope = _scope()
    by_room = {}
    for people, _ in scope.values():
        for c in people:
            if c.interview is not None:
                by_room.setdefault(c.room, []).append(scoring.interview_score(c.interview, rules))
    coefficients = scoring.room_coefficients(by_room, rules) if correction != "none" else None
    expected = {key: rank(people, rules, quota, coefficients) for key, (people, quota) in scope.items()}
    assert scoring.rank_scope(scope, rules) == expected


def test_rank_scope_raises_as_the_rules_do():
    rules = Rules(room_correction="pooled_mean")
    scope = _scope()
    scope["P3"] = ([Candidate("e", written=D(80), interview=(), room="A")], 1)
    with pytest.raises(ScoringError) as caught:
        scoring.rank_scope(scope, rules)
    assert caught.value.code == "no_scores"
    with pytest.raises(ScoringError) as caught:
        scoring.rank_scope({"P1": (_scope()["P1"][0], 0)}, rules)
    assert caught.value.code == "quota"
    assert scoring.rank_scope({}, rules) == {}
