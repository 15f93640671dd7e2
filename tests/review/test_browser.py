"""The review page on a phone-sized screen, driven by keyboard."""

import pytest
from django.conf import settings
from django.test import Client

from applicants.models import Stage
from tests.applicants.factories import ApplicationFactory, ReviewPositionFactory, assign
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def test_return_for_correction_by_keyboard_at_390px(needs_chromium, live_server, page):
    position = ReviewPositionFactory()
    first = ApplicationFactory(position=position)
    second = ApplicationFactory(position=position)
    reviewer = UserFactory(role="reviewer")
    assign(reviewer, position.announcement)
    _login(page, live_server, reviewer)
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto(f"{live_server.url}/review/?announcement={position.announcement_id}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("link", name=first.applicant.profile.real_name).click()
    page.get_by_role("heading", name="提交时的个人信息").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.get_by_role("radio", name="退回修改", exact=True).focus()
    page.keyboard.press("Space")
    page.get_by_label("需修改的内容").fill("请上传清晰的毕业证书")
    page.keyboard.press("Tab")  # the submit button follows the last field
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/review/applications/{second.pk}/**")
    first.refresh_from_db()
    assert first.stage == Stage.RETURNED
    assert first.return_instructions == "请上传清晰的毕业证书"


def test_the_submitted_photo_sits_above_the_details_on_a_phone_in_both_languages(
    needs_chromium, live_server, page
):
    from applicants.snapshot import build_snapshot
    from tests.applicants.factories import ProfileFactory as ProfileWithPhotoFactory

    position = ReviewPositionFactory()
    profile = ProfileWithPhotoFactory()
    application = ApplicationFactory(position=position, applicant=profile.user)
    application.snapshot = build_snapshot(profile)
    application.save(update_fields=["snapshot"])
    reviewer = UserFactory(role="reviewer")
    assign(reviewer, position.announcement)
    _login(page, live_server, reviewer)
    page.set_viewport_size({"width": 390, "height": 844})
    for language, alt in (("zh-hans", "提交的证件照"), ("en", "Submitted ID photo")):
        page.context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
        )
        page.goto(f"{live_server.url}/review/applications/{application.pk}/")
        photo = page.get_by_role("img", name=alt)
        assert photo.evaluate("image => image.complete && image.naturalWidth > 0")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, language
        id_number = page.get_by_text(profile.id_number)
        # Not under the photo: the details start below it on a phone.
        assert id_number.bounding_box()["y"] >= photo.bounding_box()["y"] + photo.bounding_box()["height"]
