"""The request loop's dashboard panels (core/panels.py): each answers from the roll-ups,
never by scanning cases — the month rows (`CaseMonthRollup`) for the whole months of a
period, the daily rows (`CaseRollup`) for the days at its edges — except overdue, an
indexed count of the open cases past their deadline.

The panels of one page share one read of the roll-ups (`slice_of`, through
`core.panels.memo`): the period's counts by place, top-level category and channel, which
each panel sums its own way; the trend reads the counts by day or month apart.

The rates are those of `selectors.metrics` (docs/metrics.md), computed from the same counts:
a dashboard's figure for a place and period is the statistics page's for the same filter.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Protocol
from urllib.parse import quote, urlencode

from django.conf import settings
from django.db import connections, router
from django.db.models import F, IntegerField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from genxi.core.memo import Memo
from genxi.core.panels import Panel, Period, memo
from genxi.core.roles import Perm
from genxi.core.scope import scope_for
from genxi.regions.models import Level as RegionLevel
from genxi.regions.models import Region
from genxi.regions.selectors import in_tile_datum, point_in_tile_datum

from . import rollups as case_rollups
from .domain.rollup import COUNTS, FIELDS
from .domain.states import Level
from .models import (
    Case,
    CaseBinRollup,
    CaseDueRollup,
    CaseLevel,
    CaseMonthRollup,
    CaseRollup,
    Category,
    Channel,
)

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


# The counts of a page's place and period, read once --------------------------------------


@dataclass(frozen=True)
class Slice:
    """A page's counts of a place and period, read once (`slice_of`): the counts of
    `FIELDS` per place under it, and the cases received per top-level category and per
    channel."""

    by_place: dict[int, dict[str, int]] = field(default_factory=dict)
    by_top: dict[int | None, int] = field(default_factory=dict)
    by_channel: dict[str, int] = field(default_factory=dict)


def _next_month(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


# A part of a period's reading: ("day" or "month", +1 to add its rows or -1 to take them
# off, the days or months [first, end)).
Part = tuple[str, int, date, date]


def spans(period: Period) -> list[Part]:
    """How a period is read from the roll-ups: its whole months from the month rows; a
    month it covers in part, from the daily rows of its days in the period when they are
    at most half the month, else as the month's row less the daily rows of its days
    outside the period. Every count is a sum, so the parts add up to the period's days."""
    parts: list[Part] = []
    month = period.start.replace(day=1)
    while month < period.end:
        after = _next_month(month)
        first, end = max(month, period.start), min(after, period.end)
        if (first, end) == (month, after) or 2 * (end - first).days > (after - month).days:
            if parts and parts[-1][0] == "month" and parts[-1][3] == month:
                parts[-1] = ("month", 1, parts[-1][2], after)  # one range of whole months
            else:
                parts.append(("month", 1, month, after))
            parts.extend(("day", -1, a, b) for a, b in ((month, first), (end, after)) if a < b)
        else:
            parts.append(("day", 1, first, end))
        month = after
    return parts


def _days(period: Period) -> list[Part]:
    return [("day", 1, period.start, period.end)]


def _parts(period: Period) -> list[Part]:
    if period.category and _top(period) is None:  # not a top-level code: the days only
        return _days(period)
    return spans(period)


def _top(period: Period) -> Category | None:
    """The period's category when it is a top-level one (the month rows hold those)."""
    if not period.category:
        return None
    return memo(
        ("cases.top", period.category),
        lambda: Category.objects.filter(code=period.category, parent=None).first(),
    )


def _day_rows(region: Region, period: Period, span: tuple[date, date]) -> QuerySet[Any]:
    """The daily rows of the days [a, b) (one range: the (place, day) index reads it)."""
    qs = CaseRollup.objects.filter(
        region_id__in=places_under(region), day__gte=span[0], day__lt=span[1]
    )
    if period.category:
        qs = qs.filter(
            Q(category__code=period.category) | Q(category__code__startswith=f"{period.category}.")
        )
    return qs.order_by()


def _all(parts: list[QuerySet[Any]]) -> QuerySet[Any]:
    """The rows of every part, in one query (UNION ALL)."""
    return parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]


def _month_rows(region: Region, period: Period, months: tuple[date, date]) -> QuerySet[Any]:
    """The month rows of the months [first, end)."""
    qs = CaseMonthRollup.objects.filter(
        region_id__in=places_under(region), month__gte=months[0], month__lt=months[1]
    )
    if period.category:
        top = _top(period)
        qs = qs.filter(category_id=top.pk) if top else qs.none()
    return qs.order_by()


