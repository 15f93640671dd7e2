"""The public announcement page on a phone (390 px): 报名 from the position table (a visitor
signs in and comes back), and the correction notice (更正公告) as a history."""

from datetime import timedelta
from urllib.parse import parse_qs, unquote, urlparse

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from recruitment import corrections
from recruitment.models import Correction
from tests.factories import UserFactory
from tests.recruitment.factories import AnnouncementFactory, PositionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def test_a_visitor_signs_in_from_the_position_and_applies_at_390px(needs_chromium, live_server, page):
    announcement = AnnouncementFactory(title="鞍山市公开招聘社区工作者公告")
    PositionFactory(announcement=announcement, code="TD001", name="社区党建专干")
    position = PositionFactory(announcement=announcement, code="TX001", name="社区网格员", district="铁西区")
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto(f"{live_server.url}/announcements/{announcement.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("link", name="登录后报名 TX001 社区网格员").click()
    page.wait_for_url("**/accounts/login/**")
    back = unquote(parse_qs(urlparse(page.url).query)["next"][0])
    assert back == f"/announcements/{announcement.pk}/#position-{position.pk}"

    _sign_in(page, live_server, UserFactory(role="applicant"))
    page.goto(live_server.url + back)
    apply = page.get_by_role("link", name="报名 TX001 社区网格员", exact=True)
    assert apply.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    apply.click()
    page.wait_for_url(f"**/me/apply/{position.pk}/**")


def test_the_correction_notice_shows_on_the_public_page_at_390px(needs_chromium, live_server, page):
    now = timezone.now()
    announcement = AnnouncementFactory(
        title="鞍山市公开招聘社区工作者公告",
        registration_opens_at=now - timedelta(days=1),
        registration_closes_at=now + timedelta(days=3),
        review_deadline=now + timedelta(days=10),
    )
    PositionFactory(announcement=announcement, code="TD001")
    administrator = UserFactory(role="administrator")
    new_deadline = (announcement.registration_closes_at + timedelta(days=2)).replace(microsecond=0)
    corrections.correction_publish(
        actor=administrator,
        announcement=announcement,
        kind=Correction.Kind.CORRECTION,
        title="关于延长报名时间的更正公告",
        reason="报名咨询量大，延长报名时间两天",
        fields={"registration_closes_at": new_deadline},
    )
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/announcements/{announcement.pk}/")
    section = page.get_by_role("region", name="更正及补充公告")
    assert section.is_visible()
    text = section.inner_text()
    assert "关于延长报名时间的更正公告" in text and "报名咨询量大，延长报名时间两天" in text
    after = f"{timezone.localtime(new_deadline):%Y-%m-%d %H:%M:%S}"
    assert "报名截止时间" in text and f"改为 {after}" in text
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
