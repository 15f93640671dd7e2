"""Kind 10 of issue 13 (the announcement page): 报名 on each position for a signed-in
applicant, sign-in and back for a visitor, the status of the position applied to, filters
by district, education and major (and "positions I qualify for"), the Excel download."""

import io
from datetime import date, timedelta
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from applicants.models import Stage
from recruitment.choices import Education, PoliticalRequirement
from recruitment.models import Announcement
from tests.applicants.factories import ApplicationFactory, NamedProfileFactory
from tests.factories import UserFactory
from tests.recruitment.factories import AnnouncementFactory, PositionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def announcement():
    announcement = AnnouncementFactory(title="鞍山市公开招聘社区工作者公告")
    PositionFactory(
        announcement=announcement,
        code="TD001",
        name="社区党建专干",
        district="铁东区",
        min_education=Education.BACHELOR,
        majors=["社会工作", "社会学"],
        political_requirement=PoliticalRequirement.PARTY_MEMBER,
    )
    PositionFactory(
        announcement=announcement,
        code="TX001",
        name="社区网格员",
        district="铁西区",
        min_education=Education.HIGH_SCHOOL,
        majors=[],
    )
    PositionFactory(
        announcement=announcement,
        code="TX002",
        name="社区社工",
        district="铁西区",
        min_education=Education.JUNIOR_COLLEGE,
        majors=["心理学"],
        other_conditions='=HYPERLINK("http://evil.example","点我")',
    )
    return announcement


def _url(announcement, **params):
    return reverse("recruitment:detail", args=[announcement.pk]) + (
        "?" + "&".join(f"{k}={quote(str(v))}" for k, v in params.items()) if params else ""
    )


def _codes(page: str) -> list[str]:
    return [code for code in ("TD001", "TX001", "TX002") if f'data-label="岗位代码">{code}<' in page]


def test_an_anonymous_visitor_is_asked_to_sign_in_and_comes_back(client, announcement):
    page = client.get(_url(announcement)).content.decode()
    position = announcement.positions.get(code="TD001")
    back = quote(f"/announcements/{announcement.pk}/#position-{position.pk}", safe="")
    login = f"{reverse('account_login')}?next={back}"
    assert f'href="{login}"' in page and "登录后报名" in page
    assert reverse("applicants:apply", args=[position.pk]) not in page
    response = client.get(login)
    assert response.status_code == 200  # the sign-in page keeps the way back
    assert f"/announcements/{announcement.pk}/" in response.content.decode()


def test_a_signed_in_applicant_finds_apply_on_each_position(client, applicant, announcement):
    client.force_login(applicant)
    page = client.get(_url(announcement)).content.decode()
    for position in announcement.positions.all():
        assert f'href="{reverse("applicants:apply", args=[position.pk])}"' in page
    assert "登录后报名" not in page


def test_the_position_applied_to_shows_its_status_instead_of_apply(client, announcement):
    applied_to = announcement.positions.get(code="TX001")
    application = ApplicationFactory(position=applied_to, stage=Stage.SUBMITTED)
    client.force_login(application.applicant)
    page = client.get(_url(announcement)).content.decode()
    assert "已报名 · 待审核" in page
    assert reverse("applicants:apply", args=[applied_to.pk]) not in page
    assert page.count("已报名本公告其他岗位") == 2
    assert f'href="{reverse("applicants:application", args=[application.pk])}"' in page  # the banner


def test_one_applicants_status_never_shows_to_another_or_to_visitors(client, announcement):
    """The table is cached per kind of viewer: A's page first, then B's and a visitor's."""
    applied_to = announcement.positions.get(code="TX001")
    first = ApplicationFactory(position=applied_to, stage=Stage.APPROVED)
    client.force_login(first.applicant)
    assert "已报名 · 审核通过" in client.get(_url(announcement)).content.decode()
    client.force_login(UserFactory(role="applicant"))
    other = client.get(_url(announcement)).content.decode()
    assert "已报名 · 审核通过" not in other and reverse("applicants:apply", args=[applied_to.pk]) in other
    client.logout()
    visitor = client.get(_url(announcement)).content.decode()
    assert "已报名 · 审核通过" not in visitor and "登录后报名" in visitor


@pytest.mark.parametrize("role", ["reviewer", "administrator", "examiner"])
def test_staff_see_no_apply_column(client, request, role, announcement):
    client.force_login(request.getfixturevalue(role))
    page = client.get(_url(announcement)).content.decode()
    assert "登录后报名" not in page and 'data-label="报名"' not in page


def test_apply_is_offered_only_while_registration_is_open(client, applicant):
    now = timezone.now()
    upcoming = AnnouncementFactory(
        registration_opens_at=now + timedelta(days=2),
        registration_closes_at=now + timedelta(days=7),
        review_deadline=now + timedelta(days=9),
    )
    position = PositionFactory(announcement=upcoming)
    client.force_login(applicant)
    page = client.get(_url(upcoming)).content.decode()
    assert "未开始报名" in page and reverse("applicants:apply", args=[position.pk]) not in page


