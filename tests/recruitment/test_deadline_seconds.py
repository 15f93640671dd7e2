"""Kind 7 of issue 13 (times): a deadline keeps its seconds through every edit, and a
deadline typed as 23:59 closes at 23:59:59."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from recruitment.forms import AnnouncementForm
from recruitment.models import Announcement
from tests.recruitment.factories import AnnouncementFactory

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _post_data(announcement, **overrides):
    """The edit form as a browser posts it: every time to the minute (datetime-local)."""
    form = AnnouncementForm(instance=announcement)
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        if hasattr(value, "hour"):
            value = value.strftime("%Y-%m-%dT%H:%M")
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        data[name] = "on" if value is True else value
    data.update({"bonus-TOTAL_FORMS": "0", "bonus-INITIAL_FORMS": "0"})
    data.update(overrides)
    return data


@pytest.fixture
def draft():
    return AnnouncementFactory(
        status=Announcement.Status.DRAFT,
        published_at=None,
        registration_opens_at=datetime(2099, 6, 1, 9, 0, 0, tzinfo=SHANGHAI),
        registration_closes_at=datetime(2099, 6, 7, 23, 59, 59, tzinfo=SHANGHAI),
        review_deadline=datetime(2099, 6, 15, 17, 30, 59, tzinfo=SHANGHAI),
    )


def test_issue_example_a_title_only_edit_keeps_23_59_59(client, administrator, draft):
    client.force_login(administrator)
    response = client.post(reverse("recruitment:edit", args=[draft.pk]), _post_data(draft, title="新标题"))
    assert response.status_code == 302, response.content.decode()[:2000]
    draft.refresh_from_db()
    assert draft.title == "新标题"
    assert draft.registration_closes_at == datetime(2099, 6, 7, 23, 59, 59, tzinfo=SHANGHAI)  # not 23:59:00
    assert draft.review_deadline == datetime(2099, 6, 15, 17, 30, 59, tzinfo=SHANGHAI)
    assert draft.registration_opens_at == datetime(2099, 6, 1, 9, 0, 0, tzinfo=SHANGHAI)


def test_a_deadline_typed_as_23_59_closes_at_23_59_59(client, administrator, draft):
    client.force_login(administrator)
    data = _post_data(draft, registration_closes_at="2099-06-08T23:59")
    assert client.post(reverse("recruitment:edit", args=[draft.pk]), data).status_code == 302
    draft.refresh_from_db()
    assert draft.registration_closes_at == datetime(2099, 6, 8, 23, 59, 59, tzinfo=SHANGHAI)


def test_a_new_announcement_gets_end_of_minute_deadlines_and_start_of_minute_starts(client, administrator):
    client.force_login(administrator)
    data = {
        "title": "新公告",
        "organiser": "民政局",
        "body": "正文",
        "registration_opens_at": "2099-06-01T09:00",
        "registration_closes_at": "2099-06-07T17:00",
        "review_deadline": "2099-06-15T17:00",
        "opening_ratio": "3",
        "interview_ratio": "3",
        "written_pass_mode": "fixed",
        "written_pass_line": "60",
        "interview_pass_line": "60",
        "written_weight": "0.5",
        "bonus_mode": "highest",
        "bonus_cap": "5",
        "public_notice_days": "7",
        "bonus-TOTAL_FORMS": "0",
        "bonus-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("recruitment:create"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    created = Announcement.objects.get(title="新公告")
    assert created.registration_opens_at == datetime(2099, 6, 1, 9, 0, 0, tzinfo=SHANGHAI)  # a start: :00
    assert created.registration_closes_at == datetime(
        2099, 6, 7, 17, 0, 59, tzinfo=SHANGHAI
    )  # a deadline: :59
    assert created.review_deadline == datetime(2099, 6, 15, 17, 0, 59, tzinfo=SHANGHAI)


def test_seconds_typed_explicitly_are_kept(client, administrator, draft):
    client.force_login(administrator)
    data = _post_data(draft, registration_closes_at="2099-06-08T18:00:00")
    assert client.post(reverse("recruitment:edit", args=[draft.pk]), data).status_code == 302
    draft.refresh_from_db()
    assert draft.registration_closes_at == datetime(2099, 6, 8, 18, 0, 0, tzinfo=SHANGHAI)


def test_the_edit_form_shows_the_seconds(client, administrator, draft):
    client.force_login(administrator)
    page = client.get(reverse("recruitment:edit", args=[draft.pk])).content.decode()
    assert 'value="2099-06-07T23:59:59"' in page and 'step="1"' in page
