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
