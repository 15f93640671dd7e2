"""Messages tell the truth: what a person wrote reaches the applicant by inbox, SMS and
e-mail, links are absolute and clickable, and the wording has no slips (issue 13, kind 9)."""

from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse

from notifications.checks import site_url_is_public
from notifications.defaults import DEFAULT_TEMPLATES
from notifications.events import CONTEXT_KEYS, SAMPLE_CONTEXT, Event
from notifications.models import Notification
from notifications.rendering import render
from notifications.services import notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SITE = "https://zhaopin.example.cn"
BOOLEAN_KEYS = {"can_switch"}
# Values that are a label in the sender's language rather than a person's words: the English
# wording says it its own way ("amended" for 更正公告 and 补充公告 alike).
NOT_IN_LANGUAGE = {("announcement_corrected", "en"): {"correction_kind"}}


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


def _marked_context(event: str) -> dict:
    """Every key the event documents gets a value found nowhere else in the wording."""
    context = {}
    for key in CONTEXT_KEYS[event]:
        if key in BOOLEAN_KEYS:
            context[key] = True
        elif key == "url":
            context[key] = "/me/applications/7/"
        else:
            context[key] = f"〔{key}的值〕"
    return context


def _words(context: dict) -> list[str]:
    return [value for key, value in context.items() if isinstance(value, str) and key != "url"]


def _sent(notification, sms_outbox):
    email = next(message for message in mail.outbox if message.to == [notification.recipient.email])
    sms = next(text for phone, text in sms_outbox if phone == notification.recipient.phone)
    return {
        "inbox": f"{notification.subject}\n{notification.body}",
        "sms": sms,
        "email": f"{email.subject}\n{email.body}",
    }


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("event", Event.values)
def test_every_event_carries_every_value_it_is_given_to_inbox_sms_and_email(
    event, language, sms_outbox, django_capture_on_commit_callbacks
):
    # One test per event and language: whatever the caller passes (a reviewer's reason, an
    # administrator's words, a venue…) appears in all three channels, and the link is
    # SITE_URL + path. An event whose template ignored a key (as POSITION_CANCELLED ignored
    # `reason` and said "报名人数未达到开考比例") fails here.
    user = UserFactory(language=language)
    context = _marked_context(event)
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(recipient=user, event=event, context=context)
    channels = _sent(notification, sms_outbox)
    skipped = NOT_IN_LANGUAGE.get((event, language), set())
    for channel, text in channels.items():
        for words in _words({k: v for k, v in context.items() if k not in skipped}):
            assert words in text, (channel, words)
        if "url" in context:
            assert f"{SITE}/me/applications/7/" in text, channel


def test_cancellation_says_the_administrators_reason_not_a_stock_phrase(
    administrator, sms_outbox, django_capture_on_commit_callbacks
):
    # The example: every cancellation said "报名人数未达到开考比例" whatever was written.
    from recruitment import services as recruitment_services
    from tests.applicants.factories import ApplicationFactory

    application = ApplicationFactory()
    reason = "该社区已与园林社区合并，岗位不再设置"
    with django_capture_on_commit_callbacks(execute=True):
        recruitment_services.position_cancel(
            actor=administrator, position=application.position, reason=reason
        )
    notification = Notification.objects.get(recipient=application.applicant, event=Event.POSITION_CANCELLED)
    for channel, text in _sent(notification, sms_outbox).items():
        assert reason in text, channel
        assert "开考比例" not in text, channel
    url = reverse("applicants:application", args=[application.pk])
    assert f"{SITE}{url}" in notification.body


def test_reduction_says_the_administrators_reason_with_both_quotas(
    administrator, sms_outbox, django_capture_on_commit_callbacks
):
    from recruitment import services as recruitment_services
    from tests.applicants.factories import ApplicationFactory

    application = ApplicationFactory(position__quota=3, position__original_quota=3)
    reason = "街道编制调整，核减1名。"  # the writer's own full stop is not doubled
    with django_capture_on_commit_callbacks(execute=True):
        recruitment_services.position_reduce(
            actor=administrator, position=application.position, quota=2, reason=reason
        )
    notification = Notification.objects.get(recipient=application.applicant, event=Event.POSITION_REDUCED)
    for channel, text in _sent(notification, sms_outbox).items():
        assert "由3人核减为2人。核减原因：街道编制调整，核减1名。" in text, channel
        assert "开考比例" not in text and "。。" not in text, channel


def test_returned_application_sms_has_no_double_full_stop(
    reviewer, sms_outbox, django_capture_on_commit_callbacks
):
    # The example: "。。" in the returned-application SMS when the reviewer ends the
    # instructions with a full stop.
    from review import services as review_services
    from tests.applicants.factories import ApplicationFactory, assign

    application = ApplicationFactory()
    assign(reviewer, application.announcement)
    with django_capture_on_commit_callbacks(execute=True):
        review_services.application_return(
            application=application,
            actor=reviewer,
            expected_version=application.version,
            instructions="请上传清晰的学历证书照片。",
        )
    notification = Notification.objects.get(recipient=application.applicant, event=Event.APPLICATION_RETURNED)
    for channel, text in _sent(notification, sms_outbox).items():
        assert "重新提交：请上传清晰的学历证书照片。" in text, channel
        assert "。。" not in text, channel


