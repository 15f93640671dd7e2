"""Hiring pages: permissions down to the object, bad input kept at the field, the public
notice's visibility and masking, exports, the applicant's panel and give-up, query budgets."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from applicants.models import Stage
from hiring.models import MedicalCheck, Proposal, PublicNotice
from hiring.services import checks, notice, proposals
from tests.applicants.factories import ApplicationFactory
from tests.factories import UserFactory
from tests.hiring.factories import ranked_position

pytestmark = pytest.mark.django_db

ROWS = [("90", 1, True), ("85", 2, True), ("80", 3, False), ("78", 4, True)]


@pytest.fixture
def admin():
    return UserFactory(role="administrator")


@pytest.fixture
def world(admin):
    position, apps = ranked_position(ROWS, quota=2, admin=admin)
    made = proposals.propose_position(announcement=position.announcement, position=position, actor=admin)
    return position.announcement, position, apps, made


def login(client, role):
    user = UserFactory(role=role)
    client.force_login(user)
    return user


def staff_urls(announcement, position, proposal):
    a = announcement.pk
    return [
        reverse("hiring:index"),
        reverse("hiring:announcement", args=[a]),
        reverse("hiring:settings", args=[a]),
        reverse("hiring:notice_new", args=[a]),
        reverse("hiring:proposal", args=[a, proposal.pk]),
        reverse("hiring:chain", args=[a, position.pk]),
        reverse("hiring:chain_xlsx", args=[a, position.pk]),
        reverse("hiring:extra_test", args=[a, position.pk]),
        reverse("hiring:export", args=[a, "proposed", "xlsx"]),
    ]


@pytest.mark.parametrize("role", ["applicant", "reviewer", "examiner", "proctor", "unit_manager"])
def test_only_administrators_open_the_staff_pages(client, world, role):
    announcement, position, _apps, made = world
    login(client, role)
    for url in staff_urls(announcement, position, made[0]):
        assert client.get(url).status_code == 403, url


def test_reviewers_cannot_hire(client, world):
    announcement, _position, _apps, made = world
    login(client, "reviewer")
    url = reverse("hiring:proposal_action", args=[announcement.pk, made[0].pk, "hire"])
    assert client.post(url, {"hire-start_date": "2030-01-01"}).status_code == 403


def test_anonymous_is_sent_to_sign_in(client, world):
    announcement, position, _apps, made = world
    for url in staff_urls(announcement, position, made[0]):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"], url


def test_administrator_pages_open(client, world, admin):
    announcement, position, _apps, made = world
    client.force_login(admin)
    for url in staff_urls(announcement, position, made[0]):
        assert client.get(url).status_code == 200, url


def test_another_announcements_proposal_is_404(client, world, admin):
    announcement, _position, _apps, _made = world
    other_position, _ = ranked_position(ROWS, quota=2, admin=admin)
    other = proposals.propose_position(
        announcement=other_position.announcement, position=other_position, actor=admin
    )[0]
    client.force_login(admin)
    assert client.get(reverse("hiring:proposal", args=[announcement.pk, other.pk])).status_code == 404
    url = reverse("hiring:proposal_action", args=[announcement.pk, other.pk, "medical"])
    assert client.post(url, {"medical-on_date": "2030-01-01", "medical-place": "医院"}).status_code == 404
    assert client.get(reverse("hiring:chain", args=[announcement.pk, other_position.pk])).status_code == 404


def test_bad_input_stays_at_the_field_and_nothing_is_saved(client, world, admin):
    announcement, _position, _apps, made = world
    client.force_login(admin)
    url = reverse("hiring:proposal_action", args=[announcement.pk, made[0].pk, "medical"])
    response = client.post(url, {"medical-on_date": "2026-13-45", "medical-place": "区人民医院"})
    assert response.status_code == 200
    form = response.context["forms"]["medical"]
    assert "on_date" in form.errors and form["place"].value() == "区人民医院"
    assert not MedicalCheck.objects.exists()
    # The order of checks: a background result before the medical is refused with the reason.
    url = reverse("hiring:proposal_action", args=[announcement.pk, made[0].pk, "background"])
    response = client.post(
        url, {"background-result": "passed", "background-on_date": "2026-01-05", "background-summary": "良好"}
    )
    assert "先体检后考察" in response.content.decode()


def test_happy_path_through_the_pages(client, world, admin):
    announcement, _position, apps, made = world
    client.force_login(admin)
    today = timezone.localdate().isoformat()
    base = [announcement.pk, made[0].pk]
    response = client.post(
        reverse("hiring:proposal_action", args=[*base, "medical"]),
        {"medical-on_date": today, "medical-place": "区人民医院"},
    )
    assert response.status_code == 302
    check = MedicalCheck.objects.get()
    response = client.post(
        reverse("hiring:proposal_action", args=[*base, "medical_result"]),
        {"mr-result": "passed", "mr-result_on": today, "mr-version": check.version},
    )
    assert response.status_code == 302
    check.refresh_from_db()
    assert check.result == "passed"
    response = client.post(
        reverse("hiring:notice_new", args=[announcement.pk]),
        {"proposals": [str(p.pk) for p in made], "starts_on": today, "title": ""},
    )
    assert response.status_code == 302
    notice_obj = PublicNotice.objects.get()
    assert notice_obj.ends_on == timezone.localdate() + timedelta(days=6)
    apps[0].refresh_from_db()
    assert apps[0].stage == Stage.PUBLIC_NOTICE


def test_notice_form_asks_for_the_end_date_where_the_library_has_no_data(client, world, admin, monkeypatch):
    announcement, _position, _apps, made = world
    from hiring.models import HiringSettings

    HiringSettings.objects.create(announcement=announcement, notice_day_kind="working")
    monkeypatch.setattr("hiring.periods._library_is_workday", lambda day: (True, False))
    client.force_login(admin)
    today = timezone.localdate()
    response = client.post(
        reverse("hiring:notice_new", args=[announcement.pk]),
        {"proposals": [str(p.pk) for p in made], "starts_on": today.isoformat()},
    )
    assert response.status_code == 200
    assert "ends_on" in response.context["form"].errors
    assert not PublicNotice.objects.exists()


def test_public_notice_visible_during_and_after_its_period_only(client, world, admin):
    announcement, _position, apps, made = world
    published = notice.publish_notice(
        announcement=announcement,
        proposal_ids=[p.pk for p in made],
        starts_on=timezone.localdate() + timedelta(days=2),
        actor=admin,
    )
    url = reverse("hiring:public_notice", args=[published.pk])
    assert client.get(url).status_code == 404
    assert published not in list(client.get(reverse("hiring:public_notices")).context["notices"])
    PublicNotice.objects.filter(pk=published.pk).update(starts_on=timezone.localdate())
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    full_id = apps[0].snapshot["id_number"]
    assert full_id not in body and full_id[-4:] in body and apps[0].snapshot["real_name"] in body
    PublicNotice.objects.filter(pk=published.pk).update(
        starts_on=timezone.localdate() - timedelta(days=20), ends_on=timezone.localdate() - timedelta(days=14)
    )
    response = client.get(url)
    assert response.status_code == 200 and "公示期已结束" in response.content.decode()


def test_public_notice_in_english_has_no_chinese_punctuation_or_dates(client, world, admin):
    """QA: the English notice showed "2026年11月20日" and "Supervision telephone ：" (a
    full-width colon); dates follow the language and the labels carry their own colon."""
    from django.conf import settings

    from hiring.models import HiringSettings

    announcement, _position, _apps, made = world
    HiringSettings.objects.update_or_create(
        announcement=announcement,
        defaults={"supervision_phone": "024-12345678", "objection_address": "区民政局社区建设科"},
    )
    published = notice.publish_notice(
        announcement=announcement,
        proposal_ids=[p.pk for p in made],
        starts_on=timezone.localdate(),
        actor=admin,
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get(reverse("hiring:public_notice", args=[published.pk])).content.decode()
    assert "年" not in body.split("<h1")[1].split("</h1>")[1].split("<table")[0]
    assert "Supervision telephone: <a" in body and "Objections to: 区民政局社区建设科" in body
    assert "：" not in body.split("<table")[0].split("</h1>")[1]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    body = client.get(reverse("hiring:public_notice", args=[published.pk])).content.decode()
    start = published.starts_on
    assert f"{start.year}年{start.month}月{start.day}日" in body and "监督电话：<a" in body


def test_exports(client, world, admin):
    announcement, position, apps, made = world
    announcement.title = "2026年公告: 第[1]批/社区"  # characters a sheet name may not hold
    announcement.save(update_fields=["title"])
    client.force_login(admin)
    response = client.get(reverse("hiring:export", args=[announcement.pk, "proposed", "xlsx"]))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell]
    assert apps[0].snapshot["id_number"] not in values
    response = client.get(reverse("hiring:export", args=[announcement.pk, "hires", "pdf"]))
    assert response.status_code in (200, 503)  # 503: no CJK font on this machine
    if response.status_code == 200:
        assert response.content.startswith(b"%PDF")
    assert client.get(reverse("hiring:export", args=[announcement.pk, "secret", "xlsx"])).status_code == 404
    response = client.get(reverse("hiring:chain_xlsx", args=[announcement.pk, position.pk]))
    assert response.status_code == 200


def test_query_budgets(client, world, admin, django_assert_max_num_queries):
    announcement, position, _apps, made = world
    for proposal in made:
        checks.schedule_medical(proposal=proposal, on_date=timezone.localdate(), place="医院", actor=admin)
    published = notice.publish_notice(
        announcement=announcement,
        proposal_ids=[p.pk for p in made],
        starts_on=timezone.localdate(),
        actor=admin,
    )
    more, _ = ranked_position(ROWS, quota=2, admin=admin, announcement=announcement)
    proposals.propose_position(announcement=announcement, position=more, actor=admin)
    client.force_login(admin)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("hiring:announcement", args=[announcement.pk])).status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(reverse("hiring:proposal", args=[announcement.pk, made[0].pk])).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("hiring:chain", args=[announcement.pk, position.pk])).status_code == 200
    client.logout()
    with django_assert_max_num_queries(8):
        assert client.get(reverse("hiring:public_notice", args=[published.pk])).status_code == 200


def test_applicant_panel_and_give_up_by_sms_code(client, world, admin, monkeypatch):
    _announcement, _position, apps, made = world
    owner = apps[0].applicant
    client.force_login(owner)
    page = client.get(reverse("applicants:application", args=[apps[0].pk]))
    assert "放弃录用资格" in page.content.decode()
    monkeypatch.setattr("exams.declarations._new_code", lambda: "246810")
    url = reverse("hiring:give_up", args=[apps[0].pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"step": "start", "start-agree": "on", "start-reason": "已考取公务员"})
    assert response.status_code == 302
    response = client.post(url, {"step": "confirm", "confirm-code": "111111"})
    assert response.status_code == 200 and "code" in response.context["confirm_form"].errors
    response = client.post(url, {"step": "confirm", "confirm-code": "246810"})
    assert response.status_code == 302
    made[0].refresh_from_db()
    assert made[0].status == "removed" and made[0].removal_event == "gave_up"
    apps[0].refresh_from_db()
    assert apps[0].stage == Stage.DECLINED
    assert Proposal.objects.get(application=apps[3]).status == "active"  # backfilled past the line


def test_someone_elses_give_up_page_is_404(client, world):
    _announcement, _position, apps, _made = world
    other = ApplicationFactory().applicant
    client.force_login(other)
    assert client.get(reverse("hiring:give_up", args=[apps[0].pk])).status_code == 404
    assert (
        "放弃录用资格"
        not in client.get(reverse("applicants:application", args=[apps[0].pk])).content.decode()
    )
