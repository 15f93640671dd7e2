"""Database work on a second connection, in a thread, while this thread goes on.

Why: PostgreSQL runs a query in its own server process, and a Python thread waiting for it
releases the GIL. On the 2-core host of issue 17's benchmark the ranking's long aggregate (the
700,000 examiner scores) and its 100,000-row COPY ran with this process idle; run beside the
Python that needs no database, they cost no wall time of their own.

Where it cannot apply, the work runs at once in this thread with the same result:

* not PostgreSQL (SQLite on a newcomer's laptop);
* the caller inside a transaction (`connection.in_atomic_block`): a second connection sees only
  committed rows, so it would read past what the caller wrote, or wait on its locks (every
  test runs inside one unless it asks for `transaction=True`);
* `DB_THREADS=false` (e.g. a pooler with a hard per-client connection limit).

The thread's connection is Django's own for that thread (settings.DATABASES), closed when the
work ends; each piece of work is one more connection for its duration.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connection, connections


def available() -> bool:
    """True where in_background really uses a second connection (see the module's list)."""
    return (
        connection.vendor == "postgresql"
        and not connection.in_atomic_block
        and getattr(settings, "DB_THREADS", True)
    )


def close_thread_connections() -> None:
    """Close this thread's connections (call at the end of a thread that used the ORM)."""
    connections.close_all()


class Pending:
    """The outcome of in_background: `result()` waits for it and returns the value, or raises
    what the work raised."""

    def __init__(self, function: Callable[..., Any], args: tuple, kwargs: dict, *, thread: bool):
        self._value: Any = None
        self._error: BaseException | None = None
        self._thread = None
        if thread:
            self._thread = threading.Thread(
                target=self._run, args=(function, args, kwargs), name="db-background", daemon=True
            )
            self._thread.start()
        else:
            try:
                self._value = function(*args, **kwargs)
            except Exception as error:  # raised from result(), as in the thread
                self._error = error

    def _run(self, function, args, kwargs) -> None:
        try:
            self._value = function(*args, **kwargs)
        except BaseException as error:  # noqa: BLE001 - handed to the caller by result()
            self._error = error
        finally:
            close_thread_connections()

    def result(self) -> Any:
        if self._thread is not None:
            self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value


def in_background(function: Callable[..., Any], *args, **kwargs) -> Pending:
    """Start `function(*args, **kwargs)` on a thread with its own database connection where
    available(), else run it now; either way `.result()` gives its value. The function must
    only read, or write in a transaction of its own: it shares nothing with the caller's."""
    return Pending(function, args, kwargs, thread=available())
