import socket
import time
from contextlib import contextmanager
from unittest import mock

import pytest
from django.urls import reverse

from portal.celery import app
from tests.portal.conftest import free_port, resilient

pytestmark = pytest.mark.django_db


@contextmanager
def broker(url: str):
    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url=url, task_always_eager=False)
    try:
        yield
    finally:
        app.conf.update(saved)


@contextmanager
def silent_port():
    """A port that accepts connections and never answers (a hung server)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)
        yield sock.getsockname()[1]


def test_healthz_reports_each_component(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        response = client.get(reverse("healthz"))
    assert response.status_code == 200
    # Tests run with the in-process cache and tasks: stand-ins, not outages.
    assert response.json() == {"status": "ok", "database": "ok", "cache": "local", "broker": "eager"}
    assert "no-cache" in response["Cache-Control"]
    assert client.get(reverse("healthz"), {"strict": "1"}).status_code == 200


def test_healthz_is_503_when_the_database_does_not_answer(client):
    with mock.patch("portal.health.connection.cursor", side_effect=RuntimeError("db gone")):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["status"] == "down"
    assert response.json()["database"] == "down"


def test_healthz_is_degraded_but_200_when_the_cache_is_down(client, unreachable_cache):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200  # pages are still served
    assert response.json() == {"status": "degraded", "database": "ok", "cache": "down", "broker": "eager"}
    assert client.get(reverse("healthz"), {"strict": "1"}).status_code == 503


def test_healthz_is_degraded_but_200_when_the_broker_is_down(client):
    with broker(f"redis://127.0.0.1:{free_port()}/0"):  # nothing listens there
        response = client.get(reverse("healthz"))
        strict = client.get(reverse("healthz"), {"strict": "1"})
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "cache": "local", "broker": "down"}
    assert strict.status_code == 503
    assert strict.json()["broker"] == "down"


def test_healthz_reports_a_reachable_redis_as_ok(client, settings, needs_redis):
    settings.CACHES = {**settings.CACHES, "default": resilient(settings.TEST_REDIS_URL)}
    with broker(settings.TEST_REDIS_URL):
        response = client.get(reverse("healthz"), {"strict": "1"})
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "broker": "ok"}


def test_healthz_answers_within_a_second_when_cache_and_broker_hang(client, settings):
    with silent_port() as cache_port, silent_port() as broker_port:
        settings.CACHES = {**settings.CACHES, "default": resilient(f"redis://127.0.0.1:{cache_port}/0")}
        with broker(f"redis://127.0.0.1:{broker_port}/0"):
            started = time.monotonic()
            response = client.get(reverse("healthz"))
            elapsed = time.monotonic() - started
    assert response.json() == {"status": "degraded", "database": "ok", "cache": "down", "broker": "down"}
    # Cache read timeout 0.25 s + broker timeout 0.5 s, one attempt each.
    assert elapsed < 1.5


def test_healthz_refuses_post(client):
    assert client.post(reverse("healthz")).status_code == 405
