"""The router: where a case belongs (grid), what it is about (category), who handles it.

Models loaded from the database are kept per process (`core.memo`) and rebuilt when their
data change (a cheap version query, asked at most every RECHECK_SECONDS, decides), so
requests never train or index anything.
"""

from __future__ import annotations

from dataclasses import dataclass

from genxi.core.memo import Memo
from genxi.people.models import Pioneer, PioneerKind, Resident
from genxi.regions.domain.addresses import Gazetteer
from genxi.regions.models import Level, Region
from genxi.regions.selectors import (
    OutsideAllGrids,
    gazetteer_entries,
    gazetteer_version,
    locate,
)

from . import suggestions
from .domain.classifier import CategoryClassifier, Suggestion
from .domain.handlers import Rule, pick
from .domain.places import building_key
from .models import RoutingRule

RECHECK_SECONDS = 5.0  # how long a process trusts a model before asking if its data changed
# name → the model built from the data's current version (decision 0019).
model_memo = Memo("cases.routing", seconds=RECHECK_SECONDS)


# Category ---------------------------------------------------------------------------------


def classifier() -> CategoryClassifier | None:
    """The model in use: trained by the background worker, only loaded here
    (`cases.suggestions`)."""
    return suggestions.current().model


def suggest_categories(text: str, top: int = 3) -> list[Suggestion]:
    return suggestions.suggest(text, top)[1]


# Place ------------------------------------------------------------------------------------


def address_index() -> Gazetteer:
    """The address gazetteer (estate → building → grid id), for the public lookup and intake."""
    gazetteer: Gazetteer = model_memo.get_or_build(
        lambda: Gazetteer(gazetteer_entries()), key="addresses", version_of=gazetteer_version
    )
    return gazetteer


@dataclass(frozen=True)
class Place:
    region: Region | None
    how: str  # "point", "address", "reporter", "given" or "" (not found)
    place_key: str = ""


def find_place(
    *, lat: float | None, lon: float | None, address: str, reporter: Resident | None
) -> Place:
    key = building_key(address) if address else ""
    if lat is not None and lon is not None:
        try:
            return Place(locate(lat, lon), "point", key)
        except OutsideAllGrids:
            pass
    if address:
        found = address_index().lookup(address)
        if found.found:
            return Place(Region.objects.get(pk=found.grid), "address", found.place)
    if reporter is not None:
        community = reporter.grid.parent
        return Place(community, "reporter", key)
    return Place(None, "", key)


# Handler ----------------------------------------------------------------------------------


def suggest_handler(category_code: str, region: Region):
    """The rule's handler if one matches; else the grid's grid worker who has a login."""
    rules = [
        Rule(r.pk, r.category_prefix, r.region.path if r.region else "", r.handler, r.priority)
        for r in RoutingRule.objects.filter(active=True, handler__is_active=True).select_related(
            "region", "handler"
        )
    ]
    rule = pick(rules, category_code or "", region.path)
    if rule is not None:
        return rule.handler
    if region.level != Level.GRID:
        return None
    with_login = Pioneer.objects.filter(grid=region, active=True, user__is_active=True)
    pioneer = (
        with_login.filter(kind=PioneerKind.GRID_WORKER).order_by("code").first()
        or with_login.order_by("code").first()
    )
    return pioneer.user if pioneer else None
