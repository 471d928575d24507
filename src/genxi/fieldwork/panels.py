"""Field work's dashboard panel (core/panels.py): the visit cycle's coverage of the place —
households, those visited this cycle, the share, those overdue and the visits made — the
same figures as the coverage page (`selectors.coverage`) and `genxi stats --json`. The
cycle is the community's (e.g. a quarter), not the dashboard's period: coverage counts
the households seen in the cycle running now."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from genxi.core import navigation
from genxi.core.panels import LEVELS, Panel, Period
from genxi.core.scope import scope_for

from . import selectors


def coverage(user: Any, region: Any, period: Period) -> dict[str, Any]:
    found = selectors.coverage(user=user, region=region)
    # The figures lead to the coverage page only for those who may open it (a department
    # officer sees the street's dashboard, not its households).
    may_open = navigation.allows(scope_for(user), "fieldwork:home")
    url = f"{reverse('fieldwork:home')}?place={region.code}" if may_open else ""
    return {
        "items": [
            {"label": _("住户"), "value": found.households, "url": url},
            {"label": _("本周期已走访"), "value": found.visited, "url": url},
            {"label": _("覆盖率"), "value": f"{found.percent}%", "url": url},
            {
                "label": _("逾期未访"),
                "value": found.overdue,
                "url": url,
                "tone": "danger" if found.overdue else "",
            },
            {"label": _("走访次数"), "value": found.visits, "url": url},
        ]
    }


PANELS = [
    Panel(
        "fieldwork.coverage",
        gettext_lazy("走访覆盖率"),
        "figures",
        coverage,
        frozenset(LEVELS),
        gettext_lazy("走访"),
        note=gettext_lazy("本走访周期(由社区设定)内的住户覆盖情况,不随所选时段变化。"),
    ),
]
