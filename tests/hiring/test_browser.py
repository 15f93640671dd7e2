"""The administrator's hiring page in a phone-sized browser (390 px): the overview fits,
a candidate is opened, a medical check is scheduled by keyboard and the result recorded;
the public notice fits too."""

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from hiring.models import MedicalCheck
from hiring.services import proposals
from tests.factories import UserFactory
from tests.hiring.factories import ranked_position

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROWS = [("90.25", 1, True), ("85.50", 2, True), ("80.00", 3, False), ("78.75", 4, True)]


def _login(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def _fits(page):
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0


def test_the_administrators_hiring_page_at_390px(needs_chromium, live_server, page):
    admin = UserFactory(role="administrator")
    position, apps = ranked_position(ROWS, quota=2, admin=admin)
    announcement = position.announcement
    _login(page, live_server, admin)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/hiring/{announcement.pk}/")
    assert _fits(page)
    page.get_by_role("button", name="按排名确定拟录用人员").click()
    page.get_by_text("已确定拟录用人员 2 人。").wait_for()
    assert _fits(page)
    name = apps[0].snapshot["real_name"]
    page.get_by_role("link", name=f"办理 {name}").click()
    page.get_by_role("heading", name=name).wait_for()
    assert _fits(page)
    # By keyboard: the date field, then the place, then Enter submits.
    date_field = page.get_by_label("体检日期")
    date_field.focus()
    today = timezone.localdate()
    page.keyboard.type(today.strftime("%m%d%Y"))
    for _ in range(3):  # past the date's own picker button, to the place field
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "medical-place":
            break
    page.keyboard.type("区人民医院体检中心")
    page.keyboard.press("Enter")
    page.get_by_text("体检已安排，已通知考生。").wait_for()
    check = MedicalCheck.objects.get()
    assert check.on_date == today and check.place == "区人民医院体检中心"
    page.get_by_label("体检结论").select_option("passed")
    page.get_by_role("button", name="登记结论").click()
    page.get_by_text("体检结论已登记。").wait_for()
    check.refresh_from_db()
    assert check.result == "passed"
    assert _fits(page)
    assert proposals.give_up_event(check.proposal) == "gave_up"
