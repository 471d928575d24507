"""The weeks of a month view and the days of a week view (Monday first)."""

from __future__ import annotations

from datetime import date, timedelta


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    first = month_start(day)
    return (first + timedelta(days=32)).replace(day=1)


def previous_month(day: date) -> date:
    return (month_start(day) - timedelta(days=1)).replace(day=1)


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def month_weeks(month: date) -> list[list[date]]:
    """The Monday-to-Sunday weeks that cover the month (days of the neighbouring months
    fill the first and last rows)."""
    first = month_start(month)
    end = next_month(first)
    day = week_start(first)
    weeks: list[list[date]] = []
    while day < end:
        weeks.append([day + timedelta(days=i) for i in range(7)])
        day += timedelta(days=7)
    return weeks


def week_days(monday: date) -> list[date]:
    monday = week_start(monday)
    return [monday + timedelta(days=i) for i in range(7)]


def weekends(month: date) -> list[date]:
    """The Saturdays and Sundays of the month."""
    first = month_start(month)
    end = next_month(first)
    days = [first + timedelta(days=i) for i in range((end - first).days)]
    return [d for d in days if d.weekday() >= 5]
