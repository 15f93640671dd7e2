"""portal.user_page_cache: a signed-in user's page is served from the cache only while
everything it was rendered from is unchanged, and never where that would lose or leak."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import constants, get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotFound
from django.test import RequestFactory
from django.utils import translation

from portal import user_page_cache
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


class Renders:
    """A render callback that counts its calls and answers what it is told."""

    def __init__(self, body="page", status=200):
        self.calls, self.body, self.status = 0, body, status

    def __call__(self):
        self.calls += 1
        response = HttpResponse(f"{self.body}#{self.calls}", content_type="text/html; charset=utf-8")
        response.status_code = self.status
        return response


def _request(user, *, secret="s" * 32, path="/exams/scores/", method="get"):
    request = getattr(RequestFactory(), method)(path)
    request.user = user
    if secret:
        request.META["CSRF_COOKIE"] = secret
    request._messages = CookieStorage(request)
    return request


def _serve(request, stamp, render, name="test:page"):
    return user_page_cache.cached_page(request, name, stamp, render).content.decode()


def test_the_same_stamp_is_served_without_rendering_a_new_one_renders():
    user, render = UserFactory(), Renders()
    assert _serve(_request(user), ("score", 80), render) == "page#1"
    assert _serve(_request(user), ("score", 80), render) == "page#1"
    assert render.calls == 1
    # A corrected score (another stamp) renders at once: no waiting for a timeout.
    assert _serve(_request(user), ("score", 85), render) == "page#2"
    assert _serve(_request(user), ("score", 85), render) == "page#2"


def test_another_user_never_gets_the_first_users_page():
    first, second = UserFactory(), UserFactory()
    assert _serve(_request(first), ("same",), Renders("first")) == "first#1"
    assert _serve(_request(second), ("same",), Renders("second")) == "second#1"


def test_language_path_csrf_secret_name_and_roles_each_make_another_page():
    user, render = UserFactory(name="张三"), Renders()
    _serve(_request(user), (), render)
    with translation.override("en"):
        _serve(_request(user), (), render)
    _serve(_request(user, path="/exams/scores/?page=2"), (), render)
    _serve(_request(user, secret="t" * 32), (), render)  # signed in again: a new CSRF secret
    assert render.calls == 4
    user.name = "张三丰"
    _serve(_request(user), (), render)
    assert render.calls == 5


def test_a_pending_message_is_shown_not_swallowed_by_a_stored_page():
    user, render = UserFactory(), Renders()
    _serve(_request(user), (), render)
    request = _request(user)
    request._messages.add(constants.SUCCESS, "复核申请已提交")
    assert _serve(request, (), render) == "page#2"  # rendered, so the message is on it
    assert [m.message for m in get_messages(request)] == ["复核申请已提交"]


@pytest.mark.parametrize(
    "request_of",
    [
        lambda user: _request(AnonymousUser()),
        lambda user: _request(user, secret=None),  # the first visit: rendering sets the cookie
        lambda user: _request(user, method="post"),
    ],
    ids=["anonymous", "no-csrf-cookie", "post"],
)
def test_never_from_the_cache(request_of):
    user, render = UserFactory(), Renders()
    _serve(_request(user), (), render)
    assert _serve(request_of(user), (), render) == "page#2"
    assert _serve(request_of(user), (), render) == "page#3"


def test_only_a_200_is_stored_and_forget_drops_a_page():
    user = UserFactory()
    missing = Renders(status=404)
    for _ in range(2):
        assert user_page_cache.cached_page(_request(user), "test:page", (), missing).status_code == 404
    assert missing.calls == 2
    render = Renders()
    _serve(_request(user), (), render)
    user_page_cache.forget("test:page", user.pk)
    assert _serve(_request(user), (), render) == "page#2"


def test_the_stored_response_keeps_its_content_type():
    user = UserFactory()
    _serve(_request(user), (), Renders())
    response = user_page_cache.cached_page(_request(user), "test:page", (), HttpResponseNotFound)
    assert response.status_code == 200 and response["Content-Type"] == "text/html; charset=utf-8"


def test_live_keys_are_read_with_the_page_and_a_change_renders_again():
    user, render = UserFactory(), Renders()
    counts = {"filled": 0}

    def fill():
        counts["filled"] += 1
        return 0

    def serve():
        return user_page_cache.cached_page(_request(user), "test:page", (), render, live={"badge": fill})

    serve()  # the badge's key is missing: its callable answers
    assert counts["filled"] == 1 and render.calls == 1
    cache.set("badge", 0)
    assert serve().content.decode() == "page#1" and counts["filled"] == 1  # read from the cache
    cache.set("badge", 2)  # a new notification
    assert serve().content.decode() == "page#2"


def test_a_page_rendered_by_another_release_is_not_served(settings):
    user, render = UserFactory(), Renders()
    settings.RELEASE = "2026.11.30-a"
    user_page_cache.release.cache_clear()
    try:
        _serve(_request(user), (), render)
        assert _serve(_request(user), (), render) == "page#1"
        settings.RELEASE = "2026.11.30-b"  # deployed: new templates, new static names
        user_page_cache.release.cache_clear()
        assert _serve(_request(user), (), render) == "page#2"
    finally:
        user_page_cache.release.cache_clear()


def test_without_a_configured_release_the_digest_follows_the_templates(settings, tmp_path):
    import os

    settings.RELEASE = ""
    settings.BASE_DIR = tmp_path
    page = tmp_path / "exams" / "templates" / "page.html"
    page.parent.mkdir(parents=True)
    page.write_text("v1")
    user_page_cache.release.cache_clear()
    try:
        first = user_page_cache.release()
        assert user_page_cache.release() == first  # read once per process
        page.write_text("v2, deployed")
        os.utime(page, ns=(page.stat().st_atime_ns, page.stat().st_mtime_ns + 10**9))
        user_page_cache.release.cache_clear()  # a new process after the deploy
        assert user_page_cache.release() != first
    finally:
        user_page_cache.release.cache_clear()