def test_filter_by_district_education_and_major(client, announcement):
    assert _codes(client.get(_url(announcement)).content.decode()) == ["TD001", "TX001", "TX002"]
    assert _codes(client.get(_url(announcement, district="铁西区")).content.decode()) == ["TX001", "TX002"]
    # A 大专 graduate may apply where the minimum is 高中/中专 or 大专, not 本科.
    page = client.get(_url(announcement, education=int(Education.JUNIOR_COLLEGE))).content.decode()
    assert _codes(page) == ["TX001", "TX002"]
    # 社会 matches 社会工作/社会学 (TD001) and every 不限 position (TX001), not 心理学.
    assert _codes(client.get(_url(announcement, major="社会")).content.decode()) == ["TD001", "TX001"]
    combined = client.get(_url(announcement, district="铁西区", major="心理")).content.decode()
    assert _codes(combined) == ["TX001", "TX002"] and "筛选出 2 个岗位" in combined


def test_bad_filter_values_filter_nothing_and_never_fail(client, announcement):
    page = client.get(_url(announcement, district="不存在区")).content.decode()
    assert _codes(page) == []  # an unknown district matches no position
    assert client.get(_url(announcement, education="abc")).status_code == 200
    assert _codes(client.get(_url(announcement, education="abc")).content.decode()) == [
        "TD001",
        "TX001",
        "TX002",
    ]


def test_positions_i_qualify_for(client, announcement):
    # The profile: 本科 社会工作, 群众, born 1995-05-01. TD001 asks for a party member
    # (failed rule: hidden); TX001 and TX002 have no failed rule (a major outside the
    # list is for the reviewer, so TX002 stays).
    profile = NamedProfileFactory()
    profile.education.create(
        level=Education.BACHELOR, school="辽宁大学", major="社会工作", graduated_on=date(2017, 7, 1)
    )
    client.force_login(profile.user)
    page = client.get(_url(announcement, qualify=1)).content.decode()
    assert _codes(page) == ["TX001", "TX002"]
    assert 'name="qualify"' in page


def test_qualify_without_a_profile_asks_for_one(client, applicant, announcement):
    client.force_login(applicant)
    page = client.get(_url(announcement, qualify=1)).content.decode()
    assert "请先填写个人信息" in page and reverse("applicants:profile") in page


def test_qualify_is_not_offered_to_visitors_and_ignored_if_sent(client, announcement):
    page = client.get(_url(announcement, qualify=1)).content.decode()
    assert 'name="qualify"' not in page and _codes(page) == ["TD001", "TX001", "TX002"]


def test_excel_download_follows_the_filters_and_is_formula_safe(client, announcement):
    response = client.get(
        reverse("recruitment:positions_xlsx", args=[announcement.pk]) + "?" + f"district={quote('铁西区')}"
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''%E5%B2%97%E4%BD%8D%E8%A1%A8" in response["Content-Disposition"]  # 岗位表
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("岗位代码", "岗位名称", "区（县）")
    assert [row[0] for row in rows[1:]] == ["TX001", "TX002"]
    assert "35周岁及以下" in rows[1][6]
    evil = sheet.cell(row=3, column=10)
    assert evil.value.startswith("=HYPERLINK") and evil.data_type == "s"  # text, never a formula


def test_drafts_cannot_be_downloaded_by_the_public(client):
    draft = AnnouncementFactory(status=Announcement.Status.DRAFT, published_at=None)
    assert client.get(reverse("recruitment:positions_xlsx", args=[draft.pk])).status_code == 404


@pytest.mark.parametrize("role", ["anonymous", "applicant"])
def test_filtered_page_and_download_query_budget(
    client, request, role, announcement, django_assert_max_num_queries
):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    for n in range(20):
        PositionFactory(announcement=announcement, code=f"Q{n:03d}", district="铁西区")
    # Session/user (2 when signed in, + roles), announcement, attachments, bonus, corrections,
    # positions, counts; the applicant's own application; the exam plan's schedule (cached
    # under the page version once read): 13 at most, whatever the rows.
    with django_assert_max_num_queries(13):
        page = client.get(_url(announcement, district="铁西区", major="社会")).content.decode()
    assert len(_codes(page)) == 1  # TX001 (不限); the 20 new ones have no majors: not in _codes
    with django_assert_max_num_queries(10):
        assert client.get(reverse("recruitment:positions_xlsx", args=[announcement.pk])).status_code == 200


def test_without_a_registered_provider_the_page_still_offers_apply(
    client, applicant, announcement, monkeypatch
):
    # recruitment never imports applicants: with nothing registered in recruitment.hooks the
    # applicant simply sees 报名 everywhere and no "positions I qualify for".
    from recruitment import hooks

    monkeypatch.setattr(hooks, "_providers", {"applied": None, "qualifying": None})
    client.force_login(applicant)
    page = client.get(_url(announcement, qualify=1)).content.decode()
    assert page.count(">报名<span") == 3 and 'name="qualify"' not in page
    assert "请先填写个人信息" not in page
