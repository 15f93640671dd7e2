"""Reads that pages (and other apps) share. Scoping by role lives here."""

from django.apps import apps
from django.core.cache import cache
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from accounts.roles import Role

from .models import Announcement, Position, ReviewerAssignment

# Application stages (applicants.Application.stage) counted on the public position table
# (the same list as applicants.models.STAGES_AT_OR_AFTER_APPROVED: absent, disqualified, not
# shortlisted, failed-check and declined candidates were approved, and stay counted).
STAGES_AT_OR_AFTER_APPROVED = [
    "approved",
    "ticket_issued",
    "absent",
    "disqualified",
    "written_scored",
    "shortlisted",
    "interviewed",
    "ranked",
    "proposed",
    "public_notice",
    "hired",
    "not_shortlisted",
    "failed_check",
    "declined",
]
STAGES_NOT_SUBMITTED = ["draft", "withdrawn"]
ZERO_COUNTS = {"submitted": 0, "approved": 0}
COUNTS_CACHE_SECONDS = 30
PUBLIC_STATUSES = [Announcement.Status.PUBLISHED, Announcement.Status.CLOSED, Announcement.Status.ARCHIVED]


def _counts_key(announcement_id) -> str:
    return f"recruitment:position-counts:{announcement_id}"


def position_counts(announcement_id) -> dict[int, dict[str, int]]:
    """{position_id: {"submitted": n, "approved": n}} for one announcement (报名人数统计).

    One aggregate query over applicants.Application, cached for 30 s per announcement, so a
    registration surge costs at most one count query per announcement every 30 s.
    Positions without applications are absent: use ``counts.get(pk, ZERO_COUNTS)``.
    "submitted" = every stage except draft and withdrawn; "approved" = approved or later.
    """
    key = _counts_key(announcement_id)
    counts = cache.get(key)
    if counts is not None:
        return counts
    counts = {}
    try:
        application_model = apps.get_model("applicants", "Application")
    except (LookupError, ValueError):
        application_model = None
    if application_model is not None:
        rows = (
            application_model.objects.filter(**_announcement_filter(application_model, announcement_id))
            .order_by()
            .values("position_id")
            .annotate(
                submitted=Count("pk", filter=~Q(stage__in=STAGES_NOT_SUBMITTED)),
                approved=Count("pk", filter=Q(stage__in=STAGES_AT_OR_AFTER_APPROVED)),
            )
        )
        counts = {
            row["position_id"]: {"submitted": row["submitted"], "approved": row["approved"]} for row in rows
        }
    cache.set(key, counts, COUNTS_CACHE_SECONDS)
    return counts


def _announcement_filter(application_model, announcement_id) -> dict:
    # Application carries its announcement (indexed with stage): no join needed.
    field_names = {f.name for f in application_model._meta.get_fields()}
    if "announcement" in field_names:
        return {"announcement_id": announcement_id}
    return {"position__announcement_id": announcement_id}


def position_counts_invalidate(announcement_id) -> None:
    """Drop the cached counts (e.g. after a review decision, when exact figures matter)."""
    cache.delete(_counts_key(announcement_id))


def is_staff_reader(user) -> bool:
    """Administrators and reviewers read every announcement, drafts included."""
    return bool(user and user.is_authenticated and user.has_role(Role.ADMINISTRATOR, Role.REVIEWER))


def announcements_visible_to(user) -> QuerySet[Announcement]:
    if is_staff_reader(user):
        return Announcement.objects.all()
    return Announcement.objects.filter(status__in=PUBLIC_STATUSES)


def public_announcements(*, phase: str = "", query: str = "") -> QuerySet[Announcement]:
    """Published announcements (and closed/archived ones), by phase: open, upcoming, closed."""
    now = timezone.now()
    qs = Announcement.objects.filter(status__in=PUBLIC_STATUSES)
    published = Q(status=Announcement.Status.PUBLISHED)
    if phase == "open":
        qs = qs.filter(published, registration_opens_at__lte=now, registration_closes_at__gt=now)
    elif phase == "upcoming":
        qs = qs.filter(published, registration_opens_at__gt=now)
    elif phase == "closed":
        qs = qs.filter(~published | Q(registration_closes_at__lte=now))
    if query:
        qs = qs.filter(Q(title__icontains=query) | Q(organiser__icontains=query))
    return qs.annotate(
        position_count=Count("positions", filter=~Q(positions__status=Position.Status.CANCELLED)),
        total_quota=_sum_quota(),
    ).order_by("-registration_opens_at", "-pk")


def _sum_quota():
    return Sum("positions__quota")


def open_announcements(limit: int = 5) -> list[Announcement]:
    """Announcements taking registrations now (home page): one query."""
    now = timezone.now()
    return list(
        Announcement.objects.filter(
            status=Announcement.Status.PUBLISHED,
            registration_opens_at__lte=now,
            registration_closes_at__gt=now,
        ).order_by("registration_closes_at", "pk")[:limit]
    )


def announcement_phase(announcement: Announcement, now=None) -> str:
    """draft | upcoming | open | closed (for badges)."""
    now = now or timezone.now()
    if announcement.status == Announcement.Status.DRAFT:
        return "draft"
    if announcement.status != Announcement.Status.PUBLISHED or announcement.registration_closes_at <= now:
        return "closed"
    if announcement.registration_opens_at > now:
        return "upcoming"
    return "open"


def announcement_detail(*, pk, user, with_positions: bool = True) -> Announcement:
    """The announcement with attachments, bonus categories and (unless the caller loads
    them only when needed) positions, in four queries.
    Raises Announcement.DoesNotExist when the user may not see it (a draft for the public)."""
    prefetches = ["attachments", "bonus_categories"]
    if with_positions:
        prefetches.append(Prefetch("positions", queryset=Position.objects.order_by("code")))
    return announcements_visible_to(user).prefetch_related(*prefetches).get(pk=pk)


def staff_announcements(*, status: str = "", query: str = "") -> QuerySet[Announcement]:
    qs = Announcement.objects.all()
    if status:
        qs = qs.filter(status=status)
    if query:
        qs = qs.filter(Q(title__icontains=query) | Q(organiser__icontains=query))
    return qs.annotate(position_count=Count("positions"), total_quota=_sum_quota()).order_by(
        "-created_at", "-pk"
    )


def announcements_assigned_to(reviewer) -> QuerySet[Announcement]:
    """Announcements a reviewer works on (administrators: all)."""
    if reviewer.has_role(Role.ADMINISTRATOR):
        return Announcement.objects.all()
    return Announcement.objects.filter(reviewer_assignments__reviewer=reviewer)


def is_assigned_reviewer(*, announcement_id, user) -> bool:
    return ReviewerAssignment.objects.filter(announcement_id=announcement_id, reviewer=user).exists()


def reviewer_candidates():
    from accounts.models import User

    return (
        User.objects.filter(is_active=True, groups__name=Role.REVIEWER).order_by("name", "email").distinct()
    )


def exam_schedule(announcement):
    """The printing window and sessions of the announcement's exam plan
    (recruitment.hooks.ExamSchedule, registered by exams), or None without a plan.

    Cached under the announcement's page version (recruitment.page_cache), which every
    change of the plan or its sessions moves on commit: a page costs one cache read."""
    from . import hooks, page_cache

    key = f"recruitment:exam-schedule:{announcement.pk}:v{page_cache.version(announcement.pk)}"
    found = cache.get(key)
    if found is not None:
        return found or None  # False: known to have none
    schedule = hooks.exam_schedule(announcement)
    cache.set(key, schedule or False, 300)
    return schedule
