"""Co-building's dashboard panels (core/panels.py): needs posted and met, units'
contributions by kind, joint meetings held and their resolutions finished on time. These
lists are small (hundreds of rows a year per street), so the panels count them directly."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from genxi.core.panels import Panel, Period

from .models import (
    ActionKind,
    Claim,
    ClaimStatus,
    Kind,
    Meeting,
    MeetingStatus,
    Need,
    NeedStatus,
    ProjectStatus,
    Resolution,
)
from .models.meetings import CASE_DONE_STATES

COBUILD = gettext_lazy("共建共治")
LEVELS = frozenset({"street", "community"})


def _bounds(period: Period) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(period.start, time.min, tzinfo=tz),
        datetime.combine(period.end, time.min, tzinfo=tz),
    )


def needs(user: Any, region: Any, period: Period) -> dict[str, Any]:
    """Needs posted in the period by kind, and how many of them are met (已满足)."""
    since, until = _bounds(period)
    rows = list(
        Need.objects.visible_to(user)
        .filter(
            community__path__startswith=region.path, created_at__gte=since, created_at__lt=until
        )
        .values("kind")
        .annotate(n=Count("pk"), met=Count("pk", filter=Q(status=NeedStatus.FILLED)))
        .order_by("-n")
    )
    labels = dict(Kind.choices)
    return {
        "x": [str(labels.get(r["kind"], r["kind"])) for r in rows],
        "series": [
            {"name": _("发布"), "data": [r["n"] for r in rows]},
            {"name": _("已满足"), "data": [r["met"] for r in rows]},
        ],
    }


def contributions(user: Any, region: Any, period: Period) -> dict[str, Any]:
    """Units' deliveries in the period by kind (交付次数)."""
    since, until = _bounds(period)
    rows = (
        Claim.objects.visible_to(user)
        .filter(
            community__path__startswith=region.path,
            status=ClaimStatus.DELIVERED,
            delivered_at__gte=since,
            delivered_at__lt=until,
        )
        .values("kind")
        .annotate(n=Count("pk"), served=Sum("beneficiaries_served"))
        .order_by("-n")
    )
    labels = dict(Kind.choices)
    return {
        "items": [{"name": str(labels.get(r["kind"], r["kind"])), "value": r["n"]} for r in rows]
    }


def _finished_on(resolution: Resolution) -> date | None:
    """When a resolution's action was finished, as far as its target tells."""
    local = timezone.localtime
    if resolution.kind == ActionKind.NEED and resolution.need is not None:
        done = resolution.need.status != NeedStatus.OPEN
        return local(resolution.need.updated_at).date() if done else None
    if resolution.kind == ActionKind.PROJECT and resolution.project is not None:
        done = resolution.project.status == ProjectStatus.DONE
        return local(resolution.project.updated_at).date() if done else None
    if resolution.kind == ActionKind.CASE and resolution.case is not None:
        case = resolution.case
        if case.state not in CASE_DONE_STATES:
            return None
        return local(case.resolved_at or case.closed_at or case.updated_at).date()
    return None


def meetings(user: Any, region: Any, period: Period) -> dict[str, Any]:
    """Joint meetings held in the period, and the resolutions due in it: finished, and
    finished by their deadline."""
    since, until = _bounds(period)
    held = (
        Meeting.objects.visible_to(user)
        .filter(
            host__path__startswith=region.path,
            status=MeetingStatus.HELD,
            starts_at__gte=since,
            starts_at__lt=until,
        )
        .count()
    )
    due = list(
        Resolution.objects.visible_to(user)
        .filter(
            meeting__host__path__startswith=region.path,
            deadline__gte=period.start,
            deadline__lt=period.end,
        )
        .select_related("need", "project", "case")
    )
    finished = [_finished_on(r) for r in due]
    done = sum(1 for f in finished if f is not None)
    on_time = sum(1 for f, r in zip(finished, due, strict=True) if f and f <= r.deadline)
    return {
        "items": [
            {"label": _("召开联席会"), "value": held},
            {"label": _("到期决议"), "value": len(due)},
            {"label": _("已落实"), "value": done},
            {
                "label": _("按期落实率"),
                "value": f"{100 * on_time / len(due):.1f}%" if due else "—",
            },
        ]
    }


PANELS = [
    Panel("cobuild.needs", gettext_lazy("需求发布与满足"), "bar", needs, LEVELS, COBUILD),
    Panel(
        "cobuild.contributions",
        gettext_lazy("共建单位贡献(按类别)"),
        "pie",
        contributions,
        LEVELS,
        COBUILD,
    ),
    Panel(
        "cobuild.meetings", gettext_lazy("联席会与决议落实"), "figures", meetings, LEVELS, COBUILD
    ),
]
