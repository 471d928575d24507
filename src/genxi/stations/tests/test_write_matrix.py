"""The write matrix of the service stations (core/testing/write_matrix.py): creating and
editing a station, its dated hours and duty volunteers, logging a visit, moderating the
reflections wall — for every role, inside street A and in street B — and a visitor's
reflection, which anyone may leave (public)."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from genxi.core.roles import Role
from genxi.core.testing.images import jpeg_with_gps
from genxi.core.testing.matrix import ActMatrix, CreateMatrix
from genxi.core.testing.world import make_user
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
from genxi.stations.domain.hours import parse_day
from genxi.stations.models import (
    Book,
    BookCopy,
    BookLoan,
    DutyException,
    DutyShift,
    DutySwap,
    HoursException,
    MedicineItem,
    MedicineMove,
    Reflection,
    Station,
    StationPhoto,
    StationVisit,
    StationVolunteer,
)

REFUSED = no(403)
SHIFTS = {d: parse_day("08:00-12:00, 12:00-16:00") for d in range(7)}
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


def _jpeg() -> SimpleUploadedFile:
    return SimpleUploadedFile("驿站.jpg", jpeg_with_gps().getvalue(), content_type="image/jpeg")


def _with_photo(ctx: Ctx) -> Station:
    station = _station(ctx)
    ctx.extra["photo"] = services.photo_add(actor=ctx.staff, station=station, image=_jpeg())
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


def _next_week():
    return timezone.localdate() + timedelta(days=7)


def _rostered(ctx: Ctx) -> Station:
    """A station with shifts every day and a volunteer (ctx.extra["pioneer"])."""
    station = _with_volunteer(ctx)
    ctx.extra["pioneer"] = ctx.extra["link"].pioneer
    return services.duty_pattern_set(actor=ctx.staff, station=station, weekly=SHIFTS)


def _volunteer_user(ctx: Ctx, station: Station, name: str, user=None) -> Pioneer:
    user = user or make_user(f"v-{name}-{ctx.side}-{ctx.role}", Role.GRID_WORKER, region=ctx.grid)
    pioneer = Pioneer.objects.create(
        code=f"P-{name}-{ctx.side}-{ctx.role}",
        name=f"先锋{name}",
        grid=ctx.grid,
        kind="party_member",
        phone="13900005678",
        user=user,
    )
    services.volunteer_add(actor=ctx.staff, station=station, pioneer=pioneer)
    return pioneer


def _taken(ctx: Ctx) -> Station:
    station = _rostered(ctx)
    ctx.extra["shift"] = services.shift_take(
        actor=ctx.staff,
        station=station,
        day=_next_week(),
        start=480,
        pioneer=ctx.extra["pioneer"],
    )
    return station


def _held_by_grid_worker(ctx: Ctx) -> Station:
    """The grid's worker is a duty volunteer holding next week's shift; another volunteer
    could take it over (ctx.extra["to"])."""
    station = _rostered(ctx)
    holder = _volunteer_user(ctx, station, "holder", user=ctx.handler)
    ctx.extra["to"] = _volunteer_user(ctx, station, "to")
    ctx.extra["shift"] = services.shift_take(
        actor=ctx.staff, station=station, day=_next_week(), start=480, pioneer=holder
    )
    return station


def _swap_to_grid_worker(ctx: Ctx) -> DutySwap:
    """A volunteer asks the grid's worker (a volunteer too) to take a shift over."""
    station = _rostered(ctx)
    asker = _volunteer_user(ctx, station, "asker")
    to = _volunteer_user(ctx, station, "to", user=ctx.handler)
    shift = services.shift_take(
        actor=ctx.staff, station=station, day=_next_week(), start=480, pioneer=asker
    )
    return services.swap_offer(actor=asker.user, shift=shift, to=to)


def _medicine(ctx: Ctx) -> Station:
    station = _station(ctx)
    ctx.extra["item"] = services.medicine_add(
        actor=ctx.staff,
        station=station,
        name="创可贴",
        unit="片",
        expiry=timezone.localdate() + timedelta(days=200),
        quantity=10,
    )
    return station


def _book(ctx: Ctx) -> Station:
    station = _station(ctx)
    ctx.extra["book"] = services.book_add(actor=ctx.staff, station=station, title="平凡的世界")
    ctx.extra["copy"] = ctx.extra["book"].copies.get()
    return station


def _lent(ctx: Ctx) -> Station:
    station = _book(ctx)
    ctx.extra["loan"] = services.book_lend(
        actor=ctx.staff, copy=ctx.extra["copy"], borrower="王师傅", contact="13912345678"
    )
    return station


def _on(route: str, action: str) -> object:
    return lambda ctx: reverse(route, args=[ctx.target.pk, action])


