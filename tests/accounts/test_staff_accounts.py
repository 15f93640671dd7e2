"""Staff accounts on the portal: only administrators manage them; every change is audited
(who, when, from → to, why) and shown on the account's page; temporary accounts stop
working after their last day; an administrator cannot lock themselves out."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts import staff_services as services
from accounts.models import StaffAccountEvent, User
from accounts.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Secret#2026"


def _events(account) -> list[tuple[str, str, str]]:
    return list(
        StaffAccountEvent.objects.filter(account=account)
        .order_by("pk")
        .values_list("action", "from_value", "to_value")
    )


# --- services ----------------------------------------------------------------------


def test_create_makes_a_staff_account_with_its_roles_expiry_and_an_audit_row_each(administrator):
    last_day = timezone.localdate() + timedelta(days=3)
    account = services.staff_account_create(
        actor=administrator,
        email="Proctor@Example.cn",
        name="王监考",
        password=PASSWORD,
        roles=[Role.PROCTOR, Role.EXAMINER],
        expires_on=last_day,
        reason="笔试当天监考",
    )
    assert account.email == "proctor@example.cn"
    assert account.check_password(PASSWORD)
    assert account.role_names == {Role.PROCTOR, Role.EXAMINER}
    assert account.expires_on == last_day
    assert _events(account) == [
        ("created", "", "proctor@example.cn"),
        ("expiry_changed", "", last_day.isoformat()),
        ("role_granted", "", Role.EXAMINER),  # sorted: examiner before proctor
        ("role_granted", "", Role.PROCTOR),
    ]
    assert StaffAccountEvent.objects.filter(account=account, actor=administrator).count() == 4


@pytest.mark.parametrize("roles", [[], [Role.APPLICANT], ["superuser"]])
def test_create_refuses_no_role_or_a_role_that_is_not_staff_and_writes_nothing(administrator, roles):
    with pytest.raises(ValidationError):
        services.staff_account_create(
            actor=administrator, email="x@example.cn", name="某某", password=PASSWORD, roles=roles
        )
    assert not User.objects.filter(email="x@example.cn").exists()
    assert not StaffAccountEvent.objects.exists()


def test_grant_and_revoke_are_audited_with_from_and_to_and_a_repeat_changes_nothing(administrator):
    account = UserFactory(role=Role.REVIEWER)
    assert services.staff_role_grant(actor=administrator, account=account, role=Role.EXAMINER, reason="外聘")
    assert not services.staff_role_grant(actor=administrator, account=account, role=Role.EXAMINER)
    assert services.staff_role_revoke(actor=administrator, account=account, role=Role.REVIEWER, reason="调岗")
    assert not services.staff_role_revoke(actor=administrator, account=account, role=Role.REVIEWER)
    account = User.objects.get(pk=account.pk)
    assert account.role_names == {Role.EXAMINER}
    assert _events(account) == [("role_granted", "", Role.EXAMINER), ("role_revoked", Role.REVIEWER, "")]
    assert list(StaffAccountEvent.objects.order_by("pk").values_list("reason", flat=True)) == ["外聘", "调岗"]


def test_an_administrator_cannot_remove_their_own_administrator_role(administrator):
    with pytest.raises(ValidationError):
        services.staff_role_revoke(actor=administrator, account=administrator, role=Role.ADMINISTRATOR)
    assert User.objects.get(pk=administrator.pk).has_role(Role.ADMINISTRATOR)
    assert not StaffAccountEvent.objects.exists()


def test_another_administrator_may_remove_the_administrator_role(administrator):
    other = UserFactory(role=Role.ADMINISTRATOR)
    assert services.staff_role_revoke(actor=administrator, account=other, role=Role.ADMINISTRATOR)
    assert not User.objects.get(pk=other.pk).has_role(Role.ADMINISTRATOR)


def test_deactivate_needs_a_reason_refuses_oneself_and_is_audited(administrator):
    account = UserFactory(role=Role.REVIEWER)
    with pytest.raises(ValidationError):
        services.staff_account_deactivate(actor=administrator, account=account, reason="  ")
    with pytest.raises(ValidationError):
        services.staff_account_deactivate(actor=administrator, account=administrator, reason="误操作")
    assert not StaffAccountEvent.objects.exists()

    assert services.staff_account_deactivate(actor=administrator, account=account, reason="离职")
    assert not services.staff_account_deactivate(actor=administrator, account=account, reason="离职")
    account = User.objects.get(pk=account.pk)
    assert not account.is_active
    assert not account.has_role(Role.REVIEWER)
    assert services.staff_account_reactivate(actor=administrator, account=account, reason="返聘")
    assert _events(account) == [("deactivated", "active", "inactive"), ("reactivated", "inactive", "active")]


def test_expiry_set_and_cleared_is_audited_and_refused_on_oneself(administrator):
    account = UserFactory(role=Role.EXAMINER)
    day = date(2030, 6, 1)
    assert services.staff_expiry_set(actor=administrator, account=account, expires_on=day)
    assert not services.staff_expiry_set(actor=administrator, account=account, expires_on=day)
    assert services.staff_expiry_set(actor=administrator, account=account, expires_on=None)
    assert _events(account) == [("expiry_changed", "", "2030-06-01"), ("expiry_changed", "2030-06-01", "")]
    with pytest.raises(ValidationError):
        services.staff_expiry_set(actor=administrator, account=administrator, expires_on=day)


# --- expiry ------------------------------------------------------------------------


def test_an_account_is_usable_through_its_last_day_and_expired_the_day_after():
    today = timezone.localdate()
    # expires_on = today: still usable (the last day counts); yesterday: expired.
    assert not User(expires_on=today).is_expired
    assert User(expires_on=today - timedelta(days=1)).is_expired
    assert not User(expires_on=None).is_expired


def test_an_expired_account_holds_no_role():
    account = UserFactory(role=Role.PROCTOR, expires_on=timezone.localdate() - timedelta(days=1))
    assert account.role_names == frozenset()


def test_an_expired_account_cannot_sign_in(client):
    UserFactory(
        role=Role.PROCTOR, email="temp@example.cn", expires_on=timezone.localdate() - timedelta(days=1)
    )
    response = client.post(reverse("account_login"), {"login": "temp@example.cn", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login")
    assert "_auth_user_id" not in client.session
    follow = client.get(reverse("account_login"))
    assert "已过有效期" in follow.content.decode()


def test_an_account_within_its_period_signs_in(client):
    UserFactory(role=Role.PROCTOR, email="temp@example.cn", expires_on=timezone.localdate())
    response = client.post(reverse("account_login"), {"login": "temp@example.cn", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session.get("_auth_user_id")


def test_a_session_opened_before_the_end_stops_working_after_it(client):
    account = UserFactory(role=Role.EXAMINER, expires_on=timezone.localdate())
    client.force_login(account)
    assert client.get(reverse("accounts:me")).status_code == 200
    User.objects.filter(pk=account.pk).update(expires_on=timezone.localdate() - timedelta(days=1))
    response = client.get(reverse("accounts:me"))
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login")
    assert "_auth_user_id" not in client.session


# --- pages -------------------------------------------------------------------------

STAFF_URLS = [
    ("get", "accounts:staff_list", False),
    ("get", "accounts:staff_create", False),
    ("get", "accounts:staff_detail", True),
    ("post", "accounts:staff_role", True),
    ("post", "accounts:staff_status", True),
    ("post", "accounts:staff_expiry", True),
]


@pytest.mark.parametrize(
    "role", [Role.APPLICANT, Role.REVIEWER, Role.EXAMINER, Role.PROCTOR, Role.UNIT_MANAGER]
)
@pytest.mark.parametrize(("method", "name", "with_pk"), STAFF_URLS)
def test_only_administrators_reach_the_staff_pages(client, role, method, name, with_pk):
    target = UserFactory(role=Role.REVIEWER)
    client.force_login(UserFactory(role=role))
    url = reverse(name, args=[target.pk] if with_pk else [])
    response = getattr(client, method)(url, {"role": Role.ADMINISTRATOR, "change": "grant", "reason": "x"})
    assert response.status_code == 403
    assert "您没有访问此页面的权限" in response.content.decode()
    assert not StaffAccountEvent.objects.exists()
    assert not User.objects.get(pk=target.pk).has_role(Role.ADMINISTRATOR)


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("accounts:staff_list"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_the_list_shows_staff_not_applicants_and_filters_by_role(
    client, administrator, django_assert_max_num_queries
):
    reviewer = UserFactory(role=Role.REVIEWER, name="李审核")
    proctor = UserFactory(role=Role.PROCTOR, name="赵监考")
    applicant = UserFactory(role=Role.APPLICANT, name="张报考")
    client.force_login(administrator)
    # session, user, (roles cached), count, page of users, prefetch of their groups, inbox badge…
    with django_assert_max_num_queries(10):
        page = client.get(reverse("accounts:staff_list")).content.decode()
    assert reviewer.name in page and proctor.name in page and applicant.name not in page
    # QA: at 390 px the table clipped names and 有效期至; it stacks into cards (labelled cells).
    assert "table-responsive-stack" in page
    assert 'data-label="姓名"' in page and 'data-label="有效期至"' in page
    page = client.get(reverse("accounts:staff_list"), {"role": Role.PROCTOR}).content.decode()
    assert proctor.name in page and reviewer.name not in page


def test_the_list_query_count_does_not_grow_with_accounts(
    client, administrator, django_assert_max_num_queries
):
    for _ in range(3):
        UserFactory(role=Role.REVIEWER)
    client.force_login(administrator)
    client.get(reverse("accounts:staff_list"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("accounts:staff_list"))
    for _ in range(10):
        UserFactory(role=Role.EXAMINER)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("accounts:staff_list"))
    assert len(many) == len(few)


def test_an_administrator_creates_a_temporary_proctor_on_the_page(client, administrator):
    client.force_login(administrator)
    last_day = timezone.localdate() + timedelta(days=1)
    response = client.post(
        reverse("accounts:staff_create"),
        {
            "name": "钱监考",
            "email": "qian@example.cn",
            "phone": "13900001111",
            "roles": [Role.PROCTOR],
            "expires_on": last_day.isoformat(),
            "password": "Kaowu#2026x",
            "reason": "笔试监考",
        },
    )
    account = User.objects.get(email="qian@example.cn")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:staff_detail", args=[account.pk])
    assert account.role_names == {Role.PROCTOR}
    assert account.expires_on == last_day
    page = client.get(response["Location"]).content.decode()
    assert "创建账号" in page and "监考人员" in page and "笔试监考" in page


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("email", "taken@example.cn"),
        ("phone", "12345"),
        ("password", "123"),
        ("roles", "applicant"),
        ("expires_on", "2000-01-01"),
    ],
)
def test_the_create_form_refuses_bad_input_and_writes_nothing(client, administrator, field, value):
    UserFactory(email="taken@example.cn")
    client.force_login(administrator)
    data = {
        "name": "孙某",
        "email": "sun@example.cn",
        "roles": [Role.EXAMINER],
        "password": "Kaowu#2026x",
        field: value,
    }
    response = client.post(reverse("accounts:staff_create"), data)
    assert response.status_code == 200
    assert User.objects.count() == 2  # the administrator and taken@
    assert not StaffAccountEvent.objects.exists()


def test_grant_revoke_deactivate_on_the_account_page_show_in_its_history(client, administrator):
    account = UserFactory(role=Role.REVIEWER, name="周审核")
    client.force_login(administrator)
    url = reverse("accounts:staff_detail", args=[account.pk])
    client.post(
        reverse("accounts:staff_role", args=[account.pk]),
        {"role": Role.EXAMINER, "change": "grant", "reason": "面试考官"},
    )
    client.post(
        reverse("accounts:staff_role", args=[account.pk]), {"role": Role.REVIEWER, "change": "revoke"}
    )
    client.post(reverse("accounts:staff_expiry", args=[account.pk]), {"expires_on": "2031-01-31"})
    client.post(reverse("accounts:staff_status", args=[account.pk]), {"reason": "借调结束"})
    account = User.objects.get(pk=account.pk)
    assert not account.is_active
    page = client.get(url).content.decode()
    for text in (
        "授予角色",
        "撤销角色",
        "修改有效期",
        "停用账号",
        "面试考官",
        "资格审核人员",
        "2031-01-31",
        "借调结束",
    ):
        assert text in page, text


def test_deactivation_without_a_reason_is_refused_on_the_page(client, administrator):
    account = UserFactory(role=Role.REVIEWER)
    client.force_login(administrator)
    response = client.post(reverse("accounts:staff_status", args=[account.pk]), {"reason": ""})
    assert response.status_code == 400
    assert User.objects.get(pk=account.pk).is_active


def test_the_administrator_cannot_revoke_their_own_role_or_deactivate_themselves_on_the_page(
    client, administrator
):
    client.force_login(administrator)
    client.post(
        reverse("accounts:staff_role", args=[administrator.pk]),
        {"role": Role.ADMINISTRATOR, "change": "revoke"},
    )
    client.post(reverse("accounts:staff_status", args=[administrator.pk]), {"reason": "试试"})
    administrator = User.objects.get(pk=administrator.pk)
    assert administrator.is_active and administrator.has_role(Role.ADMINISTRATOR)
    assert not StaffAccountEvent.objects.exists()


def test_applicants_and_superusers_are_not_managed_here(client, administrator):
    client.force_login(administrator)
    applicant = UserFactory(role=Role.APPLICANT)
    superuser = UserFactory(is_superuser=True)
    for account in (applicant, superuser):
        assert client.get(reverse("accounts:staff_detail", args=[account.pk])).status_code == 404
        client.post(
            reverse("accounts:staff_role", args=[account.pk]), {"role": Role.REVIEWER, "change": "grant"}
        )
    assert not Group.objects.get(name=Role.REVIEWER).user_set.exists()


def test_the_account_page_has_a_query_budget(client, administrator, django_assert_max_num_queries):
    account = UserFactory(role=Role.REVIEWER)
    services.staff_role_grant(actor=administrator, account=account, role=Role.EXAMINER)
    client.force_login(administrator)
    # session, user, account, its roles, its events with actors, inbox badge, savepoints…
    with django_assert_max_num_queries(10):
        assert client.get(reverse("accounts:staff_detail", args=[account.pk])).status_code == 200
