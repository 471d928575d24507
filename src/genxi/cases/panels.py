"""The request loop's dashboard panels (core/panels.py): each answers from the daily
roll-ups (`CaseRollup`), never by scanning cases, except the "now" figures (overdue,
flagged, escalated and open), which are indexed queries on the open cases.

The rates are those of `selectors.metrics` (docs/metrics.md), computed from the same counts:
a dashboard's figure for a place and period is the statistics page's for the same filter.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode

from django.db.models import Avg, Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, Floor
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from genxi.core.panels import Panel, Period
from genxi.core.roles import Perm
from genxi.core.scope import scope_for
from genxi.regions.models import Level as RegionLevel
from genxi.regions.models import Region
from genxi.regions.selectors import in_tile_datum, point_in_tile_datum

from .domain.rollup import COUNTS, FIELDS
from .domain.states import Level
from .models import Case, CaseLevel, CaseRollup, Category, Channel

CASES = gettext_lazy("民情诉求")
SUMS = {name: Sum(name) for name in FIELDS}


# Reading the roll-ups --------------------------------------------------------------------


def covers(user: Any, region: Region) -> bool:
    """Whether the viewer sees every case placed at or under `region` (its scope holds the
    place): the panels answer only then, and then need no per-row scope filter."""
    scope = scope_for(user)
    if not scope.has(Perm.VIEW_DATA):
        return False
    return scope.is_global or any(region.path.startswith(p) for p in scope.paths)


def places_under(region: Region) -> Any:
    return Region.objects.filter(path__startswith=region.path).values("pk")


def rollups(user: Any, region: Region, period: Period | None) -> QuerySet[CaseRollup]:
    """The roll-up rows of the cases received in the period (None: ever) at or under
    `region`, of the period's category (a top-level code, with its children); none when the
    viewer's scope does not hold the place."""
    if not covers(user, region):
        return CaseRollup.objects.none()
    qs = CaseRollup.objects.filter(region_id__in=places_under(region))
    if period is None:
        return qs.order_by()
    qs = qs.filter(day__gte=period.start, day__lt=period.end)
    if period.category:
        qs = qs.filter(
            Q(category__code=period.category) | Q(category__code__startswith=f"{period.category}.")
        )
    return qs.order_by()


def totals(user: Any, region: Region, period: Period) -> dict[str, int]:
    found = rollups(user, region, period).aggregate(**SUMS)
    return {k: v or 0 for k, v in found.items()}


def rates(counts: dict[str, int]) -> dict[str, float | None]:
    """The loop's rates from the roll-ups' counts: as `selectors.metrics` answers them."""

    def rate(part: str, whole: str) -> float | None:
        return round(counts[part] / counts[whole], 4) if counts[whole] else None

    hours = counts["handling_us"] / counts["resolved"] / 3.6e9 if counts["resolved"] else None
    return {
        "response_rate": rate("responded", "valid"),
        "on_time_response_rate": rate("responded_in_time", "valid"),
        "on_time_resolution_rate": rate("resolved_in_time", "resolved"),
        "resolution_rate": rate("resolved", "valid"),
        "satisfaction_rate": rate("satisfied", "rated"),
        "rework_rate": rate("reworked", "resolved"),
        "return_rate": rate("returned", "valid"),
        "extension_rate": rate("extended", "valid"),
        "avg_handling_hours": round(hours, 1) if hours is not None else None,
    }


def figures(user: Any, region: Region, period: Period) -> dict[str, Any]:
    """The period's counts and rates for a place: what `metrics()` says for the same
    filter (a test holds them equal), for the dashboards and the monthly report."""
    counts = totals(user, region, period)
    return {"counts": {k: counts[k] for k in COUNTS}, **rates(counts), "raw": counts}


# Links to the cases behind a figure -------------------------------------------------------


def queue_url(region: Region, period: Period | None = None, **filters: str) -> str:
    """The case queue with the filters that give the cases behind a figure."""
    params: dict[str, str] = {"region": region.code}
    if period is not None:
        params["since"] = period.start.isoformat()
        params["until"] = (period.end - timedelta(days=1)).isoformat()
        if period.category:
            params["category"] = period.category
    params.update({k: v for k, v in filters.items() if v})
    return f"{reverse('cases:queue')}?{urlencode(params)}"


def dashboard_url(region: Region, period: Period) -> str:
    params = {"from": period.start.isoformat(), "to": (period.end - timedelta(1)).isoformat()}
    if period.grain != "day":
        params["grain"] = period.grain
    if period.category:
        params["category"] = period.category
    return f"{reverse('dashboards:region', args=[region.code])}?{urlencode(params)}"


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