GRID_VOLUNTEER = {"grid": ok(302), "street": REFUSED, "community": REFUSED}
SEERS_REFUSED = {"system_admin": REFUSED, "department": REFUSED}

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
        "station.photo_add",
        route="stations:act",
        make=_station,
        url=_act("photo"),
        data=lambda ctx: {"photos": _jpeg(), "caption": "驿站内景"},
        watch=counts(StationPhoto),
        inside=TENDERS,
    ),
    Write(
        "station.photo_remove",
        route="stations:act",
        make=_with_photo,
        url=_act("unphoto"),
        data=lambda ctx: {"photo": ctx.extra["photo"].pk},
        watch=counts(StationPhoto),
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
    # The duty roster
    Write(
        "duty.pattern",
        route="stations:roster_act",
        make=_station,
        url=_on("stations:roster_act", "pattern"),
        data=lambda ctx: {"d0": "08:00-12:00", "d5": "09:00-17:00"},
        watch=fields("duty"),
        inside=TENDERS,
    ),
    Write(
        "duty.exception",
        route="stations:roster_act",
        make=_rostered,
        url=_on("stations:roster_act", "exception"),
        data=lambda ctx: {"day": _next_week().isoformat(), "hours": "", "note": "停电"},
        watch=counts(DutyException),
        inside=TENDERS,
    ),
    Write(
        "duty.take",
        route="stations:roster_act",
        make=_rostered,
        url=_on("stations:roster_act", "take"),
        data=lambda ctx: {
            "day": _next_week().isoformat(),
            "start": 480,
            "pioneer": ctx.extra["pioneer"].pk,
        },
        watch=counts(DutyShift),
        inside=TENDERS,
    ),
    Write(
        "duty.release",
        route="stations:roster_act",
        make=_taken,
        url=_on("stations:roster_act", "release"),
        data=lambda ctx: {"shift": ctx.extra["shift"].pk},
        watch=counts(DutyShift),
        inside=TENDERS,
    ),
    # Only the holder asks for a swap, only the one asked answers: here the grid's worker,
    # a duty volunteer too; the staff who see it are refused.
    Write(
        "duty.swap_offer",
        route="stations:roster_act",
        make=_held_by_grid_worker,
        url=_on("stations:roster_act", "swap"),
        data=lambda ctx: {"shift": ctx.extra["shift"].pk, "to": ctx.extra["to"].pk},
        watch=counts(DutySwap),
        inside=GRID_VOLUNTEER | SEERS_REFUSED,
    ),
    Write(
        "duty.swap_accept",
        route="stations:swap_act",
        make=_swap_to_grid_worker,
        url=lambda ctx: reverse("stations:swap_act", args=[ctx.target.pk, "accept"]),
        watch=fields("status"),
        inside=GRID_VOLUNTEER | SEERS_REFUSED,
    ),
    Write(
        "duty.swap_decline",
        route="stations:swap_act",
        make=_swap_to_grid_worker,
        url=lambda ctx: reverse("stations:swap_act", args=[ctx.target.pk, "decline"]),
        watch=fields("status"),
        inside=GRID_VOLUNTEER | SEERS_REFUSED,
    ),
    # The medicine box
    Write(
        "medicine.add",
        route="stations:medicine_act",
        make=_station,
        url=_on("stations:medicine_act", "add"),
        data=lambda ctx: {
            "name": "碘伏",
            "unit": "瓶",
            "expiry": (timezone.localdate() + timedelta(days=300)).isoformat(),
            "quantity": 3,
        },
        watch=counts(MedicineItem),
        inside=TENDERS,
    ),
    Write(
        "medicine.issue",
        route="stations:medicine_act",
        make=_medicine,
        url=_on("stations:medicine_act", "issue"),
        data=lambda ctx: {"item": ctx.extra["item"].pk, "quantity": 2},
        watch=counts(MedicineMove),
        inside=TENDERS,
    ),
    Write(
        "medicine.discard",
        route="stations:medicine_act",
        make=_medicine,
        url=_on("stations:medicine_act", "discard"),
        data=lambda ctx: {"item": ctx.extra["item"].pk, "note": "受潮"},
        watch=counts(MedicineMove),
        inside=TENDERS,
    ),
    Write(
        "medicine.settings",
        route="stations:medicine_act",
        make=_station,
        url=_on("stations:medicine_act", "settings"),
        data=lambda ctx: {"warn_days": 45},
        watch=fields("medicine_warn_days"),
        inside=TENDERS,
    ),
    # Books
    Write(
        "book.add",
        route="stations:book_act",
        make=_station,
        url=_on("stations:book_act", "add"),
        data=lambda ctx: {"title": "活着", "author": "余华", "isbn": "9787530216781", "copies": 2},
        watch=counts(Book),
        inside=TENDERS,
    ),
    Write(
        "book.copy_add",
        route="stations:book_act",
        make=_book,
        url=_on("stations:book_act", "copy"),
        data=lambda ctx: {"book": ctx.extra["book"].pk},
        watch=counts(BookCopy),
        inside=TENDERS,
    ),
    Write(
        "book.lend",
        route="stations:book_act",
        make=_book,
        url=_on("stations:book_act", "lend"),
        data=lambda ctx: {"copy": ctx.extra["copy"].pk, "borrower": "李阿姨"},
        watch=counts(BookLoan),
        inside=TENDERS,
    ),
    Write(
        "book.return",
        route="stations:book_act",
        make=_lent,
        url=_on("stations:book_act", "return"),
        data=lambda ctx: {"loan": ctx.extra["loan"].pk},
        watch=lambda ctx: BookLoan.objects.filter(returned_at__isnull=False).count(),
        inside=TENDERS,
    ),
]


class TestWrites(CreateMatrix, ActMatrix):  # a name with ".create" is a create
    writes = WRITES


def test_every_write_is_declared():
    assert_declared("genxi.stations", WRITES)
