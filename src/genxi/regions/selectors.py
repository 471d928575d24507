"""Reads of the organisation tree."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet
from django.utils.translation import gettext as _

from genxi.core.memo import Memo
from genxi.core.stats import count_by_street

from .domain.addresses import Entry, Gazetteer
from .domain.codes import parent_path
from .domain.datum import shift_geometry as datum_shift
from .domain.datum import to_tiles as datum_to_tiles
from .domain.locator import GridShape, Locator, OutsideAllGrids
from .domain.sheet import ranges
from .models import BaseFeature, Building, Estate, FeatureKind, Level, Region

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


def locator() -> Locator:
    """The process's locator over every grid's outline: built once (0.6 s for 10,000 grids)
    and rebuilt when any grid was added, removed or changed."""
    built: Locator = locator_memo.get_or_build(_build_locator, version_of=_grid_version)
    return built


def locate(lat: float, lon: float) -> Region:
    """The grid containing the point (shared, read-only); raises OutsideAllGrids."""
    return locator().locate(lat, lon)


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


def in_tile_datum(collection: dict) -> dict:
    """A FeatureCollection of stored (WGS-84) shapes as the configured tiles draw them: the
    one place coordinates are shifted for a GCJ-02 source (docs/maps.md)."""
    datum = settings.GENXI_MAP_TILES["datum"]
    for feature in collection["features"]:
        feature["geometry"] = datum_shift(feature["geometry"], datum)
    return collection


def point_in_tile_datum(lat: float, lon: float) -> tuple[float, float]:
    """A stored (WGS-84) point as the configured tiles draw it (see `in_tile_datum`)."""
    shift = datum_to_tiles(settings.GENXI_MAP_TILES["datum"])
    return shift(lat, lon) if shift else (lat, lon)


def grid_features(user: Any, community: Region | None = None) -> dict:
    """Visible grids as a GeoJSON FeatureCollection for the map, in the tiles' datum."""
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
    return in_tile_datum({"type": "FeatureCollection", "features": features})


def basemap_features(user: Any) -> dict:
    """The base layer (estates, roads, rivers) as a FeatureCollection in the tiles' datum,
    bottom first. Public geography: everyone who may see places gets all of it."""
    rows = BaseFeature.objects.visible_to(user).values_list("kind", "name", "rank", "geometry")
    order = {kind: i for i, kind in enumerate(FeatureKind.values)}
    features = [
        {"type": "Feature", "geometry": g, "properties": {"kind": k, "name": n, "rank": r}}
        for k, n, r, g in sorted(rows, key=lambda row: (order.get(row[0], 0), -row[2]))
    ]
    return in_tile_datum({"type": "FeatureCollection", "features": features})


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


def area_choices(user: Any) -> list[tuple[str, list[tuple]]]:
    """The communities and grids the user may see, for a filter that takes either code (a
    community's means all its grids): one group per community, the community first, then
    its grids — [("彩香一村社区", [("320508012001", "彩香一村社区(全部网格)"),
    ("320508012001001", "第1网格"), …]), …]. One query."""
    nodes = (
        Region.objects.visible_to(user)
        .filter(level__in=[Level.COMMUNITY, Level.GRID])
        .select_related("parent")
        .order_by("path")
    )
    groups: dict[str, list[tuple]] = {}
    for node in nodes:
        if node.level == Level.COMMUNITY:
            label = _("%(name)s(全部网格)") % {"name": node.name}
            groups.setdefault(node.name, []).append((node.code, label))
        else:
            parent = node.parent.name if node.parent else ""
            groups.setdefault(parent, []).append((node.code, node.name))
    return list(groups.items())


# The address gazetteer ---------------------------------------------------------------------


def gazetteer_version() -> tuple:
    """Changes whenever an estate or building is added, changed or removed (one query)."""
    b = Building.objects.aggregate(n=Count("id"), changed=Max("updated_at"))
    e = Estate.objects.aggregate(n=Count("id"), changed=Max("updated_at"))
    return (b["n"], b["changed"], e["n"], e["changed"])


def gazetteer_entries(community: Region | None = None) -> list[Entry]:
    """Every building of the gazetteer (or of one community) with its estate and grid id."""
    rows = Building.objects.all()
    if community is not None:
        rows = rows.filter(estate__community=community)
    return [
        Entry(estate_id, estate, comm, number, grid, tuple(aliases or ()))
        for estate_id, estate, comm, aliases, number, grid in rows.values_list(
            "estate_id",
            "estate__name",
            "estate__community__name",
            "estate__aliases",
            "number",
            "grid_id",
        ).order_by("estate__community__path", "estate__name", "estate_id")
    ]


def community_gazetteer(community: Region) -> list[dict]:
    """A community's estates (the caller has checked the community is in scope), each with
    its buildings grouped by grid as staff write them (`1-12、15`), in grid order."""
    grids = {g.pk: g for g in Region.objects.filter(parent=community)}
    by_estate: dict[int, dict[int, list[str]]] = {}
    for estate_id, number, grid_id in Building.objects.filter(
        estate__community=community
    ).values_list("estate_id", "number", "grid_id"):
        by_estate.setdefault(estate_id, {}).setdefault(grid_id, []).append(number)
    out = []
    for estate in Estate.objects.filter(community=community).order_by("name"):
        groups = sorted(
            by_estate.get(estate.pk, {}).items(),
            key=lambda kv: grids[kv[0]].code if kv[0] in grids else "",
        )
        out.append(
            {
                "estate": estate,
                "count": sum(len(numbers) for _g, numbers in groups),
                "groups": [
                    {"grid": grids.get(grid_id), "buildings": ranges(numbers)}
                    for grid_id, numbers in groups
                ],
            }
        )
    return out


def community_lookup(community: Region, text: str):
    """Look an address up in one community's gazetteer (the staff page's tester)."""
    return Gazetteer(gazetteer_entries(community)).lookup(text)


def gazetteer_rows(community: Region) -> list[list[str]]:
    """The community's gazetteer as sheet rows (小区, 楼栋, 网格, 其他叫法)."""
    return [
        [
            item["estate"].name,
            group["buildings"],
            group["grid"].name if group["grid"] else "",
            "、".join(item["estate"].aliases or []),
        ]
        for item in community_gazetteer(community)
        for group in item["groups"]
    ]


def contact_of(grid: Region) -> tuple[str, str, Region | None]:
    """The service phone residents of a grid call: the grid's own, else its community's
    (phone, hours, the place whose number it is)."""
    for place in (grid, grid.parent):
        if place is not None and place.service_phone:
            return place.service_phone, place.service_hours, place
    return "", "", None


def gazetteer_communities(user: Any) -> QuerySet[Region]:
    """The communities whose address gazetteer `user` may read, each with its estate count."""
    return (
        Region.objects.visible_to(user)
        .communities()
        .select_related("parent")
        .annotate(estate_count=Count("estates"))
        .order_by("code")
    )
