"""Query ceilings of the campaigns: the list, and a campaign's page and export with their
communities (each with its outputs and materials) and linked events. Each answers with
the same number of queries for 3 rows and for 9 (no N+1)."""

from datetime import timedelta
from itertools import count

import pytest
from django.urls import reverse
from django.utils import timezone

from genxi.campaigns import services
from genxi.campaigns.models import Campaign
from genxi.core.testing.queries import Listing, listing_id
from genxi.core.testing.world import make_region
from genxi.events.tests.helpers import event
from genxi.regions.models import Level

from .helpers import campaign


def campaign_list(world):
    seq = count(1)

    def rows(k):
        titles = []
        for _ in range(k):
            title = f"宣传{next(seq)}号"
            campaign(world, title=title, topic="legal")
            titles.append(title)
        return titles

    return reverse("campaigns:campaigns"), rows


def _growing(world):
    """A running campaign; each call adds communities with their outputs and an event."""
    made = campaign(world, communities=[world.a1], start=True)
    today = timezone.localdate()
    Campaign.objects.filter(pk=made.pk).update(
        starts_on=today - timedelta(days=5), ends_on=today + timedelta(days=30)
    )
    made.refresh_from_db()
    seq = count(1)
    street = world.users["street"]

    def rows(k):
        names = []
        for _ in range(k):
            n = next(seq)
            place = make_region(
                Level.COMMUNITY,
                f"{world.street_a.code[:9]}{500 + n:03d}",
                f"新社区{n}",
                world.street_a,
            )
            services.campaign_update(
                actor=street,
                campaign=made,
                topic=made.topic,
                title=made.title,
                starts_on=made.starts_on,
                ends_on=made.ends_on,
                channels=made.channels,
                communities=[p.community for p in made.parts.select_related("community")] + [place],
            )
            services.part_record(
                actor=street,
                part=made.parts.get(community=place),
                consultations=n,
                reached={"onsite": n},
                handouts=[(f"物资{n}", "份", n)],
            )
            ev = event(world, community=place, title=f"活动{n}号")
            services.event_link(actor=street, campaign=made, event=ev)
            names += [f"新社区{n}", f"物资{n}", f"活动{n}号"]
        return names

    return made, rows


def campaign_page(world):
    made, rows = _growing(world)
    return reverse("campaigns:campaign", args=[made.pk]), rows


LISTINGS = [
    Listing("campaigns-list", "street", 13, campaign_list),
    Listing("campaign-page-communities-events", "street", 16, campaign_page),
]


@pytest.mark.parametrize("listing", LISTINGS, ids=listing_id)
def test_query_count_is_flat_and_bounded(client, world, listing):
    listing.check(client, world)
