"""The write matrix of the public transparency pages: empty. They only read (the roll-ups
and the solved cases); a page that takes a POST or an API operation that writes must be
added here (see core/testing/write_matrix.py)."""

from genxi.core.testing.write_matrix import Write, assert_declared

WRITES: list[Write] = []


def test_every_write_is_declared():
    assert_declared("genxi.transparency", WRITES)