def _read(user: Any, region: Region, period: Period) -> Slice:
    found = Slice()
    if not covers(user, region):
        return found
    # The rows of every part as they are (a part taken off with its counts negated), then
    # summed three ways in one statement: per place, per category, per channel.
    signed = [f"s_{n}" for n in FIELDS]
    parts: list[QuerySet[Any]] = []
    for kind, sign, first, end in _parts(period):
        counts = {f"s_{n}": F(n) if sign > 0 else -F(n) for n in FIELDS}
        if kind == "day":
            rows = _day_rows(region, period, (first, end)).annotate(
                top=Coalesce("category__parent_id", "category_id")
            )
        else:
            rows = _month_rows(region, period, (first, end)).annotate(top=F("category_id"))
        parts.append(rows.annotate(**counts).values_list("region_id", "top", "channel", *signed))
    alias = router.db_for_read(CaseRollup)  # the replica's, inside `reading_replica`
    inner, params = _all(parts).query.get_compiler(using=alias).as_sql()
    db = connections[alias]
    q = db.ops.quote_name
    # (as big integers: PostgreSQL's sum of big integers is a numeric, read as a Decimal)
    summed = ", ".join(f"CAST(SUM({q(n)}) AS BIGINT)" for n in signed)
    if db.vendor == "postgresql":
        # One pass over the rows (a grouping set per way): GROUPING() tells the ways apart.
        sql = (
            "SELECT CASE GROUPING(region_id, top, channel) WHEN 3 THEN 0 WHEN 5 THEN 1"
            f" ELSE 2 END, region_id, top, channel, {summed} FROM ({inner}) slice_rows"
            " GROUP BY GROUPING SETS ((region_id), (top), (channel))"
        )
    else:
        nulls = {
            "region_id": "CAST(NULL AS INTEGER)",
            "top": "CAST(NULL AS INTEGER)",
            "channel": "CAST(NULL AS VARCHAR(16))",
        }
        ways = " UNION ALL ".join(
            f"SELECT {way}, "
            + ", ".join(q(c) if c == by else null for c, null in nulls.items())
            + f", {summed} FROM slice_rows GROUP BY {q(by)}"
            for way, by in enumerate(nulls)
        )
        sql = f"WITH slice_rows AS ({inner}) {ways}"
    with db.cursor() as cursor:
        cursor.execute(sql, params)
        for way, region_id, top, channel, *sums in cursor.fetchall():
            if way == 0:
                found.by_place[region_id] = dict(
                    zip(FIELDS, (int(n or 0) for n in sums), strict=True)
                )
            elif way == 1:
                found.by_top[top] = int(sums[0] or 0)  # the cases received
            else:
                found.by_channel[channel] = int(sums[0] or 0)
    return found


def _who(user: Any) -> Any:
    return getattr(user, "pk", None)


def slice_of(user: Any, region: Region, period: Period) -> Slice:
    """The period's counts at or under `region` by place, top-level category and channel
    (of the period's category, if any): read once per page and shared by its panels; empty
    when the viewer's scope does not hold the place. Do not change the answer."""
    return memo(("cases.slice", _who(user), region.pk, period), lambda: _read(user, region, period))


def _sum(rows: Any) -> dict[str, int]:
    total = dict.fromkeys(FIELDS, 0)
    for row in rows:
        for name, n in row.items():
            total[name] += n
    return total


def totals(user: Any, region: Region, period: Period) -> dict[str, int]:
    return dict(
        memo(
            ("cases.totals", _who(user), region.pk, period),
            lambda: _sum(slice_of(user, region, period).by_place.values()),
        )
    )


# A place under a page's place: (id, path, level, code, name, its parent's name, changed).
Under = tuple[int, str, str, str, str, str | None, Any]


def _under(region: Region) -> list[Under]:
    """The places at or under `region`, by code, read once per page (`memo`): the ranking
    finds their children in them, the density map its grids."""
    return memo(
        ("cases.under", region.pk),
        lambda: list(
            Region.objects.filter(path__startswith=region.path)
            .order_by("code")
            .values_list("pk", "path", "level", "code", "name", "parent__name", "updated_at")
        ),
    )


def _places(region: Region) -> dict[int, tuple[str, str]]:
    """The places at or under `region`: id -> (path, level)."""
    return {row[0]: (row[1], row[2]) for row in _under(region)}


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


# A dashboard names hundreds of places (a street's grids on its map): the two paths are
# reversed once per page (`memo`) and each place's code put in, as `reverse` would quote it.
_CODE = "__code__"


