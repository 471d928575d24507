"""The write matrix of the demo: empty. The demo data is loaded by `genxi load_demo`, a
command, through the other apps' services; the demo has no page or API operation. A new
one must be added here (see core/testing/write_matrix.py)."""

from genxi.core.testing.write_matrix import Write, assert_declared

WRITES: list[Write] = []


def test_every_write_is_declared():
    assert_declared("genxi.demo", WRITES)
