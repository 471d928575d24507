"""Dates of a weekly service (pure Python)."""

from __future__ import annotations

from datetime import date, timedelta

MAX_WEEKS = 53  # a service's slots are laid out at most a year ahead


def weekly_dates(first: date, last: date, weekday: int) -> list[date]:
    """Every `weekday` (0 = Monday) from `first` to `last`, both included, at most a year."""
    if not 0 <= weekday <= 6:
        raise ValueError("weekday is 0 (Monday) to 6 (Sunday)")
    start = first + timedelta(days=(weekday - first.weekday()) % 7)
    dates: list[date] = []
    day = start
    while day <= last and len(dates) < MAX_WEEKS:
        dates.append(day)
        day += timedelta(days=7)
    return dates
