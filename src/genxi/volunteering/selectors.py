"""Reads of volunteer hours: the lists scoped to the user, a pioneer's year, the
leaderboards, the street's headline figure and the dashboards' series."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, DateField, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.http import Http404

from genxi.core.panels import memo
from genxi.core.scope import scope_for
from genxi.people.models import Pioneer, PioneerKind
from genxi.regions.models import Level, Region

from .domain.points import Item, Tally, tally
from .models import HoursRecord, HoursStatus, Source, staff_paths


def is_staff(user: Any) -> bool:
    scope = scope_for(user)
    return scope.is_global or bool(staff_paths(scope))


def visible_pioneers(user: Any) -> QuerySet[Pioneer]:
    """Pioneers whose hours the user may see: the staff's (by the pioneer's grid), or the
    user's own."""
    scope = scope_for(user)
    if scope.user_id is None:
        return Pioneer.objects.none()
    if scope.is_global:
        return Pioneer.objects.all()
    q = Q(user_id=scope.user_id or 0)
    for path in staff_paths(scope):
        q |= Q(grid__path__startswith=path)
    return Pioneer.objects.filter(q)


def pioneer_for(user: Any, pk: int) -> Pioneer:
    found = visible_pioneers(user).select_related("grid__parent").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def own_pioneer(user: Any) -> Pioneer | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Pioneer.objects.filter(user=user).first()


def staff_communities(user: Any) -> QuerySet[Region]:
    scope = scope_for(user)
    qs = Region.objects.filter(level=Level.COMMUNITY)
    if scope.is_global:
        return qs.order_by("path")
    paths = staff_paths(scope)
    if not paths:
        return qs.none()
    q = Q()
    for path in paths:
        q |= Q(path__startswith=path)
    return qs.filter(q).order_by("path")


def record_list(
    *, user: Any, status: str = "", source: str = "", community: str = ""
) -> QuerySet[HoursRecord]:
    qs = HoursRecord.objects.visible_to(user).select_related(
        "pioneer", "community", "rules", "decided_by"
    )
    if status in HoursStatus.values:
        qs = qs.filter(status=status)
    if source in Source.values:
        qs = qs.filter(source=source)
    if community:
        qs = qs.filter(community__code=community)
    return qs.order_by("-served_on", "-id")


