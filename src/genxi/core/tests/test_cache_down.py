"""The shared cache down (core/cache.py): caching degrades to misses, counting raises, the
rate limits refuse (fail closed), and the process stops asking Redis for a few seconds.
The cache here is a real `DegradedRedisCache` pointed at a port nobody listens on."""

import socket
from unittest import mock

import pytest
import redis
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCacheClient
from django.test import override_settings

from genxi.core import ratelimit
from genxi.core.cache import CacheUnavailable, DegradedRedisCache, unavailable


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def down():
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    config = {
        "default": {
            "BACKEND": "genxi.core.cache.DegradedRedisCache",
            "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "retry": Retry(NoBackoff(), 0)},
        }
    }
    with override_settings(CACHES=config):
        assert isinstance(caches["default"], DegradedRedisCache)
        yield cache


def test_caching_degrades_and_counting_raises(down):
    assert down.get("k", "fallback") == "fallback"
    assert down.get_many(["a", "b"]) == {}
    assert down.has_key("k") is False
    down.set("k", 1)
    down.delete("k")
    assert down.get_or_set("k", lambda: 42) == 42
    with pytest.raises(CacheUnavailable):
        down.add("k", 0)
    with pytest.raises(CacheUnavailable):
        down.incr("k")
    assert unavailable()


def test_rate_limits_fail_closed(down):
    assert ratelimit.hit("public-report", "198.51.100.1", 5, 600) is False
    assert ratelimit.count("public-report", "198.51.100.1") == 0


def test_the_breaker_spares_redis_then_tries_again(down):
    calls = []

    def refused(self, key, default):
        calls.append(key)
        raise redis.exceptions.ConnectionError("refused")

    with mock.patch.object(RedisCacheClient, "get", refused):
        assert down.get("a") is None
        assert down.get("b") is None  # within RETRY_SECONDS: Redis is not asked
        assert calls == [":1:a"]
    backend = caches["default"]
    backend._down_until = 0.000001  # the pause is over (and it had failed)
    with mock.patch.object(RedisCacheClient, "get", return_value=7):
        assert down.get("c") == 7
    assert not unavailable() and backend._down_until == 0.0
