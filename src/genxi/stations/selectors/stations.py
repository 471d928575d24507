"""Reads of the service stations: the staff's lists, the visit counts, the moderation
queue, the public map, the headline counts and the workbench."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import ExtractHour, TruncDate
from django.utils import timezone

from genxi.core.roles import STAFF_ROLES
from genxi.core.scope import path_q, scope_for
from genxi.people.models import Membership, Pioneer, User
from genxi.regions.models import Region

from ..domain.hours import TZ, Status, status
from ..models import (
    HoursException,
    Reflection,
    ReflectionStatus,
    Station,
    StationVisit,
    StationVolunteer,
    VisitorType,
    exceptions_of,
)

PUBLIC_REFLECTIONS = 30
HOURS_DAYS = 30  # the window of the counts by hour
DAY_COUNTS = 14  # the days in the counts by day


def station_list(*, user: Any, community: str = "", q: str = "") -> QuerySet[Station]:
    qs = (
        Station.objects.visible_to(user)
        .select_related("community", "community__parent", "manager")
        .annotate(
            pending=Count(
                "reflections",
                filter=Q(reflections__status=ReflectionStatus.PENDING),
                distinct=True,
            )
        )
    )
    if community:
        qs = qs.filter(community__code=community)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(address__icontains=q))
    return qs.order_by("community__path", "name", "id")


def staff_communities(user: Any):
    """The communities the user is staff of (or staff over), for the create form."""
    scope = scope_for(user)
    paths = tuple(p for r, p in scope.role_paths if r in STAFF_ROLES)
    return Region.objects.communities().filter(path_q("path", paths)).order_by("path")


def tendable_q(user: Any) -> Q:
    """The stations the user may tend (`services.can_tend`), as a filter."""
    scope = scope_for(user)
    if scope.user_id is None:
        return Q(pk__in=[])
    paths = tuple(p for r, p in scope.role_paths if r in STAFF_ROLES)
    volunteering = StationVolunteer.objects.filter(pioneer__user_id=scope.user_id).values("station")
    q = Q(manager_id=scope.user_id) | Q(pk__in=volunteering)
    if paths:
        q |= path_q("community__path", paths)
    return q


def tended_stations(user: Any) -> QuerySet[Station]:
    return Station.objects.visible_to(user).filter(tendable_q(user))


def pending_reflections(*, user: Any, station: Station | None = None) -> QuerySet[Reflection]:
    """The moderation queue: reflections waiting at the stations the user tends."""
    qs = Reflection.objects.filter(
        status=ReflectionStatus.PENDING,
        station__in=tended_stations(user).values("pk"),
    ).select_related("station")
    if station is not None:
        qs = qs.filter(station=station)
    return qs.order_by("created_at", "id")


def station_reflections(*, station: Station, limit: int = 20) -> list[Reflection]:
    """The station's moderated reflections, newest first, for its staff page."""
    return list(
        Reflection.objects.filter(station=station)
        .exclude(status=ReflectionStatus.PENDING)
        .select_related("moderated_by")
        .order_by("-created_at", "-id")[:limit]
    )


def volunteers(*, station: Station) -> QuerySet[StationVolunteer]:
    return (
        StationVolunteer.objects.filter(station=station)
        .select_related("pioneer", "pioneer__grid")
        .order_by("pioneer__code")
    )


def volunteer_choices(*, user: Any, station: Station) -> QuerySet[Pioneer]:
    """The community's active pioneers the user may see, not yet on duty here."""
    return (
        Pioneer.objects.visible_to(user)
        .filter(active=True, grid__path__startswith=station.community.path)
        .exclude(pk__in=StationVolunteer.objects.filter(station=station).values("pioneer"))
        .order_by("code")
    )


def upcoming_exceptions(*, station: Station, today: date | None = None) -> list[HoursException]:
    today = today or timezone.localdate()
    return list(station.exceptions.filter(date__gte=today).order_by("date")[:20])


@dataclass(frozen=True)
class VisitCounts:
    # (code, label, last 30 days, today) for each visitor type, in the columns' order
    kinds: list[tuple[str, str, int, int]]
    days: list[tuple[date, list[int], int]]  # the last 14 days: counts by kind, total
    # hour of day (0–23) over the last 30 days: counts by kind, total, percent of the busiest
    hours: list[tuple[int, list[int], int, int]]
    total: int


