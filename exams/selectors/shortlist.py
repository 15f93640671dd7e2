"""Reads of the interview shortlist (进入面试人员名单): the interview pool other helpers build
on, the written candidates of a position as exams.scoring sees them, the public list, the
staff list and the applicant's own entry.

Access: staff = administrators and reviewers assigned to the announcement (as for written
scores, exams.selectors.written.is_score_staff); the public list exists only once published;
an applicant sees only their own entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone

from applicants.models import Application, Stage

from .. import scoring
from ..models_shortlist import Shortlist, ShortlistCut, ShortlistEntry
from ..models_written import BonusClaim, PositionPassLine, ScoreStatus, WrittenScore
from ..rules import rules_for
from .written import mask_name

# The stages of the pool: shortlisted and still in, then after the interview sign-off.
POOL_STAGES = (Stage.SHORTLISTED, Stage.INTERVIEWED, Stage.ABSENT)


def interview_pool(announcement) -> QuerySet[Application]:
    """The applications of `announcement` (an instance or an id) shortlisted for the interview
    and still in: stage SHORTLISTED, or INTERVIEWED / ABSENT after the interview. ABSENT is
    also the written exam's absence, so the pool is limited to applications with a
    shortlist entry in an "in" state (a candidate absent from the written exam has none)."""
    pk = getattr(announcement, "pk", announcement)
    return Application.objects.filter(
        announcement_id=pk,
        stage__in=POOL_STAGES,
        shortlist_entry__state__in=ShortlistEntry.IN,
    )


def shortlist_of(announcement) -> Shortlist | None:
    pk = getattr(announcement, "pk", announcement)
    return Shortlist.objects.filter(announcement_id=pk).first()


def is_published(shortlist: Shortlist | None, now=None) -> bool:
    return bool(shortlist and shortlist.published_at and shortlist.published_at <= (now or timezone.now()))


# ------------------------------------------------------------------ the scoring inputs


@dataclass(frozen=True)
class PositionInputs:
    """One position's written candidates as exams.scoring sees them (key = str(application id)),
    its rules and pass line."""

    position_id: int
    quota: int
    rules: scoring.Rules
    line: Decimal | None
    candidates: tuple[scoring.Candidate, ...]


def written_inputs(announcement, positions) -> dict[int, PositionInputs]:
    """{position id: PositionInputs} from the final written scores and confirmed bonus items
    (the pass line over everyone who sat the announcement's exam, as at publication).
    Three queries whatever the number of positions (scores, bonus items, overrides) plus
    one for the announcement's RankingSettings."""
    rows = list(
        WrittenScore.objects.filter(announcement_id=announcement.pk).values_list(
            "position_id", "status", "raw", "ticket__application_id"
        )
    )
    bonus: dict[int, list[Decimal]] = {}
    for application_id, points in BonusClaim.objects.filter(
        application__announcement_id=announcement.pk, status=BonusClaim.Status.CONFIRMED
    ).values_list("application_id", "category__points"):
        bonus.setdefault(application_id, []).append(points)
    overrides = {
        o.position_id: o for o in PositionPassLine.objects.filter(position__announcement_id=announcement.pk)
    }
    by_position: dict[int, list[scoring.Candidate]] = {}
    sat = []
    for position_id, status, raw, application_id in rows:
        candidate = scoring.Candidate(
            key=str(application_id),
            written=raw if status == ScoreStatus.SCORED else None,
            bonus=tuple(bonus.get(application_id, ())),
        )
        by_position.setdefault(position_id, []).append(candidate)
        if candidate.written is not None:
            sat.append(candidate)
    result = {}
    for position in positions:
        rules = rules_for(announcement, override=overrides.get(position.pk))
        result[position.pk] = PositionInputs(
            position_id=position.pk,
            quota=position.quota,
            rules=rules,
            line=scoring.pass_line(sat, rules),
            candidates=tuple(by_position.get(position.pk, ())),
        )
    return result


# ------------------------------------------------------------------ lists


def staff_entries(shortlist: Shortlist, position_id: int | None = None) -> QuerySet[ShortlistEntry]:
    entries = ShortlistEntry.objects.filter(shortlist=shortlist).select_related(
        "application__exam_ticket", "position", "changed_by"
    )
    if position_id:
        entries = entries.filter(position_id=position_id)
    return entries.order_by("position__code", "-written_total", "application__exam_ticket__number")


def cuts(shortlist: Shortlist) -> list[ShortlistCut]:
    return list(ShortlistCut.objects.filter(shortlist=shortlist).select_related("position"))


@dataclass(frozen=True)
class PublicRow:
    number: str
    name: str
    written_total: Decimal
    note: str


def public_rows(shortlist: Shortlist, position_id: int) -> list[PublicRow]:
    """The published list of one position: ticket number, masked name, written total, by
    total then ticket number; a backfilled candidate marked 递补. Everyone ever listed stays
    listed (those who left are not shown as leaving: that is personal)."""
    rows = (
        ShortlistEntry.objects.filter(shortlist=shortlist, position_id=position_id)
        .order_by("-written_total", "application__exam_ticket__number")
        .values_list(
            "application__exam_ticket__number", "application__snapshot__real_name", "written_total", "round"
        )
    )
    from django.utils.translation import gettext as _

    return [
        PublicRow(number or "", mask_name(name or ""), total, _("递补") if round_ else "")
        for number, name, total, round_ in rows
    ]


def own_entry(user, application) -> ShortlistEntry | None:
    """The applicant's own entry (None when not shortlisted or the list is not published)."""
    if application.applicant_id != user.pk:
        return None
    entry = (
        ShortlistEntry.objects.filter(application_id=application.pk)
        .select_related("shortlist", "position")
        .first()
    )
    if entry is None or not is_published(entry.shortlist):
        return None
    return entry
