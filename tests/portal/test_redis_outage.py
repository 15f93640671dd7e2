"""The shared cache while Redis is unreachable, and after it returns (portal.cache).

Unit tests: every cache helper with a cache that cannot connect answers from the
database; one log line per incident and a back-off; a Redis that hangs costs a quarter
of a second once; keys from before an outage are not trusted after it (an incident seen by
this process, or a Redis restarted with its old snapshot); sessions (the real cached_db
engine) survive an outage of a real redis-server. The full drill through gunicorn is
tests/portal/test_redis_drill.py.
"""

import logging
import socket
import time
from unittest import mock

import pytest
from django.conf import settings
from django.core.cache import caches
from django.urls import reverse
from redis.exceptions import ConnectionError as RedisConnectionError

from accounts import role_cache
from applicants.models import Stage
from notifications import selectors as notification_selectors
from notifications.models import Notification
from portal import cache as portal_cache
from recruitment import page_cache
from recruitment import selectors as recruitment_selectors
from tests.applicants.factories import ApplicationFactory, ReasonFactory, ReviewPositionFactory, assign
from tests.factories import UserFactory
from tests.portal.conftest import resilient

pytestmark = pytest.mark.django_db

CACHE_LOGGER = "portal.cache"


def review_selectors():
    """The review selectors, wherever they live now (moving from applicants to review)."""
    try:
        from review import selectors

        if hasattr(selectors, "stage_counters_moved"):
            return selectors
    except ImportError:
        pass
    from applicants import review_selectors as selectors

    return selectors


# --- every helper with a cache that cannot connect -----------------------------------------


def test_the_page_cache_versions_are_misses_and_bumps_are_skipped(unreachable_cache):
    assert page_cache.version(7) == 0
    page_cache.bump_version(7)  # skipped, not raised
    assert page_cache.version(7) == 0


def test_the_public_announcement_pages_render(unreachable_cache, client, django_assert_max_num_queries):
    position = ReviewPositionFactory()
    ApplicationFactory(position=position)
    with django_assert_max_num_queries(8):
        detail = client.get(reverse("recruitment:detail", args=[position.announcement_id]))
    assert detail.status_code == 200
    assert position.announcement.title in detail.content.decode()
    assert client.get(reverse("recruitment:list")).status_code == 200


def test_position_counts_come_from_the_database(unreachable_cache):
    position = ReviewPositionFactory()
    ApplicationFactory(position=position)
    ApplicationFactory(position=position, stage=Stage.APPROVED)
    # Two applications, both submitted at least once; one approved.
    assert recruitment_selectors.position_counts(position.announcement_id) == {
        position.pk: {"submitted": 2, "approved": 1}
    }
    recruitment_selectors.position_counts_invalidate(position.announcement_id)  # skipped


def test_review_stage_counters_are_recounted_from_the_database(unreachable_cache, reviewer):
    selectors = review_selectors()
    position = ReviewPositionFactory()
    assign(reviewer, position.announcement)
    ApplicationFactory(position=position)
    ApplicationFactory(position=position)
    ApplicationFactory(position=position, stage=Stage.APPROVED)
    selectors.stage_counters_moved(position.announcement_id, Stage.SUBMITTED, Stage.APPROVED)  # skipped
    selectors.stage_counts_invalidate()  # skipped
    by_announcement = selectors.stage_counts(reviewer, {"announcement": str(position.announcement_id)})
    assert by_announcement == {Stage.SUBMITTED: 2, Stage.APPROVED: 1}
    filtered = selectors.stage_counts(
        reviewer, {"announcement": str(position.announcement_id), "position": str(position.pk)}
    )
    assert filtered == {Stage.SUBMITTED: 2, Stage.APPROVED: 1}


def test_the_rejection_reasons_version_is_a_miss(unreachable_cache):
    selectors = review_selectors()
    ReasonFactory()
    assert selectors.rejection_reasons_version() == 0


def test_role_names_come_from_the_database(unreachable_cache):
    user = UserFactory(role="reviewer")
    assert role_cache.group_names(user) == frozenset({"reviewer"})
    role_cache.forget([user.pk])  # skipped, not raised
    assert user.has_role("reviewer")


def test_the_unread_count_comes_from_the_database(unreachable_cache, applicant):
    Notification.objects.create(recipient=applicant, event="application_approved", subject="s", body="b")
    assert notification_selectors.unread_count(user=applicant) == 1
    notification_selectors.unread_count_invalidate([applicant.pk])  # skipped


