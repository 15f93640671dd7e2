import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_opens_in_chinese_and_switches_to_english(needs_chromium, live_server, page):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.get_by_role("heading", name="社区工作者公开招聘").is_visible()
    page.get_by_role("button", name="展开菜单").click()
    page.select_option("#language-select", "en")
    page.wait_for_load_state()
    page.get_by_role("heading", name="Community worker recruitment").wait_for()
    assert page.locator("html").get_attribute("lang") == "en"
