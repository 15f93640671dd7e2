"""exams/scoring.py, property tests (hypothesis): what must hold for any candidates and settings.

Scores come from small sets so that ties, equal room means and last-post ties are frequent.
"""

from datetime import date
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exams.scoring import REMOVAL_EVENTS, Candidate, Rules, backfill, rank, shortlist, shortlist_target

D = Decimal
# The suite's autouse fixtures (language, cache) do not touch these pure functions; no example
# database, so nothing is written into the work tree (.hypothesis/).
PROPERTY = settings(
    max_examples=100,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

WRITTEN = st.sampled_from(["60", "70", "70.50", "80"]).map(D)
EXAMINER = st.sampled_from(["55", "60", "72.50", "80", "88"]).map(D)
# Mostly panels where every examiner agrees (so equal scores are frequent), some free panels.
PANEL = st.one_of(
    st.tuples(EXAMINER, st.integers(3, 9)).map(lambda pair: (pair[0],) * pair[1]),
    st.tuples(EXAMINER, st.integers(3, 9)).map(lambda pair: (pair[0],) * pair[1]),
    st.lists(EXAMINER, min_size=3, max_size=9).map(tuple),
)
BREAKERS = ["written", "interview", "education", "younger", "flag:党员", "subscore:extra_test"]


@st.composite
def candidate_fields(draw):
    return {
        "written": draw(st.one_of(st.none(), WRITTEN) if draw(st.integers(0, 9)) == 0 else WRITTEN),
        "bonus": tuple(draw(st.lists(st.sampled_from([D(1), D(2), D(3)]), max_size=2))),
        "interview": draw(st.one_of(st.none(), PANEL)) if draw(st.integers(0, 9)) == 0 else draw(PANEL),
        "room": draw(st.sampled_from(["A", "B"])),
        "education": draw(st.integers(2, 4)),
        "birth_date": draw(st.sampled_from([None, date(1990, 1, 1), date(1990, 1, 1), date(1995, 6, 1)])),
        "flags": draw(st.sampled_from([frozenset(), frozenset({"党员"})])),
        "subscores": draw(st.sampled_from([{}, {"extra_test": D(80)}, {"extra_test": D(90)}])),
    }


@st.composite
def candidates(draw, min_size=1, max_size=12):
    fields = draw(st.lists(candidate_fields(), min_size=min_size, max_size=max_size))
    return [Candidate(key=f"k{index:02d}", **values) for index, values in enumerate(fields)]


rules_strategy = st.builds(
    Rules,
    bonus_mode=st.sampled_from(["highest_only", "cumulative", "none"]),
    bonus_to=st.sampled_from(["written", "composite"]),
    interview_pass_line=st.sampled_from([None, D(60), D(70)]),
    composite_pass_line=st.sampled_from([None, D(65)]),
    room_correction=st.sampled_from(["none", "pooled_mean", "mean_of_room_means"]),
    written_weight=st.sampled_from([D("0.5"), D("0.4"), D("0.6")]),
    interview_weight=st.sampled_from([D("0.5"), D("0.6")]),
    composite_rounding=st.sampled_from(["final", "each_part"]),
    tie_breakers=st.lists(st.sampled_from(BREAKERS), unique=True, max_size=3).map(tuple),
    unresolved_tie=st.sampled_from(["extra_test", "all_advance"]),
)
QUOTA = st.integers(1, 5)


@PROPERTY
@given(candidates(), rules_strategy, QUOTA, st.randoms(use_true_random=False))
def test_ranking_does_not_depend_on_input_order(people, rules, quota, random):
    shuffled = list(people)
    random.shuffle(shuffled)
    assert rank(shuffled, rules, quota) == rank(people, rules, quota)


def _renamed(people):
    """Keys renamed so that their alphabetical order is reversed: k00 → z11, k11 → z00 …"""
    mapping = {c.key: f"z{len(people) - 1 - index:02d}" for index, c in enumerate(people)}
    renamed = [Candidate(**{**c.__dict__, "key": mapping[c.key]}) for c in people]
    return mapping, renamed


@PROPERTY
@given(candidates(), rules_strategy, QUOTA)
def test_no_tie_is_broken_by_key(people, rules, quota):
    mapping, renamed = _renamed(people)
    before, after = rank(people, rules, quota), rank(renamed, rules, quota)
    assert {mapping[r.key]: r.rank for r in before.rows} == {r.key: r.rank for r in after.rows}
    assert {mapping[k] for k in before.proposed} == set(after.proposed)
    assert {mapping[k] for k in before.extra_test} == set(after.extra_test)
    assert {frozenset(mapping[k] for k in g) for g in before.unresolved_ties} == {
        frozenset(g) for g in after.unresolved_ties
    }


@PROPERTY
@given(candidates(), rules_strategy, QUOTA)
def test_proposed_and_extra_test_hold_only_eligible_and_respect_the_quota(people, rules, quota):
    ranking = rank(people, rules, quota)
    eligible = {r.key for r in ranking.rows if r.eligible}
    assert set(ranking.proposed) <= eligible and set(ranking.extra_test) <= eligible
    assert not set(ranking.proposed) & set(ranking.extra_test)
    if rules.unresolved_tie == "extra_test":
        assert len(ranking.proposed) <= quota
        if ranking.extra_test:  # a group straddling the last post
            assert len(ranking.proposed) < quota < len(ranking.proposed) + len(ranking.extra_test)
    else:
        assert ranking.extra_test == ()
        largest_tie = max((len(g) for g in ranking.unresolved_ties), default=1)
        assert len(ranking.proposed) <= quota + largest_tie - 1
    # Never fewer than the posts while eligible candidates are left over.
    if not ranking.extra_test and len(ranking.proposed) < quota:
        assert set(ranking.proposed) == eligible


@PROPERTY
@given(candidates(), rules_strategy, QUOTA)
def test_ranks_are_competition_ranks_in_row_order(people, rules, quota):
    rows = rank(people, rules, quota).rows
    for index, row in enumerate(rows):
        first = next(i for i, other in enumerate(rows) if other.rank == row.rank)
        assert row.rank == first + 1
        assert index == 0 or (rows[index - 1].composite, -rows[index - 1].rank) >= (row.composite, -row.rank)


@PROPERTY
@given(candidates(min_size=2), rules_strategy, QUOTA, st.data())
def test_backfill_draws_only_eligible_candidates_not_removed(people, rules, quota, data):
    ranking = rank(people, rules, quota)
    keys = [r.key for r in ranking.rows]
    if not keys:
        return
    removed_keys = data.draw(st.lists(st.sampled_from(keys), unique=True, max_size=len(keys)))
    events = data.draw(
        st.lists(st.sampled_from(REMOVAL_EVENTS), min_size=len(removed_keys), max_size=len(removed_keys))
    )
    history = list(zip(removed_keys, events, strict=True))
    eligible = {r.key for r in ranking.rows if r.eligible}
    gone: set[str] = set()
    for key, event, replacements in backfill(ranking, history, rules):
        gone.add(key)
        assert set(replacements) <= eligible - gone
        if event == "disqualified" and key in ranking.proposed:
            assert replacements == ()
    # Renaming keys gives the same backfill.
    mapping, renamed = _renamed(people)
    again = backfill(rank(renamed, rules, quota), [(mapping[k], e) for k, e in history], rules)
    first = backfill(ranking, history, rules)
    assert [(mapping[k], e, {mapping[r] for r in reps}) for k, e, reps in first] == [
        (k, e, set(reps)) for k, e, reps in again
    ]


@PROPERTY
@given(
    candidates(),
    rules_strategy,
    QUOTA,
    st.sampled_from([None, D(60), D(70)]),
    st.randoms(use_true_random=False),
)
def test_shortlist_is_order_free_and_reaches_its_target(people, rules, quota, line, random):
    chosen = shortlist(people, rules, quota, line)
    shuffled = list(people)
    random.shuffle(shuffled)
    assert shortlist(shuffled, rules, quota, line) == chosen
    qualified = [c for c in people if c.written is not None and (line is None or c.written >= line)]
    assert len(chosen) >= min(shortlist_target(quota, rules), len(qualified))
    assert set(chosen) <= {c.key for c in qualified}
