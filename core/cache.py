"""The shared cache, guarded: Redis slow or gone costs milliseconds, never a
500 page.

`ResilientRedisCache` is Django's Redis backend with short socket timeouts and
a circuit breaker. The first failed call opens the breaker: for the cool-off
that follows, this process does not call Redis at all (reads are misses,
writes are dropped). Then one call probes it (PING); if it answers, the
breaker closes and the cache is used as before, with no restart. Each trip
is logged once, and so is the recovery.

Everything is a cache for something the database knows, except the comment
rate limits, which ask `is_reachable()` and count in the database meanwhile.
"""

import logging
import threading
import time
from collections.abc import Callable
from urllib.parse import urlsplit

from django.core.cache import cache as default_cache
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis import RedisError

logger = logging.getLogger(__name__)

# A Redis that refuses, resets, times out or answers with an error (loading,
# read-only replica, out of memory): all mean "no cache right now".
CACHE_ERRORS = (RedisError, OSError)
CALL, PROBE, SKIP = "call", "probe", "skip"


class CircuitBreaker:
    """Whether to call a service that just failed: closed (call), open (skip
    until the cool-off ends), then one caller probes while others still skip."""

    def __init__(self, name: str, cooloff: float):
        self.name = name
        self.cooloff = cooloff
        self._lock = threading.Lock()
        self._retry_at = 0.0  # 0: closed
        self._opened_at = 0.0
        self._skipped = 0

    @property
    def is_closed(self) -> bool:
        return self._retry_at == 0.0

    def admit(self) -> str:
        """CALL, PROBE (the one caller that tries again after the cool-off)
        or SKIP; the caller then reports how it went."""
        if self._retry_at == 0.0:
            return CALL
        with self._lock:
            now = time.monotonic()
            if self._retry_at == 0.0:
                return CALL
            if now < self._retry_at:
                self._skipped += 1
                return SKIP
            # The others keep skipping until this one knows.
            self._retry_at = now + self.cooloff
            return PROBE

    def failed(self, error: BaseException) -> None:
        with self._lock:
            first = self._retry_at == 0.0
            now = time.monotonic()
            self._retry_at = now + self.cooloff
            if first:
                self._opened_at, self._skipped = now, 0
        if first:
            logger.warning(
                "Cache %s unreachable (%s: %s); working without it, trying "
                "again every %ss",
                self.name,
                type(error).__name__,
                error,
                self.cooloff,
            )

    def succeeded(self) -> None:
        if self._retry_at == 0.0:
            return
        with self._lock:
            if self._retry_at == 0.0:
                return
            self._retry_at = 0.0
            down, skipped = time.monotonic() - self._opened_at, self._skipped
        logger.warning(
            "Cache %s reachable again after %.1fs (%d calls skipped meanwhile)",
            self.name,
            down,
            skipped,
        )
        for callback in _recovery_callbacks:
            try:
                callback()
            except Exception:
                # The call that found Redis back still goes ahead.
                logger.exception("After the cache %s came back", self.name)


_recovery_callbacks: list[Callable[[], None]] = []


def on_recovery(callback: Callable[[], None]) -> None:
    """Call `callback` whenever a breaker closes, before the call that found
    Redis back goes ahead (to write again what was dropped meanwhile)."""
    _recovery_callbacks.append(callback)


def _without_password(url: str) -> str:
    """The address as logged: no user name or password."""
    parts = urlsplit(url)
    return parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl()


_breakers: dict[str, CircuitBreaker] = {}
_breakers_lock = threading.Lock()


def breaker_for(location: str, cooloff: float) -> CircuitBreaker:
    """One breaker per Redis per process, shared by every thread's backend."""
    with _breakers_lock:
        breaker = _breakers.get(location)
        if breaker is None:
            breaker = _breakers[location] = CircuitBreaker(location, cooloff)
        return breaker


class _KeptClients(RedisCacheClient):
    """Django's Redis client maker, keeping one redis-py client per pool:
    Django makes a new one on every call, and redis-py builds ~170 response
    callbacks for each (about 0.4 ms, more than the round trip itself, on
    every page-cache hit). A client is only its pool and those callbacks, and
    is safe to share between threads."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}  # pool index: client

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        if index not in self._clients:
            pool = self._get_connection_pool(write)
            self._clients[index] = self._client(connection_pool=pool)
        return self._clients[index]


class ResilientRedisCache(RedisCache):
    """Django's RedisCache whose calls fail soft: a read that cannot reach
    Redis is a miss, a write is dropped. OPTIONS: `socket_connect_timeout`
    and `socket_timeout` (seconds, for redis-py), `cooloff` (seconds the
    breaker stays open)."""

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        cooloff = float(options.pop("cooloff", 5))
        options.setdefault("socket_connect_timeout", 0.25)
        options.setdefault("socket_timeout", 0.5)
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = _KeptClients
        self.breaker = breaker_for(
            ", ".join(map(_without_password, self._servers)), cooloff
        )

    def validate_key(self, key):
        """Redis takes any key: no check, character by character, for what
        memcached would refuse (Django's portability warnings), on each of
        the hundred keys a page reads at once."""

    def _guarded(self, call, default):
        admitted = self.breaker.admit()
        if admitted == SKIP:
            return default
        try:
            if admitted == PROBE:
                self._cache.get_client(write=True).ping()
                self.breaker.succeeded()
            result = call()
        except CACHE_ERRORS as error:
            self.breaker.failed(error)
            return default
        self.breaker.succeeded()
        return result

    def ping(self) -> None:
        """Ask Redis directly, breaker or not (for /readyz); raises if it
        does not answer, closes the breaker if it does."""
        try:
            self._cache.get_client(write=True).ping()
        except CACHE_ERRORS as error:
            self.breaker.failed(error)
            raise
        self.breaker.succeeded()

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(
            lambda: super(ResilientRedisCache, self).add(key, value, timeout, version),
            False,
        )

    def get(self, key, default=None, version=None):
        return self._guarded(
            lambda: super(ResilientRedisCache, self).get(key, default, version),
            default,
        )

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._guarded(
            lambda: super(ResilientRedisCache, self).set(key, value, timeout, version),
            None,
        )

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(
            lambda: super(ResilientRedisCache, self).touch(key, timeout, version),
            False,
        )

    def delete(self, key, version=None):
        return self._guarded(
            lambda: super(ResilientRedisCache, self).delete(key, version), False
        )

    def get_many(self, keys, version=None):
        return self._guarded(
            lambda: super(ResilientRedisCache, self).get_many(keys, version), {}
        )

    def has_key(self, key, version=None):
        return self._guarded(
            lambda: super(ResilientRedisCache, self).has_key(key, version), False
        )

    def incr(self, key, delta=1, version=None):
        missing = object()
        result = self._guarded(
            lambda: super(ResilientRedisCache, self).incr(key, delta, version),
            missing,
        )
        if result is missing:
            # As for a key that is not there: Django's contract for incr().
            raise ValueError(f"Key '{key}' not found (the cache is unreachable).")
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(
            lambda: super(ResilientRedisCache, self).set_many(data, timeout, version),
            list(data),
        )

    def delete_many(self, keys, version=None):
        self._guarded(
            lambda: super(ResilientRedisCache, self).delete_many(keys, version), None
        )

    def clear(self):
        return self._guarded(lambda: super(ResilientRedisCache, self).clear(), False)


def is_reachable(cache: BaseCache = default_cache) -> bool:
    """False while `cache` is skipping a Redis that failed: what it counts
    (rate limits) is not being kept. Memory caches are always reachable."""
    breaker = getattr(cache, "breaker", None)
    return breaker is None or breaker.is_closed
