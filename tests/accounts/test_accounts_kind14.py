"""Accounts as applicants meet them (issue 13, kind 14): proper Chinese, primary buttons,
e-mail in the portal's name, greeting by phone, password reset by SMS code, the
personal-information notice and consent, and a sign-up that reveals no registered e-mail."""

import re

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, pgettext

from accounts.allauth_wording import CONTEXTUAL, ZH
from accounts.models import User
from notifications.sms import LocmemSmsBackend
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PORTAL = "【社区工作者招聘平台】"


@pytest.fixture(autouse=True)
def _sms(settings):
    settings.SMS_BACKEND = "notifications.sms.LocmemSmsBackend"
    LocmemSmsBackend.outbox.clear()
    yield
    LocmemSmsBackend.outbox.clear()


def _signup(client, **overrides):
    data = {
        "phone": "138 0013 8000",
        "email": "new.person@example.cn",
        "password1": "Qiming#2026",
        "password2": "Qiming#2026",
        "privacy_consent": "on",
    }
    data.update(overrides)
    return client.post(reverse("account_signup"), data)


def _last_code(phone: str) -> str:
    texts = [text for to, text in LocmemSmsBackend.outbox if to == phone]
    return re.search(r"\d{6}", texts[-1]).group()


# --- Wording -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("msgid", "chinese"),
    [
        ("Code", "验证码"),  # the example: allauth says 代码
        ("Request new code", "重新获取验证码"),  # allauth: 请求新代码
        ("Accounts", "账号"),  # allauth: 账户
        ("Sign Out", "退出登录"),  # allauth: 登出
        ("Enter Phone Verification Code", "填写短信验证码"),
    ],
)
def test_allauth_strings_read_as_proper_chinese(msgid, chinese):
    with translation.override("zh-hans"):
        assert gettext(msgid) == chinese
    with translation.override("en"):
        assert gettext(msgid) == msgid or msgid == "Request new code"


def test_every_overridden_allauth_string_is_in_the_catalogue():
    # The project catalogue (locale/zh_Hans) must say what accounts.allauth_wording says:
    # a messages.sh run that dropped an entry would bring allauth's wording back.
    with translation.override("zh-hans"):
        wrong = {msgid: gettext(msgid) for msgid, chinese in ZH.items() if gettext(msgid) != chinese}
        wrong.update(
            {key: pgettext(*key) for key, chinese in CONTEXTUAL.items() if pgettext(*key) != chinese}
        )
    assert not wrong


def test_phone_verification_page_in_chinese_with_a_primary_confirm_button(client):
    response = _signup(client)
    page = client.get(response["Location"]).content.decode()
    assert "验证码" in page and "重新获取验证码" in page
    assert "代码" not in page and "请求新代码" not in page
    confirm = re.search(r'<button class="btn ([^"]+)"[^>]*type="submit">\s*确定', page)
    assert confirm and confirm.group(1) == "btn-primary"
    resend = re.search(r'<button class="btn ([^"]+)"[^>]*form="resend"', page)
    assert resend and resend.group(1) == "btn-outline-secondary"


def test_password_rules_address_the_reader_as_nin(client):
    # Django's own zh-hans says "你的密码不能…"; the portal writes 您 or no pronoun.
    page = client.get(reverse("account_signup")).content.decode()
    assert "密码至少须包含 8 个字符" in page and "密码不能全是数字" in page
    assert "你的" not in page
    response = _signup(client, password1="12345678", password2="12345678")
    assert "密码不能全是数字" in response.content.decode()


def test_login_page_labels_the_identifier_in_chinese(client):
    page = client.get(reverse("account_login")).content.decode()
    assert "手机号码或电子邮箱" in page and "下次自动登录" in page
    assert 'class="btn btn-primary"' in page


# --- E-mail in the portal's name, greeting by phone ---------------------------------------


def test_email_subjects_carry_the_portal_name_not_host_and_port(client):
    response = _signup(client)
    client.post(response["Location"], {"code": _last_code("13800138000")})
    message = mail.outbox[-1]  # the e-mail verification link, sent once the phone is verified
    assert message.subject.startswith(PORTAL)
    assert "testserver" not in message.subject and ":" not in message.subject.replace("：", "")
    assert "Hello from" not in message.body and "您好" in message.body


def test_password_reset_email_subject_also_carries_the_portal_name(client):
    UserFactory(email="forgot@example.cn")
    client.post(reverse("account_reset_password"), {"email": "forgot@example.cn"})
    assert mail.outbox[-1].subject.startswith(PORTAL)


def test_a_phone_sign_up_is_greeted_by_phone(client):
    response = _signup(client)
    response = client.post(response["Location"], {"code": _last_code("13800138000")}, follow=True)
    greeting = [str(m) for m in get_messages(response.wsgi_request) if str(m).startswith("已登录")]
    assert greeting == ["已登录：13800138000。"]


# --- Password reset by SMS code -------------------------------------------------------------


