"""Reads of interviews: who may see which group, the settings the interview day needs, the
candidate an examiner scores now, the chief's board, the applicant's notice, and the
ranking's inputs (`interview_inputs`, `interview_subscores`, read by exams ranking).

Access:
- administrators manage every group; the check-in is done by administrators and the
  reviewers assigned to the announcement (the staff on site);
- an examiner sees only the groups they sit on (active seat), and scores only on the
  group's day; any other group is 404 for them;
- an applicant sees their own group's time and place once the group is published.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import BooleanField, Count, ExpressionWrapper, Prefetch, Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.roles import Role
from applicants.models import Application, Stage
from recruitment.models import Announcement

from .. import scoring
from ..interview_rules import Dimension, dropped_indexes
from ..models_interview import InterviewCandidate, InterviewExaminer, InterviewGroup, InterviewScore
from ..rules import rules_for

PANEL_DEFAULT, LATE_CUTOFF_DEFAULT = 7, 20


# ------------------------------------------------------------------ settings


@dataclass(frozen=True)
class InterviewSettings:
    panel_size: int = PANEL_DEFAULT
    late_cutoff_minutes: int = LATE_CUTOFF_DEFAULT
    dimensions: tuple[Dimension, ...] = ()

    @property
    def by_dimensions(self) -> bool:
        return bool(self.dimensions)

    @property
    def maximum(self) -> Decimal:
        return sum((d.maximum for d in self.dimensions), Decimal(0)) if self.dimensions else Decimal(100)


def _dimensions(stored) -> tuple[Dimension, ...]:
    """RankingSettings.dimensions: [{"name": "综合分析能力", "max": "20"}, …] (also "marks"
    or "maximum" for the maximum). Unreadable items are skipped."""
    out = []
    for item in stored or []:
        if not isinstance(item, dict) or not str(item.get("name") or "").strip():
            continue
        value = item.get("max", item.get("maximum", item.get("marks")))
        try:
            maximum = Decimal(str(value))
        except ArithmeticError:  # decimal.InvalidOperation: a maximum that is not a number
            maximum = Decimal(0)
        if maximum.is_finite() and maximum > 0:
            out.append(Dimension(str(item["name"]).strip(), maximum))
    return tuple(out)


def settings_of(announcement) -> InterviewSettings:
    """The interview's settings from exams.RankingSettings (issue 17, item 2); every default
    when the row (or a field) is missing."""
    try:
        stored = announcement.ranking_settings
    except Exception:  # no row yet (RelatedObjectDoesNotExist), or the model not there
        return InterviewSettings()
    dimensions = ()
    if getattr(stored, "by_dimensions", False):
        dimensions = _dimensions(getattr(stored, "dimensions", None))
    return InterviewSettings(
        panel_size=int(getattr(stored, "panel_size", None) or PANEL_DEFAULT),
        late_cutoff_minutes=int(
            getattr(stored, "late_cutoff_minutes", LATE_CUTOFF_DEFAULT)
            if getattr(stored, "late_cutoff_minutes", None) is not None
            else LATE_CUTOFF_DEFAULT
        ),
        dimensions=dimensions,
    )


def group_starts(group: InterviewGroup) -> dt.datetime:
    """The group's start as an aware datetime in the portal's time zone."""
    return timezone.make_aware(dt.datetime.combine(group.date, group.starts_at))


def group_started(group: InterviewGroup, now=None) -> bool:
    """Started: its start time has come, or someone has already scored."""
    now = now or timezone.now()
    return now >= group_starts(group) or InterviewScore.objects.filter(candidate__group=group).exists()


def is_group_day(group: InterviewGroup, now=None) -> bool:
    return timezone.localdate(now or timezone.now()) == group.date


# ------------------------------------------------------------------ the pool


def pool(announcement) -> QuerySet[Application]:
    """The candidates an interview may take: exams.selectors.shortlist.interview_pool when
    the shortlist is there (issue 17, item 3), else the applications in stage SHORTLISTED."""
    try:
        from .shortlist import interview_pool
    except ImportError:
        return Application.objects.filter(announcement=announcement, stage=Stage.SHORTLISTED)
    return interview_pool(announcement)


def pool_count(announcement) -> int:
    """How many candidates the interview takes: those of the pool, and those already placed
    in one of the announcement's groups (after the interview or the ranking they leave the
    pool's stages, yet they were shortlisted for it). One query."""
    return (
        Application.objects.filter(
            Q(pk__in=pool(announcement).values("pk")) | Q(interview_slot__group__announcement=announcement)
        )
        .distinct()
        .count()
    )


def unassigned(group: InterviewGroup) -> QuerySet[Application]:
    """The pool's candidates of the group's positions not yet in any group, still to be
    interviewed (stage SHORTLISTED)."""
    return (
        pool(group.announcement)
        .filter(
            position__in=group.positions.all(),
            stage=Stage.SHORTLISTED,
            interview_slot__isnull=True,
        )
        .select_related("position")
    )


