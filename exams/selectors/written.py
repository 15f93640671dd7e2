"""Reads of written results: who may enter scores, the paper (parts and full marks) of each
position, what an applicant and the public may see, and when.

Access: scores are entered, imported, corrected and published by reviewers assigned to the
announcement (recruitment.ReviewerAssignment) or administrators; everyone else gets 404.
Applicants see only their own score, and only after publication; the public lists exist only
after publication.
"""

from __future__ import annotations

import functools
import time
import weakref
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.roles import Role
from recruitment.models import Announcement

from ..models import ExamPlan, Ticket
from ..models_written import (
    BonusClaim,
    PositionResult,
    ScoreStatus,
    WrittenPartScore,
    WrittenResults,
    WrittenScore,
)


def is_score_staff(user, announcement_id: int) -> bool:
    """Administrators, and reviewers assigned to the announcement."""
    if not user.is_authenticated:
        return False
    if user.has_role(Role.ADMINISTRATOR):
        return True
    return (
        user.has_role(Role.REVIEWER)
        and user.review_assignments.filter(announcement_id=announcement_id).exists()
    )


def announcements_for_staff(user) -> QuerySet[Announcement]:
    base = Announcement.objects.exclude(status=Announcement.Status.DRAFT).filter(exam_plan__isnull=False)
    if not user.is_authenticated:
        return base.none()
    if user.has_role(Role.ADMINISTRATOR):
        return base
    if user.has_role(Role.REVIEWER):
        return base.filter(reviewer_assignments__reviewer=user).distinct()
    return base.none()


def announcement_for_staff(user, pk) -> Announcement:
    """The announcement if `user` may work on its scores, else 404."""
    return get_object_or_404(announcements_for_staff(user), pk=pk)


@dataclass(frozen=True)
class Part:
    name: str
    full_marks: Decimal


@dataclass(frozen=True)
class Paper:
    """What a candidate of one position sits: its parts in order and the full marks."""

    parts: tuple[Part, ...]

    @property
    def full_marks(self) -> Decimal:
        return sum((p.full_marks for p in self.parts), Decimal(0))


def papers_of(plan: ExamPlan) -> tuple[dict[int | None, Paper], list[str]]:
    """{position id: Paper} for each position a session names, and under None the paper of
    positions no session names (they sit the sessions naming none); plus every part name in
    order (the import sheet's columns). A session with parts gives its parts, one without
    gives itself as one part. Two queries."""
    sessions = list(plan.sessions.prefetch_related("positions").order_by("starts_at", "pk"))
    named = {p.pk for s in sessions for p in s.positions.all()}

    def paper(position_id):
        parts = []
        for s in sessions:
            ids = {p.pk for p in s.positions.all()}
            if ids and position_id not in ids:
                continue
            if s.parts:
                parts += [Part(str(p["name"]), Decimal(str(p["marks"]))) for p in s.parts]
            else:
                parts.append(Part(s.subject, s.full_marks))
        return Paper(tuple(parts))

    papers: dict[int | None, Paper] = {pid: paper(pid) for pid in named}
    papers[None] = paper(None)
    names: list[str] = []
    for value in papers.values():
        for part in value.parts:
            if part.name not in names:
                names.append(part.name)
    return papers, names


def paper_for(papers: dict, position_id: int) -> Paper:
    return papers.get(position_id) or papers[None]


def results_of(announcement_id: int) -> WrittenResults | None:
    return WrittenResults.objects.filter(announcement_id=announcement_id).first()


# The figures every candidate of an announcement reads on results day (the publication
# record, each position's pass line and how many sat) come from the cache: one Redis read
# instead of two queries per page. exams.services.written forgets them whenever they can
# change (a score recorded or corrected, a bonus decided, a line set, results computed or
# published): at once and again after the commit. The TTL bounds what a reader that
# started before such a commit could put back.
FIGURES_KEY = "exams:written:figures:%s"
FIGURES_SECONDS = 60
# Each process keeps them a few seconds more in its own memory (no Redis round trip on a
# busy results day: ~10 ms each on a loaded host): another process sees a change within
# PROCESS_SECONDS of the shared key being forgotten; this process at once.
PROCESS_SECONDS = 5
_process_figures: dict[str, tuple[float, Figures]] = {}  # key → (until, figures); not pickled


@dataclass(frozen=True)
class Figures:
    results: WrittenResults | None
    positions: dict[int, PositionResult]