def _path(name: str, *args: str) -> str:
    return memo(("cases.path", name, args), lambda: reverse(name, args=args))


def _place_path(name: str, code: str) -> str:
    return _path(name, _CODE).replace(_CODE, quote(code, safe=RFC3986_SUBDELIMS + "/~:@"))


class Coded(Protocol):
    """What the links need of a place: its code."""

    @property
    def code(self) -> str: ...


@dataclass(frozen=True)
class PlaceCode:
    """A place known by its code alone (a map's hundreds of grids: no model instances)."""

    code: str


def queue_url(region: Coded, period: Period | None = None, **filters: str) -> str:
    """The case queue with the filters that give the cases behind a figure."""
    tail = memo(
        ("cases.queue_tail", period, tuple(filters.items())), lambda: _tail(period, filters)
    )
    return f"{_path('cases:queue')}?{urlencode({'region': region.code})}{tail}"


def _tail(period: Period | None, filters: dict[str, str]) -> str:
    """The query string after the place's code (the same for every place of a page)."""
    params: dict[str, str] = {}
    if period is not None:
        params["since"] = period.start.isoformat()
        params["until"] = (period.end - timedelta(days=1)).isoformat()
        if period.category:
            params["category"] = period.category
    params.update({k: v for k, v in filters.items() if v})
    return f"&{urlencode(params)}" if params else ""


def dashboard_url(region: Coded, period: Period) -> str:
    def query() -> str:
        params = {
            "from": period.start.isoformat(),
            "to": (period.end - timedelta(1)).isoformat(),
        }
        if period.grain != "day":
            params["grain"] = period.grain
        if period.category:
            params["category"] = period.category
        return urlencode(params)

    tail = memo(("cases.dashboard_query", period), query)
    return f"{_place_path('dashboards:region', region.code)}?{tail}"


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


def _overdue_today(region: Region, now: datetime) -> int:
    """Of the open, unresolved cases due today, those past their deadline already: a few
    entries of the partial index of the open cases' deadlines."""
    return (
        Case.objects.filter(
            region_id__in=places_under(region),
            state__in=UNRESOLVED,
            resolve_by__gte=local_midnight(timezone.localdate(now)),
            resolve_by__lt=now,
        )
        .order_by()
        .count()
    )


def current(user: Any, region: Region) -> dict[str, int]:
    """The figures of this moment at or under `region`: open, flagged, escalated and open,
    and overdue (open, unresolved, past `resolve_by`: `Case.is_overdue`) — from the
    deadline roll-ups (`CaseDueRollup`), the days before today's whole, today's cases
    counted on the partial index of the open cases' deadlines."""
    found = dict.fromkeys(("open", "flagged", "escalated", "overdue"), 0)
    if not covers(user, region):
        return found
    now = timezone.now()
    today = timezone.localdate(now)
    sums = CaseDueRollup.objects.filter(region_id__in=places_under(region)).aggregate(
        open=Sum("open"),
        flagged=Sum("flagged_open"),
        escalated=Sum("escalated_open"),
        overdue=Sum("unresolved", filter=Q(due__lt=today)),
    )
    found.update({k: v or 0 for k, v in sums.items()})
    found["overdue"] += _overdue_today(region, now)
    return found


def overdue_count(user: Any, region: Region) -> int:
    """已超期 now: open, unresolved cases past their deadline (`Case.is_overdue`)."""
    return current(user, region)["overdue"]


def now(user: Any, region: Region, period: Period) -> dict[str, Any]:
    """Figures of this moment, whatever the period (`current`)."""
    n = current(user, region)
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


def _by_buckets(user: Any, region: Region, periods: list[Period]) -> list[dict[date, int]]:
    """Cases received per bucket of each period, in one query: by month, read as `spans`
    says; by day or week, the daily rows."""
    found: list[dict[date, int]] = [defaultdict(int) for _p in periods]
    if not covers(user, region):
        return found
    # (the first day of) a day or a month, the period it is of, and the cases received then
    parts: list[QuerySet[Any]] = []
    for i, period in enumerate(periods):
        reading = _parts(period) if period.grain == "month" else _days(period)  # (day, week)
        tag = Value(i, output_field=IntegerField())
        for kind, sign, first, end in reading:
            n = Sum("received") if sign > 0 else -Sum("received")
            if kind == "day":
                rows = _day_rows(region, period, (first, end)).values_list("day")
            else:
                rows = _month_rows(region, period, (first, end)).values_list("month")
            parts.append(rows.annotate(n=n, period=tag))
    for day, n, i in _all(parts):
        found[i][periods[i].bucket(day)] += n or 0
    return found


