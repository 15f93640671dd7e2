"""The frame test (tests/browser/test_frame.py) for the reports pages alone: no page scrolls
sideways or clips a cell at 1280 and 390 px, for the administrator, the reviewer, a unit
manager and an anonymous visitor (QA issue 20: the funnel table cut 保留比例（%）, the
workforce tables cut 合计 at 390 px). The shared test covers every page; this one runs in
a minute when only reports changed."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.browser import test_frame as frame

pytestmark = [pytest.mark.browser]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_reports_pages_fit_at_1280_and_390_px(needs_chromium, live_server, page, language, monkeypatch):
    build = frame.build_world
    world = {}

    def reports_only():
        users, pages = build()
        pages = [item for item in pages if item.name.startswith("reports:")]
        assert {item.role for item in pages if item.name == "reports:dashboard"} >= {"reviewer"}
        world.update(users=users, pages=pages)
        return users, pages

    monkeypatch.setattr(frame, "build_world", reports_only)
    frame.test_every_page_fits_at_1280_and_390_px(needs_chromium, live_server, page, language)

    # The shared test lets a .table-responsive scroll sideways; on the reports pages no table
    # may: a phone user did not see the last column at all.
    problems = []
    for item in world["pages"]:
        if item.name not in ("reports:dashboard", "reports:workforce"):
            continue
        client = Client()
        client.force_login(world["users"][item.role])
        page.context.clear_cookies()
        page.context.add_cookies(
            [
                {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url},
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": frame._cookie(client),
                    "url": live_server.url,
                },
            ]
        )
        page.set_viewport_size({"width": 390, "height": 900})
        page.goto(live_server.url + reverse(item.name, args=item.args))
        wide = page.evaluate(
            """() => [...document.querySelectorAll('.table-responsive')]
                 .filter((box) => box.scrollWidth > box.clientWidth + 1)
                 .map((box) => `${box.querySelector('caption')?.textContent} ${box.scrollWidth}>${box.clientWidth}`)"""
        )
        problems += [f"{item.name} as {item.role}: {box}" for box in wide]
    assert not problems, "\n".join(problems)
