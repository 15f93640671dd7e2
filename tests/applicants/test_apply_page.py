"""Issue 13, kinds 10 (applying where people look) and 11 (words for staff, the applicant's
side): 我的报名 shows the status of the position applied to; on the apply page what is
missing is a failed check at the top and the submit button is disabled with the reason; a
rule is shown once; the eligibility explanation reads "您" for the applicant and the third
person for the reviewer; a switch after a cancellation has its own words."""

from datetime import date

import pytest
from django.urls import reverse

from applicants import eligibility, services
from applicants.models import ApplicationEvent, Stage
from recruitment.choices import PoliticalRequirement
from recruitment.models import Position
from tests.applicants.factories import ProfileFactory
from tests.factories import UserFactory
from tests.recruitment.factories import PositionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner_client(client, applicant_user):
    client.force_login(applicant_user)
    return client


def test_my_applications_shows_the_status_of_the_position_applied_to(
    owner_client, applicant_user, position, other_position, django_assert_max_num_queries
):
    application = services.application_submit(
        user=applicant_user, position=position, declaration_accepted=True
    )
    with django_assert_max_num_queries(11):
        page = owner_client.get(reverse("applicants:applications")).content.decode()
    section = page.split("正在报名的招聘公告")[1]
    # The position applied to: its status (待审核) and a link to it, not 报名.
    assert reverse("applicants:apply", args=[position.pk]) not in section
    assert reverse("applicants:application", args=[application.pk]) in section and "待审核" in section
    # Another position of the same announcement: one position per announcement, said so.
    assert reverse("applicants:apply", args=[other_position.pk]) not in section
    assert "已报本公告其他岗位" in section


def test_after_withdrawing_the_positions_offer_applying_again(
    owner_client, applicant_user, position, other_position
):
    application = services.application_submit(
        user=applicant_user, position=position, declaration_accepted=True
    )
    services.application_withdraw(application=application, user=applicant_user)
    section = (
        owner_client.get(reverse("applicants:applications")).content.decode().split("正在报名的招聘公告")[1]
    )
    assert reverse("applicants:apply", args=[other_position.pk]) in section


def _submit_button(page: str) -> str:
    return page.split("提交报名</button>")[0].rsplit("<button", 1)[1]


def test_an_ineligible_position_disables_submit_with_the_reason(owner_client, announcement):
    young = PositionFactory(announcement=announcement, max_age=20)  # born 1995: over 20
    page = owner_client.get(reverse("applicants:apply", args=[young.pk])).content.decode()
    button = _submit_button(page)
    assert "disabled" in button and 'aria-describedby="submit-blocked"' in button
    assert 'id="submit-blocked"' in page and "有不符合的条件，不能报名此岗位" in page


def test_an_eligible_position_keeps_submit_enabled(owner_client, position):
    page = owner_client.get(reverse("applicants:apply", args=[position.pk])).content.decode()
    assert "disabled" not in _submit_button(page) and 'id="submit-blocked"' not in page


def test_a_missing_photo_is_a_failed_check_at_the_top(client, position):
    profile = ProfileFactory(photo="")
    client.force_login(profile.user)
    page = client.get(reverse("applicants:apply", args=[position.pk])).content.decode()
    top = page.split("资格自动检查</h2>")[1].split("诚信承诺")[0]
    assert "尚未上传证件照" in top and "不符合" in top and reverse("applicants:files") in top
    assert top.index("尚未上传证件照") < top.index("年龄")  # first, above the rules
    assert "disabled" in _submit_button(page)


def test_a_missing_profile_is_a_failed_check_at_the_top(client, position):
    user = UserFactory(role="applicant")
    client.force_login(user)
    page = client.get(reverse("applicants:apply", args=[position.pk])).content.decode()
    top = page.split("资格自动检查</h2>")[1].split("诚信承诺")[0]
    assert "尚未填写个人信息" in top and reverse("applicants:profile") in top
    assert "disabled" in _submit_button(page)


def test_already_applied_disables_submit_and_links_the_application(
    owner_client, applicant_user, position, other_position
):
    application = services.application_submit(
        user=applicant_user, position=position, declaration_accepted=True
    )
    page = owner_client.get(reverse("applicants:apply", args=[other_position.pk])).content.decode()
    assert "disabled" in _submit_button(page) and "每个公告只能报一个岗位" in page
    assert reverse("applicants:application", args=[application.pk]) in page


