"""Query ceilings of field work: the households list, a household's visits, the plan, the
care list, the coverage page and the daily log answer with the same number of queries for
3 rows and for 9 (no N+1)."""

from datetime import date
from itertools import count

import pytest
from django.urls import reverse
from django.utils import timezone

from genxi.core.testing.queries import Listing, listing_id
from genxi.fieldwork import services
from genxi.fieldwork.models import Household

SEQ = count(1)


def _residents(world, k, tags=()):
    names = []
    for _ in range(k):
        n = next(SEQ)
        resident = world.resident(
            world.grid_a1, f"居民{n}号", address=f"彩香新村{n}幢1单元101室", tags=list(tags)
        )
        names.append(resident)
    return names


def households_page(world):
    def rows(k):
        return [Household.objects.get(members__resident=r).label for r in _residents(world, k)]

    return reverse("fieldwork:households"), rows


def household_page(world):
    household = Household.objects.get(members__resident=_residents(world, 1)[0])
    world.pioneer(world.grid_a1, "P-Q", "先锋")

    def rows(k):
        notes = [f"走访情况{next(SEQ)}" for _ in range(k)]
        for note in notes:
            services.visit_record(actor=world.users["grid"], household=household, note=note)
        return notes

    return reverse("fieldwork:household", args=[household.pk]), rows


def plan_page(world):
    world.pioneer(world.grid_a1, "P-1", "先锋甲")
    world.pioneer(world.grid_a1, "P-2", "先锋乙")
    month = date(2026, 10, 1)

    def rows(k):
        _residents(world, 3 * k)  # a quarter: a third of them this month
        services.plan_generate(actor=world.users["grid"], grid=world.grid_a1, month=month)

    return reverse("fieldwork:plan") + "?month=2026-10", rows


def care_page(world):
    def rows(k):
        return [r.name for r in _residents(world, k, tags=["elderly_alone"])]

    return reverse("fieldwork:care"), rows


def coverage_page(world):
    def rows(k):
        for r in _residents(world, k):
            services.visit_record(
                actor=world.users["grid"], household=Household.objects.get(members__resident=r)
            )

    return reverse("fieldwork:home"), rows


def daily_log(world):
    world.pioneer(world.grid_a1, "P-D", "先锋丁", user=world.users["grid"])

    def rows(k):
        for r in _residents(world, k, tags=["elderly_alone"]):
            services.visit_record(
                actor=world.users["grid"],
                household=Household.objects.get(members__resident=r),
                note=f"今日走访{r.pk}",
            )
        services.plan_generate(
            actor=world.users["grid"], grid=world.grid_a1, month=timezone.localdate()
        )

    return reverse("fieldwork:today"), rows


LISTINGS = [
    Listing("households-page", "community", 12, households_page),
    Listing("household-page-visits", "grid", 13, household_page),
    Listing("plan-page", "grid", 13, plan_page),
    Listing("care-page", "community", 15, care_page),
    Listing("coverage-page", "community", 19, coverage_page),
    Listing("daily-log", "grid", 16, daily_log),
]


@pytest.mark.parametrize("listing", LISTINGS, ids=listing_id)
def test_query_count_is_flat_and_bounded(client, world, listing):
    listing.check(client, world)
