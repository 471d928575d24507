"""The duty roster of a station: a weekly pattern of shifts and dated exceptions, expanded
into the dated shifts volunteers take, in Asia/Shanghai.

A day's shifts are intervals of minutes (as opening hours are, `domain/hours.py`): the
weekly pattern maps a weekday (Monday 0) to its shifts; an exception maps a date to that
day's shifts instead (an empty tuple: no duty that day). One volunteer takes a shift; a
shift nobody took is unstaffed."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from .hours import TZ, Exceptions, Weekly, day_hours

Key = tuple[date, int]  # a shift's date and start minute: what identifies it at a station


@dataclass(frozen=True, order=True)
class Shift:
    day: date
    start: int  # minutes since midnight
    end: int

    @property
    def key(self) -> Key:
        return (self.day, self.start)

    @property
    def minutes(self) -> int:
        return self.end - self.start

    def starts_at(self) -> datetime:
        return _moment(self.day, self.start)

    def ends_at(self) -> datetime:
        return _moment(self.day, self.end)


def _moment(day: date, minutes: int) -> datetime:
    return datetime.combine(day, time(), TZ) + timedelta(minutes=minutes)


def expand(first: date, last: date, weekly: Weekly, exceptions: Exceptions) -> Iterator[Shift]:
    """Every shift from `first` to `last` (both included), in order: each day's exception
    if it has one, else its weekday's pattern."""
    day = first
    while day <= last:
        for start, end in day_hours(day, weekly, exceptions):
            yield Shift(day, start, end)
        day += timedelta(days=1)


def find(day: date, start: int, weekly: Weekly, exceptions: Exceptions) -> Shift | None:
    """The shift that starts at `start` on `day`, if the roster has one."""
    for s, e in day_hours(day, weekly, exceptions):
        if s == start:
            return Shift(day, s, e)
    return None


def unstaffed(
    now: datetime,
    hours: int,
    weekly: Weekly,
    exceptions: Exceptions,
    taken: Iterable[Key],
) -> list[Shift]:
    """The shifts nobody took that have not ended and start within `hours` of `now`."""
    if now.tzinfo is None:
        raise ValueError("a naive datetime: give the moment with its time zone")
    horizon = now + timedelta(hours=hours)
    local = now.astimezone(TZ).date()
    held = set(taken)
    return [
        shift
        for shift in expand(
            local - timedelta(days=1), horizon.astimezone(TZ).date(), weekly, exceptions
        )
        if shift.key not in held and shift.ends_at() > now and shift.starts_at() < horizon
    ]


def duty_minutes(shifts: Iterable[Shift], until: datetime) -> int:
    """The minutes of duty done by `until`: whole shifts ended, the part of one under way."""
    total = 0
    for shift in shifts:
        start, end = shift.starts_at(), min(shift.ends_at(), until)
        if end > start:
            total += int((end - start).total_seconds() // 60)
    return total


def by_key(shifts: Iterable[Shift]) -> Mapping[Key, Shift]:
    return {s.key: s for s in shifts}
