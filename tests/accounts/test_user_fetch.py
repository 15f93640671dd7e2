"""UserManager.get(pk=…): the lookup every signed-in request makes, compiled once. It must give
exactly what QuerySet.get gives, and leave Django's checks on the session's user intact."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _fields(user):
    return {f.attname: getattr(user, f.attname) for f in User._meta.concrete_fields}


def test_the_compiled_lookup_gives_what_the_orm_gives_field_for_field():
    user = UserFactory(
        expires_on=date(2027, 6, 30),
        privacy_consented_at=timezone.now() - timedelta(days=3),
        must_change_password=True,
        language="en",
    )
    with CaptureQueriesContext(connection) as queries:
        fast = User.objects.get(pk=user.pk)
    assert len(queries) == 1
    slow = QuerySet(User).get(pk=user.pk)
    assert _fields(fast) == _fields(slow)
    assert (type(fast), fast._state.db, fast._state.adding) == (User, "default", False)
    assert fast.check_password("Secret#2026")
    # The string the session holds works as the ORM's does.
    assert User.objects.get(pk=str(user.pk)).pk == user.pk


def test_missing_and_malformed_keys_fail_as_the_orm_fails():
    with pytest.raises(User.DoesNotExist, match="User matching query does not exist"):
        User.objects.get(pk=10**9)
    with pytest.raises(ValueError, match="expected a number"):
        User.objects.get(pk="abc")
    user = UserFactory()
    # Other lookups take QuerySet.get as before.
    assert User.objects.get(email=user.email).pk == user.pk
    assert User.objects.db_manager("default").get(pk=user.pk).pk == user.pk


def test_a_deactivated_user_is_signed_out_and_a_changed_password_ends_other_sessions(client):
    user = UserFactory(role="applicant")
    client.force_login(user)
    url = reverse("applicants:applications")
    assert client.get(url).status_code == 200
    User.objects.filter(pk=user.pk).update(is_active=False)  # the backend's check still runs
    assert client.get(url).status_code == 302
    User.objects.filter(pk=user.pk).update(is_active=True)
    client.force_login(user)
    assert client.get(url).status_code == 200
    user.set_password("Another#2026pass")  # the session hash no longer matches
    user.save(update_fields=["password"])
    assert client.get(url).status_code == 302
