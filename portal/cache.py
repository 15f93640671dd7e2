"""The shared cache (Redis), made safe to lose: a Redis outage is a run of cache misses.

`ResilientRedisCache` is Django's own `RedisCache` with three additions, so that the
callers (recruitment.page_cache, the review counters, accounts.role_cache, the unread
badge, the `cached_db` sessions, allauth's rate limits) need nothing of their own:

1. **Unreachable is a miss.** A connection error or timeout turns a read into a miss
   (`get` → default, `get_many` → {}, `has_key` → False, `incr` → ValueError as for a
   missing key) and a write or delete into a no-op: the answers of a cache that forgets at
   once (`add` → True, so a lock taken with it, as allauth's rate limits do, is granted at
   once instead of refusing every sign-in after a wait). The first failure of
   an incident logs one WARNING line; then the process does not touch Redis for
   `BACKOFF_SECONDS` (3 s), so a dead Redis costs a request nothing rather than a connect
   attempt and its timeout per call. Socket connect and read timeouts are short
   (`SOCKET_TIMEOUT`, 0.25 s) and redis-py's own retries are off (its default retries
   three times with backoff). The process's state is shared by all its threads.

2. **A generation in every key.** Keys are `<prefix>:g<generation>:<version>:<key>`. The
   generation lives in one Redis hash (`<prefix>:cache-epoch`, with the `run_id` of the
   Redis server that set it) and in each process's memory, refreshed at most every
   `GENERATION_SECONDS` (1 s) with one small Lua script. A new generation abandons every
   older key at once; they expire by their own TTL or Redis' eviction.

3. **Nothing written before an outage is trusted after it.** During an outage writes are
   skipped: a page version not bumped, a counter not moved, a role or session not
   dropped, so the keys Redis holds (or reloads from its snapshot) may be stale. The
   generation moves when
   - a process that saw an incident reaches Redis again: its first call bumps the
     generation before it reads or writes anything else (the script sets it to
     max(old + 1, Redis' clock in ms)), and logs one INFO line;
   - Redis itself restarted (its `run_id` differs from the one recorded with the
     generation), even if no process noticed: the first process to refresh bumps it;
   - the epoch hash is gone (Redis came back empty, or was flushed): a new generation
     from Redis' clock, never a number an older key could carry.
   Other gunicorn processes pick the new generation up at their next refresh (≤ 1 s).
   The script is atomic, so concurrent refreshes agree; two processes recovering from
   the same incident bump twice, which only costs one more cold start. What remains is a
   window of at most `BACKOFF_SECONDS` + `GENERATION_SECONDS` after Redis returns, during
   which a process that did not see the outage may read a key a failed process could not
   update (or write one that the move then abandons); after the move nothing from before
   is read again, so such a stale answer lasts seconds, not a key's lifetime.

The local-memory cache needs none of this (it cannot be unreachable); `clear()` of this
backend is FLUSHDB as before.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass, field

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ReadOnlyError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

logger = logging.getLogger(__name__)

BACKOFF_SECONDS = 3.0
GENERATION_SECONDS = 1.0
SOCKET_TIMEOUT = 0.25

# Redis is unreachable (refused, reset, timed out, still loading its snapshot) or became a
# read-only replica: serve without it. Any other error is a bug and is raised.
OUTAGE_ERRORS = (RedisConnectionError, RedisTimeoutError, ReadOnlyError, OSError)

# KEYS[1]: the epoch hash. ARGV[1]: "1" to force a new generation (after an incident).
# Returns the current generation, moving it when forced, when Redis restarted since it
# was set (another run_id), or when it is missing.
_EPOCH_SCRIPT = """
local info = redis.call('INFO', 'server')
local run_id = string.match(info, 'run_id:(%w+)')
local epoch = redis.call('HMGET', KEYS[1], 'run_id', 'generation')
local generation = tonumber(epoch[2])
if generation and epoch[1] == run_id and ARGV[1] ~= '1' then
  return generation
end
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
if generation == nil or generation < now then
  generation = now
else
  generation = generation + 1
end
redis.call('HSET', KEYS[1], 'run_id', run_id, 'generation', generation)
return generation
"""


class _Down(Exception):
    """Raised inside a guarded call when the process is backing off: use the fallback."""


@dataclass
class _ProcessState:
    """What one process knows about one Redis cache; shared by its threads."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    generation: int | None = None
    checked_at: float = float("-inf")  # time.monotonic() of the last generation refresh
    down_until: float = 0.0  # no call to Redis before this time.monotonic()
    outage_started: float | None = None  # time.monotonic() of this incident's first failure


# Per process: Django builds one backend per thread, all sharing this state.
_states: dict[tuple, _ProcessState] = {}
_states_lock = threading.Lock()


def _after_fork_in_child() -> None:
    # A lock held by another thread at fork time would never be released in the child
    # (Celery's prefork pool, gunicorn --preload): give each state a new one.
    for state in _states.values():
        state.lock = threading.Lock()


os.register_at_fork(after_in_child=_after_fork_in_child)


def _state_for(key: tuple) -> _ProcessState:
    with _states_lock:
        return _states.setdefault(key, _ProcessState())


