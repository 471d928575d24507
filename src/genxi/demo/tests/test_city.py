"""The city-scale loader (`load_demo --scale city`), scaled down: the tree's shape, the
roll-ups against a direct count, the residents' personal data encrypted, a second load
refused; on SQLite, a clear refusal."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from genxi.cases import rollups
from genxi.cases.domain.rollup import DUE_FIELDS, FIELDS
from genxi.cases.models import (
    Case,
    CaseBinRollup,
    CaseDueRollup,
    CaseMonthRollup,
    CaseRollup,
)
from genxi.core import pii
from genxi.core.testing.dbrole import as_owner
from genxi.people.domain.idcard import is_valid_id_number
from genxi.people.models import Resident, User
from genxi.regions.domain.codes import child_path
from genxi.regions.models import Region
from genxi.regions.selectors import OutsideAllGrids, locate

SMALL = [
    "--scale=city",
    "--districts=1",
    "--streets=2",
    "--communities=2",
    "--grids=3",
    "--residents=240",
    "--cases=3000",
    "--days=60",
    "--workers=1",
]
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the city load: PostgreSQL (COPY)"
)


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the refusal on SQLite")
@pytest.mark.django_db
def test_the_city_load_refuses_sqlite():
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("load_demo", *SMALL)


@postgres_only
@pytest.mark.django_db
def test_a_small_city_loads_whole_and_once(capsys):
    with as_owner():  # DDL and TRUNCATE: the owner's, as migrations (docs/deploy.md)
        call_command("load_demo", *SMALL)
    out = capsys.readouterr().out
    assert "cases: COPY" in out and "City loaded" in out  # the phases, timed

    # The tree: 1 city, 1 district, 2 streets, 4 communities, 12 grids; each path is its
    # parent's and its code.
    levels = {lv: Region.objects.filter(level=lv).count() for lv in ("city", "district")}
    assert levels == {"city": 1, "district": 1}
    assert Region.objects.filter(level="street").count() == 2
    assert Region.objects.filter(level="community").count() == 4
    assert Region.objects.filter(level="grid").count() == 12
    for region in Region.objects.select_related("parent"):
        parent_path = region.parent.path if region.parent else None
        assert region.path == child_path(parent_path, region.code)
        if region.level == "grid":
            assert region.parent.level == "community"
            assert region.code.startswith(region.parent.code)

    # The cases: all loaded, each at a grid or a community.
    assert Case.objects.count() == 3000
    assert not Case.objects.exclude(region__level__in=["grid", "community"]).exists()

    # Every grid has its outline, and a grid's case lies in it: intake places a point of
    # the city as it does in the demo.
    assert not Region.objects.grids().filter(geometry=None).exists()
    at_grids = Case.objects.filter(region__level="grid").select_related("region")
    assert at_grids.exists()
    for case in at_grids[:300]:
        assert locate(case.lat, case.lon) == case.region, case.code
    with pytest.raises(OutsideAllGrids):
        locate(31.0, 121.5)  # beyond the city

    # The roll-ups are the direct counts of the cases.
    day = {
        CaseRollup.key_of(r["day"], r["region_id"], r["category_id"], r["channel"]): tuple(
            r[f] for f in FIELDS
        )
        for r in rollups.aggregated()
    }
    assert day == {r.key: tuple(getattr(r, f) for f in FIELDS) for r in CaseRollup.objects.all()}
    assert sum(v[0] for v in day.values()) == 3000
    months = {
        CaseMonthRollup.key_of(r["month"], r["region_id"], r["category_id"], r["channel"]): tuple(
            r[f] for f in FIELDS
        )
        for r in rollups.months_of_days()
    }
    assert months == {
        r.key: tuple(getattr(r, f) for f in FIELDS) for r in CaseMonthRollup.objects.all()
    }
    due = {
        CaseDueRollup.key_of(r["region_id"], r["due"]): tuple(r[f] for f in DUE_FIELDS)
        for r in rollups.due_aggregated()
    }
    assert due and due == {
        r.key: tuple(getattr(r, f) for f in DUE_FIELDS) for r in CaseDueRollup.objects.all()
    }
    bins = {
        CaseBinRollup.key_of(r["day"], r["region_id"], r["category_id"], r["i"], r["j"]): (
            r["n"],
            pytest.approx(r["lat_sum"]),
            pytest.approx(r["lon_sum"]),
        )
        for r in rollups.bins_aggregated()
    }
    assert bins and bins == {
        r.key: (r.n, r.lat_sum, r.lon_sum) for r in CaseBinRollup.objects.all()
    }

    # Residents: phone, ID number and address encrypted at rest, the blind index right.
    assert Resident.objects.count() == 240
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, id_number, address, phone FROM people_resident")
        raw = cursor.fetchall()
    assert all(
        number.startswith("gAAAAA") and address.startswith("gAAAAA")
        for _i, number, address, _p in raw
    )
    assert all(phone == "" or phone.startswith("gAAAAA") for *_x, phone in raw)
    resident = Resident.objects.get(pk=raw[0][0])
    assert is_valid_id_number(resident.id_number)
    assert resident.id_number_digest == pii.digest(resident.id_number)
    assert Resident.objects.values("id_number_digest").distinct().count() == 240
    assert User.objects.filter(username__in=["street", "grid"]).count() == 2

    with pytest.raises(CommandError, match="once"), as_owner():
        call_command("load_demo", *SMALL)
