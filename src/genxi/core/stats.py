"""Headline counts per street, for `genxi stats --json` and the home pages.

Each app contributes keys through a provider: a function (streets) → {street_pk: {key: n}}.
Later apps append their provider's dotted path to PROVIDERS.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.module_loading import import_string

PROVIDERS = [
    "genxi.regions.selectors.stats_by_street",
    "genxi.people.selectors.stats_by_street",
    "genxi.orgs.selectors.stats_by_street",
    "genxi.cases.selectors.stats_by_street",
    "genxi.stations.selectors.stats_by_street",
    "genxi.cadres.selectors.stats_by_street",
    "genxi.fieldwork.selectors.stats_by_street",
    "genxi.events.selectors.stats_by_street",
    "genxi.alerts.selectors.stats_by_street",
    "genxi.inspections.selectors.stats_by_street",
    "genxi.cobuild.selectors.stats_by_street",
    "genxi.campaigns.selectors.stats_by_street",
    "genxi.notices.selectors.stats_by_street",
    "genxi.volunteering.selectors.stats_by_street",
    "genxi.partylife.selectors.stats_by_street",
]


def headline_counts(streets) -> dict[str, dict[str, Any]]:
    streets = list(streets)
    merged: dict[int, dict[str, Any]] = defaultdict(dict)
    for dotted in PROVIDERS:
        for pk, values in import_string(dotted)(streets).items():
            merged[pk].update(values)
    return {s.name: merged[s.pk] for s in streets}


def count_by_street(
    queryset: QuerySet, streets, path: str, **counts: Q
) -> dict[int, dict[str, int]]:
    """One query for every street: {street_pk: {name: n}}, n counting the rows of
    `queryset` whose `path` lookup (e.g. "grid__path") lies under the street and that match
    the count's Q (`Q()` for all of them). A provider's query count does not grow with the
    number of streets a viewer sees."""
    streets = list(streets)
    names = list(counts)
    agg = (
        queryset.order_by().aggregate(
            **{
                f"c{i}_{j}": Count("pk", filter=Q(**{f"{path}__startswith": s.path}) & counts[name])
                for i, s in enumerate(streets)
                for j, name in enumerate(names)
            }
        )
        if streets and names
        else {}
    )
    return {
        s.pk: {name: agg[f"c{i}_{j}"] for j, name in enumerate(names)}
        for i, s in enumerate(streets)
    }
