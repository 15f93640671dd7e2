"""Kind 12 of issue 13: published announcements change only through a correction notice
(更正公告 / 补充公告), shown on the public page as a history, notified to the applicants
concerned; publishing asks for confirmation with a summary."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from applicants.models import Stage
from notifications.models import Notification
from recruitment import corrections, services
from recruitment.models import Announcement, Correction, Position, RecruitmentEvent
from tests.applicants.factories import ApplicationFactory
from tests.recruitment.factories import AnnouncementFactory, PositionFactory

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _local(*args):
    return datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def open_announcement():
    """Registration open since yesterday; closes 2099-12-31 23:59:59 Beijing time."""
    now = timezone.now()
    announcement = AnnouncementFactory(
        registration_opens_at=now - timedelta(days=1),
        registration_closes_at=_local(2099, 12, 31, 23, 59, 59),
        review_deadline=_local(2100, 1, 10, 17, 0, 0),
    )
    first = PositionFactory(announcement=announcement, code="TD001", name="社区党建专干")
    second = PositionFactory(announcement=announcement, code="TD002", name="社区网格员")
    return announcement, first, second


def _publish(announcement, actor, **kwargs):
    defaults = {
        "kind": Correction.Kind.CORRECTION,
        "title": "关于延长报名时间的更正公告",
        "reason": "咨询量大，延长报名",
    }
    defaults.update(kwargs)
    return corrections.correction_publish(actor=actor, announcement=announcement, **defaults)


def test_extending_the_deadline_records_before_and_after_audits_and_notifies(
    administrator, open_announcement, django_capture_on_commit_callbacks
):
    announcement, first, second = open_announcement
    applied = ApplicationFactory(position=first)
    other = ApplicationFactory(position=second)
    draft = ApplicationFactory(position=first, stage=Stage.DRAFT)
    new_deadline = _local(2100, 1, 3, 23, 59, 59)
    correction = _publish(announcement, administrator, fields={"registration_closes_at": new_deadline})

    announcement.refresh_from_db()
    assert announcement.registration_closes_at == new_deadline
    assert correction.changes[0] == {
        "object": "announcement",
        "field": "registration_closes_at",
        "before": "2099-12-31 23:59:59",
        "after": "2100-01-03 23:59:59",
    }
    # No explicit age reference date: it follows the deadline (2099-12-31 → 2100-01-03), so
    # each position's derived birth dates move too, and are published as changes:
    # 18–35 → born 2063-12-31 … 2081-12-31 becomes 2064-01-03 … 2082-01-03.
    moved = {(c["position_code"], c["field"]): (c["before"], c["after"]) for c in correction.changes[1:]}
    assert moved == {
        ("TD001", "born_on_or_after"): ("2063-12-31", "2064-01-03"),
        ("TD001", "born_on_or_before"): ("2081-12-31", "2082-01-03"),
        ("TD002", "born_on_or_after"): ("2063-12-31", "2064-01-03"),
        ("TD002", "born_on_or_before"): ("2081-12-31", "2082-01-03"),
    }
    first.refresh_from_db()
    assert first.born_on_or_after == date(2064, 1, 3)
    event = RecruitmentEvent.objects.get(action="correction_published")
    assert event.actor == administrator and event.reason == "咨询量大，延长报名"
    # An announcement field changed: every submitted applicant of the announcement is told,
    # the draft is not (it never applied).
    notified = set(
        Notification.objects.filter(event="announcement_corrected").values_list("recipient", flat=True)
    )
    assert notified == {applied.applicant_id, other.applicant_id}
    assert draft.applicant_id not in notified
    assert correction.notified_count == 2
    message = Notification.objects.filter(recipient=applied.applicant).get()
    assert "关于延长报名时间的更正公告" in message.body and "咨询量大，延长报名" in message.body


def test_the_deadline_cannot_be_brought_forward_once_registration_is_open(administrator, open_announcement):
    announcement, _first, _second = open_announcement
    earlier = _local(2099, 12, 30, 23, 59, 59)
    with pytest.raises(ValidationError) as raised:
        _publish(announcement, administrator, fields={"registration_closes_at": earlier})
    assert "registration_closes_at" in raised.value.error_dict
    assert "只能延长" in raised.value.error_dict["registration_closes_at"][0].messages[0]
    announcement.refresh_from_db()
    assert announcement.registration_closes_at == _local(2099, 12, 31, 23, 59, 59)
    assert not Correction.objects.exists() and not Notification.objects.exists()


def test_the_opening_time_cannot_move_once_registration_is_open(administrator, open_announcement):
    announcement, _first, _second = open_announcement
    with pytest.raises(ValidationError) as raised:
        _publish(announcement, administrator, fields={"registration_opens_at": timezone.now()})
    assert "registration_opens_at" in raised.value.error_dict


def test_before_registration_opens_the_deadline_may_come_earlier(administrator):
    # Opens in 2099-06-01: nobody has applied, so a correction may shorten the window.
    announcement = AnnouncementFactory(
        registration_opens_at=_local(2099, 6, 1, 9, 0, 0),
        registration_closes_at=_local(2099, 6, 10, 17, 0, 0),
        review_deadline=_local(2099, 6, 20, 17, 0, 0),
    )
    PositionFactory(announcement=announcement)
    correction = _publish(
        announcement, administrator, fields={"registration_closes_at": _local(2099, 6, 7, 17, 0, 0)}
    )
    assert correction.changes[0]["after"] == "2099-06-07 17:00:00"


def test_a_position_correction_notifies_only_that_positions_applicants_and_rederives_the_birth_range(
    administrator, open_announcement
):
    announcement, first, second = open_announcement
    mine = ApplicationFactory(position=first)
    other = ApplicationFactory(position=second)
    before = first.born_on_or_after
    correction = _publish(
        announcement,
        administrator,
        title="关于TD001岗位年龄条件的更正公告",
        reason="年龄上限笔误",
        position=first,
        position_fields={"max_age": 40, "majors": ["社会工作"]},
    )
    first.refresh_from_db()
    reference = announcement.reference_date  # 2099-12-31 (the registration deadline's day)
    assert reference == date(2099, 12, 31)
    # max 40 on 2099-12-31 → born on or after 2099 − 41 = 2058-12-31.
    assert first.born_on_or_after == date(2058, 12, 31)
    fields = {change["field"]: change for change in correction.changes}
    assert fields["max_age"]["before"] == "35" and fields["max_age"]["after"] == "40"
    assert fields["majors"]["before"] == "—" and fields["majors"]["after"] == "社会工作"
    assert fields["born_on_or_after"]["before"] == before.isoformat() == "2063-12-31"
    assert all(change["position_code"] == "TD001" for change in correction.changes)
    notified = set(Notification.objects.values_list("recipient", flat=True))
    assert notified == {mine.applicant_id}
    assert other.applicant_id not in notified


def test_a_supplement_without_field_changes_goes_to_every_applicant(administrator, open_announcement):
    announcement, first, second = open_announcement
    ApplicationFactory(position=first)
    ApplicationFactory(position=second)
    correction = _publish(
        announcement,
        administrator,
        kind=Correction.Kind.SUPPLEMENT,
        title="关于报名照片要求的补充公告",
        reason="补充照片要求",
        body="照片须为近期**免冠**证件照。",
    )
    assert correction.changes == [] and correction.notified_count == 2


@pytest.mark.parametrize("status", [Announcement.Status.DRAFT, Announcement.Status.ARCHIVED])
def test_drafts_and_archived_announcements_take_no_correction(administrator, status):
    announcement = AnnouncementFactory(status=status)
    with pytest.raises(ValidationError):
        _publish(announcement, administrator, fields={"title": "新标题"})
    assert not Correction.objects.exists()


def test_title_and_reason_are_required(administrator, open_announcement):
    announcement, _first, _second = open_announcement
    with pytest.raises(ValidationError) as raised:
        _publish(announcement, administrator, title=" ", reason="")
    assert set(raised.value.error_dict) == {"title", "reason"}


def test_the_plain_services_refuse_published_announcements(administrator, open_announcement):
    announcement, first, _second = open_announcement
    with pytest.raises(ValidationError, match="更正公告"):
        services.announcement_update(actor=administrator, announcement=announcement, fields={"title": "x"})
    with pytest.raises(ValidationError, match="更正公告"):
        services.position_update(actor=administrator, position=first, fields={"name": "x"})


# --- Pages ---------------------------------------------------------------------------------


def _form_data(announcement, **overrides):
    """What the browser posts for the correction form of the announcement, unchanged."""
    from recruitment.forms import AnnouncementForm

    form = AnnouncementForm(instance=announcement, prefix="announcement")
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        if hasattr(value, "isoformat") and hasattr(value, "hour"):
            value = value.strftime("%Y-%m-%dT%H:%M")  # local time; browsers post minutes
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        if isinstance(value, bool):
            if value:
                data[f"announcement-{name}"] = "on"
            continue
        data[f"announcement-{name}"] = value
    data.update(
        {
            "notice-kind": "correction",
            "notice-title": "关于延长报名时间的更正公告",
            "notice-reason": "咨询量大，延长报名",
            "notice-body": "",
        }
    )
    data.update(overrides)
    return data


def test_correction_page_publishes_and_the_public_page_shows_the_history(
    client, administrator, open_announcement
):
    announcement, _first, _second = open_announcement
    client.force_login(administrator)
    url = reverse("recruitment:correction_create", args=[announcement.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, _form_data(announcement, **{"announcement-registration_closes_at": "2100-01-03T23:59"})
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    correction = Correction.objects.get()
    # Only the deadline changed: the other times were posted as minutes and kept their seconds;
    # the new deadline typed as 23:59 closes at 23:59:59.
    assert [change["field"] for change in correction.changes if change["object"] == "announcement"] == [
        "registration_closes_at"
    ]
    assert correction.changes[0]["after"] == "2100-01-03 23:59:59"
    client.logout()
    page = client.get(reverse("recruitment:detail", args=[announcement.pk])).content.decode()
    assert "更正及补充公告" in page and "关于延长报名时间的更正公告" in page
    assert "2099-12-31 23:59:59" in page and "2100-01-03 23:59:59" in page
    assert "报名截止时间" in page and "咨询量大，延长报名" in page


def test_correction_page_shows_the_deadline_error_on_its_field(client, administrator, open_announcement):
    announcement, _first, _second = open_announcement
    client.force_login(administrator)
    url = reverse("recruitment:correction_create", args=[announcement.pk])
    response = client.post(
        url, _form_data(announcement, **{"announcement-registration_closes_at": "2099-12-01T23:59"})
    )
    assert response.status_code == 400
    assert "只能延长" in response.content.decode()
    assert not Correction.objects.exists()


def test_the_edit_forms_send_a_published_announcement_to_the_correction_form(
    client, administrator, open_announcement
):
    announcement, first, _second = open_announcement
    client.force_login(administrator)
    response = client.post(reverse("recruitment:edit", args=[announcement.pk]), {"title": "改"})
    assert response.status_code == 302
    assert response["Location"] == reverse("recruitment:correction_create", args=[announcement.pk])
    response = client.get(reverse("recruitment:position_edit", args=[announcement.pk, first.pk]), follow=True)
    assert response.redirect_chain[-1][0].endswith(f"?position={first.pk}")
    assert "请发布更正公告或补充公告" in response.content.decode()
    announcement.refresh_from_db()
    assert announcement.title != "改"


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302), ("applicant", 403), ("examiner", 403), ("reviewer", 403), ("administrator", 200)],
)
def test_only_administrators_correct_or_publish(client, request, role, status, open_announcement):
    announcement, _first, _second = open_announcement
    draft = AnnouncementFactory(status=Announcement.Status.DRAFT, published_at=None)
    PositionFactory(announcement=draft)
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    correction_url = reverse("recruitment:correction_create", args=[announcement.pk])
    publish_url = reverse("recruitment:publish", args=[draft.pk])
    assert client.get(correction_url).status_code == status
    assert client.get(publish_url).status_code == status
    if role != "administrator":
        client.post(correction_url, _form_data(announcement))
        client.post(publish_url)
        draft.refresh_from_db()
        assert draft.status == Announcement.Status.DRAFT and not Correction.objects.exists()


def test_reviewers_read_the_corrections_on_the_manage_page(
    client, reviewer, administrator, open_announcement
):
    announcement, _first, _second = open_announcement
    _publish(announcement, administrator, fields={"contact": "0412-1234567"})
    client.force_login(reviewer)
    page = client.get(reverse("recruitment:manage_detail", args=[announcement.pk])).content.decode()
    assert "关于延长报名时间的更正公告" in page
    assert reverse("recruitment:correction_create", args=[announcement.pk]) not in page


def test_publishing_asks_for_confirmation_with_a_summary(client, administrator):
    draft = AnnouncementFactory(
        status=Announcement.Status.DRAFT,
        published_at=None,
        registration_opens_at=_local(2099, 6, 1, 9, 0, 0),
        registration_closes_at=_local(2099, 6, 7, 23, 59, 59),
        review_deadline=_local(2099, 6, 15, 17, 0, 0),
    )
    PositionFactory(announcement=draft, quota=3, district="铁东区")
    PositionFactory(announcement=draft, quota=2, district="铁西区")
    client.force_login(administrator)
    url = reverse("recruitment:publish", args=[draft.pk])
    page = client.get(url).content.decode()
    # 2 positions, 3 + 2 = 5 posts, and the exact window with seconds.
    assert "确认发布公告" in page
    assert '<dd class="col-7">2</dd>' in page and '<dd class="col-7">5</dd>' in page
    assert "2099-06-01 09:00:00 — 2099-06-07 23:59:59" in page and "铁东区、铁西区" in page
    draft.refresh_from_db()
    assert draft.status == Announcement.Status.DRAFT  # a GET publishes nothing
    assert client.post(url).status_code == 302
    draft.refresh_from_db()
    assert draft.status == Announcement.Status.PUBLISHED


def test_the_confirmation_page_lists_what_stops_publishing(client, administrator):
    draft = AnnouncementFactory(status=Announcement.Status.DRAFT, published_at=None)
    client.force_login(administrator)
    page = client.get(reverse("recruitment:publish", args=[draft.pk])).content.decode()
    assert "公告还没有岗位" in page and "disabled" in page
    client.post(reverse("recruitment:publish", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == Announcement.Status.DRAFT


def test_correction_pages_query_budget(
    client, administrator, open_announcement, django_assert_max_num_queries
):
    announcement, first, _second = open_announcement
    for n in range(3):
        _publish(announcement, administrator, title=f"更正{n}", fields={"contact": f"0412-000000{n}"})
    client.force_login(administrator)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("recruitment:correction_create", args=[announcement.pk])).status_code == 200
    with django_assert_max_num_queries(12):
        url = reverse("recruitment:correction_create", args=[announcement.pk]) + f"?position={first.pk}"
        assert client.get(url).status_code == 200
    client.logout()
    # The public page with three corrections: one query for all of them.
    with django_assert_max_num_queries(11):
        page = client.get(reverse("recruitment:detail", args=[announcement.pk])).content.decode()
    assert page.count('class="correction') == 3
    assert Position.objects.count() == 2


def test_a_supplement_about_one_position_goes_to_its_applicants_only(administrator, open_announcement):
    announcement, first, second = open_announcement
    mine = ApplicationFactory(position=first)
    ApplicationFactory(position=second)
    correction = _publish(
        announcement,
        administrator,
        kind=Correction.Kind.SUPPLEMENT,
        title="关于TD001岗位工作地点的补充说明",
        reason="补充工作地点",
        position=first,
        position_fields={},
    )
    assert correction.changes == [] and correction.notified_count == 1
    assert set(Notification.objects.values_list("recipient", flat=True)) == {mine.applicant_id}
