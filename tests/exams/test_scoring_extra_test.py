"""exams.scoring.extra_test_decide: the 加试 of a group of equals, hand-worked, and its
agreement with rank when the 加试 enters as the subscore "extra_test". No database."""

from decimal import Decimal

import pytest

from exams.scoring import Candidate, ExtraTestDecision, Rules, ScoringError, extra_test_decide, rank

D = Decimal


def test_the_highest_take_the_places():
    # e 82.5 > f 80 > g 79, one place: e wins; f and g below it.
    assert extra_test_decide({"e": D("82.5"), "f": D("80"), "g": D("79")}, 1) == ExtraTestDecision(
        winners=("e",), tied=(), places_left=0, others=("f", "g")
    )
    # Two places among four: 88 and 71.5 win, 70.25 and 60 do not.
    decision = extra_test_decide({"p": D("71.5"), "q": D("88"), "r": D("60"), "s": D("70.25")}, 2)
    assert (decision.winners, decision.others) == (("q", "p"), ("s", "r"))


def test_a_tie_in_the_extra_test_stays_pending_for_the_places_left():
    # Two places among e 90, f 80, g 80, h 70: e takes one place (90 alone above);
    # f and g are equal across the second place → both stay pending for 1 place, another
    # 加试 decides; h (70) is below the places.
    decision = extra_test_decide({"e": D("90"), "f": D("80"), "g": D("80"), "h": D("70")}, 2)
    assert decision == ExtraTestDecision(winners=("e",), tied=("f", "g"), places_left=1, others=("h",))


def test_everyone_tied_decides_nothing():
    # 80 = 80 for one place: nobody wins, nobody loses, one place still held by both.
    decision = extra_test_decide({"f": D("80"), "g": D("80.00")}, 1)
    assert decision == ExtraTestDecision(winners=(), tied=("f", "g"), places_left=1, others=())


def test_a_tie_below_the_places_decides_everything():
    # One place: e 90 wins; f and g tie at 80 but both are below the place → no second 加试.
    decision = extra_test_decide({"e": D("90"), "f": D("80"), "g": D("80")}, 1)
    assert decision == ExtraTestDecision(winners=("e",), tied=(), places_left=0, others=("f", "g"))


def test_a_tie_that_fits_the_places_wins_together():
    # Two places: f and g tie at 80 above h 70: both fit, both win.
    decision = extra_test_decide({"f": D("80"), "g": D("80"), "h": D("70")}, 2)
    assert decision == ExtraTestDecision(winners=("f", "g"), tied=(), places_left=0, others=("h",))


def test_the_key_never_decides():
    # Same scores under other keys give the same shape: keys only order equals for display.
    one = extra_test_decide({"a": D("75"), "z": D("75"), "m": D("74.99")}, 1)
    two = extra_test_decide({"z": D("75"), "a": D("75"), "m": D("74.99")}, 1)
    assert one == two == ExtraTestDecision(winners=(), tied=("a", "z"), places_left=1, others=("m",))


@pytest.mark.parametrize("places", [0, 2, 3, True, "1"])
def test_places_outside_the_group_are_refused(places):
    with pytest.raises(ScoringError) as caught:
        extra_test_decide({"e": D("80"), "f": D("79")}, places)
    assert caught.value.code == "extra_test_places"


def test_bad_scores_are_refused():
    with pytest.raises(TypeError):
        extra_test_decide({"e": 80.5, "f": D("79")}, 1)
    with pytest.raises(ScoringError) as caught:
        extra_test_decide({"e": D("-1"), "f": D("79")}, 1)
    assert caught.value.code == "negative_score"


def _equal(key, extra=None):
    """Written 80, seven examiners at 70 → interview 70, composite (80 + 70) / 2 = 75.00."""
    subscores = {} if extra is None else {"extra_test": D(extra)}
    return Candidate(key=key, written=D("80"), interview=(D("70"),) * 7, subscores=subscores)


@pytest.mark.parametrize(
    ("scores", "places"),
    [
        ({"b": "78", "c": "85.5", "d": "60"}, 1),
        ({"b": "90", "c": "80", "d": "80"}, 2),
        ({"b": "80", "c": "80", "d": "80"}, 2),
        ({"b": "70", "c": "90", "d": "70"}, 1),
    ],
)
def test_rank_with_the_extra_test_subscore_agrees(scores, places):
    # a 90/90 → composite 90.00 holds the first post; b, c, d are 75.00 equals for `places`
    # posts. Ranking again with "subscore:extra_test" proposes the winners and flags the tied,
    # exactly as extra_test_decide says.
    rules = Rules(tie_breakers=(*Rules().tie_breakers, "subscore:extra_test"))
    top = Candidate(key="a", written=D("90"), interview=(D("90"),) * 7)
    ranking = rank([top, *(_equal(k, v) for k, v in scores.items())], rules, quota=1 + places)
    decision = extra_test_decide({k: D(v) for k, v in scores.items()}, places)
    assert set(ranking.proposed) == {"a", *decision.winners}
    assert set(ranking.extra_test) == set(decision.tied)