def test_the_id_number_attempt_count_fails_open(unreachable_cache, settings):
    from applicants import id_claims

    settings.APPLICANT_ID_ATTEMPT_LIMIT = 2
    for _ in range(5):  # five tries, limit 2: not counted while the cache is away, none refused
        id_claims.count_attempt(42)


def test_each_call_of_the_cache_api_degrades(unreachable_cache):
    cache = unreachable_cache
    assert cache.get("k", "default") == "default"
    assert cache.get_or_set("k", lambda: 5) == 5
    assert cache.add("k", 1) is True  # stored, then forgotten at once: a lock is granted
    cache.set("k", 1)
    assert cache.get_many(["a", "b"]) == {}
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]  # the keys not stored
    assert cache.has_key("k") is False and "k" not in cache
    assert cache.touch("k") is False
    assert cache.delete("k") is False
    cache.delete_many(["a", "b"])
    with pytest.raises(ValueError):
        cache.incr("k")
    with pytest.raises(ValueError):
        cache.decr("k")
    assert cache.clear() is False


# --- one log line per incident, a back-off, short timeouts ----------------------------------


def test_one_log_line_per_incident_and_no_connection_during_the_back_off(settings, caplog):
    settings.CACHES = {
        **settings.CACHES,
        "default": resilient("redis://127.0.0.1:1/0", BACKOFF_SECONDS=0.2),  # port 1: refused
    }
    cache = caches["default"]
    with (
        caplog.at_level(logging.WARNING, logger=CACHE_LOGGER),
        mock.patch.object(cache._cache, "get_client", wraps=cache._cache.get_client) as get_client,
    ):
        for _ in range(100):
            cache.get("k")
            cache.set("k", 1)
        assert get_client.call_count == 1  # the first call tried; the other 199 backed off
        time.sleep(0.25)
        cache.get("k")  # the back-off is over: one more try, which fails again
        assert get_client.call_count == 2
    warnings = [r for r in caplog.records if r.name == CACHE_LOGGER]
    assert len(warnings) == 1  # the same incident: one line
    assert "unreachable" in warnings[0].getMessage()


def test_a_redis_that_hangs_holds_one_call_a_quarter_of_a_second(settings):
    with socket.socket() as silent:  # accepts connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        port = silent.getsockname()[1]
        settings.CACHES = {**settings.CACHES, "default": resilient(f"redis://127.0.0.1:{port}/0")}
        cache = caches["default"]
        started = time.monotonic()
        assert cache.get("k") is None
        first = time.monotonic() - started
        for _ in range(50):
            cache.get("k")
        total = time.monotonic() - started
    # The socket timeout is 0.25 s; the 50 calls after it back off without a connection.
    assert 0.2 < first < 0.9
    assert total - first < 0.1


# --- after an outage: nothing from before is trusted ----------------------------------------


@pytest.fixture
def live_cache(needs_redis, settings):
    settings.CACHES = {**settings.CACHES, "default": resilient(settings.TEST_REDIS_URL, BACKOFF_SECONDS=0.1)}
    cache = caches["default"]
    cache.clear()
    yield cache
    cache.clear()


def test_a_missed_write_makes_the_process_abandon_every_older_key(live_cache, caplog):
    cache = live_cache
    cache.set("review:count:1:submitted", 10, None)
    before = cache.generation()
    with mock.patch.object(type(cache._cache), "delete", side_effect=RedisConnectionError("Redis went away")):
        assert cache.delete("review:count:1:submitted") is False  # missed: Redis still holds 10
    assert cache.get("review:count:1:submitted") is None  # backing off: a miss
    time.sleep(0.15)
    with caplog.at_level(logging.INFO, logger=CACHE_LOGGER):
        # Redis answers again: the first call moves the generation, so the 10 is not read.
        assert cache.get("review:count:1:submitted") is None
    assert cache.generation() > before
    assert any("reachable again" in r.getMessage() for r in caplog.records)
    # The old key is still in Redis, under the old generation, until its TTL or eviction.
    raw = cache._cache.get_client()
    assert raw.get(f":g{before}:1:review:count:1:submitted") == b"10"


