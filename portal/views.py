import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.permissions import role_required
from accounts.roles import STAFF_ROLES, Role

from . import health
from . import workbench as workbench_registry

logger = logging.getLogger(__name__)


def _is_staff(user) -> bool:
    return user.is_authenticated and user.has_role(*STAFF_ROLES)


def home(request):
    """The public home page; staff are sent to their workbench (also after login, whose
    default redirect is this page)."""
    if _is_staff(request.user):
        return redirect("workbench")
    return render(request, "portal/home.html")


@login_required
def workbench(request):
    """A staff role's landing page: the blocks the apps registered for the user's roles
    (portal.workbench). Others go to the home page."""
    if not _is_staff(request.user):
        return redirect("home")
    blocks = workbench_registry.render_blocks(request.user)
    return render(request, "portal/workbench.html", {"blocks": blocks})


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


@require_GET
def favicon(request):
    """/favicon.ico, which browsers and bots ask for whatever the page's link tags say: the
    static icon (templates/base.html links the same file)."""
    from django.templatetags.static import static

    return redirect(static("img/favicon.ico"), permanent=True)


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


# --- The site's identity (administrators) -----------------------------------------------


@role_required(Role.ADMINISTRATOR)
def site_settings(request):
    """The authority's name and logo, the footer's organiser, contact and record numbers."""
    from . import site
    from .forms import SiteSettingsForm

    row = site.site_settings_get()
    form = SiteSettingsForm(request.POST or None, request.FILES or None, instance=row)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        site.site_settings_update(
            actor=request.user,
            values=values,
            logo=form.cleaned_data.get("logo_file"),
            remove_logo=form.cleaned_data.get("remove_logo", False),
        )
        messages.success(request, _("网站设置已保存。"))
        return redirect("site_settings")
    return render(
        request,
        "portal/site_settings.html",
        {"form": form, "has_logo": bool(row.logo_type), "defaults": site.defaults()},
    )


@require_GET
def site_logo(request):
    """The authority's logo, public (it is on every page). Its url carries a version, so it
    is cached for a year and changes url when a new logo is saved."""
    from .models import SiteSettings

    row = SiteSettings.objects.filter(pk=SiteSettings.SINGLETON_PK).only("logo", "logo_type").first()
    if row is None or not row.logo_type:
        raise Http404
    response = HttpResponse(bytes(row.logo), content_type=row.logo_type)
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


# --- Error pages --------------------------------------------------------------------------
# 400, 403 and 404 are Django's own handlers rendering templates/400.html, 403.html and
# 404.html with the request's context (the frame, the language). A 500 may come from the
# database or from a context processor, so it is rendered without either.

_PLAIN_500 = (
    '<!doctype html><html lang="zh-hans"><meta charset="utf-8"><title>500</title>'
    "<h1>系统出现错误，请稍后再试</h1><p>Something went wrong on our side. Please try again in a few minutes.</p>"
    '<p><a href="/">返回首页 / Home</a></p></html>'
)


def server_error(request, template_name="500.html"):
    """handler500: templates/500.html rendered with no request context (no session, user,
    database or context processor that could fail again); plain text if even that fails."""
    try:
        html = loader.render_to_string(template_name)
    except Exception:
        logger.exception("the 500 page could not be rendered")
        html = _PLAIN_500
    return HttpResponseServerError(html)
