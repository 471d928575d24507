"""The public transparency page and the open data (docs/open-data.md): every figure from the
daily roll-ups (`CaseRollup`), never by counting cases; the list of solved problems is the
newest few of the month, read with a limit, their titles masked for the public
(`domain.masking.mask_title`). Nothing here depends on a viewer: the public sees the same
page, so the answers are kept for a few minutes (`core.memo`)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from genxi.cases.domain.rollup import COUNTS
from genxi.cases.models import Case, CaseRollup, Category, RatingChoice
from genxi.cases.panels import SUMS, local_midnight, places_under, rates
from genxi.core.panels import Period
from genxi.regions.models import Level, Region

from .domain.masking import mask_title
from .domain.suppression import DEFAULT_THRESHOLD, suppress

SOLVED_STATES = ("resolved", "verified", "closed")
LIST_LENGTH = 20
MONTHS = 12
# The measures of the open data: counts of the cases received in the month.
MEASURES = ("received", "resolved", "resolved_in_time", "rated", "satisfied")


def threshold() -> int:
    """The smallest count published (GENXI_OPEN_DATA_MIN_COUNT, default 5)."""
    return int(getattr(settings, "GENXI_OPEN_DATA_MIN_COUNT", DEFAULT_THRESHOLD))


def public_place(code: str) -> Region | None:
    """A street or a community by its code; nothing else has a public page."""
    return (
        Region.objects.filter(code=code, level__in=[Level.STREET, Level.COMMUNITY])
        .select_related("parent")
        .first()
    )


def months(today: date | None = None) -> list[date]:
    """The first days of the last twelve months, this month first."""
    day = (today or timezone.localdate()).replace(day=1)
    found = []
    for _i in range(MONTHS):
        found.append(day)
        day = (day.replace(day=1) - timedelta(days=1)).replace(day=1)
    return found


def _rows(region: Region, start: date, end: date) -> Any:
    return CaseRollup.objects.filter(
        region_id__in=places_under(region), day__gte=start, day__lt=end
    ).order_by()


def figures(region: Region, period: Period) -> dict[str, Any]:
    """The month's counts and rates (those of the dashboards and `metrics()`)."""
    found = _rows(region, period.start, period.end).aggregate(**SUMS)
    counts = {k: v or 0 for k, v in found.items()}
    return {"counts": {k: counts[k] for k in COUNTS}, **rates(counts)}


def _top_names() -> dict[int, Category]:
    return {c.pk: c for c in Category.objects.filter(parent=None)}


def solved_by_category(region: Region, period: Period) -> dict[str, Any]:
    """Cases received in the month and solved, by top-level category, largest first; a
    category with fewer than the threshold is counted in 其他 (not named)."""
    rows = (
        _rows(region, period.start, period.end)
        .annotate(top=Coalesce("category__parent_id", "category_id"))
        .values("top")
        .annotate(n=Sum("resolved"))
        .order_by("-n")
    )
    names = _top_names()
    items, other = [], 0
    k = threshold()
    for row in rows:
        n = row["n"] or 0
        category = names.get(row["top"])
        if not n:
            continue
        if n < k or category is None:
            other += n
            continue
        items.append({"name": category.label, "value": n})
    if other:
        items.append({"name": _("其他"), "value": other})
    return {"items": items}


def satisfaction(region: Region, period: Period) -> dict[str, Any]:
    """The ratings of the month's cases (from the roll-ups)."""
    found = _rows(region, period.start, period.end).aggregate(
        rated=Sum("rated"), satisfied=Sum("satisfied"), unsatisfied=Sum("unsatisfied")
    )
    rated, satisfied, unsatisfied = (found[k] or 0 for k in ("rated", "satisfied", "unsatisfied"))
    return {
        "rated": rated,
        "satisfied": satisfied,
        "unsatisfied": unsatisfied,
        "rate": round(satisfied / rated, 4) if rated else None,
    }


@dataclass(frozen=True)
class Solved:
    title: str
    category: str
    place: str
    day: date
    rating: str


def solved_list(region: Region, period: Period, limit: int = LIST_LENGTH) -> list[Solved]:
    """The newest solved problems received in the month, titles masked (the reporter's
    name and the resident's removed along with any number, code, house number or name)."""
    cases = (
        Case.objects.filter(
            region_id__in=places_under(region),
            created_at__gte=local_midnight(period.start),
            created_at__lt=local_midnight(period.end),
            state__in=SOLVED_STATES,
            resolved_at__isnull=False,
        )
        .select_related("category__parent", "region__parent", "reporter")
        .order_by("-resolved_at", "-id")[:limit]
    )
    ratings = dict(RatingChoice.choices)
    found = []
    for case in cases:
        names = [case.reporter_name]
        if case.reporter is not None:
            names.append(case.reporter.name)
        top = case.category.parent or case.category if case.category else None
        found.append(
            Solved(
                title=mask_title(case.title, names),
                category=top.label if top else _("未分类"),
                place=_community_name(case.region),
                day=timezone.localtime(case.resolved_at).date(),
                rating=str(ratings.get(case.rating, "")),
            )
        )
    return found


