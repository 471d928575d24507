"""Visit cycles: a community visits every household once in each cycle of N months,
cycles aligned to the calendar (a quarter: January–March, April–June, …)."""

from __future__ import annotations

from datetime import date

CYCLE_MONTHS = (1, 2, 3, 6, 12)  # the lengths a community may choose; 3: a quarter


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    """The first of the month `months` after `day`'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def cycle_bounds(day: date, months: int) -> tuple[date, date]:
    """(first day, first day after) of the cycle holding `day`."""
    if months not in CYCLE_MONTHS:
        raise ValueError(f"a cycle is one of {CYCLE_MONTHS} months, not {months}")
    first_month = (day.month - 1) // months * months + 1
    start = date(day.year, first_month, 1)
    return start, add_months(start, months)


def months_left(day: date, months: int) -> int:
    """The months of the cycle from `day`'s month to its end, this month included."""
    _start, end = cycle_bounds(day, months)
    return (end.year - day.year) * 12 + end.month - day.month
