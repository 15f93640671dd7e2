"""The checks behind /healthz: database, shared cache, Celery broker; each answers fast.

Each check returns one word: "ok", "down", or what stands in for the service when it is
not configured ("local" for the in-process cache, "eager" for tasks run in-process). The
database has no stand-in: without it nothing can be served. Monitoring polls these, so
no check waits long: the cache's and the broker's socket timeouts are under a second, and
a cache that this process already knows to be unreachable is not asked again during its
back-off (portal.cache).
"""

import logging

from django.core.cache import caches
from django.db import connection

from .cache import ResilientRedisCache

logger = logging.getLogger(__name__)

OK, DOWN = "ok", "down"
BROKER_TIMEOUT = 0.5  # seconds, to connect to the broker


def database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any failure means the database does not answer
        logger.exception("health check: database unreachable")
        return DOWN
    return OK


def cache_state() -> str:
    cache = caches["default"]
    if isinstance(cache, ResilientRedisCache):
        return OK if cache.ping() else DOWN
    return "local"


def broker_state() -> str:
    from portal.celery import app

    if app.conf.task_always_eager:
        return "eager"
    try:
        with app.connection_for_write(
            transport_options={
                "max_retries": 0,
                "socket_connect_timeout": BROKER_TIMEOUT,
                "socket_timeout": BROKER_TIMEOUT,
            },
            connect_timeout=BROKER_TIMEOUT,
        ) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=BROKER_TIMEOUT)
    except Exception as error:
        logger.warning("health check: broker unreachable (%s: %s)", type(error).__name__, error)
        return DOWN
    return OK


def report() -> tuple[dict[str, str], bool]:
    """The state of each component and whether the portal can serve at all (the database).

    "status" is "ok" when everything is up or standing in, "degraded" when only the cache
    or the broker is down (pages are served, messages and counters wait), "down" when the
    database is."""
    components = {"database": database_state(), "cache": cache_state(), "broker": broker_state()}
    if components["database"] == DOWN:
        status = "down"
    elif DOWN in components.values():
        status = "degraded"
    else:
        status = "ok"
    return {"status": status, **components}, components["database"] != DOWN
