"""QA wording of hiring: the hire notice says what to bring after 报到 in one sentence (it
used to nest "（请携带：…。）" in the place); English date ranges use "to", not "～"; the
shipped hire wording still in the database takes the new one (notifications 0012)."""

from datetime import timedelta
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from hiring.models import Proposal, PublicNotice
from hiring.services import checks, hire, notice, proposals
from notifications.defaults import DEFAULT_TEMPLATES
from notifications.models import MessageTemplate, Notification
from tests.factories import UserFactory
from tests.hiring.factories import ranked_position

pytestmark = pytest.mark.django_db

ROWS = [("90", 1, True), ("85", 2, True), ("80", 3, False), ("78", 4, True)]


@pytest.fixture
def admin():
    return UserFactory(role="administrator")


@pytest.fixture
def on_notice(admin):
    position, apps = ranked_position(ROWS, quota=2, admin=admin)
    made = proposals.propose_position(announcement=position.announcement, position=position, actor=admin)
    on = timezone.localdate()
    for proposal in made:
        check = checks.schedule_medical(proposal=proposal, on_date=on, place="区医院", actor=admin)
        checks.record_medical(check=check, result="passed", result_on=on, actor=admin, expected_version=1)
        checks.record_background(
            proposal=proposal, result="passed", summary="好", on_date=timezone.localdate(), actor=admin
        )
    published = notice.publish_notice(
        announcement=position.announcement, proposal_ids=[p.pk for p in made], starts_on=on, actor=admin
    )
    return position, apps, made, published


def test_hire_notice_names_the_materials_after_reporting(on_notice, admin):
    _position, apps, made, published = on_notice
    PublicNotice.objects.filter(pk=published.pk).update(
        starts_on=timezone.localdate() - timedelta(days=8), ends_on=timezone.localdate() - timedelta(days=1)
    )
    start = timezone.localdate() + timedelta(days=14)
    hire.confirm_hire(
        proposal=Proposal.objects.get(pk=made[0].pk),
        start_date=start,
        contract_years=3,
        report_place="区民政局社区建设科",
        report_materials="本人身份证原件、近期免冠一寸照片2张。",
        actor=admin,
    )
    body = Notification.objects.get(recipient=apps[0].applicant, event="hired").body
    assert (
        f"请于{start.isoformat()}到区民政局社区建设科报到，报到时请携带：本人身份证原件、近期免冠一寸照片2张。"
        in body
    )
    assert "（请携带" not in body and "。）" not in body and "。。" not in body


def test_english_date_ranges_use_to(client, on_notice, admin):
    position, _apps, _made, published = on_notice
    client.force_login(admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("hiring:announcement", args=[position.announcement.pk])).content.decode()
    assert "～" not in page
    assert f"{published.starts_on:%m-%d} to {published.ends_on:%m-%d}" in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    page = client.get(reverse("hiring:announcement", args=[position.announcement.pk])).content.decode()
    assert f"{published.starts_on:%m-%d}～{published.ends_on:%m-%d}" in page


def test_shipped_hire_wording_is_replaced_edited_kept():
    migration = import_module("notifications.migrations.0012_hired_notice_materials")
    MessageTemplate.objects.filter(event="hired").delete()
    shipped = MessageTemplate.objects.create(
        event="hired", language="zh-hans", subject="s", body=migration.OLD["zh-hans"]
    )
    edited = MessageTemplate.objects.create(event="hired", language="en", subject="s", body="Our own words.")
    migration.forward(django_apps, None)
    shipped.refresh_from_db()
    edited.refresh_from_db()
    assert shipped.body == DEFAULT_TEMPLATES["hired"]["zh-hans"][1]
    assert "报到时请携带：{{ report_materials }}" in shipped.body
    assert edited.body == "Our own words."
