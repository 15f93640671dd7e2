"""Reads for the eligibility review console (资格审核).

Every review page fetches announcements and applications through these functions, so a
reviewer only ever reaches the announcements an administrator assigned them to: anything
else is simply not found (404), never "forbidden but visible".
"""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_DOWN, Decimal

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.roles import Role
from applicants.models import (
    NOT_SUBMITTED_STAGES,
    STAGES_AT_OR_AFTER_APPROVED,
    Application,
    ApplicationEvent,
    Document,
    Stage,
)
from portal.models import BackgroundJob
from recruitment.models import Announcement, Position

from .models import ReviewJob

# Stages a reviewer works with: everything submitted at least once (never drafts).
REVIEWABLE_STAGES = [choice for choice in Stage.values if choice != Stage.DRAFT]

QUEUE_COLUMNS = (
    "pk",
    "stage",
    "eligibility_outcome",
    "submitted_at",
    "reviewed_by_id",
    "applicant__name",
    "applicant__email",
    "applicant__phone",
    "applicant__profile__real_name",
    "applicant__profile__id_number",
    "position__code",
    "position__name",
    "reviewed_by__name",
    "reviewed_by__email",
)

FILTER_KEYS = ("announcement", "position", "stage", "outcome", "q")

_ID_TAIL = re.compile(r"^\d{3,5}[\dXx]$")
_PHONE = re.compile(r"^1\d{10}$")
_ID_FULL = re.compile(r"^\d{17}[\dXx]$")


def is_review_staff(user) -> bool:
    return user.is_authenticated and user.has_role(Role.REVIEWER, Role.ADMINISTRATOR)


def announcements_for_reviewer(user) -> QuerySet[Announcement]:
    """Administrators: every announcement; reviewers: those assigned to them; others: none."""
    if not user.is_authenticated:
        return Announcement.objects.none()
    if user.has_role(Role.ADMINISTRATOR):
        return Announcement.objects.all()
    if user.has_role(Role.REVIEWER):
        return Announcement.objects.filter(reviewer_assignments__reviewer=user)
    return Announcement.objects.none()


def announcement_for_reviewer(user, pk) -> Announcement:
    return get_object_or_404(announcements_for_reviewer(user), pk=pk)


# The stage filter's value for every stage; without a stage the queue opens on 待审核.
ALL_STAGES = "all"
DEFAULT_STAGE = Stage.SUBMITTED


def clean_filters(raw, *, default_stage: bool = False) -> dict[str, str]:
    """Keep the known filter keys from a QueryDict or dict, as stripped strings. With
    `default_stage` (the queue page), a missing or empty stage is 待审核 (submitted): the
    queue opens on what waits for a decision, oldest first; ALL_STAGES shows every stage."""
    filters = {}
    for key in FILTER_KEYS:
        value = (raw.get(key) or "").strip() if raw is not None else ""
        if value:
            filters[key] = value
    if default_stage and not filters.get("stage"):
        filters["stage"] = DEFAULT_STAGE
    return filters


def _search(qs: QuerySet[Application], text: str) -> QuerySet[Application]:
    text = text.strip()
    if not text:
        return qs
    if _ID_FULL.match(text):
        return qs.filter(applicant__profile__id_number=text.upper())
    if _PHONE.match(text):
        return qs.filter(applicant__phone=text)
    if _ID_TAIL.match(text) and len(text) in (4, 6):
        tail = text.upper()
        return qs.filter(Q(applicant__profile__id_number__endswith=tail) | Q(applicant__phone__endswith=tail))
    # The name the queue shows (the profile's; frozen once approved). Not also the snapshot's
    # JSON: that OR made PostgreSQL scan every application of the announcement (~60 ms).
    return qs.filter(applicant__profile__real_name__icontains=text)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def announcement_ids_for_reviewer(user) -> list[int]:
    return list(announcements_for_reviewer(user).values_list("pk", flat=True))


def applications_in_scope(user, announcement_ids: list[int] | None = None) -> QuerySet[Application]:
    """Every submitted-at-least-once application of the user's announcements.

    The announcement ids are read first (a tiny query, or passed in by a page that needs
    them twice): with a literal list PostgreSQL walks the queue indexes in order; with an
    IN (subquery) it sorted every row of the scope."""
    if announcement_ids is None:
        announcement_ids = announcement_ids_for_reviewer(user)
    return Application.objects.filter(announcement_id__in=announcement_ids, stage__in=REVIEWABLE_STAGES)


