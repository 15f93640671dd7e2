import logging

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import health

logger = logging.getLogger(__name__)


def home(request):
    return render(request, "portal/home.html")


@require_GET
def switch_language(request):
    """Remember the chosen language in the language cookie and go back.

    A GET (unlike Django's set_language) so that pages for anonymous visitors need no CSRF
    token and can be cached whole. It only sets a display preference."""
    next_url = request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = redirect(next_url)
    language = request.GET.get("language")
    if language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response


@never_cache
@require_GET
def healthz(request):
    """For monitoring and the load balancer: which components answer (portal.health).

    200 while the database answers, with "status": "degraded" if the cache or the broker
    does not (pages are still served); 503 when the database does not. With ?strict=1,
    503 as soon as any component is down."""
    body, serving = health.report()
    strict = request.GET.get("strict") not in (None, "", "0")
    status = 200 if serving and not (strict and body["status"] != "ok") else 503
    return JsonResponse(body, status=status)
