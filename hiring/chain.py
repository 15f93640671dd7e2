"""The backfill chain (递补) of one position, one removal at a time, on exams.scoring.backfill.

Pure: no database, no Django. hiring.services.proposals reads the position's state from the
stored proposals (who is proposed, who waits for a 加试, who was removed, how many posts are
left), calls `step` for one removal and writes what it returns. Who comes next is decided by
exams.scoring.backfill alone (the next eligible candidates of the same position in rank
order, never one removed, never one under the interview line); this module only builds the
position's current state as a Ranking and tells which of the returned candidates are
proposed and which wait for a 加试. Who wins a 加试 is decided by exams.scoring.extra_test_decide
(hiring.services.proposals.record_extra_test), the rule a later ranking run applies too.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from exams import scoring

ACTIVE = "active"
PENDING_TIE = "pending_tie"

FILLED = "filled"
NOT_BACKFILLED = "not_backfilled"
POOL_EMPTY = "pool_empty"
ABSORBED = "absorbed"  # all_advance put more candidates through than posts: no vacancy


@dataclass(frozen=True)
class State:
    """A position now: the keys proposed (active or hired), the keys waiting for a 加试 and
    the places their group holds, the keys removed, and the posts still to fill."""

    proposed: tuple[str, ...]
    pending: tuple[str, ...] = ()
    pending_places: int = 0
    removed: frozenset[str] = frozenset()
    posts: int = 0


@dataclass(frozen=True)
class Placement:
    key: str
    status: str  # ACTIVE | PENDING_TIE
    tie_places: int = 0


@dataclass(frozen=True)
class Step:
    placements: tuple[Placement, ...]
    outcome: str  # FILLED | NOT_BACKFILLED | POOL_EMPTY | ABSORBED
    posts: int  # posts left after the removal


def _as_ranking(ranking: scoring.Ranking, state: State) -> scoring.Ranking:
    rows = tuple(row for row in ranking.rows if row.key not in state.removed)
    quota = len(state.proposed) + state.pending_places if state.pending else state.posts
    return scoring.Ranking(
        rows=rows,
        unresolved_ties=(),
        proposed=tuple(state.proposed),
        extra_test=tuple(state.pending),
        quota=max(quota, 1),
        absent=ranking.absent,
    )


def step(
    ranking: scoring.Ranking, state: State, key: str, event: str, rules: scoring.Rules, *, backfill: bool
) -> Step:
    """Remove `key` (event one of exams.scoring.REMOVAL_EVENTS) from the position in `state`.
    backfill: whether this removal is backfilled (the service decided it from the settings,
    the deadline and the event; "disqualified" never is). Returns the candidates proposed or
    put before a 加试 because of it. Raises exams.scoring.ScoringError as backfill does."""
    if event == "disqualified":
        backfill = False
    every_event = replace(rules, backfill_events=frozenset(scoring.BACKFILL_EVENTS))
    replayed = scoring.backfill(
        _as_ranking(ranking, state), [(key, event if backfill else "disqualified")], every_event
    )
    replacements = replayed[0][2]
    rank = {row.key: row.rank for row in ranking.rows}
    pending, places = list(state.pending), state.pending_places
    posts = state.posts
    if key in pending:
        rest = [k for k in pending if k != key]
        if replacements:  # the rest now fits its places: the tie resolved itself
            return Step(tuple(Placement(k, ACTIVE) for k in rest), FILLED, posts)
        return Step(tuple(Placement(k, PENDING_TIE, places) for k in rest), FILLED, posts)
    if key not in state.proposed:
        return Step((), NOT_BACKFILLED, posts)
    if not backfill:
        posts -= 1
        return Step((), NOT_BACKFILLED, posts)
    vacancies = posts - (len(state.proposed) - 1) - places
    if vacancies <= 0:
        return Step((), ABSORBED, posts)
    placements: list[Placement] = []
    if pending and any(k in pending for k in replacements):
        grant = min(vacancies, len(pending) - places)
        places += grant
        vacancies -= grant
        fits = len(pending) <= places
        placements.extend(
            Placement(k, ACTIVE if fits else PENDING_TIE, 0 if fits else places) for k in pending
        )
    fresh = [k for k in replacements if k not in pending]
    groups: list[list[str]] = []
    for k in fresh:
        if groups and rank[groups[-1][0]] == rank[k]:
            groups[-1].append(k)
        else:
            groups.append([k])
    for group in groups:
        if len(group) <= vacancies or rules.unresolved_tie == "all_advance":
            placements.extend(Placement(k, ACTIVE) for k in group)
            vacancies -= len(group)
        else:
            placements.extend(Placement(k, PENDING_TIE, vacancies) for k in group)
            vacancies = 0
    return Step(tuple(placements), FILLED if placements else POOL_EMPTY, posts)
