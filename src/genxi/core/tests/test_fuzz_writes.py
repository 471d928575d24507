"""Hostile fields on every write of the fuzzed apps (core/testing/fuzz.py; the apps and when
it runs: fuzz_apps.py), on the write matrix's world without the pages' seeds."""

from genxi.core.testing.fuzz import write_fuzz
from genxi.core.testing.page_matrix import write_world  # noqa: F401  (the fixture)

from .fuzz_apps import APPS, ON_SQLITE_UNLESS_ASKED

pytestmark = ON_SQLITE_UNLESS_ASKED

test_hostile_write = write_fuzz(APPS)