def visit_counts(*, station: Station, now: datetime | None = None) -> VisitCounts:
    """The station's visits by type, by day (14 days) and by hour of day (30 days), in
    two aggregate queries."""
    now = now or timezone.now()
    local_today = now.astimezone(TZ).date()
    since = datetime.combine(local_today - timedelta(days=HOURS_DAYS - 1), datetime.min.time(), TZ)
    kinds = list(VisitorType.choices)
    codes = [c for c, _l in kinds]
    base = StationVisit.objects.filter(station=station, at__gte=since).order_by()
    by_day: dict[date, dict[str, int]] = {}
    for row in (
        base.annotate(day=TruncDate("at", tzinfo=TZ)).values("day", "kind").annotate(n=Count("pk"))
    ):
        by_day.setdefault(row["day"], {})[row["kind"]] = row["n"]
    by_hour: dict[int, dict[str, int]] = {}
    for hour_row in (
        base.annotate(hour=ExtractHour("at", tzinfo=TZ))
        .values("hour", "kind")
        .annotate(n=Count("pk"))
    ):
        by_hour.setdefault(hour_row["hour"], {})[hour_row["kind"]] = hour_row["n"]
    totals = {c: sum(d.get(c, 0) for d in by_day.values()) for c in codes}
    days = []
    for offset in range(DAY_COUNTS):
        day = local_today - timedelta(days=offset)
        counts = [by_day.get(day, {}).get(c, 0) for c in codes]
        days.append((day, counts, sum(counts)))
    busiest = max((sum(v.values()) for v in by_hour.values()), default=0)
    hours = []
    for hour in range(24):
        counts = [by_hour.get(hour, {}).get(c, 0) for c in codes]
        if sum(counts):
            hours.append((hour, counts, sum(counts), round(100 * sum(counts) / busiest)))
    today = by_day.get(local_today, {})
    return VisitCounts(
        kinds=[(c, str(label), totals[c], today.get(c, 0)) for c, label in kinds],
        days=days,
        hours=hours,
        total=sum(totals.values()),
    )


# Public -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicStation:
    station: Station
    status: Status


def _upcoming(today: date) -> Prefetch:
    return Prefetch(
        "exceptions",
        queryset=HoursException.objects.filter(
            date__gte=today - timedelta(days=1), date__lte=today + timedelta(days=15)
        ),
        to_attr="upcoming",
    )


def public_stations(*, now: datetime | None = None) -> list[PublicStation]:
    """Every active station with whether it is open at `now` (two queries)."""
    now = now or timezone.now()
    today = now.astimezone(TZ).date()
    rows = (
        Station.objects.filter(active=True)
        .select_related("community")
        .prefetch_related(_upcoming(today))
        .order_by("community__path", "name", "id")
    )
    return [PublicStation(s, _prefetched_status(s, now)) for s in rows]


def public_station(*, pk: int, now: datetime | None = None) -> PublicStation | None:
    now = now or timezone.now()
    today = now.astimezone(TZ).date()
    station = (
        Station.objects.filter(active=True, pk=pk)
        .select_related("community")
        .prefetch_related(_upcoming(today))
        .first()
    )
    if station is None:
        return None
    return PublicStation(station, _prefetched_status(station, now))


def _prefetched_status(station: Station, now: datetime) -> Status:
    """Its status from the exceptions `_upcoming` prefetched (no query)."""
    return status(now, station.weekly(), exceptions_of(station.upcoming))  # type: ignore[attr-defined]


def station_status(station: Station, now: datetime | None = None) -> Status:
    now = now or timezone.now()
    today = now.astimezone(TZ).date()
    rows = station.exceptions.filter(date__gte=today - timedelta(days=1))
    return status(now, station.weekly(), exceptions_of(rows))


def public_reflections(*, station: Station) -> list[Reflection]:
    return list(
        Reflection.objects.filter(station=station, status=ReflectionStatus.APPROVED).order_by(
            "-created_at", "-id"
        )[:PUBLIC_REFLECTIONS]
    )


def manager_choices(user: Any) -> QuerySet[User]:
    """The staff (community workers, street admins) of the places the user is staff over."""
    scope = scope_for(user)
    paths = tuple(p for r, p in scope.role_paths if r in STAFF_ROLES)
    if not paths:
        return User.objects.none()
    places = Region.objects.filter(path_q("path", paths)).values("pk")
    holders = Membership.objects.filter(
        active=True, role__in=STAFF_ROLES, region__in=places
    ).values("user")
    return User.objects.filter(pk__in=holders, is_active=True).order_by("username")
