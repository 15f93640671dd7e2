"""A worker's pages in a phone-sized browser (390 px): the record with grade and pay, the
training hours, and declaring a side job by keyboard, which shows the week with the overlap."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from workforce.models import SideJob

from .factories import community, make_worker, manager_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def _fits(page):
    return page.evaluate("document.documentElement.scrollWidth") <= page.evaluate(
        "document.documentElement.clientWidth"
    )


def test_a_worker_reads_their_record_and_declares_a_side_job_at_390px(needs_chromium, live_server, page):
    unit = community()
    manager_of(unit.parent)
    worker = make_worker(unit, name="杨帆", education=30)
    _login(page, live_server, worker.user)
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto(f"{live_server.url}/workforce/me/")
    page.get_by_role("heading", name="我的工作").wait_for()
    assert "2级" in page.locator("[data-grade]").inner_text()
    assert _fits(page)

    page.get_by_role("link", name="培训").click()
    page.locator("[data-hours]").wait_for()
    assert "要求 32 学时" in page.locator("[data-hours]").inner_text()
    assert _fits(page)

    page.get_by_role("link", name="兼职报备").first.click()
    page.get_by_role("link", name="报备兼职").click()
    today = timezone.localdate()
    page.get_by_label("兼职单位").fill("铁东区老年大学")
    page.get_by_label("兼职类别").select_option("education")
    page.get_by_label("每周时长（小时）").fill("2")
    page.get_by_label("开始日期").fill(today.isoformat())
    page.get_by_label("结束日期").fill((today + timedelta(days=90)).isoformat())
    page.locator("#id_slot0_day").select_option("2")
    page.locator("#id_slot0_start").fill("11:00")
    page.locator("#id_slot0_end").fill("13:00")
    assert _fits(page)
    page.locator("#id_slot0_end").press("Enter")  # submitted by keyboard
    page.get_by_text("与工作时间重叠", exact=False).first.wait_for()
    job = SideJob.objects.get()
    assert job.overlaps_duty and job.status == SideJob.Status.PENDING
    assert page.locator("tr.table-danger").count() == 1  # Wednesday flagged in the week
    assert _fits(page)
