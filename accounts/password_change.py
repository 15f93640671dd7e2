"""An initial password set by an administrator must be replaced before anything else.

`staff_account_create` marks the account (`User.must_change_password`); until the person
changes their password, `InitialPasswordMiddleware` sends every page request to the change
page, leaving only what that page itself needs (sign-out, static files, language, health).
The flag clears on allauth's `password_changed` and `password_reset` signals, so a reset by
SMS or e-mail counts too. Reason: the administrator knows the initial password (等级保护
requires that passwords known to others are changed at first use).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

# Paths a person with an initial password may still reach (prefixes).
ALLOWED_PREFIXES = ("/static/", "/media/", "/language/", "/i18n/", "/jsi18n/", "/healthz", "/site-logo")


def clear_flag(sender, request=None, user=None, **kwargs):
    """allauth signal receiver: the password is the person's own now."""
    if user is not None and getattr(user, "must_change_password", False):
        get_user_model().objects.filter(pk=user.pk).update(must_change_password=False)
        user.must_change_password = False


class InitialPasswordMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # No session cookie: nobody is signed in; leave the session untouched (public pages
        # stay cacheable, without "Vary: Cookie").
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "must_change_password", False):
            allowed = (reverse("account_change_password"), reverse("account_logout"))
            path = request.path_info
            if path not in allowed and not path.startswith(ALLOWED_PREFIXES):
                messages.warning(request, _("您的账号使用的是管理员设置的初始密码，请先修改密码。"))
                return redirect("account_change_password")
        return self.get_response(request)
