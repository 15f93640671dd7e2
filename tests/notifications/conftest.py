import pytest

from notifications import audiences
from notifications.sms import LocmemSmsBackend


@pytest.fixture(autouse=True)
def own_audience_registry(monkeypatch):
    """Tests register and unregister audiences on a copy: the apps' real ones
    (applicants' draft_unsubmitted…) are there again for the next test."""
    monkeypatch.setattr(audiences, "_registry", dict(audiences._registry))


@pytest.fixture(autouse=True)
def sms_outbox(settings):
    settings.SMS_BACKEND = "notifications.sms.LocmemSmsBackend"
    LocmemSmsBackend.outbox.clear()
    yield LocmemSmsBackend.outbox
    LocmemSmsBackend.outbox.clear()


@pytest.fixture
def fake_audience():
    """Registers 'test_users' (params: ids): the users with those ids, as a QuerySet."""
    from accounts.models import User

    def users(*, ids):
        return User.objects.filter(pk__in=ids)

    audiences.register_audience("test_users", users, label="测试对象", params=("ids",))
    yield "test_users"
    audiences.unregister_audience("test_users")
