"""The campaigns' dashboard panels (core/panels.py), in the 为民服务 section beside the
service projects and events (events/panels.py): the campaigns whose period meets the
dashboard's, with the outputs the place's communities recorded — materials handed out,
consultations, people reached (per channel) — and, on a street's, per community."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Count, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from genxi.core.panels import Panel, Period, memo

from . import selectors
from .models import REACHED, Channel, Handout, Part, Topic

SERVICES = gettext_lazy("为民服务")
LEVELS = frozenset({"street", "community"})


def parts_in(user: Any, region: Any, period: Period):
    """The rows of the place's communities in campaigns whose period meets the days."""
    return Part.objects.visible_to(user).filter(
        community__path__startswith=region.path,
        campaign__starts_on__lt=period.end,
        campaign__ends_on__gte=period.start,
    )


def _totals(user: Any, region: Any, period: Period) -> selectors.Totals:
    """The place's totals for the period, read once per page (`memo`): the figures and the
    channels show the same sums."""
    return memo(
        ("campaigns.totals", getattr(user, "pk", None), region.pk, period),
        lambda: selectors.totals(parts_in(user, region, period)),
    )


def figures(user: Any, region: Any, period: Period) -> dict[str, Any]:
    parts = parts_in(user, region, period)
    t = _totals(user, region, period)
    url = f"{reverse('campaigns:campaigns')}?place={region.code}"
    url += f"&since={period.start:%Y-%m-%d}&until={period.end - timedelta(days=1):%Y-%m-%d}"
    return {
        "items": [
            {
                "label": _("宣传活动"),
                "value": parts.values("campaign").distinct().count(),
                "url": url,
            },
            {"label": _("发放资料物资"), "value": t.handed_out},
            {"label": _("咨询人次"), "value": t.consultations},
            {"label": _("覆盖人数"), "value": t.reached_total},
        ]
    }


def channels(user: Any, region: Any, period: Period) -> dict[str, Any]:
    t = _totals(user, region, period)
    return {"items": [{"name": label, "value": n} for label, n in t.channels if n]}


def topics(user: Any, region: Any, period: Period) -> dict[str, Any]:
    """Per topic: the people reached and the consultations given."""
    rows = {
        r["campaign__topic"]: r
        for r in parts_in(user, region, period)
        .values("campaign__topic")
        .annotate(
            consultations=Coalesce(Sum("consultations"), 0),
            **{c: Coalesce(Sum(col), 0) for c, col in REACHED.items()},
        )
        .order_by()
    }
    found = [t for t in Topic.values if t in rows]
    labels = dict(Topic.choices)
    return {
        "x": [str(labels[t]) for t in found],
        "series": [
            {
                "name": _("覆盖人数"),
                "data": [sum(rows[t][c] for c in Channel.values) for t in found],
            },
            {"name": _("咨询人次"), "data": [rows[t]["consultations"] for t in found]},
        ],
    }


def communities(user: Any, region: Any, period: Period) -> dict[str, Any]:
    """On a street's dashboard: per community, its campaigns, materials handed out,
    consultations and people reached."""
    parts = parts_in(user, region, period)
    rows = list(
        parts.values("community__name", "community__code")
        .annotate(
            campaigns=Count("campaign", distinct=True),
            consultations=Coalesce(Sum("consultations"), 0),
            **{c: Coalesce(Sum(col), 0) for c, col in REACHED.items()},
        )
        .order_by("community__code")
    )
    handed = dict(
        Handout.objects.filter(part__in=parts.values("pk"))
        .values_list("part__community__code")
        .annotate(n=Sum("quantity"))
        .order_by()
    )
    columns = [
        {"key": "campaigns", "label": _("宣传活动")},
        {"key": "handed", "label": _("发放资料物资")},
        {"key": "consultations", "label": _("咨询人次")},
        {"key": "reached", "label": _("覆盖人数")},
    ]
    table = []
    for r in rows:
        code = r["community__code"]
        row = {
            "name": r["community__name"],
            "url": f"{reverse('campaigns:campaigns')}?place={code}",
            "campaigns": r["campaigns"],
            "handed": handed.get(code, 0),
            "consultations": r["consultations"],
            "reached": sum(r[c] for c in Channel.values),
        }
        row["cells"] = [{"value": row[c["key"]]} for c in columns]
        table.append(row)
    return {"columns": columns, "rows": table}


PANELS = [
    Panel(
        "campaigns.figures",
        gettext_lazy("主题宣传"),
        "figures",
        figures,
        LEVELS,
        SERVICES,
        wide=True,
        note=gettext_lazy("时段内进行过的宣传活动,以各社区填报的成效计。"),
    ),
    Panel(
        "campaigns.channels",
        gettext_lazy("宣传覆盖人数(按渠道)"),
        "pie",
        channels,
        LEVELS,
        SERVICES,
    ),
    Panel("campaigns.topics", gettext_lazy("宣传主题"), "bar", topics, LEVELS, SERVICES),
    Panel(
        "campaigns.communities",
        gettext_lazy("各社区宣传成效"),
        "ranking",
        communities,
        frozenset({"street"}),
        SERVICES,
        wide=True,
    ),
]
