import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory

from accounts.permissions import role_required
from accounts.roles import ROLE_PERMISSIONS, Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_every_role_group_exists_with_its_permissions():
    for role, codenames in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=role)
        assert set(group.permissions.values_list("codename", flat=True)) == set(codenames)


def test_only_administrators_may_export_full_id_numbers():
    admin = UserFactory(role=Role.ADMINISTRATOR)
    reviewer = UserFactory(role=Role.REVIEWER)
    assert admin.has_perm("accounts.export_full_id_numbers")
    assert not reviewer.has_perm("accounts.export_full_id_numbers")
    assert reviewer.has_perm("accounts.review_applications")


@role_required(Role.REVIEWER, Role.ADMINISTRATOR)
def staff_view(request):
    return HttpResponse("ok")


def _request(user):
    request = RequestFactory().get("/staff/")
    request.user = user
    return request


def test_role_required_sends_anonymous_users_to_login():
    response = staff_view(_request(AnonymousUser()))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_role_required_refuses_a_user_without_the_role():
    with pytest.raises(PermissionDenied):
        staff_view(_request(UserFactory(role=Role.APPLICANT)))


def test_role_required_admits_each_listed_role_and_the_superuser():
    assert staff_view(_request(UserFactory(role=Role.REVIEWER))).status_code == 200
    assert staff_view(_request(UserFactory(role=Role.ADMINISTRATOR))).status_code == 200
    assert staff_view(_request(UserFactory(is_superuser=True))).status_code == 200


def test_an_inactive_user_holds_no_role():
    user = UserFactory(role=Role.ADMINISTRATOR, is_active=False)
    assert not user.has_role(Role.ADMINISTRATOR)


def _fresh(user):
    """The user as the next request loads it (role names are read once per instance)."""
    return type(user).objects.get(pk=user.pk)


def test_role_names_come_from_the_cache_after_the_first_read(django_assert_num_queries):
    user = UserFactory(role=Role.REVIEWER)
    assert _fresh(user).has_role(Role.REVIEWER)
    fresh = _fresh(user)
    with django_assert_num_queries(0):
        assert fresh.has_role(Role.REVIEWER)


@pytest.mark.parametrize(
    "revoke",
    [
        lambda user, group: user.groups.remove(group),
        lambda user, group: user.groups.clear(),
        lambda user, group: user.groups.set([]),
        lambda user, group: group.user_set.remove(user),
        lambda user, group: group.user_set.clear(),
        lambda user, group: group.delete(),
    ],
    ids=["remove", "clear", "set", "group-remove", "group-clear", "group-delete"],
)
def test_a_revoked_role_is_gone_at_the_next_request(revoke):
    user = UserFactory(role=Role.REVIEWER)
    assert _fresh(user).has_role(Role.REVIEWER)  # now cached
    revoke(user, Group.objects.get(name=Role.REVIEWER))
    assert not _fresh(user).has_role(Role.REVIEWER)


def test_a_granted_role_counts_at_the_next_request():
    user = UserFactory(role=Role.APPLICANT)
    assert not _fresh(user).has_role(Role.REVIEWER)  # cached without it
    Group.objects.get(name=Role.REVIEWER).user_set.add(user)
    assert _fresh(user).has_role(Role.REVIEWER)


def test_a_renamed_group_no_longer_grants_its_old_role():
    user = UserFactory(role=Role.REVIEWER)
    assert _fresh(user).has_role(Role.REVIEWER)
    group = Group.objects.get(name=Role.REVIEWER)
    group.name = "former-reviewers"
    group.save()
    assert not _fresh(user).has_role(Role.REVIEWER)