@pytest.mark.parametrize("typed", ["13900000007", "１３９ ００００ ０００７", "+86 139-0000-0007"])
def test_password_reset_by_sms_code(client, typed):
    user = UserFactory(phone="13900000007")
    response = client.post(reverse("account_reset_password"), {"email": typed})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_confirm_password_reset_code")
    code = _last_code("13900000007")
    page = client.get(response["Location"]).content.decode()
    assert "验证码已发送至 13900000007" in page and "mailto:13900000007" not in page
    response = client.post(reverse("account_confirm_password_reset_code"), {"code": code})
    assert response["Location"] == reverse("account_complete_password_reset")
    response = client.post(
        reverse("account_complete_password_reset"),
        {"password1": "Xin#Mima2026", "password2": "Xin#Mima2026"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Xin#Mima2026")
    assert mail.outbox == [] or mail.outbox[-1].subject.startswith(PORTAL)


def test_password_reset_for_an_unknown_phone_looks_the_same_and_sends_no_code(client):
    response = client.post(reverse("account_reset_password"), {"email": "13900000099"})
    assert response["Location"] == reverse("account_confirm_password_reset_code")
    phone, text = LocmemSmsBackend.outbox[-1]
    assert phone == "13900000099" and "尚未注册" in text and not re.search(r"\d{6}", text)


def test_a_wrong_reset_code_does_not_change_the_password_and_gives_up_after_the_limit(client):
    user = UserFactory(phone="13900000007")
    client.post(reverse("account_reset_password"), {"email": "13900000007"})
    code = _last_code("13900000007")
    wrong = "000000" if code != "000000" else "111111"
    # allauth's limit (ACCOUNT_PASSWORD_RESET_BY_CODE_MAX_ATTEMPTS, 3): 2 wrong tries stay on
    # the page, the 3rd ends the process; the right code is then of no use.
    for _ in range(2):
        assert client.post(reverse("account_confirm_password_reset_code"), {"code": wrong}).status_code == 200
    assert client.post(reverse("account_confirm_password_reset_code"), {"code": wrong}).status_code == 302
    response = client.post(reverse("account_confirm_password_reset_code"), {"code": code})
    assert response["Location"] == reverse("account_login")
    user.refresh_from_db()
    assert user.check_password("Secret#2026")


def test_password_reset_refuses_what_is_neither_phone_nor_email(client):
    response = client.post(reverse("account_reset_password"), {"email": "12345"})
    assert response.status_code == 200
    assert "11位手机号码或电子邮箱" in response.content.decode()
    assert LocmemSmsBackend.outbox == []


# --- Personal-information notice and consent -----------------------------------------------


def test_sign_up_stores_the_notice_version_and_time(client):
    assert _signup(client).status_code == 302
    user = User.objects.get(email="new.person@example.cn")
    assert user.privacy_notice_version == settings.PRIVACY_NOTICE_VERSION
    assert user.privacy_consented_at is not None


def test_sign_up_without_consent_is_refused(client):
    response = _signup(client, privacy_consent="")
    assert response.status_code == 200
    assert "勾选同意" in response.content.decode()
    assert not User.objects.exists()


def test_sign_up_page_shows_what_why_how_long_and_links_the_notice(client, settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = 90
    page = client.get(reverse("account_signup")).content.decode()
    for words in ("身份证号码", "用途", "90 日后删除", reverse("accounts:privacy"), "同意并注册"):
        assert words in page


def test_privacy_notice_page_is_public_and_states_version_and_retention(
    client, settings, django_assert_max_num_queries
):
    settings.PERSONAL_DATA_RETENTION_DAYS = 120
    settings.PRIVACY_NOTICE_VERSION = "2026-12"
    with django_assert_max_num_queries(3):
        response = client.get(reverse("accounts:privacy"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "版本：2026-12" in page and "120 日后" in page and "个人信息保护法" in page


def test_privacy_notice_in_english_uses_ascii_colons(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("accounts:privacy")).content.decode()
    assert "Version: " in page and "：" not in page.split("<main", 1)[-1].split("</main>", 1)[0]


# --- Sign-up reveals no registered e-mail ----------------------------------------------------


def test_sign_up_with_a_registered_email_answers_as_for_a_new_one(client):
    # Before: "此电子邮件地址已被其他用户注册。" on the page, for anybody's address.
    owner = UserFactory(email="owner@example.cn", phone="13900000001")
    taken = _signup(client, email="Owner@Example.cn", phone="13800138001")
    client.logout()
    fresh = _signup(client, email="fresh@example.cn", phone="13800138002")
    assert taken.status_code == fresh.status_code == 302
    assert taken["Location"] == fresh["Location"]
    assert not User.objects.filter(phone="13800138001").exists()
    assert User.objects.filter(email="owner@example.cn").get() == owner
    # The address's owner is told by e-mail; the number typed gets no code and no
    # statement that the address is registered.
    assert any(m.to == ["owner@example.cn"] and m.subject.startswith(PORTAL) for m in mail.outbox)
    texts = [text for phone, text in LocmemSmsBackend.outbox if phone == "13800138001"]
    assert texts and "已注册" not in texts[-1] and not re.search(r"\d{6}", texts[-1])


def test_my_account_page_shows_the_notice_agreed_to(client):
    _signup(client)
    user = User.objects.get(email="new.person@example.cn")
    client.force_login(user)
    page = client.get(reverse("accounts:me")).content.decode()
    assert f"同意（版本 {settings.PRIVACY_NOTICE_VERSION}）" in page
    assert reverse("accounts:privacy") in page
