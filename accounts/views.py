from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .roles import Role


@login_required
def my_account(request):
    roles = [label for value, label in Role.choices if value in request.user.role_names]
    return render(request, "accounts/me.html", {"roles": roles})
