"""The write matrix of orgs: empty. Partner units, pairings and party organisations are created and edited only
in the admin site, whose write matrix is the admin's own; no page or API operation of
this app writes. A new one must be added here (see core/testing/write_matrix.py)."""

from genxi.core.testing.write_matrix import Write, assert_declared

WRITES: list[Write] = []


def test_every_write_is_declared():
    assert_declared("genxi.orgs", WRITES)