def test_another_process_sees_the_new_generation_within_its_refresh(live_cache, settings):
    cache = live_cache
    cache.set("accounts:roles:5", ["reviewer"], None)
    other = caches.create_connection("default")  # another gunicorn process: its own state
    other._state = portal_cache._ProcessState()
    other.generation_seconds = 0.05
    assert other.get("accounts:roles:5") == ["reviewer"]
    with mock.patch.object(type(cache._cache), "set", side_effect=RedisConnectionError("gone")):
        cache.set("accounts:roles:5", ["applicant"], None)  # missed
    time.sleep(0.15)
    cache.get("anything")  # this process is back: new generation
    time.sleep(0.06)
    assert other.get("accounts:roles:5") is None  # not the stale ["reviewer"]
    assert other.generation() == cache.generation()


def test_a_redis_restarted_from_its_old_snapshot_is_not_trusted(redis_server, settings, reviewer):
    settings.CACHES = {
        **settings.CACHES,
        "default": resilient(redis_server.url(), BACKOFF_SECONDS=0.1, GENERATION_SECONDS=0.05),
    }
    cache = caches["default"]
    selectors = review_selectors()
    position = ReviewPositionFactory()
    assign(reviewer, position.announcement)
    application = ApplicationFactory(position=position)
    counts = {"announcement": str(position.announcement_id)}
    assert selectors.stage_counts(reviewer, counts) == {Stage.SUBMITTED: 1}
    redis_server.stop(save=True)  # the snapshot holds "submitted: 1"
    # During the outage the application is approved; the counters cannot move.
    application.stage = Stage.APPROVED
    application.save(update_fields=["stage"])
    selectors.stage_counters_moved(position.announcement_id, Stage.SUBMITTED, Stage.APPROVED)
    assert selectors.stage_counts(reviewer, counts) == {Stage.APPROVED: 1}  # from the database
    redis_server.start()
    assert redis_server.client().dbsize() > 1  # the old keys came back with the snapshot
    for _ in range(2):  # (the first call may still meet the dead pooled connection)
        time.sleep(0.15)
        # Not the snapshot's "submitted: 1": recounted under a new generation.
        assert selectors.stage_counts(reviewer, counts) == {Stage.APPROVED: 1}
    key = f"review:count:{position.announcement_id}:"
    assert (cache.get(key + Stage.SUBMITTED), cache.get(key + Stage.APPROVED)) == (0, 1)


def test_a_restart_nobody_saw_still_moves_the_generation(redis_server, settings):
    settings.CACHES = {**settings.CACHES, "default": resilient(redis_server.url(), GENERATION_SECONDS=0)}
    cache = caches["default"]
    cache.set("recruitment:detail-version:3", 4, None)
    before = cache.generation()
    redis_server.stop(save=True)
    redis_server.start()
    # redis-py reconnects its pooled connection silently; the changed run_id tells.
    assert cache.get("recruitment:detail-version:3") is None
    assert cache.generation() > before


# --- sessions: the real cached_db engine and a real redis-server ----------------------------


@pytest.fixture
def cached_db_sessions(redis_server, settings):
    settings.CACHES = {**settings.CACHES, "default": resilient(redis_server.url(), BACKOFF_SECONDS=0.1)}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    return redis_server


def _sign_in(client, user) -> None:
    response = client.post(reverse("account_login"), {"login": user.email, "password": "Secret#2026"})
    assert response.status_code == 302, response.content.decode()[:500]


def _signed_in(client) -> bool:
    response = client.get(reverse("applicants:applications"))
    return response.status_code == 200


def test_sessions_survive_an_outage_and_sign_in_works_during_it(cached_db_sessions, client, applicant):
    from django.test import Client

    _sign_in(client, applicant)
    assert _signed_in(client)
    cached_db_sessions.stop()
    assert _signed_in(client)  # read from the database
    during = Client()
    _sign_in(during, applicant)  # a session created during the outage: in the database only
    assert _signed_in(during)
    cached_db_sessions.start()
    time.sleep(0.15)
    assert _signed_in(client)
    assert _signed_in(during)


def test_a_sign_out_during_the_outage_is_not_undone_by_the_old_cache(cached_db_sessions, client, applicant):
    from django.test import Client

    _sign_in(client, applicant)
    assert _signed_in(client)  # the session is in Redis now
    old_cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    cached_db_sessions.stop(save=True)  # Redis' snapshot keeps the signed-in session
    assert client.post(reverse("account_logout")).status_code == 302  # deleted from the database only
    cached_db_sessions.start()
    time.sleep(0.15)
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = old_cookie
    assert not _signed_in(replay)