# Panels -----------------------------------------------------------------------------------


def headline(user: Any, region: Region, period: Period) -> dict[str, Any]:
    f = figures(user, region, period)
    received = f["counts"]["received"]
    hours = f["avg_handling_hours"]
    return {
        "items": [
            {"label": _("受理诉求"), "value": received, "url": queue_url(region, period)},
            {"label": _("响应率"), "value": _percent(f["response_rate"])},
            {"label": _("按期办结率"), "value": _percent(f["on_time_resolution_rate"])},
            {"label": _("解决率"), "value": _percent(f["resolution_rate"])},
            {"label": _("满意率"), "value": _percent(f["satisfaction_rate"])},
            {"label": _("返工率"), "value": _percent(f["rework_rate"])},
            {
                "label": _("平均处置时长"),
                "value": "—" if hours is None else _("%(h)s 小时") % {"h": hours},
            },
        ]
    }


# The states of a case open and not yet resolved: `CaseQuerySet.overdue`'s, those of the
# partial index `case_open_deadline`.
UNRESOLVED = ["submitted", "accepted", "dispatched", "in_progress"]


def overdue_count(user: Any, region: Region) -> int:
    """已超期 now: open, unresolved cases past their deadline (`Case.is_overdue`), counted on
    the partial index of the open cases' deadlines."""
    if not covers(user, region):
        return 0
    return (
        Case.objects.filter(
            region_id__in=places_under(region),
            state__in=UNRESOLVED,
            resolve_by__lt=timezone.now(),
        )
        .order_by()
        .count()
    )


def now(user: Any, region: Region, period: Period) -> dict[str, Any]:
    """Figures of this moment, whatever the period: open, flagged and escalated from the
    roll-ups (every day), overdue from the open cases' deadline index."""
    found = rollups(user, region, None).aggregate(
        open=Sum("open"), flagged=Sum("flagged_open"), escalated=Sum("escalated_open")
    )
    n = {k: v or 0 for k, v in found.items()} | {"overdue": overdue_count(user, region)}
    return {
        "items": [
            {"label": _("未办结"), "value": n["open"], "url": queue_url(region)},
            {
                "label": _("已超期"),
                "value": n["overdue"],
                "url": queue_url(region, queue="overdue"),
                "tone": "danger" if n["overdue"] else "",
            },
            {
                "label": _("督办中"),
                "value": n["flagged"],
                "url": queue_url(region, queue="flagged"),
                "tone": "warning" if n["flagged"] else "",
            },
            {
                "label": _("上报街道未结"),
                "value": n["escalated"],
                "url": queue_url(region, queue="escalated"),
            },
        ]
    }


def _by_bucket(user: Any, region: Region, period: Period) -> dict[date, int]:
    found: dict[date, int] = defaultdict(int)
    for day, n in rollups(user, region, period).values_list("day").annotate(n=Sum("received")):
        found[period.bucket(day)] += n
    return found


def volume(user: Any, region: Region, period: Period) -> dict[str, Any]:
    """Cases received per day, week or month, against the same days last year."""
    buckets = period.buckets()
    now_counts = _by_bucket(user, region, period)
    before = period.last_year()
    then_counts = _by_bucket(user, region, before)
    then = before.buckets()
    return {
        "x": [period.label(b) for b in buckets],
        "series": [
            {"name": _("本期"), "data": [now_counts.get(b, 0) for b in buckets]},
            {
                "name": _("去年同期"),
                "data": [then_counts.get(b, 0) if b else 0 for b in _aligned(then, buckets)],
            },
        ],
    }


def _aligned(then: list[date], buckets: list[date]) -> list[date | None]:
    """Last year's buckets, one for each of this period's (by position)."""
    return [then[i] if i < len(then) else None for i in range(len(buckets))]


def categories(user: Any, region: Region, period: Period) -> dict[str, Any]:
    """Cases received by top-level category, largest first; each slice leads to its cases."""
    rows = (
        rollups(user, region, period)
        .annotate(top=Coalesce("category__parent_id", "category_id"))
        .values("top")
        .annotate(n=Sum("received"))
        .order_by("-n")
    )
    names = {c.pk: c for c in Category.objects.filter(parent=None)}
    items = []
    for row in rows:
        if not row["n"]:
            continue
        category = names.get(row["top"])
        items.append(
            {
                "name": category.label if category else _("未分类"),
                "value": row["n"],
                "url": queue_url(region, period, category=category.code) if category else "",
            }
        )
    return {"items": items}


