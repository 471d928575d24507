"""Query ceilings of the stations: the staff's list, the moderation queue, a station's page
(its volunteers, visit counts and reflections) and the public map. Each answers with the
same number of queries for 3 rows and for 9 (no N+1)."""

from datetime import timedelta
from itertools import count

import pytest
from django.urls import reverse
from django.utils import timezone

from genxi.core.testing.queries import Listing, listing_id
from genxi.stations import services
from genxi.stations.models import StationVisit

from .helpers import station


def _stations(world):
    seq = count(1)

    def rows(k):
        names = [f"驿站{next(seq)}" for _ in range(k)]
        for name in names:
            s = station(world, name=name, manager=world.users["community"])
            services.reflection_create(station=s, text="谢谢")
            services.exception_set(
                actor=world.users["community"],
                station=s,
                day=timezone.localdate() + timedelta(days=1),
                intervals=(),
            )
        return names

    return rows


def stations_page(world):
    return reverse("stations:stations"), _stations(world)


def public_map(world):
    return reverse("stations:map"), _stations(world)


def reflections_page(world):
    s = station(world)
    seq = count(1)

    def rows(k):
        texts = [f"留言{next(seq)}号" for _ in range(k)]
        for text in texts:
            services.reflection_create(station=s, text=text)
        return texts

    return reverse("stations:reflections"), rows


def station_page(world):
    """A station's page: more volunteers, visits of every kind, reflections of each state."""
    s = station(world)
    seq = count(1)

    def rows(k):
        names = []
        for _ in range(k):
            n = next(seq)
            pioneer = world.pioneer(world.grid_a1, f"P-Q{n}", f"先锋{n}")
            services.volunteer_add(actor=world.users["community"], station=s, pioneer=pioneer)
            names.append(f"先锋{n}")
            StationVisit.objects.bulk_create(
                StationVisit(station=s, kind=kind, at=timezone.now() - timedelta(hours=n))
                for kind in ("courier", "rider", "sanitation", "resident", "other")
            )
            pending = services.reflection_create(station=s, text=f"待审{n}")
            shown = services.reflection_create(station=s, text=f"已展示{n}")
            services.reflection_moderate(
                actor=world.users["community"], reflection=shown, approve=True
            )
            names += [f"待审{n}", f"已展示{n}"]
            assert pending
        return names

    return reverse("stations:station", args=[s.pk]), rows


def public_station(world):
    s = station(world)
    seq = count(1)

    def rows(k):
        texts = []
        for _ in range(k):
            text = f"公开留言{next(seq)}"
            r = services.reflection_create(station=s, text=text)
            services.reflection_moderate(actor=world.users["community"], reflection=r, approve=True)
            texts.append(text)
        return texts

    return reverse("stations:public", args=[s.pk]), rows


LISTINGS = [
    Listing("stations-page", "community", 13, stations_page),
    Listing("reflections-page", "community", 11, reflections_page),
    Listing("station-page-volunteers-visits-reflections", "community", 18, station_page),
    Listing("public-map", "community", 11, public_map),
    Listing("public-station-reflections", "community", 12, public_station),
]


@pytest.mark.parametrize("listing", LISTINGS, ids=listing_id)
def test_query_count_is_flat_and_bounded(client, world, listing):
    listing.check(client, world)
