"""Login lockout counts failures per account, whichever identifier was typed (issue 13,
kind 14). AXES_FAILURE_LIMIT is 5 (settings)."""

import pytest
from django.urls import reverse

from accounts.adapter import axes_username
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RIGHT = "Secret#2026"


@pytest.fixture
def person():
    return UserFactory(email="target@example.cn", phone="13900000008")


def _login(client, login, password="wrong-password"):  # noqa: S107 - a test password
    return client.post(reverse("account_login"), {"login": login, "password": password})


def test_five_by_email_and_four_by_phone_are_nine_failures_of_one_account(client, person):
    # The example: 5 failures by e-mail plus 4 by phone, then the right password.
    # Counted per account: failures 1–5 (e-mail) reach the limit of 5, so the 4 by phone are
    # refused as locked (429) and so is the right password afterwards: 5 + 4 = 9 ≥ 5.
    statuses = [_login(client, "Target@Example.cn").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]  # the 5th failure locks
    for _ in range(4):
        assert _login(client, "139 0000 0008").status_code == 429
    response = _login(client, "13900000008", RIGHT)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_mix_of_identifiers_reaches_the_limit_together(client, person):
    # 3 by e-mail + 2 by phone (one full-width) = 5 = the limit: locked by the e-mail too.
    for _ in range(3):
        _login(client, "target@example.cn")
    _login(client, "+86 139 0000 0008")
    _login(client, "１３９００００００08")
    assert _login(client, "target@example.cn", RIGHT).status_code == 429


def test_a_success_before_the_limit_clears_the_count_for_every_identifier(client, person):
    # 2 by e-mail + 2 by phone = 4 < 5, then a success by phone resets the account's count:
    # 4 more failures (4 < 5) leave it open.
    for login in ("target@example.cn", "target@example.cn", "13900000008", "139-0000-0008"):
        _login(client, login)
    assert _login(client, "13900000008", RIGHT).status_code == 302
    client.logout()
    for login in ("target@example.cn", "13900000008", "target@example.cn", "13900000008"):
        assert _login(client, login).status_code == 200
    assert _login(client, "target@example.cn", RIGHT).status_code == 302


def test_another_account_is_not_locked_by_these_failures(client, person):
    UserFactory(email="bystander@example.cn", phone="13900000009")
    for _ in range(5):
        _login(client, "target@example.cn")
    assert _login(client, "bystander@example.cn", RIGHT).status_code == 302


def test_axes_key_is_the_account_whatever_was_typed(person):
    key = f"account:{person.pk}"
    for credentials in (
        {"email": "TARGET@example.cn"},
        {"phone": "+86 139 0000 0008"},
        {"phone": "１３９０００００００８"},
        {"username": "139-0000-0008"},
    ):
        assert axes_username(None, credentials) == key
    # Unknown identifiers lock as typed (normalised), like known ones: no difference to probe.
    assert axes_username(None, {"phone": "138 0000 0000"}) == "13800000000"
    assert axes_username(None, {"email": "Nobody@Example.cn"}) == "nobody@example.cn"