def volume(user: Any, region: Region, period: Period) -> dict[str, Any]:
    """Cases received per day, week or month, against the same days last year."""
    buckets = period.buckets()
    before = period.last_year()
    now_counts, then_counts = _by_buckets(user, region, [period, before])
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
    by_top = slice_of(user, region, period).by_top
    names = {c.pk: c for c in Category.objects.filter(parent=None)}
    items = []
    for top, n in sorted(by_top.items(), key=lambda t: (-t[1], t[0] is None, t[0] or 0)):
        if not n:
            continue
        category = names.get(top) if top is not None else None
        items.append(
            {
                "name": category.label if category else _("未分类"),
                "value": n,
                "url": queue_url(region, period, category=category.code) if category else "",
            }
        )
    return {"items": items}


def channels(user: Any, region: Region, period: Period) -> dict[str, Any]:
    labels = dict(Channel.choices)
    by_channel = slice_of(user, region, period).by_channel
    rows = [(c, n) for c, n in sorted(by_channel.items(), key=lambda r: (-r[1], r[0])) if n]
    return {
        "x": [str(labels.get(c, c)) for c, _n in rows],
        "series": [{"name": _("诉求数"), "data": [n for _c, n in rows]}],
    }


CHILD_LEVEL = {RegionLevel.STREET: RegionLevel.COMMUNITY, RegionLevel.COMMUNITY: RegionLevel.GRID}


def children(region: Region) -> list[Region]:
    level = CHILD_LEVEL.get(region.level)  # type: ignore[call-overload]
    if level is None:
        return []
    return memo(
        ("cases.children", region.pk),
        lambda: list(
            Region.objects.filter(path__startswith=region.path, level=level)
            .defer("geometry")  # names and links only: the outlines are the density map's
            .order_by("code")
        ),
    )


def ranking(user: Any, region: Region, period: Period) -> dict[str, Any]:
    """The 12345 figures per community (on a street's dashboard) or grid (a community's),
    best resolution first; each place leads to its own dashboard, its count to its cases."""
    places = children(region)
    by_region: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(FIELDS, 0))
    paths = _places(region)
    for region_id, found in slice_of(user, region, period).by_place.items():
        path = paths[region_id][0] if region_id in paths else ""
        child = next((p.pk for p in places if path.startswith(p.path)), None)
        if child is not None:
            total = by_region[child]
            for k, v in found.items():
                total[k] += v
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


# The grids' outlines in the tiles' datum, by grid, its last change and the datum: a saved
# grid has a new `updated_at` (auto_now), so an entry is never stale, only left unused (the
# oldest go first). Shifting a city's outlines costs far more than reading the counts.
outlines_memo = Memo("cases.grid_outlines", seconds=24 * 3600, max_size=20_000)


def _outlines(grids: list[tuple[int, Any]]) -> dict[int, Any]:
    """The outlines of the grids [(pk, updated_at)] in the tiles' datum (None: none drawn),
    from the memo; those not kept read in one query."""
    datum = settings.GENXI_MAP_TILES["datum"]
    found: dict[int, Any] = {}
    missing: dict[int, Any] = {}
    for pk, changed in grids:
        kept = outlines_memo.get((pk, changed, datum), _UNSEEN)
        if kept is _UNSEEN:
            missing[pk] = changed
        else:
            found[pk] = kept
    if missing:
        rows = Region.objects.filter(pk__in=list(missing)).values_list("pk", "geometry")
        shapes = dict(rows)
        features = [
            {"type": "Feature", "geometry": shapes[pk], "properties": {"pk": pk}}
            for pk in missing
            if shapes.get(pk)
        ]
        shifted = {
            f["properties"]["pk"]: f["geometry"]
            for f in in_tile_datum({"type": "FeatureCollection", "features": features})["features"]
        }
        for pk, changed in missing.items():
            found[pk] = shifted.get(pk)
            outlines_memo.put((pk, changed, datum), found[pk])
    return found


_UNSEEN = object()


