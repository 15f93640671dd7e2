from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from . import privacy
from .roles import Role


@login_required
def my_account(request):
    roles = [label for value, label in Role.choices if value in request.user.role_names]
    return render(request, "accounts/me.html", {"roles": roles})


def privacy_notice(request):
    """The personal-information notice in force (public: read before signing up)."""
    context = {"version": privacy.notice_version(), "retention_days": privacy.retention_days()}
    return render(request, "account/privacy_notice.html", context)
