"""Reads of the request loop: queues, one case, nearby duplicates, metrics."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from genxi.core.memo import Memo
from genxi.core.roles import STAFF_ROLES, Perm, Role
from genxi.core.scope import path_q, scope_for
from genxi.core.workbench import WorkCount
from genxi.people.models import Membership, User
from genxi.regions.domain.codes import path_segment

from .domain.places import box, distance_m
from .domain.states import FINAL
from .domain.text import similarity
from .models import CalendarDay, Case, CaseState, Category

CaseSet = TypeVar("CaseSet", bound=QuerySet[Case])
QUEUES = ("mine", "dispatch", "due_soon", "overdue", "flagged", "all")
DUE_SOON = timedelta(hours=24)  # 即将超期: the resolution deadline falls within a day


# The categories by code, for the pages that name a code the router answered (a suggestion).
category_memo = Memo("cases.categories", seconds=60.0)


def categories_by_code() -> dict[str, Category]:
    """Every category (active or not) by its code, with its parent: a few dozen rows."""
    found: dict[str, Category] = category_memo.get_or_build(
        lambda: {c.code: c for c in Category.objects.select_related("parent")}
    )
    return found


def case_list(
    *,
    user: Any,
    queue: str = "all",
    state: str = "",
    category: str = "",
    region: str = "",
    q: str = "",
) -> QuerySet[Case]:
    """Visible cases for a queue, filtered; flagged (督办) cases always come first."""
    qs = Case.objects.visible_to(user).select_related("category", "region", "handler")
    now = timezone.now()
    if queue == "mine":
        # The handler's part ends at resolution: resolved and verified cases leave the queue.
        done = [*map(str, FINAL), CaseState.RESOLVED, CaseState.VERIFIED]
        qs = qs.filter(handler=user).exclude(state__in=done)
    elif queue == "dispatch":
        qs = qs.filter(state__in=[CaseState.SUBMITTED, CaseState.ACCEPTED])
    elif queue == "due_soon":
        qs = qs.due_soon(now, DUE_SOON)
    elif queue == "overdue":
        qs = qs.overdue(now)
    elif queue == "flagged":
        qs = qs.filter(flagged=True).exclude(state__in=[str(s) for s in FINAL])
    qs = filter_cases(qs, state=state, category=category, region=region, q=q)
    return qs.order_by("-flagged", "-created_at", "-id")


def filter_cases(
    qs: CaseSet,
    *,
    state: str = "",
    category: str = "",
    region: str = "",
    q: str = "",
    since: datetime | None = None,
    until: datetime | None = None,
    handler: int | None = None,
) -> CaseSet:
    """The filters of the case lists, the API and the metrics; an empty one filters nothing.

    `category` is a code prefix ("ENV" or "ENV.02"); `region` a region code at any level
    (its cases and those below it); `q` a case's code, or text in its title or report;
    `since` and `until` bound when the case was received, [since, until).
    """
    if state:
        qs = qs.filter(state=state)
    if category:
        qs = qs.filter(category__code__startswith=category)
    if region:
        qs = qs.filter(region__path__contains=path_segment(region))
    if q:
        qs = qs.filter(Q(code__iexact=q) | Q(title__icontains=q) | Q(text__icontains=q))
    if since:
        qs = qs.filter(created_at__gte=since)
    if until:
        qs = qs.filter(created_at__lt=until)
    if handler:
        qs = qs.filter(handler_id=handler)
    return qs


def nearby_open_cases(
    *,
    user: Any,
    lat: float | None,
    lon: float | None,
    text: str,
    exclude: int | None = None,
    limit: int = 5,
) -> list[tuple[Case, int, float]]:
    """Open cases within the radius, from the last days, with similar text: (case, m, sim)."""
    if lat is None or lon is None:
        return []
    radius = settings.GENXI_DUPLICATE_RADIUS_M
    lat0, lat1, lon0, lon1 = box(lat, lon, radius)
    since = timezone.now() - timedelta(days=settings.GENXI_DUPLICATE_DAYS)
    candidates = (
        Case.objects.visible_to(user)
        .open()
        .filter(lat__range=(lat0, lat1), lon__range=(lon0, lon1), created_at__gte=since)
        .exclude(state=CaseState.MERGED)
    )
    if exclude:
        candidates = candidates.exclude(pk=exclude)
    found = []
    for case in candidates.select_related("category")[:200]:
        if case.lat is None or case.lon is None:  # never: the box above keeps placed cases only
            continue
        metres = distance_m(lat, lon, case.lat, case.lon)
        sim = similarity(text, case.text)
        if metres <= radius and sim >= 0.15:
            found.append((case, round(metres), round(sim, 2)))
    found.sort(key=lambda f: (-f[2], f[1]))
    return found[:limit]


# Metrics ----------------------------------------------------------------------------------


def metrics(
    *,
    user: Any,
    since: datetime | None = None,
    until: datetime | None = None,
    category: str = "",
    region: str = "",
    handler: int | None = None,
) -> dict[str, Any]:
    """The loop's rates for cases received in [since, until). Formulas: docs/metrics.md."""
    qs = filter_cases(
        Case.objects.visible_to(user),
        since=since,
        until=until,
        category=category,
        region=region,
        handler=handler,
    )
    accepted_states = [
        s for s in CaseState.values if s not in (CaseState.REJECTED, CaseState.MERGED)
    ]
    duration = ExpressionWrapper(F("resolved_at") - F("created_at"), output_field=DurationField())
    agg = qs.aggregate(
        received=Count("id"),
        valid=Count("id", filter=Q(state__in=accepted_states)),
        responded=Count("id", filter=Q(responded_at__isnull=False)),
        responded_in_time=Count("id", filter=Q(responded_at__lte=F("respond_by"))),
        resolved=Count("id", filter=Q(resolved_at__isnull=False)),
        resolved_in_time=Count("id", filter=Q(resolved_at__lte=F("resolve_by"))),
        closed=Count("id", filter=Q(state=CaseState.CLOSED)),
        rated=Count("id", filter=~Q(rating="")),
        satisfied=Count("id", filter=Q(rating__in=["satisfied", "basically"])),
        unsatisfied=Count("id", filter=Q(rating="unsatisfied")),
        reworked=Count("id", filter=Q(reworks__gt=0)),
        returned=Count("id", filter=Q(returns__gt=0)),
        extended=Count("id", filter=Q(extensions__gt=0)),
        avg_duration=Avg(duration, filter=Q(resolved_at__isnull=False)),
    )

    def rate(part: str, whole: str) -> float | None:
        return round(agg[part] / agg[whole], 4) if agg[whole] else None

    hours = agg["avg_duration"].total_seconds() / 3600 if agg["avg_duration"] else None
    return {
        "received": agg["received"],
        "response_rate": rate("responded", "valid"),
        "on_time_response_rate": rate("responded_in_time", "valid"),
        "on_time_resolution_rate": rate("resolved_in_time", "resolved"),
        "resolution_rate": rate("resolved", "valid"),
        "satisfaction_rate": rate("satisfied", "rated"),
        "rework_rate": rate("reworked", "resolved"),
        "return_rate": rate("returned", "valid"),
        "extension_rate": rate("extended", "valid"),
        "avg_handling_hours": round(hours, 1) if hours is not None else None,
        "counts": {k: agg[k] for k in agg if k != "avg_duration"},
    }


