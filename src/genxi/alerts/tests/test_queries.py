"""Query ceilings of the early warnings: the list (with its map points), a warning's page
(its cases), and the focus problems' list. Each answers with the same number of queries for
3 rows and for 9 (no N+1)."""

from datetime import date
from itertools import count

import pytest
from django.urls import reverse

from genxi.alerts.models import FocusProblem
from genxi.core.testing.queries import Listing, listing_id

from .helpers import backdated, category, warning


def warnings_page(world):
    seq = count(1)

    def rows(k):
        tags = [f"甲{next(seq)}号" for _ in range(k)]
        for tag in tags:
            warning(staff=world.users["community"], community=world.a1, grid=world.grid_a1, tag=tag)
        return tags

    return reverse("alerts:warnings"), rows


def warning_page(world):
    w = warning(staff=world.users["community"], community=world.a1, grid=world.grid_a1, tag="甲")
    seq = count(1)

    def rows(k):
        titles = [f"路灯不亮{next(seq)}号" for _ in range(k)]
        for title in titles:
            w.cases.add(*backdated(world.grid_a1, category(), [date(2026, 11, 1)], title=title))
        return titles

    return reverse("alerts:warning", args=[w.pk]), rows


def focus_page(world):
    months = count(1)

    def rows(k):
        labels = []
        for _ in range(k):
            f = FocusProblem.objects.create(
                street=world.street_a,
                month=date(2030, next(months), 1),
                category=category(),
                count=3,
            )
            labels.append(f.month_label)
        return labels

    return reverse("alerts:focus_list"), rows


LISTINGS = [
    Listing("warnings-page-with-map", "community", 12, warnings_page),
    Listing("warning-page-cases", "community", 16, warning_page),
    Listing("focus-page", "street", 11, focus_page),
]


@pytest.mark.parametrize("listing", LISTINGS, ids=listing_id)
def test_query_count_is_flat_and_bounded(client, world, listing):
    listing.check(client, world)
