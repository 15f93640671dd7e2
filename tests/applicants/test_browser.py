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


def test_an_ineligible_position_shows_a_disabled_submit_with_the_reason_at_390px(
    needs_chromium, live_server, page
):
    # Issue 13, kind 10: born 1995-05-01, the position takes 18–20: the submit button is
    # disabled and says why, before anything is pressed; a missing photo is a failed check
    # at the top.
    position = PositionFactory(max_age=20)
    profile = ProfileFactory(photo="")
    _login(page, live_server, profile.user)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/me/apply/{position.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    submit = page.get_by_role("button", name="提交报名")
    assert submit.is_disabled()
    reason = page.locator("#submit-blocked")
    assert reason.is_visible()
    assert submit.get_attribute("aria-describedby") == "submit-blocked"
    # The reason sits right above the button, on screen together at 390 px.
    submit.scroll_into_view_if_needed()
    box, reason_box = submit.bounding_box(), reason.bounding_box()
    assert 0 <= reason_box["y"] < box["y"] and box["x"] + box["width"] <= 390
    first_check = page.locator("ul[aria-label='尚未完成的项目'] li").first
    assert "尚未上传证件照" in first_check.inner_text() and "不符合" in first_check.inner_text()
    page.screenshot(path="/tmp/apply-disabled-390.png", full_page=True)
    page.get_by_label("我已阅读并同意诚信承诺").check()
    submit.click(force=True)  # a disabled button submits nothing
    assert not Application.objects.filter(applicant=profile.user, stage=Stage.SUBMITTED).exists()
