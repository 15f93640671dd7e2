"""A staff account created with an initial password (known to the administrator who set it)
must choose its own password before reaching any page; changing or resetting it lifts that."""

import pytest
from allauth.account.signals import password_reset
from django.urls import reverse

from accounts import staff_services as services
from accounts.models import User
from accounts.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

INITIAL = "Initial#2026"
OWN = "MyOwn#Pass2026"


@pytest.fixture
def new_proctor(administrator):
    return services.staff_account_create(
        actor=administrator, email="new@example.cn", name="新监考", password=INITIAL, roles=[Role.PROCTOR]
    )


def test_an_account_made_by_an_administrator_must_change_its_password(new_proctor):
    assert new_proctor.must_change_password is True
    assert UserFactory().must_change_password is False  # a self-registered account: its own password


def test_every_page_leads_to_the_change_page_until_the_password_is_changed(client, new_proctor):
    client.force_login(new_proctor)
    change = reverse("account_change_password")
    for url in (
        reverse("workbench"),
        reverse("home"),
        reverse("accounts:me"),
        reverse("exams:checkin_index"),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == change
    page = client.get(change)
    assert page.status_code == 200
    assert "初始密码" in page.content.decode()
    # sign-out, static files and the health check stay reachable
    assert client.get(reverse("healthz")).status_code in (200, 503)
    assert client.post(reverse("account_logout")).status_code == 302


def test_changing_the_password_lifts_the_redirect(client, new_proctor):
    client.force_login(new_proctor)
    response = client.post(
        reverse("account_change_password"), {"oldpassword": INITIAL, "password1": OWN, "password2": OWN}
    )
    assert response.status_code == 302
    new_proctor.refresh_from_db()
    assert new_proctor.must_change_password is False
    assert new_proctor.check_password(OWN)
    assert client.get(reverse("workbench")).status_code == 200


def test_a_wrong_current_password_keeps_the_flag(client, new_proctor):
    client.force_login(new_proctor)
    response = client.post(
        reverse("account_change_password"), {"oldpassword": "wrong", "password1": OWN, "password2": OWN}
    )
    assert response.status_code == 200  # the form again, with the error at the field
    assert User.objects.get(pk=new_proctor.pk).must_change_password is True


def test_a_password_reset_counts_as_a_change(rf, new_proctor):
    password_reset.send(sender=User, request=rf.get("/"), user=new_proctor)
    assert User.objects.get(pk=new_proctor.pk).must_change_password is False


def test_anonymous_public_pages_are_untouched(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert not response.cookies  # no session was opened for a visitor


def test_staff_sign_in_lands_on_the_workbench_in_one_redirect(client):
    UserFactory(role=Role.REVIEWER, email="rev@example.cn")
    response = client.post(reverse("account_login"), {"login": "rev@example.cn", "password": "Secret#2026"})
    assert response.status_code == 302
    assert response["Location"] == reverse("workbench")


def test_an_applicant_signs_in_to_the_home_page(client):
    UserFactory(role=Role.APPLICANT, email="app@example.cn")
    response = client.post(reverse("account_login"), {"login": "app@example.cn", "password": "Secret#2026"})
    assert response["Location"] == reverse("home")