# ------------------------------------------------------------------ access


def is_checkin_staff(user, announcement_id: int) -> bool:
    if not user.is_authenticated:
        return False
    if user.has_role(Role.ADMINISTRATOR):
        return True
    return (
        user.has_role(Role.REVIEWER)
        and user.review_assignments.filter(announcement_id=announcement_id).exists()
    )


def announcements_for_admin() -> QuerySet[Announcement]:
    return (
        Announcement.objects.exclude(status=Announcement.Status.DRAFT)
        .annotate(group_count=Count("interview_groups", distinct=True))
        .order_by("-pk")
    )


def group_for_admin(announcement_pk, group_pk) -> InterviewGroup:
    return get_object_or_404(
        InterviewGroup.objects.select_related("announcement"), pk=group_pk, announcement_id=announcement_pk
    )


def group_for_checkin(user, group_pk) -> InterviewGroup:
    group = get_object_or_404(InterviewGroup.objects.select_related("announcement"), pk=group_pk)
    if not is_checkin_staff(user, group.announcement_id):
        raise Http404
    return group


def seat_of(user, group_pk) -> InterviewExaminer:
    """The user's active seat on the group, else 404 (another group's examiner, staff,
    applicants: the group does not exist for them)."""
    if not user.is_authenticated or not user.has_role(Role.EXAMINER):
        raise Http404
    return get_object_or_404(
        InterviewExaminer.objects.select_related("group__announcement"),
        group_id=group_pk,
        user=user,
        active=True,
    )


def seats_of(user) -> QuerySet[InterviewExaminer]:
    return (
        InterviewExaminer.objects.filter(user=user)
        .select_related("group__announcement", "replaced_by__user")
        .order_by("group__date", "group__starts_at", "group__code")
    )


# ------------------------------------------------------------------ the day


def group_candidates(group: InterviewGroup) -> QuerySet[InterviewCandidate]:
    return (
        InterviewCandidate.objects.filter(group=group)
        .select_related("application__position", "application__applicant")
        .order_by("order", "application__position__code", "pk")
    )


def current_candidate(group: InterviewGroup) -> InterviewCandidate | None:
    """The candidate in the room: the lowest draw number present and not yet signed off."""
    return (
        InterviewCandidate.objects.filter(
            group=group,
            attendance=InterviewCandidate.Attendance.PRESENT,
            order__isnull=False,
            signed_off_at__isnull=True,
        )
        .select_related("application__position")
        .order_by("order")
        .first()
    )


def active_examiners(group: InterviewGroup) -> list[InterviewExaminer]:
    return list(group.examiners.filter(active=True).select_related("user").order_by("-chief", "pk"))


@dataclass
class BoardRow:
    candidate: InterviewCandidate
    marks: list[dict] = field(default_factory=list)  # per examiner: scored, locked, total, dropped
    scored: int = 0
    complete: bool = False


def board(group: InterviewGroup, examiners: list[InterviewExaminer]) -> list[BoardRow]:
    """The chief's board: each candidate with an order, and for each active examiner
    whether they have scored (the value only after sign-off, with the dropped marked)."""
    rules = rules_for(group.announcement)
    candidates = (
        InterviewCandidate.objects.filter(group=group, order__isnull=False)
        .select_related("application__position")
        .prefetch_related(Prefetch("scores", queryset=InterviewScore.objects.order_by("examiner_id")))
        .order_by("order")
    )
    rows = []
    for candidate in candidates:
        by_examiner = {score.examiner_id: score for score in candidate.scores.all()}
        marks = []
        for examiner in examiners:
            score = by_examiner.get(examiner.pk)
            marks.append(
                {
                    "examiner": examiner,
                    "score": score,
                    "locked": bool(score and score.locked),
                    "dropped": False,
                }
            )
        if candidate.signed_off_at:
            values = [m["score"].total for m in marks if m["score"]]
            for index in dropped_indexes(values, rules.drop_extremes):
                [m for m in marks if m["score"]][index]["dropped"] = True
        scored = sum(1 for m in marks if m["locked"])
        rows.append(BoardRow(candidate, marks, scored, scored == len(examiners) and bool(examiners)))
    return rows


def late_waiting(group: InterviewGroup) -> QuerySet[InterviewCandidate]:
    return (
        InterviewCandidate.objects.filter(group=group, attendance=InterviewCandidate.Attendance.LATE)
        .select_related("application__position")
        .order_by("arrived_at", "pk")
    )


def attendance_counts(group: InterviewGroup) -> dict[str, int]:
    rows = dict(
        InterviewCandidate.objects.filter(group=group)
        .values_list("attendance")
        .annotate(n=Count("pk"))
        .values_list("attendance", "n")
    )
    return {key: rows.get(key, 0) for key in InterviewCandidate.Attendance.values} | {
        "total": sum(rows.values())
    }


# ------------------------------------------------------------------ the applicant