def record_for(user: Any, pk: int) -> HoursRecord:
    found = (
        HoursRecord.objects.visible_to(user)
        .select_related("community", "event", "pioneer")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


@dataclass(frozen=True)
class Year:
    pioneer: Pioneer
    year: int
    tally: Tally
    records: list[HoursRecord]
    pending: int

    @property
    def kinds_of_service(self) -> list[str]:
        labels = dict(Source.choices)
        return [str(labels[s]) for s in Source.values if s in self.tally.by_source]

    def months(self) -> list[tuple[str, Decimal, Decimal]]:
        return [(m, h, p) for m, (h, p) in self.tally.by_month.items()]

    def sources(self) -> list[tuple[str, Decimal, Decimal]]:
        labels = dict(Source.choices)
        return [(str(labels[s]), h, p) for s, (h, p) in self.tally.by_source.items()]


def pioneer_year(*, pioneer: Pioneer, year: int) -> Year:
    """A pioneer's hours and points of one year: the confirmed ones add up; the records
    (all states) listed."""
    records = list(
        HoursRecord.objects.filter(pioneer=pioneer, served_on__year=year)
        .select_related("community", "rules")
        .order_by("-served_on", "-id")
    )
    confirmed = [r for r in records if r.status == HoursStatus.CONFIRMED]
    found = tally(Item(r.served_on, r.source, r.hours, r.points or Decimal(0)) for r in confirmed)
    pending = sum(1 for r in records if r.status == HoursStatus.PROPOSED)
    return Year(pioneer, year, found, records, pending)


def years_of(pioneer: Pioneer) -> list[int]:
    dates = HoursRecord.objects.filter(pioneer=pioneer).dates("served_on", "year")
    return sorted({d.year for d in dates}, reverse=True)


# Leaderboards -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Board:
    pioneers: list[dict[str, Any]]
    kinds: list[dict[str, Any]]
    communities: list[dict[str, Any]]


def _confirmed(user: Any, start: date, end: date) -> QuerySet[HoursRecord]:
    return HoursRecord.objects.visible_to(user).filter(
        status=HoursStatus.CONFIRMED, served_on__gte=start, served_on__lt=end
    )


def leaderboard(
    *,
    user: Any,
    start: date,
    end: date,
    community: Region | None = None,
    kind: str = "",
    limit: int = 50,
) -> Board:
    """The pioneers with the most confirmed hours in [start, end), and the roll-ups by kind
    of pioneer (all five, even at zero) and by community; staff only."""
    if not is_staff(user):
        raise Http404
    qs = _confirmed(user, start, end)
    if community is not None:
        qs = qs.filter(community=community)
    by_kind: dict[str, dict[str, Any]] = {
        str(row["pioneer__kind"]): dict(row)
        for row in qs.values("pioneer__kind").annotate(
            hours=Sum("hours"), points=Sum("points"), people=Count("pioneer", distinct=True)
        )
    }
    kinds = [
        {
            "kind": value,
            "label": label,
            "hours": by_kind.get(value, {}).get("hours") or Decimal(0),
            "points": by_kind.get(value, {}).get("points") or Decimal(0),
            "people": by_kind.get(value, {}).get("people") or 0,
        }
        for value, label in PioneerKind.choices
    ]
    if kind in PioneerKind.values:
        qs = qs.filter(pioneer__kind=kind)
    communities: list[dict[str, Any]] = [
        dict(row)
        for row in qs.values("community__name", "community__code")
        .annotate(hours=Sum("hours"), points=Sum("points"), people=Count("pioneer", distinct=True))
        .order_by("-hours", "community__code")
    ]
    labels = dict(PioneerKind.choices)
    pioneers = [
        row | {"kind_label": labels.get(row["pioneer__kind"], "")}
        for row in qs.values(
            "pioneer_id", "pioneer__name", "pioneer__kind", "pioneer__grid__parent__name"
        )
        .annotate(hours=Sum("hours"), points=Sum("points"), services=Count("id"))
        .order_by("-hours", "-points", "pioneer_id")[:limit]
    ]
    return Board(pioneers, kinds, communities)


# Headline figures and panels ----------------------------------------------------------------


def stats_by_street(streets) -> dict[int, dict[str, Any]]:
    """`volunteer_hours`: confirmed hours of each street's communities, one query."""
    streets = list(streets)
    if not streets:
        return {}
    qs = HoursRecord.objects.filter(status=HoursStatus.CONFIRMED).order_by()
    agg = qs.aggregate(
        **{
            f"s{i}": Sum("hours", filter=Q(community__path__startswith=s.path))
            for i, s in enumerate(streets)
        }
    )
    return {s.pk: {"volunteer_hours": float(agg[f"s{i}"] or 0)} for i, s in enumerate(streets)}


def hours_in(user: Any, region: Region, start: date, end: date) -> QuerySet[HoursRecord]:
    return _confirmed(user, start, end).filter(
        Q(community__path__startswith=region.path) | Q(pioneer__grid__path__startswith=region.path)
    )


def _hours_by_month_and_kind(
    user: Any, region: Region, start: date, end: date
) -> list[tuple[date, str, Decimal]]:
    """Confirmed hours per month and kind of pioneer, summed by the database (a street's
    year is thousands of records) in one query that a page's panels share (`memo`)."""

    def read() -> list[tuple[date, str, Decimal]]:
        return list(
            hours_in(user, region, start, end)
            .annotate(month=TruncMonth("served_on", output_field=DateField()))
            .values_list("month", "pioneer__kind")
            .annotate(total=Sum("hours"))
            .order_by()
        )

    return memo(("volunteering.hours", getattr(user, "pk", None), region.pk, start, end), read)


def hours_by_month(user: Any, region: Region, start: date, end: date) -> dict[str, Decimal]:
    found: dict[str, Decimal] = {}
    for month, _kind, hours in _hours_by_month_and_kind(user, region, start, end):
        key = f"{month:%Y-%m}"
        found[key] = found.get(key, Decimal(0)) + (hours or Decimal(0))
    return found


def hours_by_kind(user: Any, region: Region, start: date, end: date) -> dict[str, Decimal]:
    found = {k: Decimal(0) for k in PioneerKind.values}
    for _month, kind, hours in _hours_by_month_and_kind(user, region, start, end):
        found[kind] = found.get(kind, Decimal(0)) + (hours or Decimal(0))
    return found


def pending_count(user: Any) -> int:
    return HoursRecord.objects.visible_to(user).filter(status=HoursStatus.PROPOSED).count()
