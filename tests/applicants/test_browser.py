"""The applicant's pages on a phone-sized screen, driven by keyboard."""

import pytest
from django.conf import settings
from django.test import Client

from applicants.models import Application, Stage
from tests.applicants.factories import ProfileFactory
from tests.recruitment.factories import PositionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def _unlabelled(page):
    return page.evaluate(
        """() => [...document.querySelectorAll('main input:not([type=hidden]), main select, main textarea')]
              .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
              .map(el => el.name)"""
    )


def test_profile_and_apply_at_390px_by_keyboard(needs_chromium, live_server, page):
    position = PositionFactory()
    profile = ProfileFactory()
    _login(page, live_server, profile.user)
    page.set_viewport_size({"width": 390, "height": 844})

    for path in ("/me/profile/", "/me/files/", "/me/applications/"):
        page.goto(live_server.url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
        assert _unlabelled(page) == [], path

    page.goto(f"{live_server.url}/me/apply/{position.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_label("我已阅读并同意诚信承诺").focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="报名进度").wait_for()
    application = Application.objects.get(applicant=profile.user)
    assert application.stage == Stage.SUBMITTED
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
