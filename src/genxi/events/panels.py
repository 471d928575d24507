"""为民服务's dashboard panels (core/panels.py) for the service projects (co-building's
tiered projects and their five-good scores) and the weekend community's events: what a
street's or a community's service team did for its residents. The campaigns add theirs to
the same section (campaigns/panels.py).

Projects are counted as they stand (running or done, the proposals still waiting and the
declined left out), not by the dashboard's period; the five-good scores are those of the
latest evaluation round the viewer sees. Events are those starting in the period."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any
from urllib.parse import urlencode

from django.db.models import Avg, Count, Q, Sum
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from genxi.cobuild import selectors as cobuild_selectors
from genxi.cobuild.models import Project, ProjectStatus, Tier
from genxi.core.panels import Panel, Period, memo

from .models import Event, EventStatus, Material, Registration, RegistrationStatus

SERVICES = gettext_lazy("为民服务")
LEVELS = frozenset({"street", "community"})
COUNTED = (ProjectStatus.PLANNING, ProjectStatus.ACTIVE, ProjectStatus.DONE)


def bounds(period: Period) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(period.start, time.min, tzinfo=tz),
        datetime.combine(period.end, time.min, tzinfo=tz),
    )


# Service projects --------------------------------------------------------------------------


def projects_in(user: Any, region: Any):
    return Project.objects.visible_to(user).filter(
        community__path__startswith=region.path, status__in=COUNTED
    )


def latest_round(user: Any) -> str:
    """The latest evaluation round the user sees (read once per page: `memo`)."""
    rounds = memo(
        ("events.rounds", getattr(user, "pk", None)), lambda: cobuild_selectors.periods(user)
    )
    return rounds[0] if rounds else ""


def projects(user: Any, region: Any, period: Period) -> dict[str, Any]:
    """The place's projects: how many run or ran, done, average progress, beneficiaries,
    and the average five-good total of the latest round."""
    agg = projects_in(user, region).aggregate(
        n=Count("pk"),
        done=Count("pk", filter=Q(status=ProjectStatus.DONE)),
        progress=Avg("progress"),
        beneficiaries=Coalesce(Sum("beneficiaries"), 0),
    )
    url = reverse("cobuild:projects")
    found = {
        "items": [
            {"label": _("服务项目"), "value": agg["n"], "url": url},
            {"label": _("已完成"), "value": agg["done"], "url": f"{url}?status=done"},
            {"label": _("平均进度"), "value": f"{round(agg['progress'] or 0)}%"},
            {"label": _("受益人数"), "value": agg["beneficiaries"]},
        ]
    }
    period_name = latest_round(user)
    if period_name:
        scored = cobuild_selectors.ranking(user=user, period=period_name).filter(
            project__community__path__startswith=region.path
        )
        average = scored.aggregate(a=Avg("total"))["a"]
        found["items"].append(
            {
                "label": _("“五好”平均分(%(round)s)") % {"round": period_name},
                "value": round(float(average), 1) if average is not None else "—",
                "url": f"{reverse('cobuild:rankings')}?{urlencode({'period': period_name})}",
            }
        )
    return found


def tiers(user: Any, region: Any, period: Period) -> dict[str, Any]:
    """Per tier: the projects, those done, and their average progress (%)."""
    rows = {
        r["tier"]: r
        for r in projects_in(user, region)
        .values("tier")
        .annotate(
            n=Count("pk"),
            done=Count("pk", filter=Q(status=ProjectStatus.DONE)),
            progress=Avg("progress"),
        )
        .order_by()
    }
    empty = {"n": 0, "done": 0, "progress": 0}
    return {
        "x": [str(label) for _tier, label in Tier.choices],
        "series": [
            {"name": _("项目数"), "data": [rows.get(t, empty)["n"] for t in Tier.values]},
            {"name": _("已完成"), "data": [rows.get(t, empty)["done"] for t in Tier.values]},
            {
                "name": _("平均进度(%)"),
                "data": [round(rows.get(t, empty)["progress"] or 0) for t in Tier.values],
            },
        ],
    }


def scores(user: Any, region: Any, period: Period) -> dict[str, Any]:
    """The latest round's five-good totals: per community on a street's dashboard (the
    projects rated and their average), per project on a community's."""
    period_name = latest_round(user)
    rated = (
        cobuild_selectors.ranking(user=user, period=period_name).filter(
            project__community__path__startswith=region.path
        )
        if period_name
        else None
    )
    if region.level == "street":
        columns = [
            {"key": "projects", "label": _("已评定项目")},
            {"key": "average", "label": _("平均分")},
        ]
        grouped = (
            rated.exclude(project__tier=Tier.STREET)
            .values("project__community__name", "project__community__code")
            .annotate(projects=Count("pk"), average=Avg("total"))
            .order_by("-average", "project__community__code")
            if rated is not None
            else []
        )
        rows = [
            {
                "name": r["project__community__name"],
                "url": reverse("dashboards:region", args=[r["project__community__code"]]),
                "projects": r["projects"],
                "average": round(float(r["average"]), 1),
            }
            for r in grouped
        ]
    else:
        columns = [
            {"key": "tier", "label": _("层级")},
            {"key": "total", "label": _("总分")},
        ]
        rows = [
            {
                "name": e.project.title,
                "url": e.project.get_absolute_url(),
                "tier": e.project.get_tier_display(),
                "total": e.total,
            }
            for e in (rated[:10] if rated is not None else [])
        ]
    for row in rows:
        row["cells"] = [{"value": row[c["key"]]} for c in columns]
    return {"columns": columns, "rows": rows}


