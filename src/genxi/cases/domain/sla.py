"""Deadlines in working time: a calendar of working hours, holidays and make-up workdays.

Pure Python; datetimes are aware and computed in the calendar's time zone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class WorkCalendar:
    """Working hours on working days. Weekends are off unless listed as make-up workdays."""

    holidays: frozenset[date] = field(default_factory=frozenset)
    workdays: frozenset[date] = field(default_factory=frozenset)  # 调休上班
    start: time = time(8, 30)
    end: time = time(17, 30)
    tz: ZoneInfo = SHANGHAI

    def is_workday(self, day: date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    @property
    def hours_per_day(self) -> float:
        return (datetime.combine(date.min, self.end) - datetime.combine(date.min, self.start)) / (
            timedelta(hours=1)
        )

    def _next_work_start(self, moment: datetime) -> datetime:
        """The earliest working instant at or after `moment`."""
        local = moment.astimezone(self.tz)
        day = local.date()
        if self.is_workday(day) and local.time() < self.end:
            if local.time() < self.start:
                return datetime.combine(day, self.start, self.tz)
            return local
        day += timedelta(days=1)
        while not self.is_workday(day):
            day += timedelta(days=1)
        return datetime.combine(day, self.start, self.tz)

    def add_hours(self, moment: datetime, hours: float) -> datetime:
        """`moment` plus `hours` of working time."""
        if moment.tzinfo is None:
            raise ValueError("naive datetime")
        remaining = timedelta(hours=hours)
        current = self._next_work_start(moment)
        while True:
            day_end = datetime.combine(current.date(), self.end, self.tz)
            available = day_end - current
            if remaining <= available:
                return current + remaining
            remaining -= available
            current = self._next_work_start(day_end + timedelta(microseconds=1))

    def add_days(self, moment: datetime, days: int) -> datetime:
        """The end of the working day `days` working days after `moment`'s day."""
        if moment.tzinfo is None:
            raise ValueError("naive datetime")
        day = moment.astimezone(self.tz).date()
        counted = 0
        while counted < days:
            day += timedelta(days=1)
            if self.is_workday(day):
                counted += 1
        if days == 0 and not self.is_workday(day):
            return self._next_work_start(moment)
        return datetime.combine(day, self.end, self.tz)

    def working_hours_between(self, start: datetime, end: datetime) -> float:
        """Working hours from `start` to `end` (0 if end is earlier)."""
        if end <= start:
            return 0.0
        total = timedelta()
        current = self._next_work_start(start)
        while current < end:
            day_end = datetime.combine(current.date(), self.end, self.tz)
            total += min(day_end, end) - current
            current = self._next_work_start(day_end + timedelta(microseconds=1))
        return total / timedelta(hours=1)


URGENCY_FACTOR = {"normal": 1.0, "urgent": 0.5, "emergency": 0.25}


@dataclass(frozen=True)
class Deadlines:
    respond_by: datetime
    resolve_by: datetime


def deadlines(
    calendar: WorkCalendar,
    received: datetime,
    *,
    response_hours: float,
    resolve_days: int,
    urgency: str = "normal",
) -> Deadlines:
    """Response in working hours, resolution in working days, shortened for urgent cases."""
    factor = URGENCY_FACTOR.get(urgency, 1.0)
    respond_by = calendar.add_hours(received, max(response_hours * factor, 0.5))
    if factor < 1.0:
        # Urgent work is counted in working hours: a fraction of the days' hours.
        resolve_by = calendar.add_hours(received, resolve_days * calendar.hours_per_day * factor)
    else:
        resolve_by = calendar.add_days(received, resolve_days)
    return Deadlines(respond_by, resolve_by)
