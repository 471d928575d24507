"""Dashboard panels: every app contributes its panels through one registry (as
`core.stats` gathers counts), so the dashboards, the monthly report and any later page ask
the same selectors for the same figures (docs/dashboards.md).

A panel is a selector — `fn(user, region, period) -> dict` answering the chart's data for a
place the user may see, over a period — plus a chart definition (what kind of chart, its
title, on which levels' dashboards it shows). Apps list their panels in a module-level
`PANELS` list and add that list's dotted path to `REGISTRY` below.

The data each chart kind takes (the JSON `static/genxi/dashboards.js` reads):
- `line`, `bar`: {"x": [label, …], "series": [{"name": str, "data": [n, …]}, …]}
- `pie`: {"items": [{"name": str, "value": n, "url": str?}, …]}
- `ranking`: {"columns": [{"key": str, "label": str, "unit": str?}], "rows": [{"name": str,
  "url": str?, key: value, …}]} — drawn as a table on the server, no script needed
- `figures`: {"items": [{"label": str, "value": n | str, "url": str?, "tone": str?}]}
- `map`: {"features": GeoJSON features with properties {"name", "value", "url"}, "points"?:
  {"bins": [[lat, lon, n, place id], …], "places": {place id: path}, "queue": url,
  "metres": n, "max": n, "without": n}} — the cases binned on the server, drawn as heat and
  clusters (each cluster to `queue` with the common place of its bins as `region`)
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import cache
from typing import Any, TypeVar

from django.utils.module_loading import import_string
from django_stubs_ext import StrOrPromise

REGISTRY = [
    "genxi.cases.panels.PANELS",
    "genxi.cobuild.panels.PANELS",
    "genxi.fieldwork.panels.PANELS",
    "genxi.events.panels.PANELS",
    "genxi.campaigns.panels.PANELS",
    "genxi.volunteering.panels.PANELS",
]

CHARTS = ("line", "bar", "pie", "ranking", "figures", "map")
LEVELS = ("street", "community", "grid")
GRAINS = ("day", "week", "month")


@dataclass(frozen=True)
class Period:
    """The days [start, end) a dashboard covers, and how its trend is bucketed."""

    start: date
    end: date
    grain: str = "day"
    category: str = ""  # a top-level category code: the panels that can, filter by it

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    def last_year(self) -> Period:
        """The same days a year before (29 February falls on the 28th)."""
        return replace(self, start=_year_before(self.start), end=_year_before(self.end))

    def bucket(self, day: date) -> date:
        """The first day of the bucket `day` falls in."""
        if self.grain == "week":
            return day - timedelta(days=day.weekday())
        if self.grain == "month":
            return day.replace(day=1)
        return day

    def buckets(self) -> list[date]:
        found: list[date] = []
        day = self.start
        while day < self.end:
            b = self.bucket(day)
            if not found or found[-1] != b:
                found.append(b)
            day += timedelta(days=1)
        return found

    def label(self, bucket: date) -> str:
        if self.grain == "month":
            return bucket.strftime("%Y-%m")
        return bucket.strftime("%m-%d")

    @classmethod
    def month(cls, year: int, month: int, grain: str = "day") -> Period:
        last = calendar.monthrange(year, month)[1]
        return cls(date(year, month, 1), date(year, month, last) + timedelta(days=1), grain)


def _year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


@dataclass(frozen=True)
class Panel:
    key: str
    title: StrOrPromise
    chart: str
    selector: Callable[[Any, Any, Period], dict[str, Any]]
    levels: frozenset[str] = frozenset(LEVELS)
    section: StrOrPromise = ""
    wide: bool = False  # takes the full width of the page
    note: StrOrPromise = ""
    extra: dict[str, Any] = field(default_factory=dict)  # chart options (e.g. "stack")

    def __post_init__(self) -> None:
        if self.chart not in CHARTS:
            raise ValueError(f"unknown chart {self.chart!r}")
        if not self.levels <= set(LEVELS):
            raise ValueError(f"unknown levels {self.levels}")


@cache
def all_panels() -> tuple[Panel, ...]:
    found: list[Panel] = []
    for dotted in REGISTRY:
        found.extend(import_string(dotted))
    keys = [p.key for p in found]
    if len(keys) != len(set(keys)):
        raise ValueError("panel keys must be unique")
    return tuple(found)


def panels_for(level: str) -> list[Panel]:
    return [p for p in all_panels() if level in p.levels]


def panel(key: str) -> Panel:
    for p in all_panels():
        if p.key == key:
            return p
    raise KeyError(key)


def answer(p: Panel, user: Any, region: Any, period: Period) -> dict[str, Any]:
    """A panel's chart definition with its data, ready for the page's JSON block."""
    return {
        "key": p.key,
        "title": str(p.title),
        "chart": p.chart,
        "section": str(p.section),
        "wide": p.wide,
        "note": str(p.note),
        "extra": p.extra,
        "data": p.selector(user, region, period),
    }


# One page's shared reads ------------------------------------------------------------------

T = TypeVar("T")
_SHARED: ContextVar[dict[Hashable, Any] | None] = ContextVar("panels_shared", default=None)


@contextmanager
def shared() -> Iterator[None]:
    """Within this block, the panels answered share their reads: what one panel reads
    through `memo` (e.g. the cases' roll-up slice of a place and period), the next one with
    the same key takes as it is instead of asking the database again. A page (a dashboard,
    a report) opens one block for all its panels; outside any block nothing is kept. A
    block opened inside another is the same block (the page's view and its panels share)."""
    if _SHARED.get() is not None:
        yield
        return
    token = _SHARED.set({})
    try:
        yield
    finally:
        _SHARED.reset(token)


def memo(key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()`, once per key within a `shared()` block (every time outside one). The
    value is shared: callers must not change it."""
    kept = _SHARED.get()
    if kept is None:
        return compute()
    if key not in kept:
        kept[key] = compute()
    return kept[key]
