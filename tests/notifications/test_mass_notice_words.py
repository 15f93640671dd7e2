"""Mass notices an HR clerk can send (issue 13, kind 13): recipients chosen in words, their
number and a confirmation before sending, no JSON and no ids to type, field errors for an
empty or impossible choice, and the audience in words on the list and the detail."""

import pytest
from django.urls import reverse

from applicants.models import Stage
from notifications.models import MassNotice, Notification
from recruitment.models import Announcement
from tests.applicants.factories import ApplicationFactory, ReasonFactory, ReviewPositionFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW = reverse("notifications:mass_new")


@pytest.fixture
def recruitment():
    """One announcement, two positions: A has 2 approved, 1 returned, 1 pending, 1 draft;
    B has 1 approved, 1 rejected."""
    a = ReviewPositionFactory(name="社会工作岗")
    b = ReviewPositionFactory(announcement=a.announcement, name="综合岗")
    apps = {
        "a_approved": [ApplicationFactory(position=a, stage=Stage.APPROVED) for _ in range(2)],
        "a_returned": [ApplicationFactory(position=a, stage=Stage.RETURNED, return_instructions="补照片")],
        "a_pending": [ApplicationFactory(position=a, stage=Stage.SUBMITTED)],
        "a_draft": [ApplicationFactory(position=a, stage=Stage.DRAFT, submitted_at=None)],
        "b_approved": [ApplicationFactory(position=b, stage=Stage.APPROVED)],
        "b_rejected": [
            ApplicationFactory(
                position=b, stage=Stage.REJECTED, rejection_reason=ReasonFactory(), rejection_note="学历不符"
            )
        ],
    }
    return a.announcement, a, b, apps


def _data(**overrides):
    data = {"subject": "关于面试时间调整的通知", "body": "原定面试时间调整为4月21日。", "channels": ["email"]}
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("audience", "param", "expected"),
    [
        # all submitted (not draft, not withdrawn): A 2+1+1 and B 1+1 = 6
        ("announcement_applicants", "announcement", 6),
        ("announcement_approved", "announcement", 3),  # A 2 + B 1
        ("announcement_returned", "announcement", 1),
        ("announcement_pending", "announcement", 1),
        ("position_applicants", "position_a", 4),  # A: 2 approved + 1 returned + 1 pending
    ],
)
def test_each_audience_counts_in_words_before_sending(
    client, administrator, recruitment, audience, param, expected
):
    announcement, a, b, apps = recruitment
    value = {"announcement": {"announcement_id": announcement.pk}, "position_a": {"position_id": a.pk}}[param]
    client.force_login(administrator)
    response = client.post(NEW, _data(audience=audience, step="preview", **value))
    page = response.content.decode()
    assert response.status_code == 200, page[:300]
    assert f"共 <strong>{expected}</strong> 人" in page
    assert announcement.title in page  # who, in words
    assert not MassNotice.objects.exists()  # nothing sent before the confirmation


