"""Reads of the staff-account pages: which accounts an administrator manages there."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from .models import StaffAccountEvent, User
from .roles import GRANTABLE_ROLES, Role


def managed_accounts() -> QuerySet[User]:
    """Accounts managed on the staff pages: everyone but applicants (they sign up and keep
    their own account) and superusers (Django admin's). Includes deactivated accounts and
    staff left without a role."""
    return User.objects.exclude(groups__name=Role.APPLICANT).exclude(is_superuser=True)


def staff_list(*, q: str = "", role: str = "") -> QuerySet[User]:
    """Managed accounts, filtered by name or e-mail (`q`) and by one role; their role
    groups prefetched (two queries in all), active first, then by name."""
    qs = managed_accounts()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(email__icontains=q))
    if role in GRANTABLE_ROLES:
        qs = qs.filter(groups__name=role)
    roles = Prefetch("groups", queryset=Group.objects.filter(name__in=GRANTABLE_ROLES).only("name"))
    return qs.prefetch_related(roles).order_by("-is_active", "name", "pk")


def staff_account(pk) -> User:
    """A managed account (404 otherwise: an applicant's or a superuser's)."""
    return get_object_or_404(managed_accounts(), pk=pk)


def account_roles(account: User) -> list[str]:
    return sorted(account.groups.filter(name__in=GRANTABLE_ROLES).values_list("name", flat=True))


def account_events(account: User) -> QuerySet[StaffAccountEvent]:
    return account.staff_events.select_related("actor").order_by("-at", "-pk")[:100]
