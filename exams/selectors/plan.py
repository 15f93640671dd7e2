"""Reads of the exam plan: who may manage it, its candidates and seats, the rooms in the
order tickets number them."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet, Sum
from django.shortcuts import get_object_or_404

from accounts.roles import Role
from applicants.models import Application, Stage
from recruitment.models import Announcement

from ..models import ExamPlan, ExamSession, ProctorAssignment, Room, Venue

# Candidates to seat: approved and not yet holding a ticket, and those already seated.
SEATED_STAGES = [Stage.APPROVED, Stage.TICKET_ISSUED]


def is_exam_admin(user) -> bool:
    return user.is_authenticated and user.has_role(Role.ADMINISTRATOR)


def announcements_for_admin(user) -> QuerySet[Announcement]:
    if not is_exam_admin(user):
        return Announcement.objects.none()
    return Announcement.objects.exclude(status=Announcement.Status.DRAFT)


def announcement_for_admin(user, pk) -> Announcement:
    return get_object_or_404(announcements_for_admin(user), pk=pk)


def plan_for_admin(user, announcement_pk) -> ExamPlan:
    announcement = announcement_for_admin(user, announcement_pk)
    return get_object_or_404(ExamPlan.objects.select_related("announcement"), announcement=announcement)


def plan_overview(plan: ExamPlan) -> dict:
    """What the plan page shows: sessions with their positions, venues with rooms and
    proctors, the seat count and the candidates count. A fixed number of queries."""
    sessions = list(plan.sessions.prefetch_related("positions"))
    venues = list(
        plan.venues.prefetch_related(
            Prefetch("rooms", queryset=Room.objects.annotate(seated=Count("tickets")).order_by("number")),
            Prefetch("proctors", queryset=ProctorAssignment.objects.select_related("proctor")),
        )
    )
    seats = sum(room.capacity for venue in venues for room in venue.rooms.all())
    return {
        "sessions": sessions,
        "venues": venues,
        "seats": seats,
        "candidates": candidates_count(plan),
        "unseated": unseated_queryset(plan).count(),
        "positions": list(plan.announcement.positions.order_by("code")),
    }


def candidates_count(plan: ExamPlan) -> int:
    """Approved candidates who need (or hold) a seat."""
    return Application.objects.filter(announcement_id=plan.announcement_id, stage__in=SEATED_STAGES).count()


def unseated_queryset(plan: ExamPlan) -> QuerySet[Application]:
    return Application.objects.filter(
        announcement_id=plan.announcement_id, stage=Stage.APPROVED, exam_ticket__isnull=True
    )


def seat_count(plan: ExamPlan) -> int:
    return Room.objects.filter(venue__plan=plan).aggregate(n=Sum("capacity"))["n"] or 0


def rooms_in_order(plan: ExamPlan) -> list[Room]:
    """Rooms in the order seats are filled: venue code, then room number."""
    return list(
        Room.objects.filter(venue__plan=plan).select_related("venue").order_by("venue__code", "number")
    )


def session_positions(session: ExamSession) -> set[int] | None:
    """The position ids sitting `session`; None means every position."""
    ids = {p.pk for p in session.positions.all()}
    return ids or None


def venue_for_admin(user, pk) -> Venue:
    if not is_exam_admin(user):
        get_object_or_404(Venue.objects.none(), pk=pk)
    return get_object_or_404(Venue.objects.select_related("plan__announcement"), pk=pk)


def room_for_admin(user, pk) -> Room:
    if not is_exam_admin(user):
        get_object_or_404(Room.objects.none(), pk=pk)
    return get_object_or_404(Room.objects.select_related("venue__plan__announcement"), pk=pk)


def session_for_admin(user, pk) -> ExamSession:
    if not is_exam_admin(user):
        get_object_or_404(ExamSession.objects.none(), pk=pk)
    return get_object_or_404(ExamSession.objects.select_related("plan__announcement"), pk=pk)
