"""Query ceilings of people: the pioneers and residents directories (page, htmx rows, API, Excel),
a pioneer's and a resident's page, the imports page and an import's errors. Each answers
with the same number of queries for 3 rows and for 9 (no N+1)."""

from itertools import count

import pytest
from django.urls import reverse

from genxi.core.testing.queries import Listing, listing_id
from genxi.people.models import ImportJob


def _pioneers(world):
    seq = count(1)

    def rows(k):
        names = [f"先锋{next(seq)}" for _ in range(k)]
        for name in names:
            world.pioneer(world.grid_a1, f"P-{name}", name, skills=["理发"])
        return names

    return rows


def _residents(world):
    """Residents of two grids and two communities (the list shows each one's grid)."""
    seq = count(1)

    def rows(k):
        for _ in range(k):
            n = next(seq)
            world.resident(world.grid_a1 if n % 2 else world.grid_a2, f"居民{n}", tags=["elderly"])
        return []  # names are shown masked

    return rows


def pioneers_page(world):
    return reverse("people:pioneers"), _pioneers(world)


def pioneers_api(world):
    return "/api/v1/pioneers", _pioneers(world)


def residents_page(world):
    return reverse("people:residents"), _residents(world)


def residents_api(world):
    return "/api/v1/residents", _residents(world)


def pioneers_xlsx(world):
    """The masked Excel export: every row with its grid."""
    more = _pioneers(world)
    return reverse("people:pioneers") + "?format=xlsx", lambda k: more(k)[:0]


def residents_xlsx(world):
    return reverse("people:residents") + "?format=xlsx", _residents(world)


def pioneer_page(world):
    """A pioneer's page among more and more pioneers of the grid (it shows only its own)."""
    pioneer = world.pioneer(world.grid_a1, "P-0", "先锋甲")
    more = _pioneers(world)
    return reverse("people:pioneer", args=[pioneer.pk]), lambda k: more(k) and []


def resident_page(world):
    """A resident's page among more and more residents."""
    resident = world.resident(world.grid_a1, "居民甲")
    return reverse("people:resident", args=[resident.pk]), _residents(world)


def imports_page(world):
    """The last jobs, each with its file and who uploaded it."""
    seq = count(1)
    users = [world.users["community"], world.users["street"]]

    def rows(k):
        names = []
        for _ in range(k):
            n = next(seq)
            ImportJob.objects.create(
                kind="residents",
                file=f"imports/q{n}.xlsx",
                filename=f"第{n}批.xlsx",
                created_by=users[n % 2],
                region=world.a1,
            )
            names.append(f"第{n}批.xlsx")
        return names

    return reverse("people:imports"), rows


def import_page(world):
    """A failed import lists its errors, each with its message."""
    job = ImportJob.objects.create(
        kind="residents",
        file="imports/bad.xlsx",
        filename="bad.xlsx",
        created_by=world.users["community"],
        region=world.a1,
        status="failed",
    )
    seq = count(2)

    def rows(k):
        errors = [{"row": next(seq), "column": "C", "code": "phone"} for _ in range(k)]
        job.errors = [*job.errors, *errors]
        job.save(update_fields=["errors"])
        return []

    return reverse("people:import", args=[job.pk]), rows


LISTINGS = [
    Listing("pioneers-page", "community", 11, pioneers_page),  # +1: saved filters
    Listing("pioneers-api", "community", 10, pioneers_api),
    Listing("residents-page", "street", 11, residents_page),  # +1: saved filters
    Listing("residents-api", "street", 10, residents_api),
    Listing("pioneers-xlsx", "community", 9, pioneers_xlsx),
    Listing("residents-xlsx", "street", 9, residents_xlsx),
    # +1 each: the person's party memberships (partylife's related links, core/related.py)
    Listing("pioneer-page", "community", 10, pioneer_page),
    Listing("resident-page", "community", 10, resident_page),
    Listing("imports-page", "street", 10, imports_page),
    Listing("import-page-errors", "community", 9, import_page),
]


@pytest.mark.parametrize("listing", LISTINGS, ids=listing_id)
def test_query_count_is_flat_and_bounded(client, world, listing):
    listing.check(client, world)


def test_htmx_rows_are_flat(client, world):
    """The rows the filter form fetches (htmx) cost no more than the page."""
    listing = Listing(
        "residents-rows",
        "street",
        10,
        lambda w: (reverse("people:residents"), _residents(w)),
    )
    client.defaults["HTTP_HX_REQUEST"] = "true"
    listing.check(client, world)