def test_confirming_sends_to_exactly_those_and_lists_them_in_words(
    client, administrator, recruitment, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    announcement, a, b, apps = recruitment
    client.force_login(administrator)
    data = _data(audience="announcement_approved", announcement_id=announcement.pk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(NEW, {**data, "step": "send", "confirmed_count": "3"})
    notice = MassNotice.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/mass/{notice.pk}/")
    assert notice.audience_text == f"“{announcement.title}”中审核通过的报考人员"
    assert notice.params == {"announcement_id": announcement.pk}
    approved = {app.applicant_id for key in ("a_approved", "b_approved") for app in apps[key]}
    assert (
        set(Notification.objects.filter(event="mass_notice").values_list("recipient_id", flat=True))
        == approved
    )
    for name, args in (("mass_list", []), ("mass_detail", [notice.pk])):
        with django_assert_max_num_queries(8):
            page = client.get(reverse(f"notifications:{name}", args=args)).content.decode()
        assert notice.audience_text in page
        assert "announcement_approved" not in page and "announcement_id" not in page


def test_a_changed_count_is_confirmed_again(client, administrator, recruitment):
    announcement, a, b, apps = recruitment
    client.force_login(administrator)
    data = _data(audience="announcement_approved", announcement_id=announcement.pk)
    # Shown: 3. Since then one more approved: 4 ≠ 3, so the page asks again and sends nothing.
    ApplicationFactory(position=a, stage=Stage.APPROVED)
    response = client.post(NEW, {**data, "step": "send", "confirmed_count": "3"})
    assert response.status_code == 200
    assert "接收人数已变为 4 人" in response.content.decode()
    assert not MassNotice.objects.exists()


def test_the_form_asks_in_words_with_no_json_or_ids(
    client, administrator, recruitment, django_assert_max_num_queries
):
    announcement, a, b, apps = recruitment
    Announcement.objects.create(
        title="草稿公告不应出现",
        organiser="x",
        body="x",
        created_by=administrator,
        registration_opens_at=announcement.registration_opens_at,
        registration_closes_at=announcement.registration_closes_at,
        review_deadline=announcement.review_deadline,
    )
    client.force_login(administrator)
    with django_assert_max_num_queries(10):
        page = client.get(NEW).content.decode()
    # No JSON box and nothing typed as an id: one textarea (the body), choices by name.
    assert 'name="params"' not in page and page.count("<textarea") == 1
    assert "招聘公告中审核通过的报考人员" in page and "招聘公告中被退回修改的报考人员" in page
    assert announcement.title in page and f"{a.code} 社会工作岗" in page
    assert "草稿公告不应出现" not in page
    assert 'type="radio"' in page


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({}, "audience", "请选择接收对象"),  # nothing chosen
        ({"audience": "nobody"}, "audience", "请选择列出的接收对象"),  # not on the list
        ({"audience": "announcement_approved"}, "announcement_id", "须选择招聘公告"),  # empty choice
        ({"audience": "position_applicants"}, "position_id", "须选择岗位"),
        ({"audience": "position_applicants", "position_id": "999999"}, "position_id", "请从列表中选择"),
        ({"audience": "position_applicants", "position_id": "abc"}, "position_id", "请从列表中选择"),
    ],
)
def test_an_empty_or_impossible_choice_is_a_field_error(
    client, administrator, recruitment, data, field, message
):
    client.force_login(administrator)
    response = client.post(NEW, _data(step="preview", **data))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert message in " ".join(errors[field]), errors
    assert "Traceback" not in response.content.decode() and "object has no attribute" not in str(errors)
    assert not MassNotice.objects.exists()


def test_an_audience_with_nobody_in_it_is_refused_at_the_field(client, administrator, recruitment):
    announcement, a, b, apps = recruitment
    empty = ReviewPositionFactory(announcement=announcement, name="空岗位")
    client.force_login(administrator)
    response = client.post(NEW, _data(step="preview", audience="position_applicants", position_id=empty.pk))
    assert "目前没有接收人" in " ".join(response.context["form"].errors["audience"])
    assert not MassNotice.objects.exists()


def test_going_back_keeps_what_was_written(client, administrator, recruitment):
    announcement, a, b, apps = recruitment
    client.force_login(administrator)
    data = _data(audience="announcement_returned", announcement_id=announcement.pk, step="edit")
    page = client.post(NEW, data).content.decode()
    assert "关于面试时间调整的通知" in page and "下一步" in page


@pytest.mark.parametrize("role", ["applicant", "reviewer", "examiner"])
def test_only_administrators_compose_or_read_mass_notices(client, recruitment, role):
    announcement, a, b, apps = recruitment
    client.force_login(UserFactory(role=role))
    for name in ("mass_new", "mass_list"):
        assert client.get(reverse(f"notifications:{name}")).status_code == 403
    response = client.post(
        NEW,
        _data(
            audience="announcement_applicants",
            announcement_id=announcement.pk,
            step="send",
            confirmed_count="6",
        ),
    )
    assert response.status_code == 403
    assert not MassNotice.objects.exists()


def test_a_failed_notice_shows_no_python_message(client, administrator):
    notice = MassNotice.objects.create(
        author=administrator,
        audience="announcement_applicants",
        params={"announcement_id": 1},
        subject="s",
        body="b",
        status=MassNotice.Status.FAILED,
        error="KeyError: 'announcement_id'",
    )
    client.force_login(administrator)
    page = client.get(reverse("notifications:mass_detail", args=[notice.pk])).content.decode()
    assert "KeyError" not in page and "发送中断" in page
