"""The router: where a case belongs (grid), what it is about (category), who handles it.

Models loaded from the database are cached per process and rebuilt when their data
change (a cheap version query decides), so requests never train or index anything.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

from genxi.people.models import Pioneer, PioneerKind, Resident
from genxi.regions.domain.addresses import Gazetteer
from genxi.regions.models import Level, Region
from genxi.regions.selectors import (
    OutsideAllGrids,
    gazetteer_entries,
    gazetteer_version,
    locate,
)

from .domain.classifier import CategoryClassifier, Suggestion
from .domain.handlers import Rule, pick
from .domain.places import building_key
from .models import RoutingRule, TrainingExample

_lock = threading.Lock()
_cache: dict[str, tuple[Any, Any, float]] = {}
RECHECK_SECONDS = 5.0  # how long a process trusts a model before asking if its data changed


def _cached(name: str, version_of, build):
    """`build()` once per data version; the version (a query) is asked at most every
    RECHECK_SECONDS, so the hot path usually runs no query at all."""
    now = time.monotonic()
    with _lock:
        hit = _cache.get(name)
        if hit is not None and now - hit[2] < RECHECK_SECONDS:
            return hit[1]
    version = version_of()
    with _lock:
        hit = _cache.get(name)
        if hit is not None and hit[0] == version:
            _cache[name] = (version, hit[1], now)
            return hit[1]
    value = build()
    with _lock:
        _cache[name] = (version, value, now)
    return value


def forget() -> None:
    with _lock:
        _cache.clear()


# Category ---------------------------------------------------------------------------------


RETRAIN_AFTER = 20  # new examples before the model is trained again
MAX_EXAMPLES = 20_000  # the most recent ones; bounds training time


def classifier() -> CategoryClassifier | None:
    """Trained on the training examples (closed cases, seeds, dispatchers' corrections).

    Training takes seconds, so a process keeps its model until RETRAIN_AFTER new examples
    have arrived; the version is the example count rounded down to that step.
    """

    def version_of():
        n = TrainingExample.objects.count()
        return n if n < 2 * RETRAIN_AFTER else n - n % RETRAIN_AFTER

    def build():
        rows = list(
            TrainingExample.objects.order_by("-id").values_list("text", "category__code")[
                :MAX_EXAMPLES
            ]
        )
        # Suggest top-level codes: subcategories are the dispatcher's finer choice.
        labels = [code.split(".")[0] for _, code in rows]
        if len(set(labels)) < 2:
            return None
        return CategoryClassifier().train([t for t, _ in rows], labels)

    return _cached("classifier", version_of, build)


def suggest_categories(text: str, top: int = 3) -> list[Suggestion]:
    model = classifier()
    return model.suggest(text, top) if model else []


# Place ------------------------------------------------------------------------------------


def address_index() -> Gazetteer:
    """The address gazetteer (estate → building → grid id), for the public lookup and intake."""
    return _cached("addresses", gazetteer_version, lambda: Gazetteer(gazetteer_entries()))


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