# Events ------------------------------------------------------------------------------------


def events_in(user: Any, region: Any, period: Period):
    since, until = bounds(period)
    return Event.objects.visible_to(user).filter(
        community__path__startswith=region.path, starts_at__gte=since, starts_at__lt=until
    )


def events(user: Any, region: Any, period: Period) -> dict[str, Any]:
    """The events starting in the period: held (done), registrations (places taken),
    check-ins, no-shows (places taken at a held event, not checked in), attendance, people
    served, materials handed out."""
    qs = events_in(user, region, period)
    held = qs.filter(status=EventStatus.DONE)
    agg = held.aggregate(
        held=Count("pk"),
        attendance=Coalesce(Sum("attendance"), 0),
        served=Coalesce(Sum("served"), 0),
    )
    taken = Registration.objects.filter(
        event__in=qs.exclude(status=EventStatus.CANCELLED).values("pk"),
        status=RegistrationStatus.REGISTERED,
    ).aggregate(
        n=Count("pk"),
        checked=Count("pk", filter=Q(checked_in_at__isnull=False)),
        noshows=Count("pk", filter=Q(checked_in_at__isnull=True, event__status=EventStatus.DONE)),
    )
    materials = Material.objects.filter(event__in=held.values("pk")).aggregate(
        n=Coalesce(Sum("quantity"), 0)
    )["n"]
    url = reverse("events:calendar")
    return {
        "items": [
            {"label": _("举办活动"), "value": agg["held"], "url": url},
            {"label": _("报名"), "value": taken["n"]},
            {"label": _("签到"), "value": taken["checked"]},
            {
                "label": _("未到"),
                "value": taken["noshows"],
                "tone": "warning" if taken["noshows"] else "",
            },
            {"label": _("到场人数"), "value": agg["attendance"]},
            {"label": _("服务人次"), "value": agg["served"]},
            {"label": _("发放物资"), "value": materials},
        ]
    }


def events_trend(user: Any, region: Any, period: Period) -> dict[str, Any]:
    """Per day, week or month: the events held and the people they served."""
    buckets = period.buckets()
    held: dict[Any, int] = dict.fromkeys(buckets, 0)
    served: dict[Any, int] = dict.fromkeys(buckets, 0)
    # Counted per local day in the database (a year of events: a row per day, not per event)
    for day, events, n in (
        events_in(user, region, period)
        .filter(status=EventStatus.DONE)
        .order_by()
        .annotate(day=TruncDate("starts_at", tzinfo=timezone.get_current_timezone()))
        .values_list("day")
        .annotate(events=Count("pk"), n=Sum("served"))
    ):
        b = period.bucket(day)
        if b in held:
            held[b] += events
            served[b] += n or 0
    return {
        "x": [period.label(b) for b in buckets],
        "series": [
            {"name": _("举办活动"), "data": [held[b] for b in buckets]},
            {"name": _("服务人次"), "data": [served[b] for b in buckets]},
        ],
    }


def materials(user: Any, region: Any, period: Period) -> dict[str, Any]:
    """Materials handed out at the events held in the period, by kind (围巾, 手套 …)."""
    held = events_in(user, region, period).filter(status=EventStatus.DONE)
    rows = (
        Material.objects.filter(event__in=held.values("pk"))
        .values("name")
        .annotate(n=Sum("quantity"))
        .order_by("-n", "name")
    )
    return {"items": [{"name": r["name"], "value": r["n"]} for r in rows]}


PANELS = [
    Panel(
        "services.projects",
        gettext_lazy("服务项目"),
        "figures",
        projects,
        LEVELS,
        SERVICES,
        wide=True,
        note=gettext_lazy("项目按当前状态计,不随所选时段变化;“五好”得分取最近一轮已评定的结果。"),
        extra={"anchor": "services"},
    ),
    Panel("services.tiers", gettext_lazy("分级项目与进度"), "bar", tiers, LEVELS, SERVICES),
    Panel("services.scores", gettext_lazy("“五好”评价排名"), "ranking", scores, LEVELS, SERVICES),
    Panel(
        "services.events",
        gettext_lazy("周末社区活动"),
        "figures",
        events,
        LEVELS,
        SERVICES,
        wide=True,
    ),
    Panel(
        "services.events_trend",
        gettext_lazy("活动与服务人次"),
        "bar",
        events_trend,
        LEVELS,
        SERVICES,
    ),
    Panel("services.materials", gettext_lazy("活动发放物资"), "pie", materials, LEVELS, SERVICES),
]
