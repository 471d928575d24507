"""Reads of the early warnings: the list (and its map points), one warning with its cases,
the focus problems, and the workbench's count."""

from __future__ import annotations

from typing import Any

from django.db.models import Model, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from genxi.cases.models import Case, Channel
from genxi.core import related
from genxi.core.roles import STAFF_ROLES
from genxi.core.scope import scope_for
from genxi.core.stats import count_by_street
from genxi.core.workbench import WorkCount
from genxi.regions.selectors import point_in_tile_datum

from .models import EarlyWarning, FocusProblem, Kind, WarningState

CASES_SHOWN = 50
MAP_POINTS = 500


def warning_list(
    *, user: Any, state: str = WarningState.OPEN, kind: str = ""
) -> QuerySet[EarlyWarning]:
    qs = EarlyWarning.objects.visible_to(user).select_related(
        "region", "region__parent", "grid", "category", "category__parent"
    )
    if state in WarningState.values:
        qs = qs.filter(state=state)
    if kind in Kind.values:
        qs = qs.filter(kind=kind)
    return qs.order_by("-seen_on", "-score", "-id")


def warning_cases(warning: EarlyWarning) -> list[Case]:
    return list(
        warning.cases.select_related(
            "category", "category__parent", "region", "region__parent"
        ).order_by("-created_at", "-id")[:CASES_SHOWN]
    )


def map_points(warnings: QuerySet[EarlyWarning]) -> list[dict[str, Any]]:
    """The located warnings as the map draws them (in the tiles' datum)."""
    points = []
    for w in warnings.exclude(lat__isnull=True)[:MAP_POINTS]:
        assert w.lat is not None and w.lon is not None  # excluded above
        lat, lon = point_in_tile_datum(w.lat, w.lon)
        points.append(
            {
                "lat": lat,
                "lon": lon,
                "radius": max(w.radius_m, 40.0),
                "kind": w.kind,
                "label": f"{w.get_kind_display()} · {w.subject}",
                "count": _("%(n)d 件") % {"n": w.observed},
                "url": w.get_absolute_url(),
            }
        )
    return points


def focus_list(*, user: Any) -> QuerySet[FocusProblem]:
    return (
        FocusProblem.objects.visible_to(user)
        .select_related("street", "category", "category__parent", "confirmed_by")
        .order_by("-month", "street__path")
    )


def work_counts(user: Any) -> list[WorkCount]:
    """Open warnings over the places the user is staff of (they act on them)."""
    scope = scope_for(user)
    if not any(r in STAFF_ROLES for r, _p in scope.role_paths):
        return []
    n = EarlyWarning.objects.visible_to(user).open().count()
    return [WorkCount("alerts.open", _("待处置预警"), n, reverse("alerts:warnings"), urgent=False)]


def stats_by_street(streets) -> dict[int, dict[str, int]]:
    """`warnings_open` and `warnings_acted` (turned into proactive cases) per street, in one
    query."""
    return count_by_street(
        EarlyWarning.objects.all(),
        streets,
        "region__path",
        warnings_open=Q(state=WarningState.OPEN),
        warnings_acted=Q(state=WarningState.ACTED),
    )


def warnings_of_case(user: Any, case: Model) -> list[related.Link]:
    """The case page's link to the early warning it was opened from (主动发现), when the
    viewer may open that warning."""
    if getattr(case, "channel", None) != Channel.PROACTIVE:
        return []  # only a warning acted on makes a case, on this channel: no query
    return [
        related.Link(
            kind=_("预警"),
            text=str(w),
            url=w.get_absolute_url(),
            note=w.get_state_display(),
        )
        for w in EarlyWarning.objects.visible_to(user).filter(case_id=case.pk)
    ]