def test_each_rule_is_shown_once(owner_client, announcement):
    # The issue: the party-member condition showed as 不符合 and again under 其他条件, and
    # 其他条件 twice. Here: required party member, other conditions restating it + one more.
    post = PositionFactory(
        announcement=announcement,
        political_requirement=PoliticalRequirement.PARTY_MEMBER,
        other_conditions="中共党员（含预备党员）；能熟练使用办公软件",
    )
    page = owner_client.get(reverse("applicants:apply", args=[post.pk])).content.decode()
    checks = page.split("资格自动检查</h2>")[1].split("诚信承诺")[0]
    assert checks.count("中共党员") == 1  # the political rule only
    assert checks.count("其他条件") == 1 and "能熟练使用办公软件" in checks


def test_other_conditions_that_only_restate_the_party_rule_make_no_rule():
    # Mine: "须为中共党员" alone under a party-member requirement → no 其他条件 rule at all.
    position = Position(
        political_requirement=PoliticalRequirement.PARTY_MEMBER, other_conditions="须为中共党员。"
    )
    assert eligibility.other_conditions(position) == ""
    # Without the structured requirement the words stay (they are the only statement of it).
    position.political_requirement = PoliticalRequirement.ANY
    assert eligibility.other_conditions(position) == "须为中共党员。"


# --- Kind 11: the same check, worded per reader ------------------------------------------


def _data(**extra):
    return {"birth_date": "1995-05-01", "education": [{"level": 30, "major": "社会工作"}], **extra}


def test_the_applicant_reads_you_the_reviewer_the_applicant():
    position = Position(
        min_age=18,
        max_age=20,
        min_education=20,
        majors=[],
        household_regions=["辽宁省鞍山市"],
        min_experience_years=2,
    )
    result = eligibility.check(_data(household_province="吉林省"), position, date(2026, 12, 31))
    for rule in result.rules:
        assert "报考人员的" not in rule["message"]
        assert "您" not in rule["staff_message"]
    age = result.rules[0]
    assert age["message"].startswith("您的出生日期为1995年5月1日")
    assert age["staff_message"].startswith("报考人员的出生日期为1995年5月1日")
    experience = result.rules[-1]
    assert "截至2026-12-31报考人员累计工作约0.0年" in experience["staff_message"]


def test_results_stored_before_the_staff_wording_are_read_in_the_third_person():
    stored = {"rule": "household", "outcome": "manual", "message": "您的户籍为辽宁省；您未填写迁入日期"}
    assert eligibility.staff_message(stored) == "报考人员的户籍为辽宁省；报考人员未填写迁入日期"


def test_the_review_page_shows_the_staff_wording(client, assigned_reviewer_for, applicant_user, position):
    application = services.application_submit(
        user=applicant_user, position=position, declaration_accepted=True
    )
    assert application.eligibility[0]["staff_message"].startswith("报考人员的出生日期为")
    reviewer = assigned_reviewer_for(position.announcement)
    client.force_login(reviewer)
    page = client.get(reverse("review:application", args=[application.pk])).content.decode()
    section = page.split('id="eligibility-heading"')[1].split("</section>")[0]
    assert "报考人员的出生日期为" in section and "您的" not in section


@pytest.fixture
def assigned_reviewer_for(reviewer):
    from tests.applicants.factories import assign

    def make(announcement):
        assign(reviewer, announcement)
        return reviewer

    return make


def test_a_switch_after_a_cancellation_has_its_own_words(
    owner_client, applicant_user, position, other_position, administrator
):
    from recruitment import services as recruitment_services

    announcement = position.announcement
    announcement.allow_switch_on_cancel = True
    announcement.save(update_fields=["allow_switch_on_cancel"])
    application = services.application_submit(
        user=applicant_user, position=position, declaration_accepted=True
    )
    recruitment_services.position_cancel(actor=administrator, position=position, reason="报名人数不足")
    detail = owner_client.get(reverse("applicants:application", args=[application.pk])).content.decode()
    assert "原岗位已取消招聘，改报其他岗位" in detail
    page = owner_client.get(reverse("applicants:resubmit", args=[application.pk])).content.decode()
    assert "改报岗位" in page and "已取消招聘" in page and "需修改的内容" not in page
    application.refresh_from_db()
    services.application_switch_position(
        application=application, user=applicant_user, position=other_position
    )
    event = ApplicationEvent.objects.filter(application=application).latest("pk")
    assert event.to_stage == Stage.SUBMITTED
    assert (
        event.reason
        == f"原报考岗位{position.code} {position.name}已取消招聘，改报岗位：{other_position.code} {other_position.name}"
    )
