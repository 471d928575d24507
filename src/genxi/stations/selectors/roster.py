"""Reads of the duty roster: a station's next two weeks of shifts (who took each, and any
swap waiting), a volunteer's own shifts and the swaps they are asked to accept, the
unstaffed shifts soon, and the duty hours a volunteer did."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from genxi.people.models import Pioneer

from ..domain import roster
from ..domain.hours import TZ, format_day
from ..models import DutyException, DutyShift, DutySwap, Station, SwapStatus, exceptions_of

ROSTER_DAYS = 14
GAP_HOURS = 48


@dataclass(frozen=True)
class RosterRow:
    shift: roster.Shift
    taken: DutyShift | None
    swap: DutySwap | None  # a swap of this shift waiting for the other's answer
    mine: bool  # taken by the viewer
    past: bool  # ended

    @property
    def time_text(self) -> str:
        return format_day(((self.shift.start, self.shift.end),))


def roster_rows(
    *, station: Station, user: Any, now: datetime | None = None, days: int = ROSTER_DAYS
) -> list[RosterRow]:
    """The shifts from today for `days` days, each with who took it (three queries)."""
    now = now or timezone.now()
    today = now.astimezone(TZ).date()
    last = today + timedelta(days=days - 1)
    exceptions = exceptions_of(
        DutyException.objects.filter(station=station, date__gte=today, date__lte=last)
    )
    taken = {
        (s.date, s.start): s
        for s in DutyShift.objects.filter(station=station, date__gte=today, date__lte=last)
        .select_related("pioneer")
        .prefetch_related(
            Prefetch(
                "swaps",
                queryset=DutySwap.objects.filter(status=SwapStatus.PENDING).select_related(
                    "to_pioneer"
                ),
                to_attr="pending",
            )
        )
    }
    uid = getattr(user, "pk", None)
    rows = []
    for shift in roster.expand(today, last, station.duty_weekly(), exceptions):
        held = taken.get(shift.key)
        pending = held.pending if held is not None else []
        rows.append(
            RosterRow(
                shift=shift,
                taken=held,
                swap=pending[0] if pending else None,
                mine=held is not None and uid is not None and held.pioneer.user_id == uid,
                past=shift.ends_at() <= now,
            )
        )
    return rows


def upcoming_duty_exceptions(*, station: Station, today: date | None = None):
    today = today or timezone.localdate()
    return list(station.duty_exceptions.filter(date__gte=today).order_by("date")[:20])


def my_shifts(*, user: Any, today: date | None = None) -> QuerySet[DutyShift]:
    """The viewer's own shifts from today, at every station."""
    today = today or timezone.localdate()
    return (
        DutyShift.objects.filter(pioneer__user_id=getattr(user, "pk", 0) or 0, date__gte=today)
        .select_related("station")
        .order_by("date", "start")
    )


def swaps_waiting(*, user: Any) -> QuerySet[DutySwap]:
    """Swaps the viewer is asked to accept."""
    return (
        DutySwap.objects.filter(
            to_pioneer__user_id=getattr(user, "pk", 0) or 0, status=SwapStatus.PENDING
        )
        .select_related("shift__station", "from_pioneer")
        .order_by("shift__date", "shift__start")
    )


@dataclass(frozen=True)
class Gap:
    station: Station
    shift: roster.Shift


def unstaffed(
    stations: Iterable[Station], *, now: datetime | None = None, hours: int = GAP_HOURS
) -> list[Gap]:
    """The shifts of these stations nobody took that start within `hours` (two queries
    whatever the number of stations)."""
    now = now or timezone.now()
    stations = [s for s in stations if s.duty]
    if not stations:
        return []
    today = now.astimezone(TZ).date()
    last = today + timedelta(days=hours // 24 + 1)
    ids = [s.pk for s in stations]
    exceptions: dict[int, list[DutyException]] = {}
    for row in DutyException.objects.filter(station_id__in=ids, date__gte=today, date__lte=last):
        exceptions.setdefault(row.station_id, []).append(row)
    taken: dict[int, set[roster.Key]] = {}
    for sid, day, start in DutyShift.objects.filter(
        station_id__in=ids, date__gte=today - timedelta(days=1), date__lte=last
    ).values_list("station_id", "date", "start"):
        taken.setdefault(sid, set()).add((day, start))
    gaps = []
    for station in stations:
        for shift in roster.unstaffed(
            now,
            hours,
            station.duty_weekly(),
            exceptions_of(exceptions.get(station.pk, [])),
            taken.get(station.pk, set()),
        ):
            gaps.append(Gap(station, shift))
    return sorted(gaps, key=lambda g: (g.shift.starts_at(), g.station.name))


def duty_minutes(
    *, pioneer: Pioneer, since: date | None = None, until: datetime | None = None
) -> int:
    """The minutes of duty the pioneer did (shifts ended, the part of one under way), from
    `since` — for the volunteer hours that count them."""
    return duty_minutes_by_pioneer([pioneer.pk], since=since, until=until).get(pioneer.pk, 0)


def duty_minutes_by_pioneer(
    pioneer_ids: Iterable[int], *, since: date | None = None, until: datetime | None = None
) -> dict[int, int]:
    """{pioneer id: minutes of duty done} for many pioneers, in one query."""
    until = until or timezone.now()
    qs = DutyShift.objects.filter(
        pioneer_id__in=list(pioneer_ids), date__lte=until.astimezone(TZ).date()
    )
    if since is not None:
        qs = qs.filter(date__gte=since)
    shifts: dict[int, list[roster.Shift]] = {}
    for pid, day, start, end in qs.values_list("pioneer_id", "date", "start", "end"):
        shifts.setdefault(pid, []).append(roster.Shift(day, start, end))
    return {pid: roster.duty_minutes(rows, until) for pid, rows in shifts.items()}


def swap_choices(*, shift: DutyShift) -> QuerySet[Pioneer]:
    """The station's other volunteers with a login, who could take the shift over."""
    return (
        Pioneer.objects.filter(
            pk__in=shift.station.volunteers.values("pioneer"), user__isnull=False
        )
        .exclude(pk=shift.pioneer_id)
        .order_by("code")
    )
