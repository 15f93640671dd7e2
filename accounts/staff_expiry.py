"""Temporary staff accounts end on their `expires_on` day (accounts.User.is_expired).

`ExpiredAccountMiddleware` (after AuthenticationMiddleware) signs such a user out:
* before the view, so a session opened before the end date stops working at once;
* after the view, so the login itself fails: the session the login just opened is
  flushed in the same response and the browser is sent back to the login page.
`User.role_names` is empty for an expired account too, so role checks refuse it even
where this middleware is not installed.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.utils.translation import gettext as _


def _expired(request) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and user.is_expired)


def _sign_out(request):
    logout(request)
    messages.error(request, _("您的账号已过有效期，不能再登录。如需继续使用，请联系系统管理员。"))
    return redirect(settings.LOGIN_URL)


class ExpiredAccountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # No session cookie: nobody is signed in; do not touch the session (that would add
        # "Vary: Cookie" to the public pages shared by every visitor).
        if settings.SESSION_COOKIE_NAME in request.COOKIES and _expired(request):
            return _sign_out(request)
        response = self.get_response(request)
        if request.method == "POST" and _expired(request):  # a login that just succeeded
            return _sign_out(request)
        return response
