"""A task sent through Redis and executed by a real Celery worker (not eager)."""

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings

from portal.celery import app, ping


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_executes_a_task_sent_through_redis(needs_redis):
    saved = {key: app.conf[key] for key in ("broker_url", "result_backend", "task_always_eager")}
    app.conf.update(
        broker_url=settings.TEST_REDIS_URL,
        result_backend=settings.TEST_REDIS_URL,
        task_always_eager=False,
    )
    try:
        with start_worker(app, perform_ping_check=False, loglevel="WARNING", pool="solo"):
            result = ping.delay(41)
            assert result.get(timeout=20) == 42
    finally:
        app.conf.update(saved)