def channels(user: Any, region: Region, period: Period) -> dict[str, Any]:
    labels = dict(Channel.choices)
    rows = [
        r
        for r in rollups(user, region, period)
        .values("channel")
        .annotate(n=Sum("received"))
        .order_by("-n")
        if r["n"]
    ]
    return {
        "x": [str(labels.get(r["channel"], r["channel"])) for r in rows],
        "series": [{"name": _("诉求数"), "data": [r["n"] for r in rows]}],
    }


CHILD_LEVEL = {RegionLevel.STREET: RegionLevel.COMMUNITY, RegionLevel.COMMUNITY: RegionLevel.GRID}


def children(region: Region) -> list[Region]:
    level = CHILD_LEVEL.get(region.level)  # type: ignore[call-overload]
    if level is None:
        return []
    return list(Region.objects.filter(path__startswith=region.path, level=level).order_by("code"))


def ranking(user: Any, region: Region, period: Period) -> dict[str, Any]:
    """The 12345 figures per community (on a street's dashboard) or grid (a community's),
    best resolution first; each place leads to its own dashboard, its count to its cases."""
    places = children(region)
    by_region: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(FIELDS, 0))
    rows: Any = rollups(user, region, period).values("region__path").annotate(**SUMS)
    for row in rows:
        path = row.pop("region__path")
        for place in places:
            if path.startswith(place.path):
                for k, v in row.items():
                    by_region[place.pk][k] += v or 0
                break
    table: list[dict[str, Any]] = []
    for place in places:
        counts = by_region[place.pk]
        r = rates(counts)
        table.append(
            {
                "name": place.name,
                "url": dashboard_url(place, period),
                "received": counts["received"],
                "received_url": queue_url(place, period),
                "response_rate": _percent(r["response_rate"]),
                "on_time_resolution_rate": _percent(r["on_time_resolution_rate"]),
                "resolution_rate": _percent(r["resolution_rate"]),
                "satisfaction_rate": _percent(r["satisfaction_rate"]),
                "rework_rate": _percent(r["rework_rate"]),
                "avg_handling_hours": "—"
                if r["avg_handling_hours"] is None
                else r["avg_handling_hours"],
                "_sort": (r["on_time_resolution_rate"] or -1, counts["received"]),
            }
        )
    table.sort(key=lambda row: row.pop("_sort"), reverse=True)
    columns = [
        {"key": "received", "label": _("受理")},
        {"key": "response_rate", "label": _("响应率")},
        {"key": "on_time_resolution_rate", "label": _("按期办结率")},
        {"key": "resolution_rate", "label": _("解决率")},
        {"key": "satisfaction_rate", "label": _("满意率")},
        {"key": "rework_rate", "label": _("返工率")},
        {"key": "avg_handling_hours", "label": _("平均处置时长(小时)")},
    ]
    for row in table:  # the cells in the columns' order, for the page's table
        row["cells"] = [
            {"value": row[c["key"]], "url": row.get(f"{c['key']}_url", "")} for c in columns
        ]
    return {"columns": columns, "rows": table}


def levels(user: Any, region: Region, period: Period) -> dict[str, Any]:
    """吹哨报到: per level the cases it received, resolved itself and passed on (the
    street: sent back down), as the statistics page counts them."""
    t = totals(user, region, period)
    labels = dict(CaseLevel.choices)
    rows = [
        (Level.GRID, t["to_grid"], t["grid_own"], t["grid_up"]),
        (Level.COMMUNITY, t["valid"], t["community_own"], t["escalated"]),
        (Level.STREET, t["escalated"], t["street_own"], t["sent_down"]),
    ]
    return {
        "x": [str(labels[str(level)]) for level, *_rest in rows],
        "series": [
            {"name": _("接收"), "data": [r[1] for r in rows]},
            {"name": _("自行办结"), "data": [r[2] for r in rows]},
            {"name": _("上报/退回"), "data": [r[3] for r in rows]},
        ],
    }


