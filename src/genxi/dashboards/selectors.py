"""Which places a viewer's dashboards cover, and the panels' answers for one of them."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from genxi.core.panels import Period, answer, panels_for, shared
from genxi.core.roles import Perm
from genxi.core.scope import scope_for
from genxi.regions.models import Level, Region

LEVELS = (Level.STREET, Level.COMMUNITY, Level.GRID)


def covers(user: Any, place: Region) -> bool:
    scope = scope_for(user)
    if not scope.has(Perm.VIEW_DATA):
        return False
    return scope.is_global or any(place.path.startswith(p) for p in scope.paths)


def place_or_404(user: Any, code: str) -> Region:
    """A street, community or grid inside the viewer's own area; anything else is a 404."""
    place = Region.objects.filter(code=code, level__in=LEVELS).select_related("parent").first()
    if place is None or not covers(user, place):
        raise Http404
    return place


def own_places(user: Any) -> list[Region]:
    """The places whose dashboards are the viewer's start: the streets for a city-wide
    role, else the outermost streets, communities and grids of the viewer's scope."""
    scope = scope_for(user)
    if not scope.has(Perm.VIEW_DATA):
        return []
    if scope.is_global:
        return list(Region.objects.streets().order_by("code"))
    places = Region.objects.filter(path__in=scope.paths, level__in=LEVELS)
    found = list(places.select_related("parent").order_by("path"))
    # A role over a district or the city: its streets.
    wider = [p for p in scope.paths if p not in {r.path for r in found}]
    for path in wider:
        found.extend(Region.objects.streets().filter(path__startswith=path).order_by("code"))
    return found


def crumbs(user: Any, place: Region) -> list[Region]:
    """The place's street and community, those the viewer may open, then the place."""
    chain: list[Region] = []
    node = place.parent
    while node is not None and node.level in LEVELS:
        if covers(user, node):
            chain.insert(0, node)
        node = node.parent
    return [*chain, place]


def dashboard(user: Any, place: Region, period: Period) -> list[dict[str, Any]]:
    """Every panel of the place's level answered for it, sharing their reads (one read of
    the cases' roll-ups for all the panels that sum them)."""
    with shared():
        return [answer(p, user, place, period) for p in panels_for(place.level)]
