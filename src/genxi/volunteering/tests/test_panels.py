"""The volunteer hours' dashboard panels: the hours by month are the confirmed records'
hours summed per month (the database sums them), over the period's days only."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from genxi.core.panels import Period
from genxi.volunteering import panels
from genxi.volunteering.models import HoursRecord, HoursStatus, Source

pytestmark = pytest.mark.django_db


def test_hours_by_month_are_the_confirmed_records_summed(world):
    pioneer = world.pioneer(world.grid_a1, "P-V1", "李海棠", kind="new_employment")
    days = [date(2026, 1, 31), date(2026, 2, 1), date(2026, 2, 27), date(2026, 3, 2)]
    for n, day in enumerate(days * 2):
        HoursRecord.objects.create(
            pioneer=pioneer,
            community=world.a1,
            source=Source.MANUAL,
            source_key=f"m{n}",
            title="为老服务",
            served_on=day,
            hours=Decimal("1.5") + n,
            status=HoursStatus.CONFIRMED if n != 3 else HoursStatus.PROPOSED,
        )
    period = Period(date(2026, 1, 15), date(2026, 3, 1))  # (2 March outside)
    shown = panels.by_month(world.users["street"], world.street_a, period)
    expected: dict[str, Decimal] = {}
    for r in HoursRecord.objects.filter(status=HoursStatus.CONFIRMED):
        if period.start <= r.served_on < period.end:
            key = f"{r.served_on:%Y-%m}"
            expected[key] = expected.get(key, Decimal(0)) + r.hours
    assert shown["x"] == ["2026-01", "2026-02"]
    assert shown["series"][0]["data"] == [float(expected["2026-01"]), float(expected["2026-02"])]
    assert sum(shown["series"][0]["data"]) > 0
    before = Period(period.start - timedelta(days=400), period.start - timedelta(days=300))
    assert not any(
        panels.by_month(world.users["street"], world.street_a, before)["series"][0]["data"]
    )
