"""Staff accounts, managed by administrators on the portal's pages (accounts/staff_views.py).

One function per change, keyword-only, in one transaction, each writing a
`StaffAccountEvent` (who, when, what, from → to, why). Rules:

* only the staff roles (`GRANTABLE_ROLES`) are granted here; applicants sign up themselves;
* an administrator cannot take away their own administrator role, nor deactivate or
  expire their own account (the console would lose its last door for them);
* a change that changes nothing writes nothing and returns False.

Every function raises `django.core.exceptions.ValidationError` with a message for the
page when a rule refuses the change; nothing is written then.
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import StaffAccountEvent, User
from .roles import GRANTABLE_ROLES, Role

Action = StaffAccountEvent.Action


def _event(*, account: User, actor: User, action: str, from_value="", to_value="", reason="") -> None:
    StaffAccountEvent.objects.create(
        account=account,
        actor=actor,
        action=action,
        from_value=str(from_value or ""),
        to_value=str(to_value or ""),
        reason=reason or "",
    )


def _lock(account: User) -> User:
    return User.objects.select_for_update().get(pk=account.pk)


def _check_role(role: str) -> None:
    if role not in GRANTABLE_ROLES:
        raise ValidationError(_("只能授予或撤销工作人员角色。"))


@transaction.atomic
def staff_account_create(
    *,
    actor: User,
    email: str,
    name: str,
    password: str,
    roles: list[str],
    phone: str = "",
    expires_on: date | None = None,
    reason: str = "",
) -> User:
    """A new staff account with `roles` (values of `Role`, each in GRANTABLE_ROLES) and an
    optional last day `expires_on`. `password` is the initial one, validated by the form; the
    person must replace it at their first sign-in (accounts.password_change).
    Raises ValidationError for a role outside the staff roles or no role at all."""
    if not roles:
        raise ValidationError(_("请至少选择一个角色。"))
    for role in roles:
        _check_role(role)
    account = User.objects.create_user(
        email=email,
        password=password,
        name=name,
        phone=phone or None,
        expires_on=expires_on,
        must_change_password=True,
    )
    _event(account=account, actor=actor, action=Action.CREATED, to_value=account.email, reason=reason)
    if expires_on:
        _event(account=account, actor=actor, action=Action.EXPIRY_CHANGED, to_value=expires_on.isoformat())
    account.groups.add(*Group.objects.filter(name__in=roles))
    for role in sorted(roles):
        _event(account=account, actor=actor, action=Action.ROLE_GRANTED, to_value=role, reason=reason)
    return account


@transaction.atomic
def staff_role_grant(*, actor: User, account: User, role: str, reason: str = "") -> bool:
    """Give `account` the role `role` (a GRANTABLE_ROLES value). False when it had it."""
    _check_role(role)
    account = _lock(account)
    group = Group.objects.get(name=role)
    if account.groups.filter(pk=group.pk).exists():
        return False
    account.groups.add(group)
    _event(account=account, actor=actor, action=Action.ROLE_GRANTED, to_value=role, reason=reason)
    return True


@transaction.atomic
def staff_role_revoke(*, actor: User, account: User, role: str, reason: str = "") -> bool:
    """Take the role `role` from `account`. Refuses an administrator's own administrator
    role. False when the account did not have it."""
    _check_role(role)
    if account.pk == actor.pk and role == Role.ADMINISTRATOR:
        raise ValidationError(_("不能撤销自己的管理员角色。"))
    account = _lock(account)
    group = Group.objects.get(name=role)
    if not account.groups.filter(pk=group.pk).exists():
        return False
    account.groups.remove(group)
    _event(account=account, actor=actor, action=Action.ROLE_REVOKED, from_value=role, reason=reason)
    return True


@transaction.atomic
def staff_account_deactivate(*, actor: User, account: User, reason: str) -> bool:
    """Stop `account` signing in (its sessions end at the next request: Django's backends
    refuse an inactive user). `reason` is required. Refuses the actor's own account."""
    if account.pk == actor.pk:
        raise ValidationError(_("不能停用自己的账号。"))
    if not reason.strip():
        raise ValidationError(_("请填写停用原因。"))
    account = _lock(account)
    if not account.is_active:
        return False
    account.is_active = False
    account.save(update_fields=["is_active"])
    _event(
        account=account,
        actor=actor,
        action=Action.DEACTIVATED,
        from_value="active",
        to_value="inactive",
        reason=reason,
    )
    return True


@transaction.atomic
def staff_account_reactivate(*, actor: User, account: User, reason: str = "") -> bool:
    """Let a deactivated `account` sign in again. False when it was active."""
    account = _lock(account)
    if account.is_active:
        return False
    account.is_active = True
    account.save(update_fields=["is_active"])
    _event(
        account=account,
        actor=actor,
        action=Action.REACTIVATED,
        from_value="inactive",
        to_value="active",
        reason=reason,
    )
    return True


@transaction.atomic
def staff_expiry_set(*, actor: User, account: User, expires_on: date | None, reason: str = "") -> bool:
    """Set (or clear, with None) the last day `account` may be used. Refuses the actor's
    own account. False when the day does not change."""
    if account.pk == actor.pk:
        raise ValidationError(_("不能修改自己账号的有效期。"))
    account = _lock(account)
    if account.expires_on == expires_on:
        return False
    old = account.expires_on
    account.expires_on = expires_on
    account.save(update_fields=["expires_on"])
    _event(
        account=account,
        actor=actor,
        action=Action.EXPIRY_CHANGED,
        from_value=old.isoformat() if old else "",
        to_value=expires_on.isoformat() if expires_on else "",
        reason=reason,
    )
    return True
