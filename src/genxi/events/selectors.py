"""Reads of the weekend community: the calendar (month and week) of a community, an
event's registrations and roster, the public pages, the headline counts and the
workbench."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from genxi.core.roles import STAFF_ROLES
from genxi.core.scope import ScopedQuerySet, get_visible_or_404, path_q, scope_for
from genxi.core.stats import count_by_street
from genxi.core.workbench import WorkCount
from genxi.regions.domain.codes import ancestor_paths
from genxi.regions.models import Region

from .domain.calendar import month_start, next_month
from .models import (
    Event,
    EventStatus,
    MonthPlan,
    PlanStatus,
    Registration,
    RegistrationStatus,
    RosterEntry,
)

LIVE = (EventStatus.PUBLISHED, EventStatus.DONE)


def with_counts(qs: ScopedQuerySet) -> ScopedQuerySet:
    return qs.annotate(
        registered=Count(
            "registrations",
            filter=Q(registrations__status=RegistrationStatus.REGISTERED),
            distinct=True,
        ),
        waitlisted=Count(
            "registrations",
            filter=Q(registrations__status=RegistrationStatus.WAITLISTED),
            distinct=True,
        ),
        checked_in=Count(
            "registrations",
            filter=Q(registrations__checked_in_at__isnull=False),
            distinct=True,
        ),
    )


def local_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def staff_communities(user: Any) -> QuerySet[Region]:
    """The communities the user is staff of (or staff over)."""
    scope = scope_for(user)
    paths = tuple(p for r, p in scope.role_paths if r in STAFF_ROLES)
    if not paths:
        return Region.objects.none()
    return Region.objects.communities().filter(path_q("path", paths)).order_by("path")


def visible_communities(user: Any) -> QuerySet[Region]:
    """The communities whose calendar the user may open: those in or above their places."""
    scope = scope_for(user)
    if not scope.has("view_data"):
        return Region.objects.none()
    qs = Region.objects.communities()
    if scope.is_global:
        return qs.order_by("path")
    if not scope.paths:
        return qs.none()
    above = sorted({a for p in scope.paths for a in ancestor_paths(p)})
    return qs.filter(path_q("path", scope.paths) | Q(path__in=above)).order_by("path")


def event_list(
    *, user: Any, community: Region | None = None, start: date, end: date
) -> QuerySet[Event]:
    """The events the user sees starting in [start, end), with their counts."""
    qs = Event.objects.visible_to(user).filter(
        starts_at__gte=local_start(start), starts_at__lt=local_start(end)
    )
    if community is not None:
        qs = qs.filter(community=community)
    return with_counts(qs.select_related("community", "organiser")).order_by("starts_at", "id")


def event_api_list(*, user: Any, community: str = "", status: str = "") -> QuerySet[Event]:
    qs = with_counts(Event.objects.visible_to(user).select_related("community"))
    if community:
        qs = qs.filter(community__code=community)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-starts_at", "-id")


def month_plan(*, community: Region, month: date) -> MonthPlan | None:
    return (
        MonthPlan.objects.filter(community=community, month=month_start(month))
        .prefetch_related("themes")
        .first()
    )


def event_detail(*, user: Any, pk: int) -> Event:
    return get_visible_or_404(
        with_counts(Event.objects.select_related("community", "organiser", "project")), user, pk=pk
    )


def registrations(*, event: Event) -> list[Registration]:
    return list(event.registrations.select_related("registered_by").order_by("seq"))


def roster(*, event: Event) -> list[RosterEntry]:
    return list(
        RosterEntry.objects.filter(event=event)
        .select_related("pioneer", "pioneer__grid")
        .order_by("role", "id")
    )


def public_events(*, community: Region, start: date, end: date) -> QuerySet[Event]:
    """The published (and done) events of a community for the residents' calendar."""
    return with_counts(
        Event.objects.filter(
            community=community,
            status__in=[*LIVE, EventStatus.CANCELLED],
            starts_at__gte=local_start(start),
            starts_at__lt=local_start(end),
        ).select_related("community")
    ).order_by("starts_at", "id")


def public_plan(*, community: Region, month: date) -> MonthPlan | None:
    plan = month_plan(community=community, month=month)
    return plan if plan is not None and plan.status == PlanStatus.PUBLISHED else None


def feed_events(*, community: Region, now: datetime | None = None) -> QuerySet[Event]:
    """The iCalendar feed: a year back and everything ahead, published, done or cancelled."""
    now = now or timezone.now()
    return Event.objects.filter(
        community=community,
        status__in=[*LIVE, EventStatus.CANCELLED],
        starts_at__gte=now - timedelta(days=366),
    ).order_by("starts_at", "id")


# Headline counts and the workbench --------------------------------------------------------


def stats_by_street(streets) -> dict[int, dict[str, int]]:
    """`events` (published or done) and `registrations` (places taken: registered,
    checked in or not; neither waiting nor cancelled) per street, two queries."""
    events = count_by_street(
        Event.objects.all(), streets, "community__path", events=Q(status__in=LIVE)
    )
    regs = count_by_street(
        Registration.objects.all(),
        streets,
        "event__community__path",
        registrations=Q(status=RegistrationStatus.REGISTERED),
    )
    return {pk: events[pk] | regs.get(pk, {}) for pk in events}


def needing_summary(user: Any, *, now: datetime | None = None) -> QuerySet[Event]:
    """The events the user runs that are over and still without a summary."""
    now = now or timezone.now()
    scope = scope_for(user)
    paths = tuple(p for r, p in scope.role_paths if r in STAFF_ROLES)
    mine = Q(organiser_id=scope.user_id or 0)
    if paths:
        mine |= path_q("community__path", paths)
    return (
        Event.objects.visible_to(user)
        .filter(mine, status=EventStatus.PUBLISHED, ends_at__lte=now)
        .select_related("community")
        .order_by("starts_at", "id")
    )


def this_week(user: Any, *, today: date | None = None) -> QuerySet[Event]:
    today = today or timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    return event_list(user=user, start=monday, end=monday + timedelta(days=7))


def work_counts(user: Any) -> list[WorkCount]:
    """For the staff and the organisers: the events over and waiting for their summary."""
    scope = scope_for(user)
    if not scope.user_id:
        return []
    if (
        not (scope.roles & STAFF_ROLES)
        and not Event.objects.filter(organiser_id=scope.user_id).exists()
    ):
        return []
    return [
        WorkCount(
            "events.summary",
            _("待写总结的活动"),
            needing_summary(user).count(),
            reverse("events:summaries"),
        )
    ]


def month_range(month: date) -> tuple[date, date]:
    first = month_start(month)
    return first, next_month(first)
