"""The client's address through trusted proxies only, and limits counted atomically in the
cache. Their use at public intake and in audit events: cases/tests/test_public_limits.py."""

import threading

import pytest
from django.core.cache import cache
from django.test import RequestFactory, override_settings

from genxi.core import ratelimit

PROXY = "10.0.0.2"


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


def _ip(remote: str, forwarded: str | None = None) -> str | None:
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return ratelimit.client_ip(RequestFactory().get("/", **meta))


def test_client_ip_believes_only_trusted_proxies():
    with override_settings(GENXI_TRUSTED_PROXIES=[]):
        assert _ip("203.0.113.9", "198.51.100.1") == "203.0.113.9"
    with override_settings(GENXI_TRUSTED_PROXIES=["10.0.0.0/8", "::1"]):
        assert _ip(PROXY, "198.51.100.1") == "198.51.100.1"
        # The client sent its own X-Forwarded-For; nginx appended the real peer.
        assert _ip(PROXY, "6.6.6.6, 198.51.100.1") == "198.51.100.1"
        assert _ip(PROXY, "198.51.100.1, 10.0.0.7") == "198.51.100.1"  # two trusted hops
        assert _ip("203.0.113.9", "198.51.100.1") == "203.0.113.9"  # not from a proxy
        assert _ip(PROXY, "") == PROXY
        assert _ip(PROXY, "garbage, 198.51.100.1") == "198.51.100.1"
        assert _ip("::1", "2001:db8::5") == "2001:db8::5"
        assert _ip(PROXY, "not-an-address") == PROXY


def test_hits_are_counted_exactly_under_concurrency():
    threads, per_thread, limit = 8, 50, 100
    allowed = []
    lock = threading.Lock()
    start = threading.Barrier(threads)

    def work():
        start.wait()
        mine = [ratelimit.hit("test", "198.51.100.5", limit, 60) for _ in range(per_thread)]
        with lock:
            allowed.extend(mine)

    pool = [threading.Thread(target=work) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    assert ratelimit.count("test", "198.51.100.5") == threads * per_thread
    assert allowed.count(True) == limit


def test_a_window_ends():
    assert ratelimit.hit("test", "k", 1, 60) and not ratelimit.hit("test", "k", 1, 60)
    cache.delete("genxi:rl:test:k")  # as when the window's time is up
    assert ratelimit.hit("test", "k", 1, 60)
