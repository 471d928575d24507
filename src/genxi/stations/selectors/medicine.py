"""Reads of the shared medicine box: the batches with what is left, which are expired or
about to expire, the restock list, the usage log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import QuerySet, Sum
from django.utils import timezone

from ..models import MedicineItem, MedicineMove, Station

MOVES_SHOWN = 30


@dataclass(frozen=True)
class BoxRow:
    item: MedicineItem
    expired: bool
    expiring: bool
    days_left: int


def medicine_box(*, station: Station, today: date | None = None) -> list[BoxRow]:
    """The batches in stock, soonest expiry first (one query)."""
    today = today or timezone.localdate()
    days = station.medicine_warn_days
    return [
        BoxRow(
            item=i,
            expired=i.expired(today),
            expiring=i.expiring(today, days),
            days_left=(i.expiry - today).days,
        )
        for i in station.medicines.filter(quantity__gt=0).order_by("expiry", "name", "id")
    ]


def issuable(*, station: Station, today: date | None = None) -> QuerySet[MedicineItem]:
    """The batches that may be given out: in stock and not expired."""
    today = today or timezone.localdate()
    return station.medicines.filter(quantity__gt=0, expiry__gte=today).order_by(
        "name", "expiry", "id"
    )


@dataclass(frozen=True)
class RestockRow:
    name: str
    unit: str
    usable: int  # in stock, neither expired nor about to
    minimum: int
    expiring: int  # in stock and about to expire
    expired: int  # in stock and expired: to throw away


def restock_list(*, station: Station, today: date | None = None) -> list[RestockRow]:
    """The medicines to buy: fewer usable than their minimum (batches about to expire do not
    count as usable), or none usable left at all (one query)."""
    today = today or timezone.localdate()
    soon = today + timedelta(days=station.medicine_warn_days)
    names: dict[str, dict] = {}
    for item in station.medicines.order_by("name", "expiry"):
        row = names.setdefault(
            item.name,
            {"unit": item.unit, "usable": 0, "minimum": 0, "expiring": 0, "expired": 0},
        )
        row["minimum"] = max(row["minimum"], item.minimum)
        if item.expiry < today:
            row["expired"] += item.quantity
        elif item.expiry <= soon:
            row["expiring"] += item.quantity
        else:
            row["usable"] += item.quantity
    return [
        RestockRow(name=name, **row)
        for name, row in names.items()
        if row["usable"] < max(row["minimum"], 1)
    ]


def medicine_moves(*, station: Station, limit: int = MOVES_SHOWN) -> list[MedicineMove]:
    return list(
        MedicineMove.objects.filter(item__station=station)
        .select_related("item", "by")
        .order_by("-at", "-id")[:limit]
    )


def expiring_items(stations, *, today: date | None = None) -> QuerySet[MedicineItem]:
    """Batches in stock that are expired or within their station's warning days (the
    workbench's list)."""
    today = today or timezone.localdate()
    rows = MedicineItem.objects.filter(station__in=stations, quantity__gt=0).select_related(
        "station"
    )
    ids = [
        i.pk
        for i in rows.only("pk", "expiry", "station__medicine_warn_days")
        if i.expiry <= today + timedelta(days=i.station.medicine_warn_days)
    ]
    return rows.filter(pk__in=ids).order_by("expiry", "station__name", "name")


def stock_total(*, station: Station) -> int:
    return station.medicines.aggregate(n=Sum("quantity"))["n"] or 0
