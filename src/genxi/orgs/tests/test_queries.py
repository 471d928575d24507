"""Query ceilings of organisations: the units list and API, a unit's page with its pairings,
the party tree. Each answers with the same number of queries for 3 rows and for 9."""

from itertools import count

import pytest
from django.urls import reverse

from genxi.core.testing.queries import Listing, listing_id
from genxi.core.testing.world import make_region
from genxi.orgs.models import Pairing, PartyLevel, PartyOrg
from genxi.regions.models import Level


def _units(world):
    """Units of street A, each paired with community A1."""
    seq = count(1)

    def rows(k):
        names = []
        for _ in range(k):
            n = next(seq)
            world.unit(world.street_a, f"U-Q-{n}", f"共建单位{n}", pair_with=[world.a1])
            names.append(f"共建单位{n}")
        return names

    return rows


def units_page(world):
    return reverse("orgs:units"), _units(world)


def units_api(world):
    return "/api/v1/units", _units(world)


def unit_page(world):
    """A unit's page lists its pairings, each with the community and its street."""
    unit = world.objs["unit_a"]
    seq = count(100)

    def rows(k):
        names = []
        for _ in range(k):
            n = next(seq)
            community = make_region(
                Level.COMMUNITY, f"320508012{n:03d}", f"结对社区{n}", world.street_a
            )
            Pairing.objects.create(unit=unit, community=community)
            names.append(f"结对社区{n}")
        return names

    return reverse("orgs:unit", args=[unit.pk]), rows


def party_page(world):
    """The party tree: committees under the street's, each with its member count."""
    root = PartyOrg.objects.get(name="金阊大工委")
    seq = count(1)

    def rows(k):
        names = []
        for _ in range(k):
            n = next(seq)
            org = PartyOrg.objects.create(
                level=PartyLevel.COMMUNITY_COMMITTEE,
                name=f"社区大党委{n}",
                parent=root,
                region=world.a1,
            )
            org.member_units.add(world.objs["unit_a"])
            names.append(f"社区大党委{n}")
        return names

    return reverse("orgs:party"), rows


LISTINGS = [
    Listing("units-page", "street", 11, units_page),  # +1: the saved-filters panel
    Listing("units-api", "street", 10, units_api),
    Listing("unit-page-pairings", "street", 10, unit_page),
    Listing("party-page", "street", 9, party_page),
]


@pytest.mark.parametrize("listing", LISTINGS, ids=listing_id)
def test_query_count_is_flat_and_bounded(client, world, listing):
    listing.check(client, world)
