"""Reads of ranking versions (issue 17): the confirmed version hiring works from, one
position's ranking rebuilt from the stored rows, the rows themselves, the differences between
two versions, and what an applicant and the public may see.

Contract (TEAM-RULES, used by hiring): `confirmed_version(announcement)`,
`position_ranking(version, position) -> exams.scoring.Ranking` (keys = str(application id)),
`rows_for(version, position)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet

from ..models_ranking import ExtraTestResult, RankingRow, RankingVersion
from ..scoring import Ranking, Row, Rules


def _id(obj) -> int:
    return obj if isinstance(obj, int) else obj.pk


def confirmed_version(announcement) -> RankingVersion | None:
    """The announcement's confirmed ranking version (the one hiring works from), or None.
    `announcement`: a recruitment.Announcement or its id. One query."""
    return RankingVersion.objects.filter(
        announcement_id=_id(announcement), status=RankingVersion.Status.CONFIRMED
    ).first()


def latest_version(announcement) -> RankingVersion | None:
    return RankingVersion.objects.filter(announcement_id=_id(announcement)).order_by("-number").first()


def versions_of(announcement) -> QuerySet[RankingVersion]:
    return (
        RankingVersion.objects.filter(announcement_id=_id(announcement))
        .select_related("created_by", "confirmed_by")
        .order_by("-number")
    )


def rows_for(version, position) -> QuerySet[RankingRow]:
    """The stored rows of one position in `version`, in display order: by rank, equals by
    application id (for display only), absent candidates last. `version`, `position`: objects
    or ids."""
    return RankingRow.objects.filter(version_id=_id(version), position_id=_id(position)).order_by("order")


def rules_of(version: RankingVersion) -> Rules:
    """The exams.scoring.Rules the version was computed with."""
    settings = dict(version.rules)
    settings.pop("room_scope", None)
    return Rules.from_mapping(settings)


def quota_of(version: RankingVersion, position) -> int:
    return int(version.quotas.get(str(_id(position)), 0))


def ranking_from_rows(rows, quota: int) -> Ranking:
    """exams.scoring.Ranking from stored rows (in their order), keys = str(application id)."""
    ranked = []
    absent = []
    proposed = []
    extra = []
    groups: dict[int, list[str]] = {}
    for row in rows:
        key = str(row.application_id)
        if row.absent:
            absent.append(key)
            continue
        ranked.append(
            Row(
                key=key,
                written_total=row.written_total,
                interview_raw=row.interview_raw,
                coefficient=row.coefficient,
                interview=row.interview,
                composite=row.composite,
                rank=row.rank,
                eligible=row.eligible,
            )
        )
        if row.proposed:
            proposed.append((row.rank, row.order, key))
        if row.extra_test:
            extra.append(key)
        if row.tie_group is not None:
            groups.setdefault(row.tie_group, []).append(key)
    return Ranking(
        rows=tuple(ranked),
        unresolved_ties=tuple(tuple(sorted(groups[g])) for g in sorted(groups)),
        proposed=tuple(key for _rank, _order, key in sorted(proposed)),
        extra_test=tuple(extra),
        quota=quota,
        absent=tuple(sorted(absent)),
    )


def position_ranking(version, position) -> Ranking:
    """One position's exams.scoring.Ranking rebuilt from the rows stored in `version`
    (keys = str(application id)); exams.scoring.backfill takes it as is. Two queries when
    `version` is an id, one when it is the object."""
    if isinstance(version, int):
        version = RankingVersion.objects.get(pk=version)
    return ranking_from_rows(rows_for(version, position), quota_of(version, position))


@dataclass(frozen=True)
class PositionSummary:
    position_id: int
    code: str
    name: str
    quota: int
    ranked: int
    absent: int
    proposed: int
    extra_test: int
    ties: int


def position_summaries(version: RankingVersion) -> list[PositionSummary]:
    """Per position: counts of ranked, absent, proposed, 加试 and tied rows. One query."""
    rows = (
        RankingRow.objects.filter(version=version)
        .values("position_id", "position__code", "position__name")
        .annotate(
            ranked=Count("pk", filter=Q(absent=False)),
            absent_count=Count("pk", filter=Q(absent=True)),
            proposed_count=Count("pk", filter=Q(proposed=True)),
            extra_count=Count("pk", filter=Q(extra_test=True)),
            tied=Count("pk", filter=Q(tie_group__isnull=False)),
        )
        .order_by("position__code", "position_id")
    )
    return [
        PositionSummary(
            position_id=row["position_id"],
            code=row["position__code"],
            name=row["position__name"],
            quota=quota_of(version, row["position_id"]),
            ranked=row["ranked"],
            absent=row["absent_count"],
            proposed=row["proposed_count"],
            extra_test=row["extra_count"],
            ties=row["tied"],
        )
        for row in rows
    ]


@dataclass(frozen=True)
class Change:
    """One candidate whose result differs between two versions."""

    application_id: int
    ticket_number: str
    masked_name: str
    fields: tuple[tuple[str, object, object], ...]  # (field, before, after)


DIFF_FIELDS = (
    "written_total",
    "interview",
    "composite",
    "rank",
    "eligible",
    "proposed",
    "extra_test",
    "absent",
)


def differences(version: RankingVersion, previous: RankingVersion | None, position=None) -> list[Change]:
    """What changed for each candidate from `previous` to `version` (optionally in one
    position): scores, rank, eligibility, proposal. Candidates only in one of them are
    listed with None on the other side. Two queries."""
    if previous is None:
        return []
    values = ("application_id", "ticket_number", "masked_name", *DIFF_FIELDS)
    now = RankingRow.objects.filter(version=version)
    before = RankingRow.objects.filter(version=previous)
    if position is not None:
        now = now.filter(position_id=_id(position))
        before = before.filter(position_id=_id(position))
    old = {row["application_id"]: row for row in before.values(*values)}
    changes = []
    for row in now.order_by("position_id", "order").values(*values):
        prior = old.pop(row["application_id"], None)
        fields = tuple(
            (name, prior[name] if prior else None, row[name])
            for name in DIFF_FIELDS
            if prior is None or prior[name] != row[name]
        )
        if fields:
            changes.append(Change(row["application_id"], row["ticket_number"], row["masked_name"], fields))
    for row in old.values():
        changes.append(
            Change(
                row["application_id"],
                row["ticket_number"],
                row["masked_name"],
                tuple((name, row[name], None) for name in DIFF_FIELDS),
            )
        )
    return changes


def extra_test_rounds(announcement) -> dict[int, dict[int, Decimal]]:
    """application id → {加试 round (1, 2, …): score} entered for the announcement, rounds in
    order. One query."""
    rounds: dict[int, dict[int, Decimal]] = {}
    for app_id, number, score in (
        ExtraTestResult.objects.filter(announcement_id=_id(announcement))
        .order_by("application_id", "round")
        .values_list("application_id", "round", "score")
    ):
        rounds.setdefault(app_id, {})[number] = score
    return rounds


def extra_test_scores(announcement) -> dict[int, Decimal]:
    """application id → the 加试 score of its latest round entered for the announcement (what
    the pages show; every round: extra_test_rounds). One query."""
    return {app_id: scores[max(scores)] for app_id, scores in extra_test_rounds(announcement).items()}


def published_version(announcement) -> RankingVersion | None:
    """The confirmed version once the administrator published it (what applicants and the
    public see), else None."""
    return RankingVersion.objects.filter(
        announcement_id=_id(announcement),
        status=RankingVersion.Status.CONFIRMED,
        published_at__isnull=False,
    ).first()


def own_row(user, application) -> tuple[RankingVersion, RankingRow] | None:
    """The applicant's own row in the published version (None before publication). Only
    the application's owner: anyone else gets None."""
    if application.applicant_id != user.pk:
        return None
    row = (
        RankingRow.objects.filter(
            application_id=application.pk,
            version__status=RankingVersion.Status.CONFIRMED,
            version__published_at__isnull=False,
        )
        .select_related("version")
        .first()
    )
    if row is None:
        return None
    return row.version, row
