"""Reads the workforce pages share, scoped to who asks.

Administrators see every worker; a unit manager (街道管理员) sees the workers of the units
assigned to them (a street office: its communities; a community: itself); anyone else sees
none. A worker sees only their own record (`worker_of`). Object pages look objects up
through these querysets, so another unit's worker is 404."""

from __future__ import annotations

from django.db.models import Q
from django.shortcuts import get_object_or_404

from accounts.roles import Role

from .models import AssessmentRound, SideJob, UnitManagerAssignment, Worker


def managed_unit_ids(user) -> list[int]:
    return list(UnitManagerAssignment.objects.filter(manager=user).values_list("unit_id", flat=True))


def is_admin(user) -> bool:
    return user.is_authenticated and user.has_role(Role.ADMINISTRATOR)


def workers_visible_to(user):
    qs = Worker.objects.select_related("unit__parent", "user")
    if is_admin(user):
        return qs
    if user.is_authenticated and user.has_role(Role.UNIT_MANAGER):
        units = managed_unit_ids(user)
        return qs.filter(Q(unit_id__in=units) | Q(unit__parent_id__in=units))
    return qs.none()


def worker_for(user, pk) -> Worker:
    return get_object_or_404(workers_visible_to(user), pk=pk)


def side_jobs_visible_to(user):
    return SideJob.objects.filter(worker__in=workers_visible_to(user)).select_related("worker__unit")


def rounds_visible_to(user):
    qs = AssessmentRound.objects.select_related("unit")
    if is_admin(user):
        return qs
    if user.is_authenticated and user.has_role(Role.UNIT_MANAGER):
        units = managed_unit_ids(user)
        return qs.filter(Q(unit_id__in=units) | Q(unit__parent_id__in=units))
    return qs.none()


def worker_of(user) -> Worker:
    """The signed-in person's own worker record, or 404."""
    if not user.is_authenticated:
        from django.http import Http404

        raise Http404
    return get_object_or_404(Worker.objects.select_related("unit__parent__parent"), user=user)