def density(user: Any, region: Region, period: Period) -> dict[str, Any]:
    """Cases received per grid (a case placed on a community counts on no grid), with each
    grid's outline (kept shifted into the tiles' datum: `_outlines`): the map's heat."""
    grids = [
        (pk, code, name, parent_name, changed)
        for pk, _path, level, code, name, parent_name, changed in _under(region)
        if level == RegionLevel.GRID
    ]
    outlines = _outlines([(row[0], row[4]) for row in grids])
    places = _places(region)
    counts: dict[int, int] = defaultdict(int)
    for region_id, row in slice_of(user, region, period).by_place.items():
        if region_id in places and places[region_id][1] == RegionLevel.GRID:
            counts[region_id] += row["received"]
    features = []
    for pk, code, name, parent_name, _changed in grids:
        geometry = outlines.get(pk)
        if not geometry:
            continue
        grid = PlaceCode(code)  # only its code goes into the links
        features.append(
            {
                "type": "Feature",
                "geometry": geometry,  # shared with the memo: not to be changed
                "properties": {
                    # `Region.full_name` of a grid
                    "name": f"{parent_name} · {name}" if parent_name is not None else name,
                    "value": counts.get(pk, 0),
                    "url": dashboard_url(grid, period),
                    "cases": queue_url(grid, period),
                },
            }
        )
    # The cases' points (case_points) are fetched by the page after it is drawn: binning a
    # street's year of cases takes seconds at a city's size, the page must not wait for it.
    return {"features": features, "max": max(counts.values(), default=0)}


# The cases' points, binned on the server in squares of about BIN_METRES a side, kept in a
# roll-up (`CaseBinRollup`, `rollups.bin_of`).
BIN_METRES = case_rollups.BIN_METRES


def local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _received(region: Region, period: Period, top: int | None) -> int:
    """The cases received in the period at or under `region` (of the period's category,
    `top` its id when it is a top-level one): its whole months from the month rows, the
    days at its edges from the daily rows (`spans`), summed in one query."""
    parts: list[QuerySet[Any]] = []
    for kind, sign, first, end in spans(period) if top or not period.category else _days(period):
        if kind == "day":
            rows = _day_rows(region, period, (first, end))
        else:
            rows = CaseMonthRollup.objects.filter(
                region_id__in=places_under(region), month__gte=first, month__lt=end
            ).order_by()
            if period.category:  # (spans: only for a top-level category)
                rows = rows.filter(category_id=top or 0)
        received = F("received") if sign > 0 else -F("received")
        parts.append(rows.annotate(s_received=received).values_list("s_received"))
    alias = router.db_for_read(CaseRollup)
    inner, params = _all(parts).query.get_compiler(using=alias).as_sql()
    with connections[alias].cursor() as cursor:
        cursor.execute(f"SELECT CAST(SUM(s_received) AS BIGINT) FROM ({inner}) received", params)
        return int(cursor.fetchone()[0] or 0)


def case_points(user: Any, region: Region, period: Period) -> dict[str, Any]:
    """The period's cases with a location, counted in squares of about `BIN_METRES` (read
    from their roll-up, `CaseBinRollup`, on its (place, day) index: never the cases): each
    bin its mean point (in the tiles' datum), its count and the place its cases were placed
    in; `without`, the period's cases without a point (the cases received, from the daily
    and month roll-ups, less those in the bins). The map draws the bins as heat and gathers
    them into clusters on the phone's or desk's screen, each cluster leading to the case
    queue of the smallest place holding its cases, with the period and category
    (docs/dashboards.md)."""
    empty: dict[str, Any] = {"bins": [], "places": {}, "queue": "", "max": 0, "without": 0}
    if not covers(user, region):
        return empty
    squares = CaseBinRollup.objects.filter(
        region_id__in=places_under(region), day__gte=period.start, day__lt=period.end
    )
    top = None
    if period.category:  # the category's ids first: the rows' filter stays on the index
        ids = Category.objects.filter(
            Q(code=period.category) | Q(code__startswith=f"{period.category}.")
        ).values_list("pk", "code", "parent_id")
        found = list(ids)
        top = next(
            (pk for pk, code, parent in found if code == period.category and not parent), None
        )
        squares = squares.filter(category_id__in=[pk for pk, _code, _parent in found])
    rows = list(
        squares.order_by()
        .values("i", "j", "region_id")
        .annotate(count=Sum("n"), lat=Sum("lat_sum"), lon=Sum("lon_sum"))
        .filter(count__gt=0)
    )
    located = sum(int(r["count"]) for r in rows)
    without = max(_received(region, period, top) - located, 0)
    places = dict(
        Region.objects.filter(pk__in={r["region_id"] for r in rows}).values_list("pk", "path")
    )
    bins = []
    for row in rows:
        n = int(row["count"])
        lat, lon = point_in_tile_datum(row["lat"] / n, row["lon"] / n)
        bins.append([round(lat, 6), round(lon, 6), n, row["region_id"]])
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
