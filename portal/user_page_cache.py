"""A signed-in user's rendered page, kept for the hottest applicant pages (results day: tens
of thousands of candidates open their score query within the same hour, issue 16).

The view passes a *stamp*: a small tuple read cheaply from the data the page shows (one
`values_list` query rather than the models, their relations and the template). The stored
HTML is served only while that stamp, the user's name and roles, the language, the path with its query string and the CSRF secret are all those it was
rendered with; anything else renders the page again and stores it. So a corrected score, a
new notification or a stage change shows at once: the stamp differs, nothing waits for a
timeout. `SECONDS` bounds only what no stamp covers (the site's name in the footer, a
position renamed after publication).

Never served from the cache: a request with messages pending (the page would swallow them),
one without a CSRF cookie yet (rendering sets it), anything but GET, an anonymous user.
Only a 200 is stored. Redis down: the portal's resilient cache answers None and every
request renders, as before. (recruitment.page_cache is the other page cache: one public
page shared by every anonymous visitor.)
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Hashable, Mapping
from pathlib import Path

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

SECONDS = 120
KEY = "page:%s:%s:%s"


def _usable(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return (
        request.method == "GET"
        and user is not None
        and user.is_authenticated
        and bool(request.META.get("CSRF_COOKIE"))
        and len(get_messages(request)) == 0  # __len__ counts without marking them read
    )


@functools.cache
def release() -> str:
    """What the stored pages were rendered with: the RELEASE setting when the deployment sets
    one, else a digest of every template, compiled catalogue and the static manifest as
    installed (names, sizes, modification times), read once per process. A deploy therefore
    never serves a page rendered by the previous code, with static names it no longer has."""
    configured = getattr(settings, "RELEASE", "")
    if configured:
        return str(configured)
    digest = hashlib.blake2b(digest_size=8)
    base = Path(settings.BASE_DIR)
    for pattern in ("templates/**/*", "*/templates/**/*", "locale/**/*.mo", "*/locale/**/*.mo"):
        for path in sorted(base.glob(pattern)):
            if ".venv" in path.parts or not path.is_file():
                continue
            info = path.stat()
            digest.update(f"{path.relative_to(base)}:{info.st_size}:{info.st_mtime_ns};".encode())
    manifest = Path(settings.STATIC_ROOT or "") / "staticfiles.json"
    if settings.STATIC_ROOT and manifest.is_file():
        digest.update(manifest.read_bytes())
    return digest.hexdigest()


def _fingerprint(request: HttpRequest, stamp: Hashable) -> str:
    user = request.user
    parts = (
        release(),
        stamp,
        str(user),  # the navbar shows the name, else the e-mail
        user.name,
        tuple(sorted(user.role_names)),
        request.get_full_path(),
        request.META["CSRF_COOKIE"],
    )
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def cached_page(
    request: HttpRequest,
    name: str,
    stamp: Hashable,
    render: Callable[[], HttpResponse],
    *,
    live: Mapping[str, Callable[[], Hashable]] | None = None,
) -> HttpResponse:
    """The page `name` for `request.user`: the stored HTML when `stamp` (and the rest listed
    in the module's docstring) is unchanged, else `render()` — stored when it answers 200.

    `stamp`: a hashable value (tuples of ints, strings, Decimals, datetimes) that changes
    whenever anything the page shows changes; build it from the same rows the page reads.
    `live`: cache keys whose values belong to the stamp too (the navbar's unread count: portal
    imports no app, so the caller names its key), read in the same round trip as the stored
    page; a key missing from the cache takes its callable's answer.
    """
    if not _usable(request):
        return render()
    key = KEY % (name, request.user.pk, get_language())
    live = live or {}
    held = cache.get_many([key, *live])
    values = tuple(held[k] if held.get(k) is not None else fill() for k, fill in live.items())
    fingerprint = _fingerprint(request, (stamp, values))
    page = held.get(key)
    if page is not None and page[0] == fingerprint:
        return HttpResponse(page[2], content_type=page[1])
    response = render()
    if response.status_code == 200 and not response.streaming:
        cache.set(key, (fingerprint, response["Content-Type"], response.content), SECONDS)
    return response


def forget(name: str, user_id: int) -> None:
    """Drop a user's stored page in every language (for a change the stamp cannot see)."""
    cache.delete_many([KEY % (name, user_id, code) for code, _name in settings.LANGUAGES])
