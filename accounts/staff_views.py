"""Staff accounts on the portal (administrators only): list, create, and on an account's
page grant or revoke roles, deactivate or reactivate, set the last day of a temporary
account, and read the history of these changes. Writes go through accounts.staff_services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import staff_selectors as selectors
from . import staff_services as services
from .permissions import role_required
from .roles import Role
from .staff_forms import (
    DeactivateForm,
    ExpiryForm,
    ReactivateForm,
    RoleChangeForm,
    StaffCreateForm,
    StaffFilterForm,
    role_choices,
)

administrators_only = role_required(Role.ADMINISTRATOR)


def _refused(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@administrators_only
def staff_list(request):
    filters = StaffFilterForm(request.GET or None)
    cleaned = filters.cleaned_data if filters.is_valid() else {}
    accounts = selectors.staff_list(q=cleaned.get("q", ""), role=cleaned.get("role", ""))
    page = Paginator(accounts, 50).get_page(request.GET.get("page"))
    labels = dict(Role.choices)
    rows = [
        {"account": account, "roles": [labels.get(group.name, group.name) for group in account.groups.all()]}
        for account in page.object_list
    ]
    return render(request, "accounts/staff/list.html", {"filters": filters, "page": page, "rows": rows})


@administrators_only
def staff_create(request):
    form = StaffCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            account = services.staff_account_create(
                actor=request.user,
                email=data["email"],
                name=data["name"],
                phone=data["phone"],
                password=data["password"],
                roles=data["roles"],
                expires_on=data["expires_on"],
                reason=data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已创建账号 %(name)s。") % {"name": account})
            return redirect("accounts:staff_detail", account.pk)
    return render(request, "accounts/staff/create.html", {"form": form})


def _event_rows(events, labels: dict) -> list[dict]:
    """The history as shown: role values and states by their names, "from → to"."""
    states = {"active": _("正常"), "inactive": _("已停用")}

    def shown(value: str) -> str:
        return str(labels.get(value) or states.get(value) or value)

    rows = []
    for event in events:
        parts = [shown(value) for value in (event.from_value, event.to_value) if value]
        if event.action == event.Action.EXPIRY_CHANGED and not event.to_value:
            parts.append(_("长期"))
        rows.append(
            {
                "at": event.at,
                "actor": event.actor,
                "action": event.get_action_display(),
                "change": " → ".join(parts),
                "reason": event.reason,
            }
        )
    return rows


def _detail_context(request, account, **forms) -> dict:
    roles = selectors.account_roles(account)
    labels = dict(Role.choices)
    return {
        "account": account,
        "roles": [(role, labels[role]) for role in roles],
        "grantable": [(value, label) for value, label in role_choices() if value not in roles],
        "is_self": account.pk == request.user.pk,
        "events": _event_rows(selectors.account_events(account), labels),
        "grant_form": forms.get("grant_form") or RoleChangeForm(initial={"change": RoleChangeForm.GRANT}),
        "expiry_form": forms.get("expiry_form") or ExpiryForm(initial={"expires_on": account.expires_on}),
        "status_form": forms.get("status_form")
        or (DeactivateForm() if account.is_active else ReactivateForm()),
    }


@administrators_only
def staff_detail(request, pk):
    account = selectors.staff_account(pk)
    return render(request, "accounts/staff/detail.html", _detail_context(request, account))


def _invalid(request, account, **forms):
    messages.error(request, _("请更正下面标出的内容。"))
    return render(
        request, "accounts/staff/detail.html", _detail_context(request, account, **forms), status=400
    )


@administrators_only
@require_POST
def staff_role(request, pk):
    account = selectors.staff_account(pk)
    form = RoleChangeForm(request.POST)
    if not form.is_valid():
        return _invalid(request, account, grant_form=form)
    data = form.cleaned_data
    label = dict(Role.choices)[data["role"]]
    try:
        if data["change"] == RoleChangeForm.GRANT:
            changed = services.staff_role_grant(
                actor=request.user, account=account, role=data["role"], reason=data["reason"]
            )
            done = _("已授予角色：%(role)s。")
        else:
            changed = services.staff_role_revoke(
                actor=request.user, account=account, role=data["role"], reason=data["reason"]
            )
            done = _("已撤销角色：%(role)s。")
    except ValidationError as error:
        _refused(request, error)
    else:
        if changed:
            messages.success(request, done % {"role": label})
        else:
            messages.info(request, _("角色没有变化。"))
    return redirect("accounts:staff_detail", account.pk)


@administrators_only
@require_POST
def staff_status(request, pk):
    account = selectors.staff_account(pk)
    form = DeactivateForm(request.POST) if account.is_active else ReactivateForm(request.POST)
    if not form.is_valid():
        return _invalid(request, account, status_form=form)
    reason = form.cleaned_data["reason"]
    try:
        if account.is_active:
            services.staff_account_deactivate(actor=request.user, account=account, reason=reason)
            messages.success(request, _("账号已停用。"))
        else:
            services.staff_account_reactivate(actor=request.user, account=account, reason=reason)
            messages.success(request, _("账号已启用。"))
    except ValidationError as error:
        _refused(request, error)
    return redirect("accounts:staff_detail", account.pk)


@administrators_only
@require_POST
def staff_expiry(request, pk):
    account = selectors.staff_account(pk)
    form = ExpiryForm(request.POST)
    if not form.is_valid():
        return _invalid(request, account, expiry_form=form)
    try:
        changed = services.staff_expiry_set(
            actor=request.user,
            account=account,
            expires_on=form.cleaned_data["expires_on"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        _refused(request, error)
    else:
        if changed:
            messages.success(request, _("有效期已更新。"))
        else:
            messages.info(request, _("有效期没有变化。"))
    return redirect("accounts:staff_detail", account.pk)
