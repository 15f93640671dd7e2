"""The public announcement page, shared by every anonymous visitor.

Under a registration surge most readers are anonymous and see the same page: it is
rendered once per 30 s (the position counts' own freshness), per language and path, and
kept both plain and gzipped in each process's memory; the announcement's version lives in
the shared cache, so a hit costs one small shared read and no query or rendering.
Anonymous pages hold no CSRF token (templates/base.html), so compressing them leaks no
secret (BREACH). Every audited change of an announcement or its positions moves the
announcement's version (recruitment.services._event), and the next visitor sees it.

The public list of announcements is shared the same way, under a version that every
announcement's change moves too.
"""

import gzip
import re

from django.conf import settings
from django.core.cache import cache, caches
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

PAGE_SECONDS = 30
_ACCEPTS_GZIP = re.compile(r"\bgzip\b")


_LIST_VERSION_KEY = "recruitment:list-version"


def _version_key(announcement_id: int) -> str:
    return f"recruitment:detail-version:{announcement_id}"


def version(announcement_id: int) -> int:
    return cache.get(_version_key(announcement_id), 0)


def _bump(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:  # no version yet (or evicted)
        cache.set(key, 1, None)


def bump_version(announcement_id: int) -> None:
    _bump(_version_key(announcement_id))
    _bump(_LIST_VERSION_KEY)  # the list shows its title, dates and position totals


def _shared(request) -> bool:
    """False when this visitor's page may differ: signed in, a session, a pending message."""
    if request.user.is_authenticated or settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    return "messages" not in request.COOKIES


def shared_key(request, announcement_id: int) -> str | None:
    if not _shared(request):
        return None
    page_version = version(announcement_id)
    return f"recruitment:detail:{announcement_id}:v{page_version}:{get_language()}:{request.get_full_path()}"


def shared_list_key(request) -> str | None:
    if not _shared(request):
        return None
    list_version = cache.get(_LIST_VERSION_KEY, 0)
    return f"recruitment:list:v{list_version}:{get_language()}:{request.get_full_path()}"


def get(key: str) -> dict | None:
    return caches["process"].get(key)


def store(key: str, html: str) -> None:
    body = html.encode()
    caches["process"].set(key, {"body": body, "gzip": gzip.compress(body, compresslevel=6)}, PAGE_SECONDS)


def response(request, page: dict) -> HttpResponse:
    if _ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
        result = HttpResponse(page["gzip"])
        result["Content-Encoding"] = "gzip"
    else:
        result = HttpResponse(page["body"])
    patch_vary_headers(result, ("Accept-Encoding",))
    return result
