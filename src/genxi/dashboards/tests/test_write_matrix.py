"""The write matrix of the dashboards: empty. A dashboard only reads (the roll-ups are
written by the request loop's services, in the cases app); a page that takes a POST or an
API operation that writes must be added here (see core/testing/write_matrix.py)."""

from genxi.core.testing.write_matrix import Write, assert_declared

WRITES: list[Write] = []


def test_every_write_is_declared():
    assert_declared("genxi.dashboards", WRITES)
