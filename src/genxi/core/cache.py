"""Redis as the shared cache, and what genxi does while Redis cannot be reached (docs/drills.md).

Django's `RedisCache` raises the client's `ConnectionError` on every call while Redis is
down, so each page that touches the cache answered 500. `DegradedRedisCache` sorts the
calls into two kinds:

- caching (`get`, `get_many`, `has_key`, `set`, `set_many`, `touch`, `delete`,
  `delete_many`, `clear`, `get_or_set`): a read is a miss, a write is dropped. The page is
  built from the database, a little slower, and nobody sees an error;
- counting (`add`, `incr`, `decr`): the caller decides something on the answer (a rate
  limit, a lock), so it raises `CacheUnavailable` and the caller chooses; `ratelimit.hit`
  refuses (fails closed, decision 0009).

After a failure the process does not try Redis again for `RETRY_SECONDS`: during an outage
each request costs nothing more than the first one's timeout (`OPTIONS`
`socket_connect_timeout` / `socket_timeout` in settings). The first failure and the
recovery are logged once each (logger `genxi.cache`).
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.core.cache import cache
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger("genxi.cache")

# What "Redis cannot be reached" raises (BusyLoadingError, Redis still loading its data after
# a restart, is a ConnectionError too).
UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


class CacheUnavailable(Exception):
    """The shared cache cannot be reached: a count or an `add` cannot be made."""


class DegradedRedisCache(RedisCache):
    RETRY_SECONDS = 5.0

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._down_until = 0.0
        self._lock = threading.Lock()

    # The breaker: one per process (per backend object: Django makes one per thread).
    def is_down(self) -> bool:
        return time.monotonic() < self._down_until

    def _failed(self, exc: BaseException) -> None:
        with self._lock:
            was_up = self._down_until == 0.0
            self._down_until = time.monotonic() + self.RETRY_SECONDS
        if was_up:
            log.warning("cache unavailable, pages run without it: %s", exc)

    def _worked(self) -> None:
        if self._down_until:
            with self._lock:
                self._down_until = 0.0
            log.warning("cache available again")

    def _call(self, strict: bool, fallback: Any, name: str, *args: Any, **kwargs: Any) -> Any:
        if self.is_down():
            if strict:
                raise CacheUnavailable(name)
            return fallback
        try:
            result = getattr(super(), name)(*args, **kwargs)
        except UNREACHABLE as exc:
            self._failed(exc)
            if strict:
                raise CacheUnavailable(name) from exc
            return fallback
        self._worked()
        return result

    # Caching: a miss, or dropped.
    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        return self._call(False, default, "get", key, default, version)

    def get_many(self, keys: Any, version: Any = None) -> dict[Any, Any]:
        return self._call(False, {}, "get_many", keys, version)

    def has_key(self, key: Any, version: Any = None) -> bool:
        return self._call(False, False, "has_key", key, version)

    def set(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None):
        return self._call(False, None, "set", key, value, timeout, version)

    def set_many(self, data: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> list:
        return self._call(False, list(data), "set_many", data, timeout, version)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> bool:
        return self._call(False, False, "touch", key, timeout, version)

    def delete(self, key: Any, version: Any = None) -> bool:
        return self._call(False, False, "delete", key, version)

    def delete_many(self, keys: Any, version: Any = None) -> None:
        return self._call(False, None, "delete_many", keys, version)

    def clear(self) -> None:
        return self._call(False, None, "clear")

    def get_or_set(
        self, key: Any, default: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> Any:
        try:
            return super().get_or_set(key, default, timeout, version)
        except CacheUnavailable:
            return default() if callable(default) else default

    # Counting: the caller decides.
    def add(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None):
        return self._call(True, None, "add", key, value, timeout, version)

    def incr(self, key: Any, delta: int = 1, version: Any = None) -> int:
        return self._call(True, None, "incr", key, delta, version)


def unavailable() -> bool:
    """Whether this process has found the shared cache unreachable in the last seconds."""
    is_down = getattr(cache, "is_down", None)
    return bool(is_down and is_down())
