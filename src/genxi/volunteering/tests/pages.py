"""The readable routes of volunteer hours (core/testing/page_matrix.py): the staff's list
(and a pioneer's own redirect, or a note for an account with no pioneer), the manual
entry, the leaderboards, the points rules, a pioneer's record and certificate."""

from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from genxi.core.testing.page_matrix import Page
from genxi.people.models import Pioneer
from genxi.stations.models import DutyShift, Station
from genxi.volunteering import services
from genxi.volunteering.models import HoursRecord

STAFF = ("system_admin", "street", "community", "outsider")
PIONEER_READERS = ("system_admin", "street", "community")
POST_ONLY = {"*": 405}


def seed(side):
    """A pioneer of the side's grid with a served duty shift (proposed) and a manual entry
    (confirmed)."""
    pioneer = Pioneer.objects.create(
        code=f"P-H-{side.name}",
        name=f"{side.tag}先锋",
        grid=side.grid,
        kind="grid_worker",
        phone="13900007777",
    )
    station = Station.objects.create(
        community=side.community,
        grid=side.grid,
        name=f"{side.tag}驿站",
        lat=31.3,
        lon=120.6,
        address="驿站路1号",
    )
    DutyShift.objects.create(
        station=station,
        date=timezone.localdate() - timedelta(days=1),
        start=480,
        end=600,
        pioneer=pioneer,
    )
    services.collect(paths=(side.community.path,))
    services.hours_add(
        actor=side.staff,
        pioneer=pioneer,
        title=f"{side.tag}入户宣传",
        served_on=timezone.localdate(),
        hours=Decimal(2),
    )
    return {"hours_pioneer": pioneer, "record": HoursRecord.objects.filter(pioneer=pioneer).first()}


def _year(s) -> int:
    return timezone.localdate().year


PAGES = {
    # Staff see their list; anyone else signed in a note (no pioneer of theirs here).
    "volunteering:home": Page(lambda s: reverse("volunteering:home"), answers={"*": 200}),
    "volunteering:collect": Page(lambda s: reverse("volunteering:collect"), answers=POST_ONLY),
    "volunteering:new": Page(lambda s: reverse("volunteering:new"), STAFF),
    "volunteering:board": Page(lambda s: reverse("volunteering:board"), STAFF),
    "volunteering:rules": Page(lambda s: reverse("volunteering:rules"), STAFF),
    "volunteering:act": Page(
        lambda s: reverse("volunteering:act", args=[s.record.pk, "confirm"]), answers=POST_ONLY
    ),
    "volunteering:pioneer": Page(
        lambda s: reverse("volunteering:pioneer", args=[s.hours_pioneer.pk]), PIONEER_READERS
    ),
    "volunteering:certificate": Page(
        lambda s: reverse("volunteering:certificate", args=[s.hours_pioneer.pk, _year(s)]),
        PIONEER_READERS,
    ),
}
