"""Shared fixtures. Tests needing PostgreSQL, Redis or Chromium skip with a reason when
those are missing; .ci/run turns any such skip into a failure (REQUIRE_FULL_STACK=1)."""

import os
import shutil

import pytest
from django.conf import settings
from django.db import connection

from tests.factories import UserFactory

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop + live_server

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def redis_available() -> bool:
    url = settings.TEST_REDIS_URL
    if not url:
        return False
    try:
        import redis

        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except Exception:
        return False


@pytest.fixture
def needs_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://…")


@pytest.fixture
def needs_redis():
    if not redis_available():
        pytest.skip("needs Redis: set TEST_REDIS_URL (or REDIS_URL) to a reachable server")


@pytest.fixture
def needs_chromium():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.skip(f"needs Chromium at {CHROMIUM}: apt-get install chromium")


def pytest_sessionfinish(session, exitstatus):
    if os.environ.get("REQUIRE_FULL_STACK"):
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter and reporter.stats.get("skipped"):
            reporter.write_line("REQUIRE_FULL_STACK: a skipped test counts as a failure here", red=True)
            session.exitstatus = 1


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language, whatever an earlier one activated."""
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import caches

    for alias in settings.CACHES:
        caches[alias].clear()
    yield
    for alias in settings.CACHES:
        caches[alias].clear()


@pytest.fixture
def applicant(db):
    return UserFactory(role="applicant")


@pytest.fixture
def reviewer(db):
    return UserFactory(role="reviewer")


@pytest.fixture
def examiner(db):
    return UserFactory(role="examiner")


@pytest.fixture
def administrator(db):
    return UserFactory(role="administrator")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-dev-shm-usage",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A phone in mainland China: its browser asks for Chinese.
    return {**browser_context_args, "locale": "zh-CN", "viewport": {"width": 390, "height": 844}}


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", [])
    return bool(
        (marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")))
        or "transactional_db" in fixtures
        or "live_server" in fixtures
    )


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    # Transactional tests (live server, real worker, concurrency) flush the database when
    # they end; other plugins' parametrisation can move them forward, so put them last.
    items.sort(key=_is_transactional)


def _restore_reference_data():
    """Re-run the data migrations' forward steps: a transactional test's flush removed
    the role groups, the rejection-reason catalogue and the message templates."""
    from importlib import import_module

    from django.apps import apps

    from accounts.roles import ensure_role_groups
    from review.models import RejectionReason

    ensure_role_groups()
    # The catalogue the applicants migration seeded; the model has lived in review since.
    for code, label, label_en, order in import_module("applicants.migrations.0002_rejection_reasons").REASONS:
        RejectionReason.objects.get_or_create(
            code=code, defaults={"label": label, "label_en": label_en, "order": order}
        )
    import_module("notifications.migrations.0002_seed_templates_and_periodic_tasks").forwards(apps, None)


@pytest.fixture(autouse=True)
def _reference_data_for_transactional_tests(request):
    if _is_transactional(request.node):
        request.getfixturevalue("transactional_db")
        _restore_reference_data()
