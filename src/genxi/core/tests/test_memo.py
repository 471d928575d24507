"""The per-process memo: time limits on an injected clock, versions, the size bound, the
registry the tests clear, and many threads asking at once."""

import itertools
import threading
import time
import uuid

import pytest

from genxi.core import memo as memo_module
from genxi.core.memo import Memo, clear_all, memos


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def make(seconds=5.0, **kwargs):
    clock = Clock()
    return Memo(f"test.{uuid.uuid4().hex}", seconds=seconds, clock=clock, **kwargs), clock


def counter():
    calls = itertools.count(1)
    return lambda: next(calls)


def test_a_value_is_kept_until_its_time_is_up():
    m, clock = make(seconds=5)
    build = counter()
    assert m.get_or_build(build) == 1
    clock.now += 4.9
    assert m.get_or_build(build) == 1
    clock.now += 0.1
    assert m.get_or_build(build) == 2
    assert m.get_or_build(build, key="other") == 3  # keys are kept apart
    assert m.get_or_build(build) == 2


def test_get_put_and_a_shorter_lifetime():
    m, clock = make(seconds=5)
    assert m.get("k") is None and m.get("k", "none") == "none"
    m.put("k", "v", seconds=1)  # e.g. a token that expires sooner than the memo's period
    assert m.get("k") == "v"
    clock.now += 1
    assert m.get("k") is None
    m.put("k", "v", seconds=60)  # never longer than the memo's own period
    clock.now += 5
    assert m.get("k") is None


def test_a_none_value_is_kept_too():
    m, _clock = make()
    build = counter()
    calls = []
    assert m.get_or_build(lambda: calls.append(build()) or None) is None
    assert m.get_or_build(lambda: calls.append(build()) or None) is None
    assert calls == [1]


def test_a_version_keeps_the_value_while_the_data_do_not_change():
    m, clock = make(seconds=5)
    version = {"v": 1}
    asked = []

    def version_of():
        asked.append(clock.now)
        return version["v"]

    build = counter()
    assert m.get_or_build(build, key="model", version_of=version_of) == 1
    clock.now += 1
    assert m.get_or_build(build, key="model", version_of=version_of) == 1
    assert len(asked) == 1  # within the period nothing is asked
    clock.now += 5
    assert m.get_or_build(build, key="model", version_of=version_of) == 1  # same version
    assert len(asked) == 2
    clock.now += 1
    assert m.get_or_build(build, key="model", version_of=version_of) == 1
    assert len(asked) == 2  # the check renewed the period
    version["v"] = 2
    clock.now += 5
    assert m.get_or_build(build, key="model", version_of=version_of) == 2  # rebuilt


def test_forget_forget_where_and_clear():
    m, _clock = make()
    for k in range(4):
        m.put(k, k * 10)
    m.forget(0)
    m.forget("absent")
    assert m.get(0) is None and m.get(1) == 10
    m.forget_where(lambda key, value: value >= 20)
    assert len(m) == 1 and m.get(1) == 10
    m.clear()
    assert len(m) == 0


def test_the_size_bound_drops_the_expired_then_the_oldest():
    m, clock = make(seconds=5, max_size=3)
    m.put("a", 1, seconds=1)
    m.put("b", 2)
    m.put("c", 3)
    clock.now += 2  # "a" has expired
    m.put("d", 4)
    assert len(m) == 3 and m.get("a") is None and m.get("b") == 2
    m.put("e", 5)  # none expired: the oldest ("b") goes
    assert len(m) == 3 and m.get("b") is None
    assert [m.get(k) for k in "cde"] == [3, 4, 5]
    m.put("c", 30)  # putting a key again makes it the youngest
    m.put("f", 6)
    assert m.get("d") is None and m.get("c") == 30


def test_clear_all_empties_every_registered_memo():
    first, _ = make()
    second, _ = make()
    first.put("k", 1)
    second.put("k", 2)
    assert first in memos() and second in memos()
    clear_all()
    assert len(first) == 0 and len(second) == 0


def test_the_house_memos_are_registered():
    # Importing the modules that hold them registers them.
    from genxi.cases import notify, routing, services  # noqa: F401
    from genxi.core import services as core_services  # noqa: F401
    from genxi.regions import selectors  # noqa: F401

    names = {m.name for m in memos()}
    assert {
        "core.api_tokens",
        "cases.calendar",
        "cases.staff",
        "cases.routing",
        "regions.locator",
    } <= names


def test_a_name_is_used_once():
    m, _ = make()
    with pytest.raises(ValueError, match="exists already"):
        Memo(m.name, seconds=1)


def test_a_memo_no_longer_used_leaves_the_registry():
    name = f"test.{uuid.uuid4().hex}"
    Memo(name, seconds=1)
    assert name not in memo_module._registry
    Memo(name, seconds=1)  # the name is free again


def test_many_threads_build_once_per_key_and_see_one_value():
    m = Memo(f"test.{uuid.uuid4().hex}", seconds=60)
    builds = []
    lock = threading.Lock()

    def build_for(key):
        def build():
            with lock:
                builds.append(key)
            time.sleep(0.01)  # a slow build: the others wait for it rather than build too
            return object()

        return build

    seen: dict[int, set] = {k: set() for k in range(4)}
    start = threading.Barrier(16)

    def worker(n):
        start.wait()
        for i in range(200):
            key = (n + i) % 4
            value = m.get_or_build(build_for(key), key=key)
            with lock:
                seen[key].add(id(value))
            if i % 50 == 0:
                m.put(("extra", n, i), i)
                extra = ("extra", n, i)
                m.forget_where(lambda k, v, extra=extra: k == extra)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(builds) == [0, 1, 2, 3]
    assert all(len(ids) == 1 for ids in seen.values())
    assert len(m) == 4
