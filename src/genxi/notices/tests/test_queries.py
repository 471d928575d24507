"""Query ceilings of notices: the list (with its roll-up), a notice's page (its prints), the
public screen board. Each answers with the same number of queries for 3 rows and for 9."""

from itertools import count

import pytest
from django.urls import reverse

from genxi.core.testing.queries import Listing, listing_id
from genxi.notices import services

from .helpers import buildings, draft, publish


def _notices(world):
    seq = count(1)

    def rows(k):
        titles = []
        for _ in range(k):
            title = f"公告{next(seq)}号"
            publish(world, draft(world, title=title))
            titles.append(title)
        return titles

    return rows


def notice_list(world):
    return reverse("notices:notices"), _notices(world)


def screen(world):
    return reverse("notices:screen", args=[world.a1.code]), _notices(world)


def notice_page(world):
    notice = publish(world, draft(world))
    b1, b2 = buildings(world)
    seq = count(1)

    def rows(k):
        for _ in range(k):
            next(seq)
            services.poster_print(actor=world.users["community"], notice=notice, buildings=[b1, b2])
        return [f"{b1.estate.name}{b1.number}幢"]

    return reverse("notices:notice", args=[notice.pk]), rows


LISTINGS = [
    Listing("notices", "community", 16, notice_list),
    Listing("notice-screen", "community", 11, screen),
    Listing("notice-page-prints", "community", 17, notice_page),
]


@pytest.mark.parametrize("listing", LISTINGS, ids=listing_id)
def test_query_count_is_flat_and_bounded(client, world, listing):
    listing.check(client, world)
