import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _chinese():
    """Messages are asserted in Chinese; another test may leave English active in the thread."""
    with translation.override("zh-hans"):
        yield


@pytest.fixture(autouse=True)
def _role_groups(request):
    """A transactional test elsewhere that flushes without serialized_rollback removes the role
    groups made by accounts' data migration; recreate them so these tests stand alone."""
    if "db" not in request.fixturenames and not request.node.get_closest_marker("django_db"):
        return
    request.getfixturevalue("db")
    from django.contrib.auth.models import Group, Permission

    from accounts.roles import ROLE_PERMISSIONS

    for role, codenames in ROLE_PERMISSIONS.items():
        group, created = Group.objects.get_or_create(name=role)
        if created:
            group.permissions.set(Permission.objects.filter(codename__in=codenames))
