"""Opening hours of a station: a weekly pattern and dated exceptions, in Asia/Shanghai.

A day's hours are intervals of minutes since midnight, `(start, end)` with
`0 <= start < end <= 1440`, sorted and not overlapping. The weekly pattern maps a weekday
(Monday 0 … Sunday 6) to its intervals; an exception maps a date to that day's intervals
instead (an empty tuple: closed all day). Text form: "08:00-12:00, 14:00-20:00"."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Shanghai")
DAY = 24 * 60
Interval = tuple[int, int]
Intervals = tuple[Interval, ...]
Weekly = Mapping[int, Intervals]
Exceptions = Mapping[date, Intervals]

_PART = re.compile(r"^\s*(\d{1,2})[:：](\d{2})\s*[-–~～至到]\s*(\d{1,2})[:：](\d{2})\s*$")


class HoursError(ValueError):
    """Text that is not a day's hours; the message says what is wrong."""


def _minutes(hour: str, minute: str) -> int:
    h, m = int(hour), int(minute)
    if m > 59 or h > 24 or (h == 24 and m):
        raise HoursError(f"{hour}:{minute}")
    return h * 60 + m


def parse_day(text: str) -> Intervals:
    """ "08:00-12:00, 14:00-20:00" → ((480, 720), (840, 1200)); "" → () (closed)."""
    parts = [p for p in re.split(r"[,,、;;]", text.strip()) if p.strip()]
    found: list[Interval] = []
    for part in parts:
        match = _PART.match(part)
        if match is None:
            raise HoursError(part)
        start, end = _minutes(*match.group(1, 2)), _minutes(*match.group(3, 4))
        if end <= start:
            raise HoursError(part)
        found.append((start, end))
    found.sort()
    for (_s1, e1), (s2, _e2) in zip(found, found[1:], strict=False):
        if s2 < e1:
            raise HoursError(text)
    return tuple(found)


def format_minutes(value: int) -> str:
    return f"{value // 60}:{value % 60:02d}"


def format_day(intervals: Intervals) -> str:
    """((480, 720),) → "08:00-12:00" (the form's text; the inverse of `parse_day`)."""
    return ", ".join(f"{s // 60:02d}:{s % 60:02d}-{e // 60:02d}:{e % 60:02d}" for s, e in intervals)


def day_hours(day: date, weekly: Weekly, exceptions: Exceptions) -> Intervals:
    """The hours that hold on `day`: its exception if it has one, else its weekday's."""
    if day in exceptions:
        return tuple(exceptions[day])
    return tuple(weekly.get(day.weekday(), ()))


def _local(at: datetime) -> datetime:
    if at.tzinfo is None:
        raise ValueError("a naive datetime: give the moment with its time zone")
    return at.astimezone(TZ)


def is_open(at: datetime, weekly: Weekly, exceptions: Exceptions) -> bool:
    """Whether the station is open at the moment `at` (aware; read in Asia/Shanghai)."""
    local = _local(at)
    minute = local.hour * 60 + local.minute
    return any(s <= minute < e for s, e in day_hours(local.date(), weekly, exceptions))


@dataclass(frozen=True)
class Status:
    """What the public sees: open now (and until when), or closed (and when it opens)."""

    open: bool
    until: datetime | None = None  # when open: the end of the current interval
    opens: datetime | None = None  # when closed: the next opening within `horizon` days


def _at(day: date, minute: int) -> datetime:
    if minute == DAY:
        return datetime.combine(day + timedelta(days=1), time(0), tzinfo=TZ)
    return datetime.combine(day, time(minute // 60, minute % 60), tzinfo=TZ)


def _end_of_run(
    day: date, end: int, weekly: Weekly, exceptions: Exceptions, horizon: int
) -> datetime:
    """Where an open spell that reaches `end` on `day` really ends: an interval starting
    where it stops (the same day, or 0:00 after a 24:00) carries it on."""
    for _ in range(horizon * 4):
        hours = day_hours(day, weekly, exceptions)
        following = [e for s, e in hours if s == end]
        if following:
            end = following[0]
            continue
        if end == DAY:
            nxt = day_hours(day + timedelta(days=1), weekly, exceptions)
            if nxt and nxt[0][0] == 0:
                day, end = day + timedelta(days=1), 0
                continue
        break
    return _at(day, end)


def status(at: datetime, weekly: Weekly, exceptions: Exceptions, horizon: int = 14) -> Status:
    """Open now and until when (an interval that another continues — the same day, or
    from 0:00 after 24:00 — runs on), or the next opening within `horizon` days (None:
    none known)."""
    local = _local(at)
    minute = local.hour * 60 + local.minute
    today = local.date()
    for s, e in day_hours(today, weekly, exceptions):
        if s <= minute < e:
            return Status(True, until=_end_of_run(today, e, weekly, exceptions, horizon))
    for offset in range(horizon + 1):
        day = today + timedelta(days=offset)
        for s, _e in day_hours(day, weekly, exceptions):
            if offset or s > minute:
                return Status(False, opens=_at(day, s))
    return Status(False)


def weekly_from_json(data: Mapping[str, list[list[int]]]) -> dict[int, Intervals]:
    """The stored pattern ({"0": [[480, 1200]], …}) as the domain's mapping."""
    return {int(k): tuple((int(s), int(e)) for s, e in v) for k, v in data.items()}


def weekly_to_json(weekly: Weekly) -> dict[str, list[list[int]]]:
    return {str(k): [[s, e] for s, e in v] for k, v in sorted(weekly.items()) if v}
