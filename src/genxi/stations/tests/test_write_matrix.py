"""The write matrix of the service stations (core/testing/write_matrix.py): creating and
editing a station, its dated hours and duty volunteers, logging a visit, moderating the
reflections wall — for every role, inside street A and in street B — and a visitor's
reflection, which anyone may leave (public)."""

from __future__ import annotations

from django.urls import reverse

from genxi.core.testing.matrix import ActMatrix, CreateMatrix
from genxi.core.testing.write_matrix import (
    PUBLIC,
    Ctx,
    Write,
    assert_declared,
    counts,
    fields,
    no,
    ok,
)
from genxi.people.models import Pioneer
from genxi.stations import services
from genxi.stations.models import (
    HoursException,
    Reflection,
    Station,
    StationVisit,
    StationVolunteer,
)

REFUSED = no(403)
NOT_A_CHOICE = no(400)
# The staff over the community set a station up and tend it; the others who see it (the
# system admin, the department officer, the grid worker of its grid) may not.
STAFF = {"street": ok(302), "community": ok(302)}
TENDERS = STAFF | {"system_admin": REFUSED, "department": REFUSED, "grid": REFUSED}


def _station(ctx: Ctx) -> Station:
    return services.station_create(
        actor=ctx.staff,
        community=ctx.community,
        grid=ctx.grid,
        name=f"驿站{ctx.role}",
        lat=ctx.point[0],
        lon=ctx.point[1],
        address="彩香路1号",
    )


def _pioneer(ctx: Ctx) -> Pioneer:
    return Pioneer.objects.create(
        code=f"P-{ctx.side}-{ctx.role}",
        name="先锋",
        grid=ctx.grid,
        kind="party_member",
        phone="13900005678",
    )


def _with_volunteer(ctx: Ctx) -> Station:
    station = _station(ctx)
    ctx.extra["link"] = services.volunteer_add(
        actor=ctx.staff, station=station, pioneer=_pioneer(ctx)
    )
    return station


def _with_pioneer(ctx: Ctx) -> Station:
    ctx.extra["pioneer"] = _pioneer(ctx)
    return _station(ctx)


def _reflection(ctx: Ctx) -> Reflection:
    return services.reflection_create(station=_station(ctx), text="谢谢驿站的热水")


def _station_data(ctx: Ctx) -> dict:
    return {
        "community": ctx.target.pk,
        "name": "新驿站",
        "address": "彩香路2号",
        "lat": ctx.point[0],
        "lon": ctx.point[1],
        "amenities": ["microwave", "toilet"],
        "serves": ["courier"],
        "h0": "08:00-20:00",
    }


def _act(action: str) -> object:
    return lambda ctx: reverse("stations:act", args=[ctx.target.pk, action])


def _moderate(action: str) -> Write:
    return Write(
        f"reflection.{action}",
        route="stations:reflection_act",
        make=_reflection,
        url=lambda ctx: reverse("stations:reflection_act", args=[ctx.target.pk, action]),
        watch=fields("status"),
        inside=TENDERS,
    )


WRITES = [
    Write(
        "station.create",
        route="stations:new",
        make=lambda ctx: ctx.community,
        url=lambda ctx: reverse("stations:new"),
        data=_station_data,
        watch=counts(Station),
        inside=STAFF | {"outsider": NOT_A_CHOICE},
        # Staff elsewhere: the community is not one of theirs to choose.
        outside={"street": NOT_A_CHOICE, "community": NOT_A_CHOICE},
        near={"community": NOT_A_CHOICE},
    ),
    Write(
        "station.update",
        route="stations:edit",
        make=_station,
        url=lambda ctx: reverse("stations:edit", args=[ctx.target.pk]),
        data=lambda ctx: {**_station_data(ctx), "name": "改名驿站", "active": "on"},
        watch=fields("name", "hours", "amenities"),
        inside=TENDERS,
    ),
    Write(
        "station.exception",
        route="stations:act",
        make=_station,
        url=_act("exception"),
        data=lambda ctx: {"day": "2026-02-17", "hours": "", "note": "春节闭站"},
        watch=counts(HoursException),
        inside=TENDERS,
    ),
    Write(
        "station.volunteer_add",
        route="stations:act",
        make=_with_pioneer,
        url=_act("volunteer"),
        data=lambda ctx: {"pioneer": ctx.extra["pioneer"].pk},
        watch=counts(StationVolunteer),
        inside=TENDERS,
    ),
    Write(
        "station.volunteer_remove",
        route="stations:act",
        make=_with_volunteer,
        url=_act("unvolunteer"),
        data=lambda ctx: {"volunteer": ctx.extra["link"].pk},
        watch=counts(StationVolunteer),
        inside=TENDERS,
    ),
    Write(
        "station.visit",
        route="stations:visit",
        make=_station,
        url=lambda ctx: reverse("stations:visit", args=[ctx.target.pk]),
        data=lambda ctx: {"kind": "rider", "note": ""},
        watch=counts(StationVisit),
        inside=TENDERS,
    ),
    Write(
        "reflection.create",
        route="stations:reflect",
        make=_station,
        url=lambda ctx: reverse("stations:reflect", args=[ctx.target.pk]),
        data=lambda ctx: {"text": "热水真暖和,谢谢!", "signature": "一位骑手"},
        watch=counts(Reflection),
        inside={"*": ok(302)},
        kind=PUBLIC,
    ),
    _moderate("approve"),
    _moderate("hide"),
]


class TestWrites(CreateMatrix, ActMatrix):  # a name with ".create" is a create
    writes = WRITES


def test_every_write_is_declared():
    assert_declared("genxi.stations", WRITES)
