"""Reads of the organisation tree."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Max, Q

from genxi.core.memo import Memo
from genxi.core.stats import count_by_street

from .domain.codes import parent_path
from .domain.locator import GridShape, Locator, OutsideAllGrids
from .models import Level, Region

__all__ = ["OutsideAllGrids", "locate", "region_children", "region_tree"]

# How long a process trusts its locator before asking whether grids changed (one query).
RECHECK_SECONDS = 2.0
locator_memo = Memo("regions.locator", seconds=RECHECK_SECONDS)


def _grid_version() -> tuple:
    agg = Region.objects.grids().aggregate(n=Count("id"), changed=Max("updated_at"))
    return (agg["n"], agg["changed"])


def _build_locator() -> Locator:
    # The grids themselves are the keys: a lookup then needs no query at all.
    grids = Region.objects.grids().exclude(geometry=None).select_related("parent")
    return Locator(GridShape(g, g.geometry) for g in grids if g.geometry is not None)


def locate(lat: float, lon: float) -> Region:
    """The grid containing the point (shared, read-only); raises OutsideAllGrids.

    The locator is built once and rebuilt when any grid was added, removed or changed."""
    return locator_memo.get_or_build(_build_locator, version_of=_grid_version).locate(lat, lon)


def forget_locator() -> None:
    """Drop the kept locator (a change to the grids does, after commit)."""
    locator_memo.clear()


def region_tree(user: Any) -> list[dict]:
    """The visible part of the tree down to communities, as nested dicts with grid counts."""
    nodes = list(
        Region.objects.visible_to(user)
        .exclude(level=Level.GRID)
        .annotate(grid_count=Count("children", distinct=True))
        .order_by("path")
    )
    by_path: dict[str, dict] = {}
    roots: list[dict] = []
    for node in nodes:
        item = {"node": node, "children": []}
        by_path[node.path] = item
        parent = by_path.get(parent_path(node.path))
        (parent["children"] if parent else roots).append(item)
    return roots


def region_children(user: Any, node: Region):
    return Region.objects.visible_to(user).filter(parent=node).order_by("code")


def grid_features(user: Any, community: Region | None = None) -> dict:
    """Visible grids as a GeoJSON FeatureCollection for the map."""
    grids = Region.objects.visible_to(user).grids().exclude(geometry=None)
    if community is not None:
        grids = grids.under(community)
    features = [
        {
            "type": "Feature",
            "geometry": geometry,
            "properties": {"id": pk, "code": code, "name": name, "community": parent_name},
        }
        for pk, code, name, geometry, parent_name in grids.values_list(
            "pk", "code", "name", "geometry", "parent__name"
        )
    ]
    return {"type": "FeatureCollection", "features": features}


def stats_by_street(streets) -> dict[int, dict[str, int]]:
    return count_by_street(
        Region.objects.all(),
        streets,
        "path",
        communities=Q(level=Level.COMMUNITY),
        grids=Q(level=Level.GRID),
    )


def place_choices(user: Any, level: str = Level.COMMUNITY) -> list[tuple[str, list[tuple]]]:
    """The places of one level the user may see, for a filter's picker, grouped under their
    parents' names: [("金阊街道", [("320508012001", "彩香一村社区"), …]), …]. Grids are
    grouped by community, so "第2网格" is never alone."""
    nodes = (
        Region.objects.visible_to(user)
        .filter(level=level)
        .select_related("parent")
        .order_by("path")
    )
    groups: dict[str, list[tuple]] = {}
    for node in nodes:
        parent = node.parent.name if node.parent else ""
        groups.setdefault(parent, []).append((node.code, node.name))
    return list(groups.items())