def notice_of(application) -> InterviewCandidate | None:
    """The applicant's interview place once its group is published."""
    return (
        InterviewCandidate.objects.filter(application=application, group__published_at__isnull=False)
        .select_related("group")
        .first()
    )


# ------------------------------------------------------------------ ranking inputs


def interview_inputs(announcement) -> dict[int, tuple[str, tuple[Decimal, ...] | None]]:
    """application id → (interview group code, the signed-off examiners' scores), with
    None for a candidate absent at the interview. Candidates not yet signed off (and not
    absent) are left out. Scores are those of the group's active examiners, in seat order
    (by examiner id), as Decimals with the column's two places.
    On PostgreSQL one query that joins each candidate's scores into one text per candidate
    (100,000 rows for 700,000 scores: issue 17's bench reads them in a fifth of the CPU);
    elsewhere (SQLite) `interview_inputs_portable`, two queries. Both give the same."""
    if connection.vendor == "postgresql":
        return _interview_inputs_postgresql(announcement)
    return interview_inputs_portable(announcement)


def _ranking_candidates(announcement) -> QuerySet[InterviewCandidate]:
    return InterviewCandidate.objects.filter(group__announcement=announcement).filter(
        Q(signed_off_at__isnull=False) | Q(attendance=InterviewCandidate.Attendance.ABSENT)
    )


class _DecimalOfText(dict):
    """ "80.50" → Decimal("80.50"), each distinct text parsed once (a score column holds at
    most 10,001 values; Decimals are immutable, so candidates may share one)."""

    def __missing__(self, text: str) -> Decimal:
        value = self[text] = Decimal(text)
        return value


def _interview_inputs_postgresql(announcement) -> dict[int, tuple[str, tuple[Decimal, ...] | None]]:
    """interview_inputs in one query: STRING_AGG of the active examiners' scores as text,
    ordered by examiner id, split here (C speed) and parsed once per distinct value."""
    from django.contrib.postgres.aggregates import StringAgg

    decimal_of = _DecimalOfText().__getitem__
    rows = (
        _ranking_candidates(announcement)
        .order_by()
        .annotate(
            signed=ExpressionWrapper(Q(signed_off_at__isnull=False), output_field=BooleanField()),
            totals=StringAgg(
                Cast("scores__total", TextField()),
                ",",
                filter=Q(scores__examiner__active=True),
                order_by="scores__examiner_id",
            ),
        )
        .values_list("application_id", "group__code", "signed", "totals")
    )
    out: dict[int, tuple[str, tuple[Decimal, ...] | None]] = {}
    for application_id, code, signed, totals in rows:
        if not signed:
            out[application_id] = (code, None)
        elif totals:
            out[application_id] = (code, tuple(map(decimal_of, totals.split(","))))
        else:  # signed off with no active examiner's score
            out[application_id] = (code, ())
    return out


def interview_inputs_portable(announcement) -> dict[int, tuple[str, tuple[Decimal, ...] | None]]:
    """interview_inputs on any database (SQLite on a laptop): the candidates, then every
    active examiner's score row. Two queries."""
    out: dict[int, tuple[str, tuple[Decimal, ...] | None]] = {}
    signed: dict[int, list[Decimal]] = {}
    for application_id, code, signed_off in _ranking_candidates(announcement).values_list(
        "application_id", "group__code", "signed_off_at"
    ):
        out[application_id] = (code, None)
        if signed_off is not None:
            signed[application_id] = []
    for application_id, total in (
        InterviewScore.objects.filter(
            candidate__group__announcement=announcement,
            candidate__signed_off_at__isnull=False,
            examiner__active=True,
        )
        .order_by("candidate_id", "examiner_id")
        .values_list("candidate__application_id", "total")
    ):
        signed[application_id].append(total)
    for application_id, totals in signed.items():
        out[application_id] = (out[application_id][0], tuple(totals))
    return out


def interview_subscores(announcement) -> dict[int, dict[str, Decimal]]:
    """application id → {dimension: score} for signed-off candidates scored by dimensions:
    each dimension's examiner scores through exams.scoring.interview_score (the same
    trimming and rounding as the total). Empty where scoring is by total only."""
    rules = rules_for(announcement)
    parts: dict[int, dict[str, list[Decimal]]] = {}
    for application_id, stored in (
        InterviewScore.objects.filter(
            candidate__group__announcement=announcement,
            candidate__signed_off_at__isnull=False,
            examiner__active=True,
        )
        .exclude(parts={})
        .order_by("candidate_id", "examiner_id")
        .values_list("candidate__application_id", "parts")
    ):
        for name, value in (stored or {}).items():
            parts.setdefault(application_id, {}).setdefault(name, []).append(Decimal(str(value)))
    return {
        application_id: {name: scoring.interview_score(values, rules) for name, values in by_name.items()}
        for application_id, by_name in parts.items()
    }


subscores = interview_subscores  # the name of the contract (TEAM-RULES, 17b)
