"""Query ceilings of inspections: the lists of rounds, targets and notices, a round's page
(its inspections, pass rates and team) and a target's history. Each answers with the same
number of queries for 3 rows and for 9 (no N+1)."""

from itertools import count

import pytest
from django.urls import reverse

from genxi.core.testing.queries import Listing, listing_id
from genxi.inspections import services

from .helpers import answer_all, round_, signature, target

SEQ = count(1)


def _notice_for(world, t):
    r = round_(world, [t], code="shop-fire-safety", title=f"检查{next(SEQ)}")
    inspection = r.inspections.get()
    answer_all(inspection, world.users["community"], fail={5})
    services.inspection_finish(
        actor=world.users["community"],
        inspection=inspection,
        ack_name="店主",
        signature=signature(),
    )
    return inspection.notices.get()


def rounds_page(world):
    def rows(k):
        titles = [f"第{next(SEQ)}轮检查" for _ in range(k)]
        for title in titles:
            round_(
                world,
                [target(world, f"{title}对象", kind="shop")],
                code="shop-fire-safety",
                title=title,
            )
        return titles

    return reverse("inspections:rounds"), rows


def targets_page(world):
    def rows(k):
        names = [f"商铺{next(SEQ)}号" for _ in range(k)]
        for name in names:
            target(world, name, kind="shop")
        return names

    return reverse("inspections:targets"), rows


def notices_page(world):
    def rows(k):
        return [
            _notice_for(world, target(world, f"店{next(SEQ)}", kind="shop")).number
            for _ in range(k)
        ]

    return reverse("inspections:notices"), rows


def target_page(world):
    t = target(world, "常查商铺", kind="shop")

    def rows(k):
        return [_notice_for(world, t).number for _ in range(k)]

    return reverse("inspections:target", args=[t.pk]), rows


LISTINGS = [
    Listing("rounds-page", "street", 12, rounds_page),
    Listing("targets-page", "street", 12, targets_page),
    Listing("notices-page", "street", 11, notices_page),
    Listing("target-page-history", "street", 12, target_page),
]


@pytest.mark.parametrize("listing", LISTINGS, ids=listing_id)
def test_query_count_is_flat_and_bounded(client, world, listing):
    listing.check(client, world)