def _community_name(place: Region) -> str:
    """A case's community (a grid is not named in public: it is a few buildings)."""
    if place.level == Level.GRID and place.parent is not None:
        return place.parent.name
    return place.name


# Open data --------------------------------------------------------------------------------


def _community_of(path: str, communities: list[Region]) -> Region | None:
    for c in communities:
        if path.startswith(c.path):
            return c
    return None


def open_data(street: Region, today: date | None = None) -> dict[str, Any]:
    """The street's monthly aggregates per community and top-level category over the last
    twelve months, with small counts suppressed (domain/suppression.py): one grouped query
    over the roll-ups."""
    month_list = months(today)
    start, end = month_list[-1], _next_month(month_list[0])
    communities = list(
        Region.objects.filter(path__startswith=street.path, level=Level.COMMUNITY).order_by("code")
    )
    tops = sorted(_top_names().values(), key=lambda c: c.code)
    rows = (
        _rows(street, start, end)
        .annotate(month=TruncMonth("day"), top=Coalesce("category__parent_id", "category_id"))
        .values("month", "region__path", "top")
        .annotate(**{m: Sum(m) for m in MEASURES})
    )
    cells: dict[date, dict[tuple[str, str], dict[str, int]]] = defaultdict(
        lambda: defaultdict(lambda: dict.fromkeys(MEASURES, 0))
    )
    by_pk = {c.pk: c for c in tops}
    for row in rows:
        community = _community_of(row["region__path"], communities)
        top = by_pk.get(row["top"])
        if community is None:
            continue
        month = row["month"]
        month = month.date() if hasattr(month, "date") else month
        cell = cells[month.replace(day=1)][(community.code, top.code if top else "")]
        for m in MEASURES:
            cell[m] += row[m] or 0
    k = threshold()
    columns = [c.code for c in tops] + [""]
    records: list[dict[str, Any]] = []
    names = {c.code: c for c in communities}
    labels = {c.code: c.label for c in tops} | {"": _("未分类")}
    for month in sorted(month_list):
        table = cells.get(month, {})
        rows_codes = [c.code for c in communities]
        received = {key: v["received"] for key, v in table.items()}
        hidden = suppress(received, rows_codes, columns, k)
        base = {"month": month.strftime("%Y-%m"), "street_code": street.code, "street": street.name}
        for key in sorted(table, key=lambda x: (x[0], x[1])):
            values = table[key]
            if not values["received"] and key not in hidden.cells:
                continue
            code, category = key
            shown = key not in hidden.cells
            records.append(
                base
                | {
                    "level": "cell",
                    "community_code": code,
                    "community": names[code].name,
                    "category_code": category,
                    "category": labels.get(category, ""),
                    "suppressed": not shown,
                    **{m: values[m] if shown else None for m in MEASURES},
                }
            )
        if not hidden.totals:
            continue
        for code in rows_codes:
            total = _sum(v for (r, _c), v in table.items() if r == code)
            if total["received"]:
                records.append(
                    base
                    | {
                        "level": "community_total",
                        "community_code": code,
                        "community": names[code].name,
                        "category_code": "",
                        "category": "",
                        "suppressed": False,
                        **total,
                    }
                )
        for category in columns:
            total = _sum(v for (_r, c), v in table.items() if c == category)
            if total["received"]:
                records.append(
                    base
                    | {
                        "level": "category_total",
                        "community_code": "",
                        "community": "",
                        "category_code": category,
                        "category": labels.get(category, ""),
                        "suppressed": False,
                        **total,
                    }
                )
        total = _sum(table.values())
        records.append(
            base
            | {
                "level": "street_total",
                "community_code": "",
                "community": "",
                "category_code": "",
                "category": "",
                "suppressed": False,
                **total,
            }
        )
    return {
        "street": street,
        "threshold": k,
        "months": [m.strftime("%Y-%m") for m in sorted(month_list)],
        "records": records,
    }


def _sum(values: Any) -> dict[str, int]:
    total = dict.fromkeys(MEASURES, 0)
    for v in values:
        for m in MEASURES:
            total[m] += v[m]
    return total


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)
