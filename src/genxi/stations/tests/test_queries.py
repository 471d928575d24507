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
from genxi.stations.domain.hours import parse_day
from genxi.stations.models import BookLoan, StationVisit

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


def _supplied(world):
    """A station with a daily roster of three shifts and three volunteers."""
    s = station(world, manager=world.users["community"])
    services.duty_pattern_set(
        actor=world.users["community"],
        station=s,
        weekly={d: parse_day("08:00-12:00, 12:00-16:00, 16:00-20:00") for d in range(7)},
    )
    s.refresh_from_db()
    return s


def roster_page(world):
    """The roster: shifts taken by more volunteers, one with a swap asked."""
    s = _supplied(world)
    seq = count(1)

    def rows(k):
        names = []
        for _ in range(k):
            n = next(seq)
            pioneer = world.pioneer(world.grid_a1, f"P-R{n}", f"值班{n}")
            services.volunteer_add(actor=world.users["community"], station=s, pioneer=pioneer)
            services.shift_take(
                actor=world.users["community"],
                station=s,
                day=timezone.localdate() + timedelta(days=1 + n // 3),
                start=480 + 240 * (n % 3),
                pioneer=pioneer,
            )
            names.append(f"值班{n}")
        return names

    return reverse("stations:roster", args=[s.pk]), rows


def medicine_page(world):
    s = _supplied(world)
    seq = count(1)

    def rows(k):
        names = []
        for _ in range(k):
            n = next(seq)
            item = services.medicine_add(
                actor=world.users["community"],
                station=s,
                name=f"药品{n}",
                unit="盒",
                expiry=timezone.localdate() + timedelta(days=5 * n),
                quantity=3,
                minimum=5,
            )
            services.medicine_issue(actor=world.users["community"], item=item, quantity=1)
            names.append(f"药品{n}")
        return names

    return reverse("stations:medicine", args=[s.pk]), rows


def _lent_books(world, s, prefix):
    seq = count(1)

    def rows(k):
        names = []
        for _ in range(k):
            n = next(seq)
            book = services.book_add(
                actor=world.users["community"], station=s, title=f"{prefix}{n}", copies=2
            )
            loan = services.book_lend(
                actor=world.users["community"],
                copy=book.copies.first(),
                borrower=f"读者{n}",
                contact="13912345678",
            )
            BookLoan.objects.filter(pk=loan.pk).update(due=timezone.localdate() - timedelta(n))
            names.append(f"{prefix}{n}")
        return names

    return rows


def books_page(world):
    s = _supplied(world)
    return reverse("stations:books", args=[s.pk]), _lent_books(world, s, "图书")


def overdue_list(world):
    s = _supplied(world)
    return reverse("stations:overdue"), _lent_books(world, s, "逾期")


def expiring_list(world):
    seq = count(1)

    def rows(k):
        names = []
        for _ in range(k):
            n = next(seq)
            s = station(world, name=f"驿站{n}", manager=world.users["community"])
            services.medicine_add(
                actor=world.users["community"],
                station=s,
                name=f"临期{n}",
                unit="盒",
                expiry=timezone.localdate() + timedelta(days=n),
                quantity=3,
            )
            names.append(f"临期{n}")
        return names

    return reverse("stations:expiring"), rows


def unstaffed_list(world):
    seq = count(1)

    def rows(k):
        names = []
        for _ in range(k):
            s = station(world, name=f"缺人驿站{next(seq)}", manager=world.users["community"])
            services.duty_pattern_set(
                actor=world.users["community"],
                station=s,
                weekly={d: parse_day("00:00-24:00") for d in range(7)},
            )
            names.append(s.name)
        return names

    return reverse("stations:unstaffed"), rows


LISTINGS = [
    Listing("roster-page", "community", 17, roster_page),
    Listing("medicine-page", "community", 14, medicine_page),
    Listing("books-page", "community", 16, books_page),
    Listing("overdue-list", "community", 10, overdue_list),
    Listing("expiring-list", "community", 11, expiring_list),
    Listing("unstaffed-list", "community", 12, unstaffed_list),
    Listing("stations-page", "community", 13, stations_page),
    Listing("reflections-page", "community", 11, reflections_page),
    Listing("station-page-volunteers-visits-reflections", "community", 18, station_page),
    Listing("public-map", "community", 11, public_map),
    Listing("public-station-reflections", "community", 12, public_station),
]


@pytest.mark.parametrize("listing", LISTINGS, ids=listing_id)
def test_query_count_is_flat_and_bounded(client, world, listing):
    listing.check(client, world)