def applications_for_reviewer(
    user, filters: dict | None = None, *, with_stage: bool = True, announcement_ids: list[int] | None = None
):
    """The user's applications narrowed by the queue's filters (announcement, position,
    stage, automatic-check outcome, search text), oldest submission first."""
    filters = filters or {}
    qs = applications_in_scope(user, announcement_ids)
    announcement_id = _int(filters.get("announcement"))
    if announcement_id:
        qs = qs.filter(announcement_id=announcement_id)
    position_id = _int(filters.get("position"))
    if position_id:
        qs = qs.filter(position_id=position_id)
    if with_stage and filters.get("stage") in Stage.values:
        qs = qs.filter(stage=filters["stage"])
    if filters.get("outcome"):
        qs = qs.filter(eligibility_outcome=filters["outcome"])
    if filters.get("q"):
        qs = _search(qs, filters["q"])
    return qs.order_by("submitted_at", "pk")


def queue_page_rows(ids: list[int]) -> list[dict]:
    """The rows of one queue page, in the order of `ids`, as dicts of QUEUE_COLUMNS.

    The page is chosen on ids alone (the paginator slices `applications_for_reviewer(...)
    .values_list("pk")`, an index scan) and only its rows are joined here: joining before
    the OFFSET made PostgreSQL join every skipped row, and on page 50 of 27,000 plan a
    parallel query (36 ms, two extra worker processes) for 50 rows. Plain values, not
    models: building 50 × 5 model instances took twice as long as the query (~6 ms)."""
    if not ids:
        return []
    found = {row["pk"]: row for row in Application.objects.filter(pk__in=ids).values(*QUEUE_COLUMNS)}
    return [found[pk] for pk in ids if pk in found]


STAGE_COUNTS_SECONDS = 15
_COUNTS_VERSION_KEY = "review:stage-counts-version"
# Per (announcement, stage) counters, moved by each committed transition: the queue's
# tabs without a COUNT over the announcement (32 ms over 45,000 rows) on every view while
# submissions and decisions keep coming. Recounted when a key is missing; the TTL bounds
# the drift a count taken during a concurrent change can have.
COUNTER_SECONDS = 120


def _counter_key(announcement_id, stage) -> str:
    return f"review:count:{announcement_id}:{stage}"


def stage_counts_invalidate() -> None:
    """Called after every committed stage change (on_stage_changed): counts cached
    under the old version are never read again."""
    try:
        cache.incr(_COUNTS_VERSION_KEY)
    except ValueError:  # no version yet (or evicted)
        cache.set(_COUNTS_VERSION_KEY, 1, None)


def on_stage_changed(sender, *, announcement_id, from_stage, to_stage, count=1, **kwargs) -> None:
    """Receiver of applicants.transitions.stage_changed (connected in review.apps), run after
    the commit of each stage change (`count` applications moved at once by transition_many):
    move the counters and drop cached counts."""
    stage_counters_moved(announcement_id, from_stage, to_stage, count=count)
    stage_counts_invalidate()


def stage_counters_moved(announcement_id, from_stage, to_stage, *, count: int = 1) -> None:
    """After a committed transition: `count` less in `from_stage`, `count` more in `to_stage`."""
    for stage, delta in ((from_stage, -count), (to_stage, count)):
        if stage not in REVIEWABLE_STAGES:
            continue
        try:
            cache.incr(_counter_key(announcement_id, stage), delta)
        except ValueError:  # not counted yet or evicted: recount at the next read
            cache.delete_many([_counter_key(announcement_id, other) for other in REVIEWABLE_STAGES])
            return


def _announcement_stage_counts(announcement_ids: list[int]) -> dict[str, int]:
    keys = {(pk, stage): _counter_key(pk, stage) for pk in announcement_ids for stage in REVIEWABLE_STAGES}
    found = cache.get_many(list(keys.values()))
    missing = sorted({pk for (pk, stage), key in keys.items() if key not in found})
    if missing:
        fresh = {keys[(pk, stage)]: 0 for pk in missing for stage in REVIEWABLE_STAGES}
        rows = (
            Application.objects.filter(announcement_id__in=missing, stage__in=REVIEWABLE_STAGES)
            .order_by()
            .values("announcement_id", "stage")
            .annotate(n=Count("*"))
        )
        for row in rows:
            fresh[keys[(row["announcement_id"], row["stage"])]] = row["n"]
        cache.set_many(fresh, COUNTER_SECONDS)
        found.update(fresh)
    totals: dict[str, int] = {}
    for (_pk, stage), key in keys.items():
        if found.get(key):
            totals[stage] = totals.get(stage, 0) + found[key]
    return totals


