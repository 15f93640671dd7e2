"""A task sent through Redis and executed by a real Celery worker (not eager)."""

import threading
import uuid

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings

from portal.celery import app

received: list[int] = []
arrived = threading.Event()


@app.task(name="tests.portal.record")
def record(value: int) -> None:
    # The worker runs in a thread of this process, so it can hand the value straight back.
    received.append(value + 1)
    arrived.set()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_executes_a_task_sent_through_redis(needs_redis):
    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url=settings.TEST_REDIS_URL, task_always_eager=False)
    received.clear()
    arrived.clear()
    try:
        # A queue of our own, so no other worker on the same Redis takes the task.
        queue = f"test-{uuid.uuid4().hex}"
        with start_worker(app, perform_ping_check=False, loglevel="WARNING", pool="solo", queues=[queue]):
            # Sent over a connection of its own: an earlier test may have left the app's producer
            # pool bound to the broker it used then (the task would never reach this worker).
            with app.connection_for_write(settings.TEST_REDIS_URL) as connection:
                record.apply_async((41,), queue=queue, connection=connection)
            assert arrived.wait(timeout=20), "the worker did not run the task"
    finally:
        app.conf.update(saved)
    assert received == [42]
