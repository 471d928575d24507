"""The readable routes of the service stations (core/testing/page_matrix.py): the staff's
list, a station's page and its form, the moderation queue, and the public map and station
pages (every station is public: they show every side's, by design)."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from genxi.core.testing.images import jpeg_with_gps
from genxi.core.testing.page_matrix import PUBLIC, Page
from genxi.people.models import Pioneer
from genxi.stations import services
from genxi.stations.domain.hours import parse_day

# Every role with business data sees the list pages (a liaison's are empty).
READERS = ("system_admin", "street", "community", "grid", "unit", "outsider", "department")
# A station's page: the staff over it, the grid worker of its grid, the department officer.
STATION_READERS = ("system_admin", "street", "community", "grid", "department")
POST_ONLY = {"*": 405}
PUBLIC_ALL = {"*": 200}
PUBLIC_SHOWS = {"*": "the public pages show every station: they are public by design"}
WEEK = {d: parse_day("08:00-20:00") for d in range(7)}


def seed(side):
    """A station on the side's grid with a volunteer, a visit, and reflections pending
    and approved."""
    station = services.station_create(
        actor=side.staff,
        community=side.community,
        grid=side.grid,
        name=f"{side.tag}驿站",
        lat=side.point[0],
        lon=side.point[1],
        address=f"{side.tag}路1号",
        weekly=WEEK,
        amenities=["microwave", "kettle"],
        serves=["courier", "rider"],
        manager=side.worker,
    )
    pioneer = Pioneer.objects.create(
        code=f"P-{side.name}-ST",
        name="值守先锋",
        grid=side.grid,
        kind="party_member",
        phone="13900005678",
    )
    services.volunteer_add(actor=side.staff, station=station, pioneer=pioneer)
    services.visit_log(actor=side.worker, station=station, kind="courier", note=f"{side.tag}来访")
    pending = services.reflection_create(station=station, text=f"{side.tag}待审核的留言")
    approved = services.reflection_create(station=station, text=f"{side.tag}谢谢驿站")
    services.reflection_moderate(actor=side.staff, reflection=approved, approve=True)
    # The roster (a shift taken, a swap asked), the medicine box, the books (a loan out).
    station = services.duty_pattern_set(actor=side.staff, station=station, weekly=WEEK)
    shift = services.shift_take(
        actor=side.staff,
        station=station,
        day=timezone.localdate() + timedelta(days=1),
        start=480,
        pioneer=pioneer,
    )
    services.medicine_add(
        actor=side.staff,
        station=station,
        name=f"{side.tag}创可贴",
        unit="片",
        expiry=timezone.localdate() + timedelta(days=10),
        quantity=5,
    )
    book = services.book_add(actor=side.staff, station=station, title=f"{side.tag}图书")
    loan = services.book_lend(
        actor=side.staff,
        copy=book.copies.get(),
        borrower=f"{side.tag}读者",
        contact="13912345678",
        due=timezone.localdate(),
    )
    photo = services.photo_add(
        actor=side.staff,
        station=station,
        image=SimpleUploadedFile("驿站.jpg", jpeg_with_gps().getvalue(), content_type="image/jpeg"),
    )
    return {
        "station": station,
        "reflection": pending,
        "shift": shift,
        "loan": loan,
        "photo": photo,
    }


PAGES = {
    "stations:map": Page(
        lambda s: reverse("stations:map"), kind=PUBLIC, answers=PUBLIC_ALL, shows=PUBLIC_SHOWS
    ),
    "stations:public": Page(
        lambda s: reverse("stations:public", args=[s.station.pk]),
        kind=PUBLIC,
        answers=PUBLIC_ALL,
        shows=PUBLIC_SHOWS,
    ),
    "stations:photo": Page(
        lambda s: reverse("stations:photo", args=[s.station.pk, s.photo.pk, "thumb"]),
        kind=PUBLIC,
        answers=PUBLIC_ALL,
        shows=PUBLIC_SHOWS,
    ),
    "stations:reflect": Page(
        lambda s: reverse("stations:reflect", args=[s.station.pk]), kind=PUBLIC, answers=POST_ONLY
    ),
    "stations:stations": Page(lambda s: reverse("stations:stations"), READERS),
    "stations:new": Page(lambda s: reverse("stations:new"), ("street", "community", "outsider")),
    "stations:station": Page(
        lambda s: reverse("stations:station", args=[s.station.pk]), STATION_READERS
    ),
    "stations:edit": Page(
        lambda s: reverse("stations:edit", args=[s.station.pk]),
        ("street", "community"),
        # Those who see the station but do not set it up are refused; elsewhere it is unseen.
        answers={"system_admin": 403, "grid": 403, "department": 403},
        near={"grid": 404},
        outside={"department": 404, "grid": 404},
    ),
    "stations:visit": Page(
        lambda s: reverse("stations:visit", args=[s.station.pk]), answers=POST_ONLY
    ),
    "stations:act": Page(
        lambda s: reverse("stations:act", args=[s.station.pk, "exception"]), answers=POST_ONLY
    ),
    "stations:reflections": Page(lambda s: reverse("stations:reflections"), READERS),
    "stations:roster": Page(
        lambda s: reverse("stations:roster", args=[s.station.pk]), STATION_READERS
    ),
    "stations:roster_act": Page(
        lambda s: reverse("stations:roster_act", args=[s.station.pk, "take"]), answers=POST_ONLY
    ),
    "stations:swap_act": Page(
        lambda s: reverse("stations:swap_act", args=[s.shift.pk, "accept"]), answers=POST_ONLY
    ),
    "stations:medicine": Page(
        lambda s: reverse("stations:medicine", args=[s.station.pk]), STATION_READERS
    ),
    "stations:medicine_act": Page(
        lambda s: reverse("stations:medicine_act", args=[s.station.pk, "issue"]),
        answers=POST_ONLY,
    ),
    "stations:books": Page(
        lambda s: reverse("stations:books", args=[s.station.pk]), STATION_READERS
    ),
    "stations:book_act": Page(
        lambda s: reverse("stations:book_act", args=[s.station.pk, "lend"]), answers=POST_ONLY
    ),
    # The workbench's lists: over the stations the viewer tends (empty for the others).
    "stations:unstaffed": Page(lambda s: reverse("stations:unstaffed"), READERS),
    "stations:expiring": Page(lambda s: reverse("stations:expiring"), READERS),
    "stations:overdue": Page(lambda s: reverse("stations:overdue"), READERS),
    "stations:reflection_act": Page(
        lambda s: reverse("stations:reflection_act", args=[s.reflection.pk, "approve"]),
        answers=POST_ONLY,
    ),
}
