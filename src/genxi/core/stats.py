"""Headline counts per street, for `genxi stats --json` and the home pages.

Each app contributes keys through a provider: a function (streets) → {street_pk: {key: n}}.
Later apps append their provider's dotted path to PROVIDERS.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.utils.module_loading import import_string

PROVIDERS = [
    "genxi.regions.selectors.stats_by_street",
    "genxi.people.selectors.stats_by_street",
    "genxi.orgs.selectors.stats_by_street",
    "genxi.cases.selectors.stats_by_street",
]


def headline_counts(streets) -> dict[str, dict[str, Any]]:
    streets = list(streets)
    merged: dict[int, dict[str, Any]] = defaultdict(dict)
    for dotted in PROVIDERS:
        for pk, values in import_string(dotted)(streets).items():
            merged[pk].update(values)
    return {s.name: merged[s.pk] for s in streets}
