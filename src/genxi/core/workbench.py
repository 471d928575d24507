"""The workbench: what waits for a person, as counts that link to the lists behind them.

Each app contributes through a provider — a function (user) → list[WorkCount] — named by
its dotted path in PROVIDERS (as `core.stats` gathers the headline counts). A provider
answers only for the work the user's roles do, counts only what the user may see, and
costs one or two queries. The home page shows them in this order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.module_loading import import_string

PROVIDERS = [
    # A welfare check that found no answer comes before everything else (docs/fieldwork.md).
    "genxi.fieldwork.selectors.work_counts",
    "genxi.cases.selectors.work_counts",
    "genxi.cobuild.selectors.work_counts",
    "genxi.stations.selectors.work_counts",
    "genxi.cadres.selectors.work_counts",
    "genxi.events.selectors.work_counts",
    "genxi.alerts.selectors.work_counts",
    "genxi.inspections.selectors.work_counts",
]


@dataclass(frozen=True)
class WorkCount:
    key: str  # stable: "cases.overdue"; tests and the page's anchors use it
    label: str
    count: int
    url: str
    urgent: bool = False  # shown in red when there is any


def work_for(user: Any) -> list[WorkCount]:
    items: list[WorkCount] = []
    for dotted in PROVIDERS:
        items += import_string(dotted)(user)
    return items