def test_rejection_says_the_reviewers_reason_and_words(
    reviewer, sms_outbox, django_capture_on_commit_callbacks
):
    from review import services as review_services
    from tests.applicants.factories import ApplicationFactory, ReasonFactory, assign

    application = ApplicationFactory()
    assign(reviewer, application.announcement)
    reason = ReasonFactory(label="工作经历不符合岗位要求")
    with django_capture_on_commit_callbacks(execute=True):
        review_services.application_reject(
            application=application,
            actor=reviewer,
            expected_version=application.version,
            reason=reason,
            note="社区工作经历不足2年（截至报名截止日为1年8个月）。",
        )
    notification = Notification.objects.get(recipient=application.applicant, event=Event.APPLICATION_REJECTED)
    for channel, text in _sent(notification, sms_outbox).items():
        assert "原因：工作经历不符合岗位要求：社区工作经历不足2年（截至报名截止日为1年8个月）。" in text, (
            channel
        )
        assert "。。" not in text, channel


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("请补充社区工作经历证明。", "：请补充社区工作经历证明。"),
        ("请补充证明；", "：请补充证明。"),
        ("Upload a sharper photo.", "：Upload a sharper photo。"),
        ("请补充证明！", "：请补充证明！"),  # an exclamation is the writer's tone: kept, no 。
    ],
)
def test_a_trailing_stop_typed_by_the_writer_is_not_doubled(typed, shown):
    subject, body = DEFAULT_TEMPLATES[Event.APPLICATION_RETURNED]["zh-hans"]
    _, text = render(
        subject=subject,
        body=body,
        context={**SAMPLE_CONTEXT, "fix_instructions": typed},
        language="zh-hans",
    )
    assert shown in text
    assert "。。" not in text


@pytest.mark.parametrize("position_name", ["A01 社会工作岗", "社区工作者（一）", "综合岗位"])
@pytest.mark.parametrize("event", Event.values)
def test_no_position_name_is_followed_by_a_second_gang_wei(event, position_name):
    # The example: "社会工作岗岗位". The wording quotes the name and never appends 岗位.
    subject, body = DEFAULT_TEMPLATES[event]["zh-hans"]
    text = "".join(
        render(
            subject=subject,
            body=body,
            context={**SAMPLE_CONTEXT, "position_name": position_name},
            language="zh-hans",
        )
    )
    assert "岗岗位" not in text and "岗位岗位" not in text
    assert f"{position_name}岗位" not in text


@pytest.mark.parametrize("event", Event.values)
def test_english_wording_uses_ascii_punctuation(event):
    subject, body = DEFAULT_TEMPLATES[event]["en"]
    for mark in "：，。（）“”！":
        assert mark not in subject + body, (event, mark)


@pytest.mark.parametrize(
    ("value", "warns"),
    [
        ("", True),
        ("http://localhost:8000", True),
        ("https://127.0.0.1", True),
        ("http://zhaopin.example.cn", True),  # plain http: links would be downgraded
        ("https://zhaopin.example.cn/portal", True),  # a path would be joined twice
        ("https://zhaopin.example.cn", False),
        ("https://zhaopin.example.cn/", False),
    ],
)
def test_deploy_check_requires_a_public_https_site_url(settings, value, warns):
    settings.SITE_URL = value
    assert [message.id for message in site_url_is_public(None)] == (["notifications.W003"] if warns else [])


def test_ci_deploy_check_sets_site_url():
    run = (ROOT / ".ci" / "run").read_text()
    deploy_block = run.split("manage.py check --deploy")[0].rsplit("DEBUG=false", 1)[1]
    assert "SITE_URL=https://" in deploy_block


def test_inbox_links_are_clickable_and_text_stays_escaped(client, applicant, django_assert_max_num_queries):
    notification = Notification.objects.create(
        recipient=applicant,
        event=Event.APPLICATION_APPROVED,
        context={},
        language="zh-hans",
        subject="资格审核通过",
        body=f"<b>您好</b>！详情：{SITE}/me/applications/7/。\n第二行 http://x.example.cn/a?b=1&c=2.",
    )
    client.force_login(applicant)
    # session, user, notification, mark read, navbar (roles, unread badge, …): a fixed page.
    with django_assert_max_num_queries(10):
        response = client.get(reverse("notifications:detail", args=[notification.pk]))
    html = response.content.decode()
    assert f'<a href="{SITE}/me/applications/7/" rel="noopener">{SITE}/me/applications/7/</a>。' in html
    assert '<a href="http://x.example.cn/a?b=1&amp;c=2" rel="noopener">' in html
    assert "&lt;b&gt;您好&lt;/b&gt;" in html and "<b>您好</b>" not in html
    assert "<br>" in html


def test_another_users_message_is_not_shown(client, applicant):
    other = UserFactory(role="applicant")
    notification = Notification.objects.create(
        recipient=other, event=Event.MASS_NOTICE, context={}, language="zh-hans", subject="s", body="b"
    )
    client.force_login(applicant)
    assert client.get(reverse("notifications:detail", args=[notification.pk])).status_code == 404
