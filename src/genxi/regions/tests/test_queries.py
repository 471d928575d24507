"""Query ceilings of the tree of places: the tree, a region's page with its children and
panels, the map, its GeoJSON and the grids API. Each answers with the same number of
queries for 3 rows and for 9 (no N+1)."""

from itertools import count

import pytest
from django.urls import reverse

from genxi.core.testing.queries import Listing, listing_id, more_grids
from genxi.core.testing.world import make_region
from genxi.regions.models import Level


def _communities(world):
    """Adds communities (each with a grid) to street A."""
    seq = count(100)

    def rows(k):
        labels = []
        for _ in range(k):
            n = next(seq)
            community = make_region(
                Level.COMMUNITY, f"320508012{n:03d}", f"新社区{n}", world.street_a
            )
            make_region(Level.GRID, f"{community.code}001", f"新社区{n}第1网格", community)
            labels.append(f"新社区{n}")
        return labels

    return rows


def tree(world):
    return reverse("regions:tree"), _communities(world)


def street_page(world):
    return reverse("regions:detail", args=[world.street_a.pk]), _communities(world)


def grid_page(world):
    """A grid's page with the people app's panel: its pioneers."""
    seq = count(1)

    def rows(k):
        names = [f"先锋{next(seq)}" for _ in range(k)]
        for name in names:
            world.pioneer(world.grid_a1, f"P-{name}", name)
        return names

    return reverse("regions:detail", args=[world.grid_a1.pk]), rows


def grid_map(world):
    return reverse("regions:map"), _communities(world)


def geojson(world):
    return reverse("regions:geojson") + f"?community={world.a1.code}", more_grids(world.a1)


def grids_api(world):
    return "/api/v1/grids", more_grids(world.a1)


LISTINGS = [
    Listing("tree-page", "street", 9, tree),
    Listing("street-page", "street", 10, street_page),
    Listing("grid-page-pioneers", "community", 11, grid_page),
    Listing("map-page", "street", 9, grid_map),
    Listing("grids-geojson", "street", 10, geojson),
    Listing("grids-api", "street", 10, grids_api),
]


@pytest.mark.parametrize("listing", LISTINGS, ids=listing_id)
def test_query_count_is_flat_and_bounded(client, world, listing):
    listing.check(client, world)
