"""Per-process, time-limited memos: the one way a worker keeps a value it read or built.

A `Memo` keeps values by key for `seconds`. With `version_of`, an entry past its time is
not thrown away: the version (one cheap query) is asked, and the value is kept for another
`seconds` if its data did not change, rebuilt if it did. `max_size` bounds the entries
(the oldest go first). Every memo is registered by name, so the tests clear them all with
`clear_all()` (decision 0019).

    CALENDAR = Memo("cases.calendar", seconds=60)
    calendar = CALENDAR.get_or_build(read_calendar)

A memo is per process: a change made by another worker is seen once the entry's time is up.
Code that changes what a memo holds drops it at once in its own process (`forget`,
`forget_where`, `clear`). `build` and `version_of` run outside the memo's lock, one thread
per key at a time; they must not use the same memo.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

_MISSING: Any = object()
# By name; a memo made for a moment (a test's) leaves when it is no longer used.
_registry: weakref.WeakValueDictionary[str, Memo] = weakref.WeakValueDictionary()
_registry_lock = threading.Lock()


@dataclass
class _Entry:
    value: Any
    expires: float
    version: Any = _MISSING


class Memo:
    def __init__(
        self,
        name: str,
        *,
        seconds: float,
        max_size: int | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.name, self.seconds, self.max_size, self.clock = name, seconds, max_size, clock
        # Oldest first: an OrderedDict drops its first entry in constant time (a dict does not).
        self._entries: OrderedDict[Hashable, _Entry] = OrderedDict()
        self._lock = threading.Lock()
        self._building: dict[Hashable, threading.Lock] = {}
        with _registry_lock:
            if name in _registry:
                raise ValueError(f"a memo named {name!r} exists already")
            _registry[name] = self

    def __repr__(self) -> str:
        return f"<Memo {self.name}: {len(self)} entries>"

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: Hashable = None, default: Any = None) -> Any:
        """The value kept for `key` if its time is not up, else `default`."""
        entry = self._entries.get(key)  # one dict read: no lock needed, none taken
        if entry is not None and entry.expires > self.clock():
            return entry.value
        return default

    def put(
        self, key: Hashable, value: Any, *, seconds: float | None = None, version: Any = _MISSING
    ) -> None:
        """Keep `value` for `seconds` (the memo's own unless shorter is asked)."""
        lifetime = self.seconds if seconds is None else min(seconds, self.seconds)
        with self._lock:
            now = self.clock()
            self._entries.pop(key, None)  # a new entry is the youngest
            if self.max_size is not None and len(self._entries) >= self.max_size:
                # The expired at the front, then as many more as the bound needs; no scan, so
                # a put stays cheap when the memo is full.
                while self._entries:
                    oldest = next(iter(self._entries.values()))
                    if oldest.expires > now and len(self._entries) < self.max_size:
                        break
                    self._entries.popitem(last=False)
            self._entries[key] = _Entry(value, now + lifetime, version)

    def get_or_build(
        self,
        build: Callable[[], Any],
        *,
        key: Hashable = None,
        version_of: Callable[[], Any] | None = None,
    ) -> Any:
        """The kept value, else `build()`'s (kept). With `version_of`, an entry past its
        time is kept for another period if `version_of()` still answers its version."""
        value = self.get(key, _MISSING)
        if value is not _MISSING:
            return value
        with self._lock:
            building = self._building.setdefault(key, threading.Lock())
        with building:
            value = self.get(key, _MISSING)  # another thread may have built it meanwhile
            if value is not _MISSING:
                return value
            version = _MISSING
            if version_of is not None:
                version = version_of()
                with self._lock:
                    entry = self._entries.get(key)
                    if entry is not None and entry.version == version:
                        entry.expires = self.clock() + self.seconds
                        return entry.value
            value = build()
            self.put(key, value, version=version)
            return value

    def forget(self, key: Hashable = None) -> None:
        with self._lock:
            self._entries.pop(key, None)

    def forget_where(self, drop: Callable[[Hashable, Any], bool]) -> None:
        """Drop every entry for which `drop(key, value)` is true."""
        with self._lock:
            for key in [k for k, e in self._entries.items() if drop(k, e.value)]:
                del self._entries[key]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._building.clear()


def memos() -> list[Memo]:
    with _registry_lock:
        return list(_registry.values())


def clear_all() -> None:
    """Empty every memo of the process (the tests do, before each test)."""
    for memo in memos():
        memo.clear()
