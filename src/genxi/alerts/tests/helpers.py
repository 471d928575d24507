"""Cases and warnings for the tests: backdated cases made in bulk (history, no audit), and a
warning on a side with one case behind it."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from itertools import count

from django.utils import timezone

from genxi.alerts.models import EarlyWarning
from genxi.cases.categories import ensure as ensure_categories
from genxi.cases.models import Case, Category
from genxi.cases.services import case_create

_codes = count(1)


def category(code: str = "") -> Category:
    ensure_categories(Category)
    qs = Category.objects.filter(parent__isnull=False).order_by("code")
    return qs.get(code=code) if code else qs.first()


def backdated(
    region, cat, when: list[date], *, lat=None, lon=None, place_key="", title="楼道堆物"
) -> list[Case]:
    """Cases recorded on the given days (bulk: history, as the demo loads it)."""
    tz = timezone.get_current_timezone()
    rows = []
    for i, _d in enumerate(when):
        n = next(_codes)
        rows.append(
            Case(
                code=f"T{n:09d}",
                channel="phone",
                title=f"{title}{n}",
                text=f"{title}{n},请处理",
                category=cat,
                lat=None if lat is None else lat[i] if isinstance(lat, list) else lat,
                lon=None if lon is None else lon[i] if isinstance(lon, list) else lon,
                address="",
                place_key=place_key,
                region=region,
                state="closed",
            )
        )
    made = Case.objects.bulk_create(rows)
    for c, d in zip(made, when, strict=True):
        at = datetime.combine(d, datetime.min.time(), tzinfo=tz) + timedelta(hours=10)
        Case.objects.filter(pk=c.pk).update(created_at=at)
    return made


def warning(
    *, staff, community, grid, tag: str = "", kind: str = "recurrence", point=(31.321, 120.591)
):
    """An open warning over `community` with one case behind it (made by `staff`)."""
    cat = category()
    case = case_create(
        actor=staff,
        channel="phone",
        text=f"{tag}楼道堆物又出现了,请处理",
        category=cat,
        region=grid,
    )
    today = timezone.localdate()
    w = EarlyWarning.objects.create(
        kind=kind,
        key=f"test:{tag}:{next(_codes)}",
        region=community,
        grid=grid,
        category=cat,
        place_key=f"{tag}3幢",
        first_day=today - timedelta(days=89),
        last_day=today,
        window_days=90,
        observed=3,
        score=3.0,
        lat=point[0],
        lon=point[1],
        radius_m=50,
        seen_on=today,
    )
    w.cases.add(case)
    return w
