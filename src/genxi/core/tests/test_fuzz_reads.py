"""Hostile query parameters on every page, export and API read of the fuzzed apps
(core/testing/fuzz.py; the apps and when it runs: fuzz_apps.py). Its own module, so its own
world: the pages' seeds would collide with the writes' own objects (core/tests/test_fuzz_writes.py)."""

from genxi.core.testing.fuzz import read_fuzz
from genxi.core.testing.page_matrix import (
    page_world,  # noqa: F401  (the fixture)
    write_world,  # noqa: F401  (the fixture page_world builds on)
)

from .fuzz_apps import APPS, ON_SQLITE_UNLESS_ASKED

pytestmark = ON_SQLITE_UNLESS_ASKED

test_hostile_query = read_fuzz(APPS)
