"""Reads shared by the applicant pages, the review console and the benchmarks.

Scoping lives here: an applicant sees only their own profile, files and applications;
a reviewer sees files of applicants who submitted to an announcement they are assigned to.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.roles import Role
from recruitment.models import Announcement, Position, RecruitmentEvent, ReviewerAssignment

from .models import (
    NOT_SUBMITTED_STAGES,
    STAGES_AT_OR_AFTER_APPROVED,
    ApplicantProfile,
    Application,
    ApplicationEvent,
    Document,
    Stage,
)

PROFILE_PREFETCH = ("education", "work", "certificates", "documents")


def profile_for_user(user, *, prefetch: bool = True, lock: bool = False) -> ApplicantProfile | None:
    """With `lock` (inside a transaction), the profile row is locked like every change to the
    profile, its photo or its files locks it: a snapshot taken then is what gets submitted."""
    queryset = ApplicantProfile.objects.filter(user=user)
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    if prefetch:
        queryset = queryset.prefetch_related(*PROFILE_PREFETCH)
    return queryset.first()


def under_review_or_approved(profile: ApplicantProfile) -> bool:
    """An application is being reviewed or was approved: what the reviewer judges (name, ID
    number, photo, submitted documents) must stay what was submitted."""
    return Application.objects.filter(
        applicant_id=profile.user_id, stage__in=[Stage.SUBMITTED, *STAGES_AT_OR_AFTER_APPROVED]
    ).exists()


def frozen_document_uuids(profile: ApplicantProfile) -> set[str]:
    """Documents named in the snapshot of an application under review or approved: the
    reviewer judges them, so they cannot be deleted. Ones uploaded later can."""
    snapshots = Application.objects.filter(
        applicant_id=profile.user_id, stage__in=[Stage.SUBMITTED, *STAGES_AT_OR_AFTER_APPROVED]
    ).values_list("snapshot", flat=True)
    return {
        str(item.get("uuid"))
        for snapshot in snapshots
        if isinstance(snapshot, dict)
        for item in snapshot.get("documents") or []
        if isinstance(item, dict)
    }


def applications_for_user(user) -> QuerySet[Application]:
    # The snapshot and the announcement's text are the largest columns and no applicant page
    # shows them: not decoded on every status page.
    return (
        Application.objects.filter(applicant=user)
        .select_related("announcement", "position", "rejection_reason")
        .defer("snapshot", "announcement__body")
        .order_by("-created_at", "-pk")
    )


def application_for_owner(user, pk) -> Application:
    """The user's own application, or 404 (never 403: others' ids are not confirmed)."""
    application = applications_for_user(user).filter(pk=pk).first()
    if application is None:
        raise Http404
    return application


def application_timeline(application) -> list[ApplicationEvent]:
    """Every stage change with its date and reason, oldest first (no reviewer names)."""
    return list(ApplicationEvent.objects.filter(application=application).order_by("at", "pk"))


def position_events(application) -> list[dict]:
    """Reductions and cancellations of the application's position since it was created, in
    words ({"at", "text"}, oldest first; applicants.position_events.describe): one query."""
    from .position_events import APPLICATION_ACTIONS, describe

    rows = RecruitmentEvent.objects.filter(
        position_id=application.position_id, action__in=APPLICATION_ACTIONS, at__gte=application.created_at
    ).values("at", "action", "from_value", "to_value", "reason")
    return [
        {
            "at": row["at"],
            "text": describe(
                action=row["action"],
                from_value=row["from_value"],
                to_value=row["to_value"],
                reason=row["reason"],
            ),
        }
        for row in rows.order_by("at", "pk")
    ]


def open_announcements(now=None) -> QuerySet[Announcement]:
    """Published announcements whose registration window is open now (server clock)."""
    now = now or timezone.now()
    return (
        Announcement.objects.filter(
            status=Announcement.Status.PUBLISHED,
            registration_opens_at__lte=now,
            registration_closes_at__gt=now,
        )
        .prefetch_related(
            Prefetch(
                "positions",
                queryset=Position.objects.exclude(status=Position.Status.CANCELLED).order_by("code"),
            )
        )
        .order_by("registration_closes_at", "pk")
    )


def application_for_announcement(user, announcement_id) -> Application | None:
    """The user's application to an announcement (at most one), with its position."""
    return (
        Application.objects.filter(applicant=user, announcement_id=announcement_id)
        .select_related("position")
        .defer("snapshot", "eligibility")
        .first()
    )


def position_for_apply(pk) -> Position:
    position = (
        Position.objects.select_related("announcement").defer("announcement__body").filter(pk=pk).first()
    )
    if position is None or position.announcement.status != Announcement.Status.PUBLISHED:
        raise Http404
    return position


def _is_administrator(user) -> bool:
    return user.is_superuser or user.has_role(Role.ADMINISTRATOR)


def profile_files_visible_to(user, profile: ApplicantProfile) -> bool:
    """Owner; administrator; or a reviewer assigned to an announcement the owner has a
    submitted (not draft, not withdrawn) application in."""
    if not user.is_authenticated:
        return False
    if profile.user_id == user.pk:
        return True
    if _is_administrator(user):
        return True
    if not user.has_role(Role.REVIEWER):
        return False
    announcements = ReviewerAssignment.objects.filter(reviewer=user).values("announcement_id")
    return (
        Application.objects.filter(applicant_id=profile.user_id, announcement_id__in=announcements)
        .exclude(stage__in=NOT_SUBMITTED_STAGES)
        .exists()
    )


def document_visible_to(user, document: Document) -> bool:
    return profile_files_visible_to(user, document.profile)


def document_for_user(user, uuid) -> Document:
    document = Document.objects.select_related("profile").filter(uuid=uuid).first()
    if document is None or not document_visible_to(user, document):
        raise Http404
    return document
