"""The monthly report's figures, read through the dashboards' own selectors (the panels of
`core.panels.REGISTRY`), so the report, the dashboard and `genxi stats --json` agree; and
the kept reports a viewer may download."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import QuerySet, Sum
from django.http import Http404

from genxi.cases import panels as case_panels
from genxi.core.panels import Period, answer, panels_for
from genxi.core.roles import Perm
from genxi.core.scope import Scope
from genxi.dashboards.selectors import place_or_404
from genxi.regions.models import Level, Region

from .domain.narrative import Facts, Month, summary
from .models import MonthlyReport

# The request panels the report lays out itself (figures, trend, categories, places);
# every other panel of the place's level is printed as it comes, so panels that other apps
# add later (services, events, volunteer hours …) appear in the report too.
OWN = {"cases.headline", "cases.volume", "cases.categories", "cases.ranking", "cases.density"}
LEVELS = (Level.STREET, Level.COMMUNITY)
TOP = 5


class SystemViewer:
    """Whom the background worker reads as: every place, every figure (a global scope).
    It writes nothing and is never a request's user; the report it makes records no
    person (`made_by` empty: 系统)."""

    is_authenticated = True
    is_active = True
    pk = None

    def __init__(self) -> None:
        # core.scope caches a user's scope on the object: this one is set, never computed.
        self._genxi_scope = Scope(is_global=True, perms=frozenset(str(p) for p in Perm))

    def __str__(self) -> str:
        return "系统"


SYSTEM = SystemViewer()


def month_period(month: date) -> Period:
    return Period.month(month.year, month.month)


def previous_month(month: date) -> date:
    return date(month.year - 1, 12, 1) if month.month == 1 else date(month.year, month.month - 1, 1)


def last_complete_month(today: date) -> date:
    return previous_month(today.replace(day=1))


def place_or_404_for_report(user: Any, code: str) -> Region:
    """A street or community of the viewer's own area (its dashboard's rule); a grid has no
    monthly report; anything else is a 404."""
    place = place_or_404(user, code)
    if place.level not in LEVELS:
        raise Http404
    return place


@dataclass
class ReportData:
    place: Region
    month: date
    figures: dict[str, Any]
    last_month: dict[str, Any]
    last_year: dict[str, Any]
    categories: list[dict[str, Any]]
    places: list[dict[str, Any]]
    grids: list[tuple[str, int]]
    ranking: dict[str, Any]
    days: dict[str, Any]
    year: dict[str, Any]
    panels: list[dict[str, Any]] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)

    @property
    def period(self) -> Period:
        return month_period(self.month)

    @property
    def title_month(self) -> str:
        return f"{self.month.year}年{self.month.month}月"


def _month(figures: dict[str, Any]) -> Month:
    return Month(
        received=figures["counts"]["received"],
        response_rate=figures["response_rate"],
        on_time_resolution_rate=figures["on_time_resolution_rate"],
        resolution_rate=figures["resolution_rate"],
        satisfaction_rate=figures["satisfaction_rate"],
        rework_rate=figures["rework_rate"],
        avg_handling_hours=figures["avg_handling_hours"],
    )


def _grids(user: Any, place: Region, period: Period) -> list[tuple[str, int]]:
    """The grids that received the most cases in the month (the density panel's counts)."""
    rows = (
        case_panels.rollups(user, place, period)
        .filter(region__level=Level.GRID)
        .values("region__name", "region__parent__name")
        .annotate(n=Sum("received"))
        .order_by("-n", "region__name")[:TOP]
    )
    return [(f"{r['region__parent__name']}{r['region__name']}", r["n"]) for r in rows if r["n"]]


def _section_items(p: dict[str, Any]) -> list[tuple[str, str]]:
    """A panel's figures in words for the summary: figures as they are, a pie's slices, a
    bar chart's series totals."""
    data = p["data"]
    if p["chart"] == "figures":
        return [(str(i["label"]), str(i["value"])) for i in data.get("items", [])]
    if p["chart"] == "pie":
        return [(str(i["name"]), str(i["value"])) for i in data.get("items", [])]
    if p["chart"] in ("bar", "line"):
        return [(str(s["name"]), str(sum(s["data"]))) for s in data.get("series", [])]
    return []


def report_data(user: Any, place: Region, month: date) -> ReportData:
    """Everything the month's report prints, from the dashboards' selectors."""
    period = month_period(month)
    before = month_period(previous_month(month))
    year_ago = period.last_year()
    start = month
    for _i in range(11):  # the twelve months ending with this one
        start = previous_month(start)
    twelve = Period(start, period.end, "month")
    figures = case_panels.figures(user, place, period)
    ranking = case_panels.ranking(user, place, period)
    places = sorted(ranking["rows"], key=lambda r: -r["received"])
    panels = [
        answer(p, user, place, period)
        for p in panels_for(place.level)
        if p.key not in OWN and p.chart != "map"
    ]
    data = ReportData(
        place=place,
        month=month,
        figures=figures,
        last_month=case_panels.figures(user, place, before),
        last_year=case_panels.figures(user, place, year_ago),
        categories=case_panels.categories(user, place, period)["items"],
        places=places,
        grids=_grids(user, place, period) if place.level == Level.STREET else [],
        ranking=ranking,
        days=case_panels.volume(user, place, period),
        year=case_panels.volume(user, place, twelve),
        panels=panels,
    )
    facts = Facts(
        place=place.name,
        month=data.title_month,
        now=_month(figures),
        last_month=_month(data.last_month),
        last_year=_month(data.last_year),
        categories=[(str(c["name"]), int(c["value"])) for c in data.categories],
        places=[(str(r["name"]), int(r["received"])) for r in places if r["received"]],
        sections=[
            (str(p["title"]), _section_items(p))
            for p in panels
            if not p["key"].startswith("cases.")
        ],
    )
    data.summary = summary(facts)
    return data


def kept(user: Any, place: Region) -> QuerySet[MonthlyReport]:
    """The reports kept for the place, newest month first (the viewer's scope)."""
    return (
        MonthlyReport.objects.visible_to(user)
        .filter(region=place)
        .select_related("region", "made_by")
        .order_by("-month")
    )


def report_or_none(user: Any, place: Region, month: date) -> MonthlyReport | None:
    return kept(user, place).filter(month=month).first()
