"""The write matrix of volunteer hours (core/testing/write_matrix.py): confirming and
rejecting a proposed record, a manual entry, the collect button and a new version of the
points rules — for every role, inside street A and in street B."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from genxi.core.testing.matrix import ActMatrix, CreateMatrix
from genxi.core.testing.write_matrix import Ctx, Write, assert_declared, counts, fields, no, ok
from genxi.people.models import Pioneer
from genxi.stations.models import DutyShift, Station
from genxi.volunteering import services
from genxi.volunteering.models import HoursRecord, PointsRules

STAFF = {"street": ok(302), "community": ok(302)}
# The system admin sees every record but decides none (it is not a community's staff).
DECIDERS = STAFF | {"system_admin": no(403)}


def _pioneer(ctx: Ctx) -> Pioneer:
    return Pioneer.objects.create(
        code=f"P-W-{ctx.side}-{ctx.role}",
        name="先锋",
        grid=ctx.grid,
        kind="party_member",
        phone="13900005678",
    )


def _shift(ctx: Ctx) -> Pioneer:
    pioneer = _pioneer(ctx)
    station = Station.objects.create(
        community=ctx.community, grid=ctx.grid, name="驿站", lat=31.3, lon=120.6, address="路1号"
    )
    DutyShift.objects.create(
        station=station,
        date=timezone.localdate() - timedelta(days=1),
        start=480,
        end=600,
        pioneer=pioneer,
    )
    return pioneer


def _proposed(ctx: Ctx) -> HoursRecord:
    pioneer = _shift(ctx)
    services.collect(paths=(ctx.community.path,))
    return HoursRecord.objects.get(pioneer=pioneer)


def _rules_data(ctx: Ctx) -> dict:
    data = {f"per_hour_{s}": 12 for s in ("event", "duty", "case", "manual")}
    data |= {
        f"kind_{k}": 10
        for k in (
            "party_member",
            "grid_worker",
            "property_staff",
            "resident_leader",
            "new_employment",
        )
    }
    return data | {"weekend_percent": 20, "first_of_year": 10, "note": "调整"}


WRITES = [
    Write(
        "hours.confirm",
        route="volunteering:act",
        make=_proposed,
        url=lambda ctx: reverse("volunteering:act", args=[ctx.target.pk, "confirm"]),
        data=lambda ctx: {"hours": "2"},
        watch=fields("status", "points"),
        inside=DECIDERS,
    ),
    Write(
        "hours.reject",
        route="volunteering:act",
        make=_proposed,
        url=lambda ctx: reverse("volunteering:act", args=[ctx.target.pk, "reject"]),
        data=lambda ctx: {"reason": "当天未到岗"},
        watch=fields("status", "reason"),
        inside=DECIDERS,
    ),
    Write(
        "hours.create",
        route="volunteering:new",
        make=_pioneer,
        url=lambda ctx: reverse("volunteering:new"),
        data=lambda ctx: {
            "pioneer": ctx.target.pk,
            "title": "入户宣传",
            "served_on": f"{timezone.localdate():%Y-%m-%d}",
            "hours": "2",
        },
        watch=counts(HoursRecord),
        inside=STAFF | {"system_admin": no(403), "outsider": no(400)},
        near={"community": no(400)},
        outside={"street": no(400), "community": no(400)},
    ),
    Write(
        "hours.collect",
        route="volunteering:collect",
        make=_shift,
        url=lambda ctx: reverse("volunteering:collect"),
        watch=counts(HoursRecord),
        inside=STAFF | {"system_admin": ok(302), "outsider": no(302)},
        near={"community": no(302)},
        outside={"street": no(302), "community": no(302)},
    ),
    Write(
        "rules.save",
        route="volunteering:rules",
        make=lambda ctx: ctx.street,
        url=lambda ctx: f"{reverse('volunteering:rules')}?street={ctx.target.code}",
        data=_rules_data,
        watch=counts(PointsRules),
        inside={"street": ok(302), "community": no(403), "system_admin": no(403)},
        near={"community": no(403)},
    ),
]


class TestWrites(CreateMatrix, ActMatrix):  # a name with ".create" is a create
    writes = WRITES


def test_every_write_is_declared():
    assert_declared("genxi.volunteering", WRITES)
