"""Query ceilings of the weekend community: the calendar (a month of events), an event's
page (registrations, roster, materials), the public calendar, the API list and the list of
events waiting for a summary. Each answers with the same number of queries for 3 rows and
for 9 (no N+1)."""

from datetime import timedelta
from itertools import count

import pytest
from django.urls import reverse
from django.utils import timezone

from genxi.core.testing.queries import Listing, listing_id
from genxi.events import services

from .helpers import event


def _day_events(world, *, past=False):
    seq = count(1)
    day = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)

    def rows(k):
        titles = []
        for _ in range(k):
            n = next(seq)
            starts = (
                day
                + timedelta(hours=1 + n % 20, minutes=n)
                - (timedelta(days=1) if past else timedelta())
            )
            title = f"活动{n}号"
            ev = event(world, title=title, starts_at=starts, ends_at=starts + timedelta(minutes=30))
            titles.append(title)
            assert ev
        return titles

    return rows


def calendar(world):
    week = timezone.localdate().isoformat()
    url = f"{reverse('events:calendar')}?community={world.a1.code}&week={week}"
    return url, _day_events(world)


def public_calendar(world):
    return reverse("events:public_calendar", args=[world.a1.code]), _day_events(world)


def api_list(world):
    return "/api/v1/events", _day_events(world)


def summaries(world):
    return reverse("events:summaries"), _day_events(world, past=True)


def event_page(world):
    ev = event(world, capacity=100)
    seq = count(1)

    def rows(k):
        names = []
        for _ in range(k):
            n = next(seq)
            pioneer = world.pioneer(world.grid_a1, f"P-Q{n}", f"先锋{n}")
            services.roster_join(
                actor=world.users["community"], event=ev, role="guide", pioneer=pioneer
            )
            services.register(actor=None, event=ev, name=f"居民{n}", phone=f"1390000{n:04d}")
            services.material_set(
                actor=world.users["community"], event=ev, name=f"物资{n}", quantity=n
            )
            names += [f"先锋{n}", f"物资{n}"]
        return names

    return reverse("events:event", args=[ev.pk]), rows


LISTINGS = [
    Listing("calendar-week", "community", 12, calendar),
    Listing("public-calendar", "community", 12, public_calendar),
    Listing("api-events", "community", 10, api_list),
    Listing("summaries", "community", 10, summaries),
    Listing("event-page-registrations-roster-materials", "community", 16, event_page),
]


@pytest.mark.parametrize("listing", LISTINGS, ids=listing_id)
def test_query_count_is_flat_and_bounded(client, world, listing):
    listing.check(client, world)
