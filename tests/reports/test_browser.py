"""The dashboard and the public statistics in a real browser (Debian's Chromium) at 390 px
and 1280 px, in Chinese and English: the charts are drawn under the Content-Security-Policy
(no inline script), the page never scrolls sideways, each chart has its table."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.reports.world import build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"


def _login(page, live_server, user, language):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [
            {"name": cookie.key, "value": cookie.value, "url": live_server.url},
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url},
        ]
    )


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_dashboard_at_390_and_1280_px(needs_chromium, needs_postgres, live_server, page, language):
    world = build()
    _login(page, live_server, world.admin, language)
    problems = []
    page.on(
        "console",
        lambda message: problems.append(message.text) if "Content Security Policy" in message.text else None,
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, url in (
        ("dashboard", reverse("reports:dashboard", args=[world.announcement.pk])),
        ("public", reverse("reports:public", args=[world.announcement.pk])),
    ):
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            response = page.goto(live_server.url + url)
            assert response.status == 200
            # Chart.js drew every canvas (a drawn canvas has its own pixel size set).
            page.wait_for_function(
                "[...document.querySelectorAll('canvas[data-chart]')].every(c => c.width > 0 && c.style.width)"
            )
            canvases = page.locator("canvas[data-chart]").count()
            assert canvases == (5 if name == "dashboard" else 1)
            assert (
                page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
                <= 0
            )
            page.screenshot(path=str(SCREENSHOTS / f"reports-{name}-{language}-{width}.png"), full_page=True)
    # Narrowed at once after being drawn wide (as the frame test does): no chart may stick out
    # while Chart.js has not resized it yet.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + reverse("reports:dashboard", args=[world.announcement.pk]))
    page.wait_for_function("[...document.querySelectorAll('canvas[data-chart]')].every(c => c.width > 0)")
    page.set_viewport_size({"width": 390, "height": 900})
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    # Each chart has its table beside it.
    page.goto(live_server.url + reverse("reports:dashboard", args=[world.announcement.pk]))
    assert page.locator("section.card table").count() == 5
    assert not problems, problems
    # The histogram follows the position chosen.
    page.select_option("#chart-histogram-series", index=1)
    label = page.evaluate("Chart.getChart('chart-histogram').data.datasets[0].label")
    assert label.startswith("P1")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_workforce_reports_at_390_and_1280_px(needs_chromium, live_server, page, language):
    from tests.reports.test_workforce import _records

    admin, _workers = _records()
    _login(page, live_server, admin, language)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.goto(live_server.url + reverse("reports:workforce")).status == 200
        page.wait_for_function(
            "[...document.querySelectorAll('canvas[data-chart]')].every(c => c.width > 0 && c.style.width)"
        )
        assert page.locator("canvas[data-chart]").count() == 5
        assert (
            page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
        )
        page.screenshot(path=str(SCREENSHOTS / f"reports-workforce-{language}-{width}.png"), full_page=True)
