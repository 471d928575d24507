import pytest

from .test_queries import LISTINGS


@pytest.mark.parametrize("listing", LISTINGS, ids=lambda l: l.name)
def test_measure(client, world, listing):
    print("MEASURED", listing.name, listing.check(client, world))
