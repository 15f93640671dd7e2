"""The 加试 (extra test) of a ranking (issue 17 item 1): a group of equals straddling the last
post is decided by an extra test; its score enters the next ranking run as the subscore
"extra_test" with "subscore:extra_test" appended to the tie-breakers (exams.services.ranking).
A 加试 that ties again is followed by another round for the still tied: round k ≥ 2 enters as
"extra_test_<k>", appended after round k-1 (exams.services.ranking_inputs.assemble). Which
round an entry is, one rule for both writers: extra_test_round.

ExtraTestResult is the one home of every 加试 score: the ranking's (extra_test_record, for
the candidates a version flags) and hiring's, when a backfill (递补) or the proposal of a
position reaches a group of equals for fewer places (extra_test_record_group, called by
hiring.services.proposals.record_extra_test, which decides the winners by
exams.scoring.extra_test_decide). Either way the next ranking run reads the same score."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal import audit

from ..models_ranking import ExtraTestResult, RankingRow, RankingVersion
from ..scoring import ExtraTestDecision, extra_test_decide
from .ranking import _check_admin

CENT = Decimal("0.01")


def parse_extra_score(text) -> Decimal:
    """A 加试 score: 0–100 with at most 2 decimals; ValidationError otherwise."""
    try:
        value = Decimal(str(text).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(_("请输入 0 到 100 之间的分数，最多两位小数。"))
    if not value.is_finite() or value < 0 or value > 100:
        raise ValidationError(_("请输入 0 到 100 之间的分数，最多两位小数。"))
    if value.as_tuple().exponent < -2:
        raise ValidationError(_("分数最多保留两位小数。"))
    return value


def extra_test_round(recorded: Mapping[object, Mapping[int, Decimal]], *, tie_seen: bool = True) -> int:
    """Which 加试 round an entry for one group of equals is (pure).

    recorded: each member of the group → {round (1, 2, …): score} already recorded for them
    ({} for none). tie_seen: whether the caller knows the group is still waiting after its
    latest round (hiring: always, it asks again only for the still tied; the ranking: the
    version flagging them again was ranked with their latest scores).
    The entry is the next round (latest + 1) when every member has a score in the group's
    latest round, all are equal on every recorded round, and tie_seen: the 加试 tied, the still
    tied sit another. Otherwise it is the group's latest round (1 when nothing is recorded):
    a later entry replaces that round's score (a correction, or a member not yet entered).
    E.g. {b: {1: 85}, c: {1: 85}} → 2; {b: {1: 85}, c: {1: 86}} → 1; {b: {}, c: {}} → 1;
    {b: {1: 85, 2: 70}, c: {1: 85}} → 2."""
    latest = max((max(rounds) for rounds in recorded.values() if rounds), default=0)
    if not latest:
        return 1
    members = list(recorded.values())
    tied = all(latest in rounds for rounds in members) and all(
        len({rounds.get(number) for rounds in members}) == 1 for number in range(1, latest + 1)
    )
    return latest + 1 if tied and tie_seen else latest


def _recorded(application_ids, *, lock: bool = True) -> dict[int, dict[int, Decimal]]:
    """application id → {round: score} recorded; with `lock`, the rows are locked
    (select_for_update) until the transaction ends (call inside transaction.atomic)."""
    recorded: dict[int, dict[int, Decimal]] = {app_id: {} for app_id in application_ids}
    results = ExtraTestResult.objects.select_for_update() if lock else ExtraTestResult.objects
    for app_id, number, score in (
        results.filter(application_id__in=list(recorded))
        .order_by("application_id", "round")
        .values_list("application_id", "round", "score")
    ):
        recorded[app_id][number] = score
    return recorded


def _write(*, announcement_id, app_id, number, score, old, actor, why="") -> ExtraTestResult:
    """Write one candidate's score of round `number` (replacing that round's, audited
    old → new) and audit it."""
    result, created = ExtraTestResult.objects.update_or_create(
        application_id=app_id,
        round=number,
        defaults={"announcement_id": announcement_id, "score": score, "entered_by": actor},
    )
    if number == 1:
        if created:
            note = _("加试成绩 %(score)s") % {"score": score}
        else:
            note = _("加试成绩 %(old)s → %(new)s") % {"old": old, "new": score}
    elif created:
        note = _("第 %(round)s 轮加试成绩 %(score)s") % {"round": number, "score": score}
    else:
        note = _("第 %(round)s 轮加试成绩 %(old)s → %(new)s") % {"round": number, "old": old, "new": score}
    audit.record(
        actor,
        result,
        audit.ADDITION if created else audit.CHANGE,
        fields=[] if created else ["score"],
        note=f"{note}；{why}" if why else note,
    )
    return result


def extra_test_record(*, version: RankingVersion, actor, scores: dict[int, Decimal]) -> int:
    """Record the 加试 scores of candidates flagged for it in `version` (administrators).

    scores: application id → score (0–100, at most 2 decimals; str or Decimal). Kept per
    application and round (extra_test_round, over each position's flagged group): a later
    entry for the same round replaces it (a correction, audited old → new); when the group
    flagged in `version` already has equal scores in its latest round and `version` was
    ranked with them (its rows carry them: the 加试 tied and the version flags the group
    again), the entry is the next round. The next ranking run reads round 1 as the subscore
    "extra_test", round k as "extra_test_<k>", appended to the tie-breakers in order, and
    makes a new version. Returns how many were recorded. PermissionDenied for a
    non-administrator; ValidationError for a candidate not flagged or a bad score (nothing
    is written then)."""
    _check_admin(actor)
    flagged = _flagged(version)
    unknown = set(scores) - set(flagged)
    if unknown or not scores:
        raise ValidationError(_("只能为本版排名中需要加试的考生录入加试成绩。"))
    parsed = {app_id: parse_extra_score(score) for app_id, score in scores.items()}
    with transaction.atomic():
        recorded = _recorded(flagged)
        rounds = _entry_rounds(flagged, recorded)
        for app_id, score in sorted(parsed.items()):
            number = rounds[app_id]
            _write(
                announcement_id=version.announcement_id,
                app_id=app_id,
                number=number,
                score=score,
                old=recorded[app_id].get(number),
                actor=actor,
            )
    return len(scores)


def extra_test_entry(version: RankingVersion) -> dict[int, tuple[int, Decimal | None]]:
    """For the ranking's 加试 page: application id of each candidate flagged in `version` →
    (the round an entry against `version` records, the score already recorded in that round
    or None), as extra_test_record decides it. A new round starts empty, so the page does not
    offer the tied round's scores again. Two queries."""
    flagged = _flagged(version)
    recorded = _recorded(flagged, lock=False)
    rounds = _entry_rounds(flagged, recorded)
    return {app_id: (rounds[app_id], recorded[app_id].get(rounds[app_id])) for app_id in flagged}


def _flagged(version: RankingVersion) -> dict[int, tuple[int, int, Decimal | None]]:
    """application id → (position id, rank, extra_test_score) of the rows flagged for a 加试
    in `version`."""
    return {
        app_id: (position_id, rank, shown)
        for app_id, position_id, rank, shown in RankingRow.objects.filter(
            version=version, extra_test=True
        ).values_list("application_id", "position_id", "rank", "extra_test_score")
    }


def _entry_rounds(flagged, recorded) -> dict[int, int]:
    """application id → the round of an entry against the version (extra_test_round over
    each group: the flagged of one position, sharing a rank). tie_seen: the version's rows
    carry every member's latest-round score (it was ranked with them and flags them again)."""
    groups: dict[tuple, list[int]] = {}
    for app_id, (position_id, rank, _shown) in flagged.items():
        groups.setdefault((position_id, rank), []).append(app_id)
    rounds = {}
    for members in groups.values():
        group = {app_id: recorded[app_id] for app_id in members}
        latest = max((max(r) for r in group.values() if r), default=0)
        seen = all(
            latest in group[app_id] and flagged[app_id][2] == group[app_id][latest] for app_id in members
        )
        rounds.update(dict.fromkeys(members, extra_test_round(group, tie_seen=seen)))
    return rounds


def extra_test_record_group(
    *, version: RankingVersion, actor, scores: dict[int, Decimal], places: int, why: str = ""
) -> tuple[dict[int, Decimal], ExtraTestDecision]:
    """Record the 加试 of one group of equals of the confirmed `version` competing for
    `places` posts (administrators), and say what it decided.

    scores: application id → score (0–100, at most 2 decimals; str or Decimal), one per member
    of the group: two or more applications of one position, ranked, eligible and sharing one
    rank in `version` (equal on the composite and every tie-breaker). Each score is kept in
    ExtraTestResult, audited with `why`, in the round extra_test_round gives: round 1 the
    first time; the next round when every member already has a score in the group's latest
    round and all are equal on every round (hiring asks again only for the group still tied
    after a 加试: the earlier rounds are kept, so a later ranking run orders everyone by
    round 1, then the still tied by round 2, …); otherwise a correction of the latest round
    (replaced, audited old → new). The next ranking run reads round 1 as the subscore
    "extra_test", round k as "extra_test_<k>".
    Returns ({application id: score}, exams.scoring.extra_test_decide over the group with
    str(application id) as keys): winners, the still tied with the places left (another 加试
    is needed for them), others. Raises PermissionDenied for a non-administrator,
    ValidationError for a bad score, a version not confirmed, or candidates that are not one
    group of equals of the version (nothing is written then)."""
    _check_admin(actor)
    if version.status != RankingVersion.Status.CONFIRMED:
        raise ValidationError(_("只能按已确认的排名版本录入加试成绩。"))
    # As stored (2 places; exact: parse_extra_score refuses more), so messages show 88.00.
    parsed = {int(app_id): parse_extra_score(score).quantize(CENT) for app_id, score in scores.items()}
    rows = list(
        RankingRow.objects.filter(version=version, application_id__in=list(parsed)).values_list(
            "position_id", "rank", "eligible", "absent"
        )
    )
    one_group = (
        len(parsed) >= 2
        and len(rows) == len(parsed)
        and len({(position, rank) for position, rank, _e, _a in rows}) == 1
        and all(eligible and not absent for _p, _r, eligible, absent in rows)
    )
    if not one_group or not 1 <= places < len(parsed):
        raise ValidationError(_("加试只能在确认排名中名次相同的合格考生之间进行。"))
    decision = extra_test_decide({str(app_id): score for app_id, score in parsed.items()}, places)
    with transaction.atomic():
        recorded = _recorded(parsed)
        number = extra_test_round(recorded)
        for app_id, score in sorted(parsed.items()):
            _write(
                announcement_id=version.announcement_id,
                app_id=app_id,
                number=number,
                score=score,
                old=recorded[app_id].get(number),
                actor=actor,
                why=why,
            )
    return parsed, decision
