"""Handing a Celery task to the broker without ever failing the request that asks.

A broker outage must delay work, never lose it or turn a committed change into an error
page: `publish` gives up at the first refusal (no retries that would stall the request),
logs, and returns False; the caller's row stays pending and a beat sweeper hands it over
again (notifications.sweep for messages, portal.sweep_jobs for background jobs).

One fail-fast broker connection is kept per process and thread: opening one costs a TCP
connect and the transport's setup (~13 ms on the bench machine) on every publish.
"""

from __future__ import annotations

import logging
import threading
from contextlib import suppress

logger = logging.getLogger(__name__)

_local = threading.local()


def is_eager() -> bool:
    """True where no broker is configured: tasks run in-process (the embedded default)."""
    from portal.celery import app

    return bool(app.conf.task_always_eager)


def _connection():
    from portal.celery import app

    connection = getattr(_local, "connection", None)
    if connection is None:
        connection = app.connection_for_write(transport_options={"max_retries": 0})
        _local.connection = connection
    return connection


def drop_connection() -> None:
    connection = getattr(_local, "connection", None)
    _local.connection = None
    if connection is not None:
        with suppress(Exception):
            connection.release()


def _publish(task, args, **options) -> None:
    """Publish on the kept connection; if it went stale (the broker restarted), once more
    on a new one. A second failure is raised: the broker is down."""
    try:
        task.apply_async(args, retry=False, connection=_connection(), **options)
    except Exception:
        drop_connection()
        task.apply_async(args, retry=False, connection=_connection(), **options)


def publish(task, *args, **options) -> bool:
    """Run `task` (a Celery task object) with positional `args`: in-process when eager,
    else through the broker. Returns False, logged, when it could not be handed over (the
    broker unreachable, or an in-process run that failed): never raises, since it runs after
    the caller's commit and the caller's sweeper retries."""
    try:
        if is_eager():
            task.apply_async(args, **options)
        else:
            _publish(task, args, **options)
    except Exception:
        drop_connection()
        logger.warning("could not queue %s%r; its sweeper will retry", task.name, args, exc_info=True)
        return False
    return True
