"""Kind 6 of issue 13: positions state their age bounds as an inclusive birth-date range,
derived from the ages and the reference date, editable, shown on the public table."""

import importlib
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.urls import reverse

from recruitment import services
from recruitment.models import Announcement, Position
from tests.recruitment.factories import AnnouncementFactory, PositionFactory

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
FIELDS = {
    "code": "TD001",
    "name": "社区工作者",
    "district": "铁东区",
    "quota": 2,
    "min_age": 18,
    "max_age": 35,
}


@pytest.fixture
def draft():
    # Reference date 2026-12-31 (the issue's example), registration in 2099 so it can publish.
    return AnnouncementFactory(
        status=Announcement.Status.DRAFT,
        published_at=None,
        age_reference_date=date(2026, 12, 31),
        registration_opens_at=datetime(2099, 6, 1, 9, tzinfo=SHANGHAI),
        registration_closes_at=datetime(2099, 6, 7, 23, 59, 59, tzinfo=SHANGHAI),
        review_deadline=datetime(2099, 6, 15, 17, tzinfo=SHANGHAI),
    )


def test_a_new_position_states_the_range_the_ages_give(administrator, draft):
    # 18–35 on 2026-12-31: born 1990-12-31 (2026 − 36) … 2008-12-31 (2026 − 18), inclusive.
    position = services.position_create(actor=administrator, announcement=draft, fields=FIELDS)
    assert (position.born_on_or_after, position.born_on_or_before) == (date(1990, 12, 31), date(2008, 12, 31))
    assert position.birth_range_custom is False


def test_dates_written_by_the_administrator_are_kept(administrator, draft):
    fields = {**FIELDS, "born_on_or_after": date(1991, 1, 1)}
    position = services.position_create(actor=administrator, announcement=draft, fields=fields)
    assert position.born_on_or_after == date(1991, 1, 1)  # as written
    assert position.born_on_or_before == date(2008, 12, 31)  # the empty one derived
    assert position.birth_range_custom is True


def test_changing_an_age_rederives_a_derived_range_but_not_a_custom_one(administrator, draft):
    derived = services.position_create(actor=administrator, announcement=draft, fields=FIELDS)
    custom = services.position_create(
        actor=administrator,
        announcement=draft,
        fields={**FIELDS, "code": "TD002", "born_on_or_after": date(1991, 1, 1)},
    )
    services.position_update(actor=administrator, position=derived, fields={"max_age": 40})
    derived.refresh_from_db()
    assert derived.born_on_or_after == date(1985, 12, 31)  # 2026 − 41
    services.position_update(actor=administrator, position=custom, fields={"max_age": 40})
    custom.refresh_from_db()
    assert custom.born_on_or_after == date(1991, 1, 1)


def test_moving_the_reference_date_rederives_every_derived_range(administrator, draft):
    derived = services.position_create(actor=administrator, announcement=draft, fields=FIELDS)
    custom = services.position_create(
        actor=administrator,
        announcement=draft,
        fields={**FIELDS, "code": "TD002", "born_on_or_after": date(1991, 1, 1)},
    )
    services.announcement_update(
        actor=administrator, announcement=draft, fields={"age_reference_date": date(2027, 3, 1)}
    )
    derived.refresh_from_db()
    custom.refresh_from_db()
    # 2027-03-01: born 1991-03-01 (2027 − 36) … 2009-03-01 (2027 − 18).
    assert (derived.born_on_or_after, derived.born_on_or_before) == (date(1991, 3, 1), date(2009, 3, 1))
    assert custom.born_on_or_after == date(1991, 1, 1)
    assert custom.born_on_or_before == date(2008, 12, 31)  # a custom range is left alone


def test_the_form_refuses_an_inverted_range(client, administrator, draft):
    client.force_login(administrator)
    data = {**FIELDS, "min_education": 20, "experienced_years": 3, "min_experience_years": 0}
    data.update(born_on_or_after="2009-01-01", born_on_or_before="2008-12-31")
    response = client.post(reverse("recruitment:position_create", args=[draft.pk]), data)
    assert response.status_code == 200
    assert "出生日期范围有误" in response.content.decode()
    assert not Position.objects.exists()


def test_the_public_table_shows_the_issue_wording(client, administrator, draft):
    services.position_create(actor=administrator, announcement=draft, fields=FIELDS)
    services.announcement_publish(actor=administrator, announcement=draft)
    page = client.get(reverse("recruitment:detail", args=[draft.pk])).content.decode()
    assert "35周岁及以下（1990年12月31日及以后出生）" in page
    assert "18周岁及以上（2008年12月31日及以前出生）" in page


def test_the_relaxed_limit_is_shown_as_a_date_too(client, administrator, draft):
    # 40 for 3 years of community work on 2026-12-31: born 1985-12-31 or later (2026 − 41).
    fields = {**FIELDS, "max_age_experienced": 40, "experienced_years": 3}
    services.position_create(actor=administrator, announcement=draft, fields=fields)
    services.announcement_publish(actor=administrator, announcement=draft)
    page = client.get(reverse("recruitment:detail", args=[draft.pk])).content.decode()
    assert "满3年社区工作经历者放宽至40周岁（1985年12月31日及以后出生）" in page


def test_the_data_migration_fills_existing_positions():
    # Existing rows had no dates; reference date = the day registration closes (Beijing):
    # 2099-06-07 23:59:59 → 2099-06-07; 20–30 → born 2068-06-07 (2099 − 31) … 2079-06-07.
    announcement = AnnouncementFactory(
        registration_closes_at=datetime(2099, 6, 7, 23, 59, 59, tzinfo=SHANGHAI),
        review_deadline=datetime(2099, 6, 15, 17, tzinfo=SHANGHAI),
    )
    position = PositionFactory(announcement=announcement, min_age=20, max_age=30)
    Position.objects.filter(pk=position.pk).update(born_on_or_after=None, born_on_or_before=None)
    migration = importlib.import_module("recruitment.migrations.0002_birth_range_and_corrections")
    migration.fill_birth_ranges(apps, None)
    position.refresh_from_db()
    assert (position.born_on_or_after, position.born_on_or_before) == (date(2068, 6, 7), date(2079, 6, 7))