def published_figures(announcement_id: int) -> Figures:
    """The announcement's WrittenResults and {position id: PositionResult} (empty before
    publication), cached. Two queries on a miss, none on a hit."""
    key = FIGURES_KEY % announcement_id
    held = _process_figures.get(key)
    if held is not None and held[0] > time.monotonic():
        return held[1]
    figures = cache.get(key)
    if figures is None:
        results = results_of(announcement_id)
        positions = {}
        if results is not None and results.published_at is not None:
            positions = {
                r.position_id: r for r in PositionResult.objects.filter(announcement_id=announcement_id)
            }
        figures = Figures(results, positions)
        cache.set(key, figures, FIGURES_SECONDS)
    _process_figures[key] = (time.monotonic() + PROCESS_SECONDS, figures)
    return figures


CATEGORIES_KEY = "exams:bonus_categories:%s"


def bonus_categories(announcement_id: int) -> list:
    """The announcement's bonus categories (BonusCategory rows, by points), cached: the
    application page and the apply form ask on every view. Forgotten when a category is
    saved or deleted (forget_categories, connected by exams.services.written.register)."""
    from recruitment.models import BonusCategory

    key = CATEGORIES_KEY % announcement_id
    categories = cache.get(key)
    if categories is None:
        categories = list(
            BonusCategory.objects.filter(announcement_id=announcement_id).order_by("-points", "name")
        )
        cache.set(key, categories, FIGURES_SECONDS * 10)
    return categories


def forget_categories(sender, instance, **kwargs) -> None:
    """post_save / post_delete receiver of BonusCategory."""
    key = CATEGORIES_KEY % instance.announcement_id
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def forget_figures(announcement_id: int) -> None:
    """Drop the cached figures now and once more after the transaction commits."""
    key = FIGURES_KEY % announcement_id

    def forget():
        cache.delete(key)
        _process_figures.pop(key, None)

    forget()
    transaction.on_commit(forget)


def is_published(results: WrittenResults | None, now=None) -> bool:
    return bool(results and results.published_at and results.published_at <= (now or timezone.now()))


def tickets_of_room(room_id: int) -> QuerySet[Ticket]:
    return Ticket.objects.filter(room_id=room_id).select_related("application__position").order_by("seat")


def mismatches(announcement_id: int) -> list[dict]:
    """Tickets whose two entries disagree and that have no final score yet (for a third
    person to resolve). Two queries."""
    from ..models_written import ScoreEntry

    entries = (
        ScoreEntry.objects.filter(ticket__announcement_id=announcement_id, ticket__written_score__isnull=True)
        .select_related("ticket", "entered_by")
        .order_by("ticket__number", "entry_no")
    )
    by_ticket: dict[int, list] = {}
    for entry in entries:
        by_ticket.setdefault(entry.ticket_id, []).append(entry)
    return [{"ticket": rows[0].ticket, "entries": rows} for rows in by_ticket.values() if len(rows) == 2]


@dataclass(frozen=True)
class ScoreView:
    """What the applicant's score query shows."""

    score: WrittenScore
    parts: list
    position_result: PositionResult | None
    bonus_items: list
    sat: int


def own_score(user, application, figures: Figures | None = None) -> ScoreView | None:
    """The applicant's own published score (None before publication or without one).
    `figures`: the announcement's published_figures when the caller read them already.
    Two queries (the score with its ticket, its parts) and a third only where bonus points
    were confirmed (the items); the publication and the position's line come from the cache."""
    if application.applicant_id != user.pk:
        raise Http404
    if figures is None:
        figures = published_figures(application.announcement_id)
    if not is_published(figures.results):
        return None
    # One query where the score has parts (nearly everyone): the parts with their score and
    # ticket; the score alone where it has none (absent, disqualified).
    parts = list(
        WrittenPartScore.objects.filter(score__ticket__application_id=application.pk)
        .select_related("score__ticket")
        .order_by("index")
    )
    if parts:
        score = parts[0].score
    else:
        score = (
            WrittenScore.objects.filter(ticket__application_id=application.pk)
            .select_related("ticket")
            .first()
        )
    if score is None:
        return None
    position_result = figures.positions.get(score.position_id)
    items = []
    if score.bonus:
        items = list(
            BonusClaim.objects.filter(application_id=application.pk, status=BonusClaim.Status.CONFIRMED)
            .select_related("category")
            .order_by("-category__points")
        )
    return ScoreView(
        score=score,
        parts=parts,
        position_result=position_result,
        bonus_items=items,
        sat=position_result.sat if position_result else 0,
    )


