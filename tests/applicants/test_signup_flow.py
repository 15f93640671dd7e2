"""A new applicant signs up on a phone and is led to the profile page."""

import pytest
from django.urls import reverse

from accounts.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _sms(settings):
    settings.SMS_BACKEND = "notifications.sms.LocmemSmsBackend"
    from notifications.sms import LocmemSmsBackend

    LocmemSmsBackend.outbox.clear()


def test_signup_page_is_labelled(client):
    page = client.get(reverse("account_signup")).content.decode()
    assert 'for="id_phone"' in page and 'for="id_email"' in page and 'for="id_password1"' in page
    assert "号码" in page and "密码" in page
    assert 'name="phone"' in page and 'name="email"' in page


def test_signup_then_sms_code_leads_to_the_profile(client):
    from notifications.sms import LocmemSmsBackend

    response = client.post(
        reverse("account_signup"),
        {
            "phone": "13900139000",
            "email": "new@example.cn",
            "password1": "Qiming#2026",
            "password2": "Qiming#2026",
            "privacy_consent": "on",  # the personal-information notice (accounts.forms)
        },
    )
    assert response.status_code == 302
    _phone, text = LocmemSmsBackend.outbox[-1]
    code = "".join(ch for ch in text if ch.isdigit())[:6]
    response = client.post(reverse("account_verify_phone"), {"code": code})
    assert response.status_code == 302
    assert response["Location"] == reverse("applicants:profile")
    assert client.get(response["Location"]).status_code == 200
    assert User.objects.get(email="new@example.cn").phone_verified
