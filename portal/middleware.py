"""Refuse requests whose parameters hold bytes no page can use, before any view runs.

A NUL byte (``?q=%00``) reaches PostgreSQL as ``ValueError: A string literal cannot contain
NUL (0x00) characters`` and used to give a 500 on every page with a search box or filter;
other C0 control characters and invalid UTF-8 are never typed by a person either. One
mechanism answers all of them with 400 and a page that says so, for every GET and POST
parameter (keys and values) and for the path, so no view needs its own cleaning.

Allowed: tab, line feed and carriage return (a textarea posts ``\\r\\n``). Refused: every
other C0 control (U+0000–U+001F), DEL (U+007F), and bytes that are not UTF-8 in the query
string or an url-encoded body (Django would silently turn them into U+FFFD).
"""

import re
from urllib.parse import unquote_to_bytes

from django.http import HttpResponseBadRequest
from django.template.loader import render_to_string

FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
FORM_URLENCODED = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"


def _is_utf8(raw: bytes) -> bool:
    """True when a percent-encoded query string or url-encoded body decodes as UTF-8."""
    try:
        unquote_to_bytes(raw.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _has_forbidden(query_dict) -> bool:
    for key, values in query_dict.lists():
        if FORBIDDEN.search(key):
            return True
        for value in values:
            if isinstance(value, str) and FORBIDDEN.search(value):
                return True
    return False


def request_has_bad_bytes(request) -> bool:
    """True when the path, the query string or a form body holds a forbidden character.

    Reads ``request.POST`` only for url-encoded and multipart bodies (what Django parses
    into it anyway); other bodies (JSON) are left to their views."""
    if FORBIDDEN.search(request.path_info):
        return True
    raw_query = request.META.get("QUERY_STRING", "")
    if raw_query:
        if not _is_utf8(raw_query.encode("latin-1", errors="replace")):
            return True
        if _has_forbidden(request.GET):
            return True
    if request.method == "POST":
        content_type = request.content_type or ""
        if content_type == FORM_URLENCODED and not _is_utf8(request.body):
            return True
        if content_type in (FORM_URLENCODED, MULTIPART) and _has_forbidden(request.POST):
            return True
    return False


class BadBytesMiddleware:
    """Answer 400 for parameters with NUL, other control characters or invalid UTF-8.

    Sits after the session, locale, authentication and message middleware (so the page
    speaks the visitor's language inside the site's frame) and before every view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request_has_bad_bytes(request):
            return HttpResponseBadRequest(
                render_to_string("portal/bad_request_characters.html", request=request)
            )
        return self.get_response(request)
