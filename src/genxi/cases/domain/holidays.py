"""China's official holidays and adjusted workdays (调休), from the `chinesecalendar` package.

The package ships the State Council's yearly arrangements as data (no network), and a new
release follows each year's announcement (usually in November). A year it does not carry is
refused, never guessed: a weekend-only calendar would move every deadline past 春节 and 国庆.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from importlib.metadata import version

import chinese_calendar
from chinese_calendar.constants import Holiday

PACKAGE = "chinesecalendar"


@dataclass(frozen=True)
class OfficialDay:
    date: date
    is_workday: bool  # True: a weekend day worked in lieu (调休上班); False: a day off
    name: str  # Chinese: 春节, 国庆节 …; 春节调休 for a worked weekend


class YearNotCovered(LookupError):
    def __init__(self, year: int, covered: range) -> None:
        self.year, self.covered = year, covered
        super().__init__(
            f"{PACKAGE} {package_version()} has no holidays for {year}: "
            f"it covers {covered.start}–{covered.stop - 1}"
        )


def package_version() -> str:
    return version(PACKAGE)


def covered_years() -> range:
    """The years the installed package carries the official arrangement for."""
    years = {d.year for d in chinese_calendar.holidays}
    return range(min(years), max(years) + 1)


def _chinese(english: str) -> str:
    try:
        chinese: str = Holiday(english).chinese  # chinese_calendar has no types
        return chinese
    except ValueError:
        return english


def official_days(year: int) -> list[OfficialDay]:
    """Every holiday and adjusted workday of `year`, by date; YearNotCovered if unknown."""
    covered = covered_years()
    if year not in covered:
        raise YearNotCovered(year, covered)
    days = [
        OfficialDay(d, False, _chinese(name))
        for d, name in chinese_calendar.holidays.items()
        if d.year == year
    ]
    days += [
        OfficialDay(d, True, f"{_chinese(name)}调休")
        for d, name in chinese_calendar.workdays.items()
        if d.year == year
    ]
    return sorted(days, key=lambda day: day.date)
