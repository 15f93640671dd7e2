"""Registration, login by phone or e-mail, lockout, password reset."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _log_sms(settings):
    settings.SMS_BACKEND = "notifications.sms.LocmemSmsBackend"
    from notifications.sms import LocmemSmsBackend

    LocmemSmsBackend.outbox.clear()


def _signup(client, **overrides):
    data = {
        "phone": "138 0013 8000",
        "email": "New.Person@Example.cn",
        "password1": "Qiming#2026",
        "password2": "Qiming#2026",
        "privacy_consent": "on",
    }
    data.update(overrides)
    return client.post(reverse("account_signup"), data)


def test_signup_creates_an_applicant_and_sends_a_numeric_sms_code(client):
    from notifications.sms import LocmemSmsBackend

    response = _signup(client)
    assert response.status_code == 302
    user = User.objects.get(email="new.person@example.cn")
    assert user.phone == "13800138000"
    assert not user.phone_verified
    assert user.has_role(Role.APPLICANT) and not user.has_role(Role.REVIEWER)
    phone, text = LocmemSmsBackend.outbox[-1]
    assert phone == "13800138000"
    code = "".join(ch for ch in text if ch.isdigit())[:6]
    assert len(code) == 6
    response = client.post(reverse("account_verify_phone"), {"code": code})
    user.refresh_from_db()
    assert user.phone_verified
    assert len(mail.outbox) == 1  # the e-mail verification link
    assert "/accounts/confirm-email/" in mail.outbox[0].body


def test_signup_refuses_a_bad_phone_number_with_a_chinese_message(client):
    response = _signup(client, phone="12345")
    assert response.status_code == 200
    assert "请输入11位中国大陆手机号码" in response.content.decode()
    assert not User.objects.exists()


def test_signup_refuses_a_weak_password_and_a_taken_phone(client):
    UserFactory(phone="13800138000")
    response = _signup(client, password1="12345678", password2="12345678")
    assert response.status_code == 200
    assert User.objects.count() == 1


@pytest.mark.parametrize("login", ["13900000007", "139 0000 0007", "Someone@Example.cn"])
def test_login_with_phone_or_email(client, login):
    UserFactory(email="someone@example.cn", phone="13900000007", role=Role.APPLICANT)
    response = client.post(reverse("account_login"), {"login": login, "password": "Secret#2026"})
    assert response.status_code == 302, response.content.decode()[:500]
    assert "_auth_user_id" in client.session


def test_five_failed_logins_lock_the_account_even_with_the_right_password(client):
    UserFactory(email="target@example.cn", phone="13900000008")
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "13900000008", "password": "wrong-password"})
    response = client.post(reverse("account_login"), {"login": "139 0000 0008", "password": "Secret#2026"})
    assert response.status_code == 429
    assert "账户已临时锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_reset_by_email_sends_a_code(client):
    # Reset by code (ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED): by e-mail here, by SMS for a
    # phone (tests/accounts/test_accounts_kind14.py).
    UserFactory(email="forgot@example.cn")
    response = client.post(reverse("account_reset_password"), {"email": "forgot@example.cn"})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_confirm_password_reset_code")
    assert len(mail.outbox) == 1
    assert re.search(r"\b\d{6}\b", mail.outbox[0].body)


def test_signup_page_labels_every_field_in_chinese(client):
    page = client.get(reverse("account_signup")).content.decode()
    for field_id, label in (("id_phone", "手机号码"), ("id_email", "电子邮箱"), ("id_password1", "密码")):
        assert f'for="{field_id}"' in page
        assert label in page
    assert 'class="btn btn-primary"' in page