def visible_handlers(user: Any):
    """People a dispatcher may send cases to: staff, pioneers with a login, unit liaisons
    and department officers inside the dispatcher's scope."""
    scope = scope_for(user)
    memberships = Membership.objects.filter(
        active=True,
        role__in=[
            Role.GRID_WORKER,
            Role.COMMUNITY_WORKER,
            Role.UNIT_LIAISON,
            Role.DEPARTMENT_OFFICER,
            Role.STREET_ADMIN,
        ],
    )
    if not scope.is_global:
        memberships = memberships.filter(
            path_q("region__path", scope.paths) | path_q("unit__region__path", scope.paths)
        )
    return (
        User.objects.filter(is_active=True, memberships__in=memberships)
        .distinct()
        .order_by("username")
    )


def stats_by_street(streets) -> dict[int, dict[str, Any]]:
    """Each street's cases by state, in one query (a row per state, a column per street)."""
    streets = list(streets)
    if not streets:
        return {}
    rows = (
        Case.objects.order_by()
        .values("state")
        .annotate(
            **{
                f"s{i}": Count("pk", filter=Q(region__path__startswith=s.path))
                for i, s in enumerate(streets)
            }
        )
    )
    by_state: dict[str, dict[str, Any]] = {row["state"]: dict(row) for row in rows}
    return {
        s.pk: {
            "cases": {state: by_state.get(state, {}).get(f"s{i}", 0) for state in CaseState.values}
        }
        for i, s in enumerate(streets)
    }


# From 1 November the next year's arrangement is due (the State Council publishes it in
# the autumn) and deadlines set in December already run into January.
NEXT_YEAR_FROM = (11, 1)


def years_without_calendar(today: date) -> list[int]:
    """The years whose deadlines would be counted on weekends alone: this year, and from
    November the next, when no holiday or 调休 day is recorded for them."""
    years = [today.year]
    if (today.month, today.day) >= NEXT_YEAR_FROM:
        years.append(today.year + 1)
    recorded = set(
        CalendarDay.objects.filter(date__year__in=years)
        .order_by()
        .values_list("date__year", flat=True)
        .distinct()
    )
    return [year for year in years if year not in recorded]


def work_counts(user: Any) -> list[WorkCount]:
    """The request loop's part of the workbench (`core.workbench`), in one query. Each
    count is the length of the queue it links to. A place's staff accept and dispatch; a
    handler (grid worker, department, unit) sees its own tasks and the deadlines."""
    scope = scope_for(user)
    if not scope.has(Perm.VIEW_DATA):
        return []
    now = timezone.now()
    visible = Case.objects.visible_to(user)
    counts = {
        "to_accept": visible.filter(state=CaseState.SUBMITTED),
        "to_dispatch": visible.filter(state=CaseState.ACCEPTED),
        "mine": case_list(user=user, queue="mine"),
        "due_soon": visible.due_soon(now, DUE_SOON),
        "overdue": visible.overdue(now),
        "flagged": case_list(user=user, queue="flagged"),
    }
    totals = visible.aggregate(
        **{key: Count("pk", filter=Q(pk__in=qs.values("pk"))) for key, qs in counts.items()}
    )
    url = reverse("cases:queue")
    shown = [
        ("mine", _("我的待办"), f"{url}?queue=mine", False),
        ("due_soon", _("即将超期"), f"{url}?queue=due_soon", True),
        ("overdue", _("已超期"), f"{url}?queue=overdue", True),
    ]
    if scope.roles & STAFF_ROLES:
        shown = [
            ("to_accept", _("待受理"), f"{url}?queue=dispatch&state={CaseState.SUBMITTED}", False),
            ("to_dispatch", _("待派遣"), f"{url}?queue=dispatch&state={CaseState.ACCEPTED}", False),
            *shown,
            ("flagged", _("督办"), f"{url}?queue=flagged", True),
        ]
    return [
        WorkCount(f"cases.{key}", label, totals[key], link, urgent)
        for key, label, link, urgent in shown
    ]