def stage_counts(
    user, filters: dict | None = None, *, announcement_ids: list[int] | None = None
) -> dict[str, int]:
    """Per-stage counts for the current filters (ignoring the stage filter). By
    announcement alone: the moving counters above. With a position, outcome or search:
    one query, cached a few seconds per scope and filter set until the next stage change."""
    filters = {key: value for key, value in (filters or {}).items() if key != "stage"}
    if announcement_ids is None:
        announcement_ids = announcement_ids_for_reviewer(user)
    if set(filters) <= {"announcement"}:
        chosen = _int(filters.get("announcement"))
        ids = [pk for pk in announcement_ids if pk == chosen] if chosen else list(announcement_ids)
        return _announcement_stage_counts(ids)
    scope = "all" if user.has_role(Role.ADMINISTRATOR) else f"reviewer:{user.pk}"
    version = cache.get(_COUNTS_VERSION_KEY, 0)
    digest = hashlib.sha256(repr(sorted(filters.items())).encode()).hexdigest()[:32]
    key = f"review:stage-counts:{version}:{scope}:{digest}"
    counts = cache.get(key)
    if counts is None:
        qs = applications_for_reviewer(user, filters, with_stage=False, announcement_ids=announcement_ids)
        qs = qs.order_by()
        # COUNT(*) rather than COUNT(id): answered from the (announcement, stage, …) index alone.
        counts = {row["stage"]: row["n"] for row in qs.values("stage").annotate(n=Count("*"))}
        cache.set(key, counts, STAGE_COUNTS_SECONDS)
    return counts


def application_for_review(user, pk) -> Application:
    qs = (
        applications_in_scope(user)
        .select_related(
            "applicant",
            "applicant__profile",
            "announcement",
            "position",
            "rejection_reason",
            "reviewed_by",
        )
        .defer("announcement__body")  # the page shows the title only
    )
    return get_object_or_404(qs, pk=pk)


def submitted_document_uuids(application: Application) -> list[str]:
    snapshot = application.snapshot if isinstance(application.snapshot, dict) else {}
    return [
        str(item["uuid"])
        for item in snapshot.get("documents") or []
        if isinstance(item, dict) and item.get("uuid")
    ]


def submitted_documents(application: Application) -> list[Document]:
    """The documents the applicant submitted with this application (its snapshot), in that
    order; one uploaded later is not part of what is being judged."""
    uuids = submitted_document_uuids(application)
    if not uuids:
        return []
    found = {
        str(doc.uuid): doc
        for doc in Document.objects.filter(profile__user_id=application.applicant_id, uuid__in=uuids)
    }
    return [found[uuid] for uuid in uuids if uuid in found]


def submitted_photo_name(application: Application) -> str:
    """The photo file named in the snapshot; older snapshots stored only whether there was one."""
    snapshot = application.snapshot if isinstance(application.snapshot, dict) else {}
    photo = snapshot.get("photo")
    if isinstance(photo, str):
        return photo
    if photo is True:
        profile = getattr(application.applicant, "profile", None)
        return profile.photo.name if profile and profile.photo else ""
    return ""


def application_events(application: Application) -> QuerySet[ApplicationEvent]:
    return application.events.select_related("actor").order_by("at", "pk")


def next_pending(user, filters: dict | None, *, after: Application) -> Application | None:
    """The oldest application still awaiting review in the same filters, other than `after`."""
    filters = {key: value for key, value in (filters or {}).items() if key != "stage"}
    qs = applications_for_reviewer(user, filters, with_stage=False).filter(stage=Stage.SUBMITTED)
    return qs.exclude(pk=after.pk).only("pk").first()


# A submission's submitted_at is taken when its request starts and it becomes visible when it
# commits; the bulk-approval cut-off stays this far behind "now" so none is counted after it
# would have matched (approved without being in the count the reviewer confirmed).
SUBMISSION_SETTLE = timedelta(minutes=1)


def bulk_approval_cutoff():
    return timezone.now() - SUBMISSION_SETTLE


def bulk_approvable(user, filters: dict | None, *, submitted_by=None) -> QuerySet[Application]:
    """Applications awaiting review whose automatic check passed every rule; with
    `submitted_by`, only those submitted by then (what the reviewer was shown and confirmed:
    a later submission or resubmission is never approved unseen)."""
    filters = {key: value for key, value in (filters or {}).items() if key not in ("stage", "outcome")}
    qs = applications_for_reviewer(user, filters, with_stage=False).filter(
        stage=Stage.SUBMITTED, eligibility_outcome="passed"
    )
    if submitted_by is not None:
        qs = qs.filter(submitted_at__lte=submitted_by)
    return qs


