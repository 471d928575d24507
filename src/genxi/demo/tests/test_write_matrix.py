"""The write matrix of demo: empty. The demo data is written by the `load_demo` command
only; the app has no page or API operation. A new one must be added here (see
core/testing/write_matrix.py)."""

from genxi.core.testing.write_matrix import Write, assert_declared

WRITES: list[Write] = []


def test_every_write_is_declared():
    assert_declared("genxi.demo", WRITES)
