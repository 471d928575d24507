"""Query ceilings of volunteer hours: the staff's list of records, a pioneer's record page
and the leaderboard answer with the same number of queries for 3 rows and for 9."""

from datetime import timedelta
from decimal import Decimal
from itertools import count

import pytest
from django.urls import reverse
from django.utils import timezone

from genxi.core.testing.queries import Listing, listing_id
from genxi.volunteering import services


def _records(world, *, one_pioneer=None):
    seq = count(1)

    def rows(k):
        titles = []
        for _ in range(k):
            n = next(seq)
            pioneer = one_pioneer or world.pioneer(world.grid_a1, f"P-Q{n}", f"先锋{n}")
            services.hours_add(
                actor=world.users["community"],
                pioneer=pioneer,
                title=f"服务{n}号",
                served_on=timezone.localdate() - timedelta(days=n % 20),
                hours=Decimal(2),
            )
            titles.append(f"服务{n}号")
        return titles

    return rows


def records(world):
    return f"{reverse('volunteering:home')}?status=all", _records(world)


def pioneer_page(world):
    pioneer = world.pioneer(world.grid_a1, "P-QP", "记录先锋")
    return reverse("volunteering:pioneer", args=[pioneer.pk]), _records(world, one_pioneer=pioneer)


def board(world):
    seq = count(1)

    def rows(k):
        names = []
        for _ in range(k):
            n = next(seq)
            pioneer = world.pioneer(world.grid_a1, f"P-B{n}", f"榜上先锋{n}")
            services.hours_add(
                actor=world.users["community"],
                pioneer=pioneer,
                title="服务",
                served_on=timezone.localdate(),
                hours=Decimal(n),
            )
            names.append(f"榜上先锋{n}")
        return names

    return reverse("volunteering:board"), rows


LISTINGS = [
    Listing("hours-records", "community", 12, records),
    Listing("hours-pioneer-page", "community", 12, pioneer_page),
    Listing("hours-board", "community", 12, board),
]


@pytest.mark.parametrize("listing", LISTINGS, ids=listing_id)
def test_query_count_is_flat_and_bounded(client, world, listing):
    listing.check(client, world)