def bulk_approvable_positions(user, filters: dict | None, *, submitted_by) -> list[dict]:
    """What a bulk approval covers, per position: [{"code", "name", "count"}] by code (one
    query), so the confirmation names the positions, not only the announcement."""
    rows = (
        bulk_approvable(user, filters, submitted_by=submitted_by)
        .order_by()
        .values("position__code", "position__name")
        .annotate(count=Count("*"))
        .order_by("position__code")
    )
    return [
        {"code": row["position__code"], "name": row["position__name"], "count": row["count"]} for row in rows
    ]


def job_for_user(user, pk) -> BackgroundJob:
    """One of the user's own review jobs (404 for anybody else's, or another app's)."""
    return get_object_or_404(BackgroundJob, pk=pk, created_by=user, kind__in=ReviewJob.values)


def job_announcement_title(job: BackgroundJob) -> str:
    return Announcement.objects.filter(pk=job.announcement_id).values_list("title", flat=True).first() or ""


# --- Opening ratio (开考比例) ----------------------------------------------------------------


@dataclass
class PositionRatio:
    position: Position
    submitted: int
    approved: int
    ratio: Decimal | None
    below: bool
    suggestion: str  # "", "reduce" or "cancel"
    suggested_quota: int | None


def _fraction(ratio) -> tuple[int, int]:
    """The opening ratio as an exact fraction (numerator, denominator): Decimal("2.5") →
    (5, 2). A float is read through its decimal text, never its binary value."""
    numerator, denominator = Decimal(str(ratio)).as_integer_ratio()
    return numerator, denominator


def below_opening_ratio(*, approved: int, quota: int, opening_ratio) -> bool:
    """approved < quota × opening_ratio, in integers: no rounding. Quota 300 at 3:1 needs 900;
    899 approved is below, though 899 / 300 = 2.9967 shows as 3.00 when rounded to two places."""
    numerator, denominator = _fraction(opening_ratio)
    return approved * denominator < quota * numerator


def suggested_quota(*, approved: int, quota: int, opening_ratio) -> int:
    """The largest quota the approved applicants support at the opening ratio (0: cancel):
    floor(approved / ratio) in integers, at most the current quota. 899 at 3:1 → 299."""
    if quota <= 0:
        return 0
    numerator, denominator = _fraction(opening_ratio)
    return min(quota, (approved * denominator) // numerator)


def ratio_for_display(*, approved: int, quota: int) -> Decimal | None:
    """approved / quota to two places, rounded down so that a position below the opening
    ratio never shows the ratio itself (899 / 300 shows 2.99, not 3.00). Display only:
    decisions use below_opening_ratio."""
    if not quota:
        return None
    return (Decimal(approved) / Decimal(quota)).quantize(Decimal("0.01"), rounding=ROUND_DOWN)


def opening_ratio_rows(announcement: Announcement) -> list[PositionRatio]:
    """Quota, submitted, approved, ratio and the below-ratio flag per position: one query."""
    positions = (
        announcement.positions.annotate(
            submitted_count=Count("applications", filter=~Q(applications__stage__in=NOT_SUBMITTED_STAGES)),
            approved_count=Count(
                "applications", filter=Q(applications__stage__in=STAGES_AT_OR_AFTER_APPROVED)
            ),
        )
        .order_by("code")
        .select_related(None)
    )
    ratio_needed = announcement.opening_ratio
    rows = []
    for position in positions:
        cancelled = position.status == Position.Status.CANCELLED
        approved = position.approved_count
        ratio = ratio_for_display(approved=approved, quota=position.quota)
        below = (
            not cancelled
            and position.quota > 0
            and below_opening_ratio(approved=approved, quota=position.quota, opening_ratio=ratio_needed)
        )
        suggestion, quota = "", None
        if below:
            quota = suggested_quota(approved=approved, quota=position.quota, opening_ratio=ratio_needed)
            suggestion = "reduce" if quota >= 1 else "cancel"
        rows.append(
            PositionRatio(position, position.submitted_count, approved, ratio, below, suggestion, quota)
        )
    return rows


_REASONS_VERSION_KEY = "review:rejection-reasons-version"


def rejection_reasons_version() -> int:
    """Changes whenever the reason catalogue changes: the review page's decision fields
    (a select of every active reason, ~half of that page's rendering) are cached under it.
    A lost key yields a new version, never an old one."""
    version = cache.get(_REASONS_VERSION_KEY)
    if version is None:
        cache.add(_REASONS_VERSION_KEY, time.time_ns(), None)
        version = cache.get(_REASONS_VERSION_KEY) or 0
    return version


def rejection_reasons_changed(**kwargs) -> None:
    """Receiver of RejectionReason's post_save and post_delete (review.apps)."""
    transaction.on_commit(lambda: cache.set(_REASONS_VERSION_KEY, time.time_ns(), None))