MY_SCORES_LIMIT = 10
_STAMP_FIELDS = (
    "pk",
    "announcement_id",
    "position_id",
    "stage",
    "version",
    "exam_ticket__number",
    "exam_ticket__written_score__status",
    "exam_ticket__written_score__raw",
    "exam_ticket__written_score__bonus",
    "exam_ticket__written_score__total",
    "exam_ticket__written_score__passed",
    "exam_ticket__written_score__rank",
    "exam_ticket__written_score__version",
    "exam_ticket__written_score__updated_at",
    "exam_ticket__written_score__position_id",  # the line the card shows is the score's position's
)


@functools.cache
def _stamp_sql() -> str:
    """The stamp's query as the ORM writes it, compiled once per process: on results day
    compiling it cost more than running it."""
    from applicants.models import Application

    query = (
        Application.objects.filter(applicant_id=0, exam_ticket__isnull=False)
        .order_by("-pk")
        .values_list(*_STAMP_FIELDS)[:MY_SCORES_LIMIT]
        .query
    )
    sql, params = query.sql_with_params()
    if params != (0,):  # the applicant must be the only parameter
        raise AssertionError(params)
    return sql


# Raw PostgreSQL connections on which the stamp query is a prepared statement: planning its
# three-table join cost twice its execution (0.15 of 0.24 ms a page on results day). A
# prepared statement lives as long as its connection (a rollback keeps it); a new
# connection is not in the set and prepares it again. (Behind a pooler that discards
# session state, EXECUTE fails once and the plain query answers.)
_PREPARED_ON: weakref.WeakSet = weakref.WeakSet()
_STATEMENT = "exams_my_scores_stamp"


def _stamp_rows(user_id: int) -> list[tuple]:
    sql = _stamp_sql()
    with connection.cursor() as cursor:
        if (
            connection.vendor != "postgresql"
            or not settings.PREPARED_STATEMENTS
            or sql.count("%s") != 1
            or "%%" in sql
        ):
            cursor.execute(sql, [user_id])
            return cursor.fetchall()
        raw = connection.connection
        try:
            if raw not in _PREPARED_ON:
                if _exists(cursor):
                    cursor.execute(f"DEALLOCATE {_STATEMENT}")
                cursor.execute(f"PREPARE {_STATEMENT}(bigint) AS {sql.replace('%s', '$1')}")
                _PREPARED_ON.add(raw)
            cursor.execute(f"EXECUTE {_STATEMENT}(%s)", [user_id])
        except DatabaseError as error:
            _PREPARED_ON.discard(raw)  # prepared again (or not) next time
            # 26000: gone (a pooler's DISCARD ALL); 0A000: its plan predates a schema change.
            if (
                getattr(error.__cause__, "pgcode", None) not in ("26000", "0A000")
                or connection.in_atomic_block
            ):
                raise
            cursor.execute(sql, [user_id])
        return cursor.fetchall()


def _exists(cursor) -> bool:
    """A statement of that name on this session that this process did not prepare (reused
    after the set lost it): dropped, so ours replaces it. Asked only when preparing."""
    cursor.execute("SELECT 1 FROM pg_prepared_statements WHERE name = %s", [_STATEMENT])
    return cursor.fetchone() is not None


def my_scores_stamp(user) -> tuple:
    """What the score query page (成绩查询) shows of `user`, as a tuple that changes whenever the
    page would: per application its stage and version, the score's state, figures, version and
    last change (a correction of a part saves the score), and the publication and the
    position's line, turnout and computation version. One query; the announcement figures
    come from published_figures (cached). The stamp of portal.user_page_cache for that page."""
    stamp = []
    rows = _stamp_rows(user.pk)
    for row in rows:
        figures = published_figures(row[1])
        results, line = figures.results, figures.positions.get(row[-1] or row[2])
        stamp.append(
            (
                row,
                is_published(results),
                results and (results.version, results.computed_version),
                line and (line.line, line.sat, line.computed_version),
            )
        )
    return tuple(stamp)


def public_rows(announcement_id: int, position_id: int) -> QuerySet:
    """The 成绩公示 rows of one position: ticket number, masked name, total and rank of
    those who sat, by ticket number; absent and disqualified shown as such."""
    return (
        WrittenScore.objects.filter(announcement_id=announcement_id, position_id=position_id)
        .order_by("ticket__number")
        .values(
            "ticket__number",
            "ticket__application__snapshot__real_name",
            "status",
            "raw",
            "bonus",
            "total",
            "rank",
            "passed",
        )
    )


def mask_name(name: str) -> str:
    """张三 → 张*; 张三丰 → 张*丰; 欧阳娜娜 → 欧**娜; 买买提·艾力 → 买****力."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


SAT_STATUSES = (ScoreStatus.SCORED,)
