"""Kind 4 of issue 13: bad bytes in any parameter are refused with 400 by one middleware
(portal.middleware.BadBytesMiddleware), before a view can hand them to the database."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from portal.middleware import request_has_bad_bytes
from tests.factories import UserFactory
from tests.recruitment.factories import AnnouncementFactory, PositionFactory

pytestmark = pytest.mark.django_db

BAD_QUERIES = [
    "q=%00",  # the issue's example: NUL in the search box
    "q=abc%00def",
    "%00=1",  # in a key
    "page=1%01",  # another C0 control
    "q=%7F",  # DEL
    "q=%FF%FE",  # not UTF-8
    "q=%E5%B2",  # a cut-off UTF-8 sequence (岗 is E5 B2 97)
]


def _plain_urls(resolver=None, prefix=""):
    """Every URL pattern without arguments (the pages a query string can reach)."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            namespace = pattern.namespace
            yield from _plain_urls(pattern, f"{prefix}{namespace}:" if namespace else prefix)
        elif isinstance(pattern, URLPattern) and pattern.name and "<" not in str(pattern.pattern):
            yield prefix + pattern.name


@pytest.fixture
def announcement():
    announcement = AnnouncementFactory()
    PositionFactory(announcement=announcement)
    return announcement


def test_the_issue_example_announcement_search_with_nul_is_400_not_500(client, announcement):
    # /announcements/?q=%00 gave 500 (PostgreSQL refuses NUL in a string literal).
    response = client.get("/announcements/?q=%00")
    assert response.status_code == 400
    assert "地址中含有无效字符" in response.content.decode()


def test_a_clean_search_still_works(client, announcement):
    response = client.get("/announcements/?q=%E7%A4%BE%E5%8C%BA")  # 社区
    assert response.status_code == 200


@pytest.mark.parametrize("role", ["anonymous", "applicant", "reviewer", "administrator"])
def test_every_page_refuses_bad_bytes_in_the_query(client, role, announcement):
    """Loop over every URL of the site without path arguments, plus the pages with an id
    that take filters, for each role: all answer 400 for each bad query (never 500)."""
    if role != "anonymous":
        client.force_login(UserFactory(role=role))
    urls = sorted({reverse(name) for name in _plain_urls()})
    urls += [
        reverse("recruitment:detail", args=[announcement.pk]),
        reverse("recruitment:manage_detail", args=[announcement.pk]),
    ]
    assert "/announcements/" in urls and "/review/" in urls and len(urls) > 15
    for url in urls:
        for query in BAD_QUERIES:
            response = client.get(f"{url}?{query}")
            assert response.status_code == 400, (url, query, response.status_code)


def test_post_bodies_with_nul_or_invalid_utf8_are_refused(client, administrator):
    client.force_login(administrator)
    url = reverse("recruitment:create")
    assert client.post(url, {"title": "a\x00b"}).status_code == 400  # multipart (test client default)
    body = b"title=%00"
    assert client.post(url, body, content_type="application/x-www-form-urlencoded").status_code == 400
    body = b"title=%C3%28"  # invalid UTF-8
    assert client.post(url, body, content_type="application/x-www-form-urlencoded").status_code == 400


def test_tab_newline_and_carriage_return_in_a_form_pass(rf):
    # A textarea posts \r\n; a pasted list may hold tabs: these are text, not bad bytes.
    request = rf.post("/x/", {"body": "第一行\r\n第二行\t完"})
    assert request_has_bad_bytes(request) is False
    assert request_has_bad_bytes(rf.get("/x/", {"q": "社区 工作"})) is False


def test_nul_in_the_path_is_refused(rf):
    assert request_has_bad_bytes(rf.get("/announcements/\x00/")) is True