class SharedClientRedisCacheClient(RedisCacheClient):
    """Django's client, building one redis.Redis per connection pool instead of one per call.

    Django makes a new redis.Redis for every cache call; redis-py 8 fills some 170 response
    callbacks in each, which came to about a third of a cached page's own CPU (the score
    query on results day, issue 16). A redis.Redis over a pool is safe to share between
    threads (redis-py's documentation), and the pool itself reconnects after a fork."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients.setdefault(id(pool), self._client(connection_pool=pool))
        return client


class ResilientRedisCache(RedisCache):
    """Django's RedisCache that serves misses while Redis is unreachable (module docstring).

    OPTIONS takes redis-py's connection options as before, plus BACKOFF_SECONDS and
    GENERATION_SECONDS (floats, seconds)."""

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS") or {})
        self.backoff_seconds = float(options.pop("BACKOFF_SECONDS", BACKOFF_SECONDS))
        self.generation_seconds = float(options.pop("GENERATION_SECONDS", GENERATION_SECONDS))
        options.setdefault("socket_connect_timeout", SOCKET_TIMEOUT)
        options.setdefault("socket_timeout", SOCKET_TIMEOUT)
        options.setdefault("retry", Retry(NoBackoff(), 0))
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = SharedClientRedisCacheClient
        self._state = _state_for((tuple(self._servers), self.key_prefix))
        self._epoch_key = f"{self.key_prefix}:cache-epoch"

    # --- outage bookkeeping --------------------------------------------------------------

    @property
    def available(self) -> bool:
        """False while this process backs off after a failure (no network call)."""
        return time.monotonic() >= self._state.down_until

    def _failed(self, error: Exception) -> None:
        state = self._state
        now = time.monotonic()
        with state.lock:
            state.down_until = now + self.backoff_seconds
            first = state.outage_started is None
            if first:
                state.outage_started = now
        if first:
            logger.warning(
                "cache: Redis %s unreachable (%s: %s); serving without it, next try in %.0f s",
                self._servers[0].rsplit("@", 1)[-1],
                type(error).__name__,
                error,
                self.backoff_seconds,
            )

    def _guard(self, call, fallback=None):
        if time.monotonic() < self._state.down_until:
            return fallback
        try:
            return call()
        except _Down:
            return fallback
        except OUTAGE_ERRORS as error:
            self._failed(error)
            return fallback

    def generation(self) -> int:
        """The current generation; refreshed (or moved after an incident) when due.
        Raises _Down while backing off and the redis errors of OUTAGE_ERRORS."""
        state = self._state
        now = time.monotonic()
        if (
            state.generation is not None
            and state.outage_started is None
            and now - state.checked_at < self.generation_seconds
        ):
            return state.generation
        with state.lock:
            if time.monotonic() < state.down_until:
                raise _Down
            recovering = state.outage_started is not None
            if (
                not recovering
                and state.generation is not None
                and now - state.checked_at < self.generation_seconds
            ):
                return state.generation  # another thread refreshed it meanwhile
            client = self._cache.get_client(write=True)
            previous = state.generation
            state.generation = int(client.eval(_EPOCH_SCRIPT, 1, self._epoch_key, "1" if recovering else "0"))
            state.checked_at = time.monotonic()
            if recovering:
                logger.info(
                    "cache: Redis reachable again after %.0f s; generation %s → %s (keys from before are dropped)",
                    state.checked_at - state.outage_started,
                    previous,
                    state.generation,
                )
                state.outage_started = None
            return state.generation

    def make_key(self, key, version=None):
        prefix = f"{self.key_prefix}:g{self.generation()}"
        return self.key_func(key, prefix, self.version if version is None else version)

    def ping(self) -> bool:
        """True if Redis answers now (and the generation is current); for /healthz."""

        def call():
            self.generation()
            return bool(self._cache.get_client().ping())

        return self._guard(call, False)

    # --- Django's cache API, each call guarded --------------------------------------------

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        # True, as a cache that forgets at once would answer: a lock taken with add()
        # (allauth's rate limits) must not wait and refuse every sign-in during an outage.
        return self._guard(lambda: super(ResilientRedisCache, self).add(key, value, timeout, version), True)

    def get(self, key, default=None, version=None):
        return self._guard(lambda: super(ResilientRedisCache, self).get(key, default, version), default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._guard(lambda: super(ResilientRedisCache, self).set(key, value, timeout, version))

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(lambda: super(ResilientRedisCache, self).touch(key, timeout, version), False)

    def delete(self, key, version=None):
        return self._guard(lambda: super(ResilientRedisCache, self).delete(key, version), False)

    def get_many(self, keys, version=None):
        return self._guard(lambda: super(ResilientRedisCache, self).get_many(keys, version), {})

    def has_key(self, key, version=None):
        return self._guard(lambda: super(ResilientRedisCache, self).has_key(key, version), False)

    def incr(self, key, delta=1, version=None):
        missing = object()
        value = self._guard(lambda: super(ResilientRedisCache, self).incr(key, delta, version), missing)
        if value is missing:
            raise ValueError(f"Key '{key}' not found (the cache is unreachable).")
        return value

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(
            lambda: super(ResilientRedisCache, self).set_many(data, timeout, version), list(data)
        )

    def delete_many(self, keys, version=None):
        self._guard(lambda: super(ResilientRedisCache, self).delete_many(keys, version))

    def clear(self):
        return self._guard(lambda: super(ResilientRedisCache, self).clear(), False)
