"""Volunteer hours' dashboard panels (core/panels.py), section 为民服务: confirmed hours by
month, and by kind of pioneer (all five kinds, even at zero)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from genxi.core.panels import LEVELS, Panel, Period
from genxi.people.models import PioneerKind

from . import selectors


def _months(period: Period) -> list[str]:
    found: list[str] = []
    day = period.start.replace(day=1)
    while day < period.end:
        found.append(f"{day:%Y-%m}")
        day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return found


def by_month(user: Any, region: Any, period: Period) -> dict[str, Any]:
    found = selectors.hours_by_month(user, region, period.start, period.end)
    months = _months(period)
    return {
        "x": months,
        "series": [{"name": _("志愿服务时长"), "data": [float(found.get(m, 0)) for m in months]}],
    }


def by_kind(user: Any, region: Any, period: Period) -> dict[str, Any]:
    found = selectors.hours_by_kind(user, region, period.start, period.end)
    return {
        "items": [
            {"name": str(label), "value": float(found.get(value, 0))}
            for value, label in PioneerKind.choices
        ]
    }


SECTION = gettext_lazy("为民服务")

PANELS = [
    Panel(
        "volunteering.by_month",
        gettext_lazy("志愿服务时长(按月)"),
        "bar",
        by_month,
        frozenset(LEVELS),
        SECTION,
        note=gettext_lazy("已确认的海棠先锋志愿服务时长,单位:小时。"),
    ),
    Panel(
        "volunteering.by_kind",
        gettext_lazy("志愿服务时长(按先锋类别)"),
        "pie",
        by_kind,
        frozenset(LEVELS),
        SECTION,
    ),
]