def density(user: Any, region: Region, period: Period) -> dict[str, Any]:
    """Cases received per grid (a case placed on a community counts on no grid), with each
    grid's outline: the map's heat."""
    grids = list(
        Region.objects.filter(path__startswith=region.path, level=RegionLevel.GRID)
        .select_related("parent")
        .order_by("code")
    )
    counts = dict(
        rollups(user, region, period)
        .filter(region__level=RegionLevel.GRID)
        .values_list("region_id")
        .annotate(n=Sum("received"))
    )
    features = []
    for grid in grids:
        if not grid.geometry:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": grid.geometry,
                "properties": {
                    "name": grid.full_name,
                    "value": counts.get(grid.pk, 0),
                    "url": dashboard_url(grid, period),
                    "cases": queue_url(grid, period),
                },
            }
        )
    shifted = in_tile_datum({"type": "FeatureCollection", "features": features})
    return {
        "features": shifted["features"],
        "max": max(counts.values(), default=0),
        "points": case_points(user, region, period),
    }


# The cases' points, binned on the server: a square of about BIN_METRES a side.
BIN_METRES = 100
DEGREE_METRES = 111_320


def local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def case_points(user: Any, region: Region, period: Period) -> dict[str, Any]:
    """The period's cases with a location, counted in squares of about `BIN_METRES` (one
    grouped query over the place's cases of the period, on the index of a place's cases by
    day received): each bin its mean point (in the tiles' datum), its count and the place
    its cases were placed in; the map draws the bins as heat and gathers them into clusters
    on the phone's or desk's screen, each cluster leading to the case queue of the smallest
    place holding its cases, with the period and category (docs/dashboards.md)."""
    empty: dict[str, Any] = {"bins": [], "places": {}, "queue": "", "max": 0, "without": 0}
    if not covers(user, region):
        return empty
    step_lat = BIN_METRES / DEGREE_METRES
    centre = region.center_lat if region.center_lat is not None else 31.3
    step_lon = step_lat / math.cos(math.radians(centre))
    cases = Case.objects.filter(
        region_id__in=places_under(region),
        created_at__gte=local_midnight(period.start),
        created_at__lt=local_midnight(period.end),
    )
    if period.category:  # the category's ids first: the cases' filter stays on the index
        ids = Category.objects.filter(
            Q(code=period.category) | Q(code__startswith=f"{period.category}.")
        ).values_list("pk", flat=True)
        cases = cases.filter(category_id__in=list(ids))
    located = cases.filter(lat__isnull=False, lon__isnull=False)
    rows = list(
        located.order_by()
        .annotate(i=Floor(F("lat") / step_lat), j=Floor(F("lon") / step_lon))
        .values("i", "j", "region_id")
        .annotate(n=Count("id"), lat=Avg("lat"), lon=Avg("lon"))
    )
    without = cases.filter(Q(lat__isnull=True) | Q(lon__isnull=True)).order_by().count()
    places = dict(
        Region.objects.filter(pk__in={r["region_id"] for r in rows}).values_list("pk", "path")
    )
    bins = []
    for row in rows:
        lat, lon = point_in_tile_datum(row["lat"], row["lon"])
        bins.append([round(lat, 6), round(lon, 6), row["n"], row["region_id"]])
    params: dict[str, str] = {
        "since": period.start.isoformat(),
        "until": (period.end - timedelta(days=1)).isoformat(),
    }
    if period.category:
        params["category"] = period.category
    return {
        "bins": bins,
        "places": {str(pk): path for pk, path in places.items()},
        "queue": f"{reverse('cases:queue')}?{urlencode(params)}",
        "max": max((b[2] for b in bins), default=0),
        "metres": BIN_METRES,
        "without": without,
    }


PANELS = [
    Panel(
        "cases.headline", gettext_lazy("本期诉求"), "figures", headline, section=CASES, wide=True
    ),
    Panel("cases.now", gettext_lazy("当前"), "figures", now, section=CASES, wide=True),
    Panel(
        "cases.volume",
        gettext_lazy("诉求量趋势(与去年同期)"),
        "line",
        volume,
        section=CASES,
        wide=True,
    ),
    Panel("cases.categories", gettext_lazy("按类别"), "pie", categories, section=CASES),
    Panel("cases.channels", gettext_lazy("按来源"), "bar", channels, section=CASES),
    Panel(
        "cases.ranking",
        gettext_lazy("12345 指标排名"),
        "ranking",
        ranking,
        levels=frozenset({"street", "community"}),
        section=CASES,
        wide=True,
    ),
    Panel("cases.levels", gettext_lazy("分级办理(吹哨报到)"), "bar", levels, section=CASES),
    Panel(
        "cases.density",
        gettext_lazy("诉求密度(按网格)"),
        "map",
        density,
        section=CASES,
        levels=frozenset({"street", "community"}),
    ),
]
