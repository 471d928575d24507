"""The router: where a case belongs (grid), what it is about (category), who handles it.

Models loaded from the database are kept per process (`core.memo`) and rebuilt when their
data change (a cheap version query, asked at most every RECHECK_SECONDS, decides), so
requests never train or index anything.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from django.db.models import Case as DbCase
from django.db.models import IntegerField, When

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


# The active rules whose handler is active, and each grid's worker with a login, kept
# RECHECK_SECONDS: dropped at once in the process that saves a rule, a pioneer or a user
# (cases.apps), others follow within RECHECK_SECONDS (docs/decisions/0038-lean-api-path.md).
# Intake asks them for every auto-routed case.
rules_memo = Memo("cases.routing_rules", seconds=RECHECK_SECONDS, max_size=20_000)


def routing_rules() -> list[Rule]:
    def build() -> list[Rule]:
        active = RoutingRule.objects.filter(active=True, handler__is_active=True)
        return [
            Rule(r.pk, r.category_prefix, r.region.path if r.region else "", r.handler, r.priority)
            for r in active.select_related("region", "handler")
        ]

    found: list[Rule] = rules_memo.get_or_build(build, key="rules")
    return found


def suggest_handler(category_code: str, region: Region):
    """The rule's handler if one matches; else the grid's grid worker who has a login."""
    rule = pick(routing_rules(), category_code or "", region.path)
    if rule is not None:
        return copy.copy(rule.handler)  # each caller its own copy of the kept user
    if region.level != Level.GRID:
        return None

    def grid_worker():
        # One query: the grid workers first, then the others, each by code.
        pioneer = (
            Pioneer.objects.filter(grid=region, active=True, user__is_active=True)
            .select_related("user")
            .order_by(
                DbCase(
                    When(kind=PioneerKind.GRID_WORKER, then=0),
                    default=1,
                    output_field=IntegerField(),
                ),
                "code",
            )
            .first()
        )
        return pioneer.user if pioneer else None

    user = rules_memo.get_or_build(grid_worker, key=("grid", region.pk))
    return copy.copy(user)
