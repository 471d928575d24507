"""Reads about people. Every function starts from `visible_to(user)`."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from genxi.core.roles import Perm
from genxi.core.scope import scope_for
from genxi.core.stats import count_by_street
from genxi.regions.domain.codes import path_segment
from genxi.regions.models import Level, Region

from .models import ImportJob, ImportKind, Pioneer, Resident


def grid_pioneers(user: Any, region: Region) -> dict[str, Any] | None:
    """The panel on a grid's page (regions.panels): its pioneers the user may see."""
    if region.level != Level.GRID:
        return None
    return {"pioneers": pioneer_list(user=user, grid=region.code)[:50]}


def pioneer_list(
    *,
    user: Any,
    kind: str = "",
    grid: str = "",
    skill: str = "",
    active: str = "",
    q: str = "",
) -> QuerySet[Pioneer]:
    """Visible pioneers, filtered. `grid` is a region code: the grid or anything above it."""
    qs = Pioneer.objects.visible_to(user).select_related("grid", "grid__parent")
    if kind:
        qs = qs.filter(kind=kind)
    if grid:
        qs = qs.filter(grid__path__contains=path_segment(grid))
    if skill:
        # JSON containment differs by database; a quoted substring works on both.
        qs = qs.filter(skills__icontains=f'"{skill}')
    if active in {"1", "true", "yes"}:
        qs = qs.filter(active=True)
    elif active in {"0", "false", "no"}:
        qs = qs.filter(active=False)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q) | Q(skills__icontains=q))
    return qs.order_by("code")


def resident_list(*, user: Any, grid: str = "", tag: str = "", q: str = "") -> QuerySet[Resident]:
    qs = Resident.objects.visible_to(user).select_related("grid", "grid__parent")
    if grid:
        qs = qs.filter(grid__path__contains=path_segment(grid))
    if tag:
        qs = qs.filter(tags__icontains=f'"{tag}"')
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(building__icontains=q))
    return qs.order_by("grid__path", "name", "id")


def import_jobs(*, user: Any) -> QuerySet[ImportJob]:
    return ImportJob.objects.visible_to(user).select_related("created_by", "region")


def stats_by_street(streets) -> dict[int, dict[str, int]]:
    streets = list(streets)
    counts = count_by_street(
        Pioneer.objects.all(), streets, "grid__path", pioneers=Q(), pioneers_active=Q(active=True)
    )
    residents = count_by_street(Resident.objects.all(), streets, "grid__path", residents=Q())
    for pk, values in residents.items():
        counts[pk].update(values)
    return counts


def importable_kinds(user: Any) -> list[str]:
    """What the user may import: residents only with the right to see them (the system
    admin imports organisation data, not residents: docs/security.md); none without
    IMPORT_DATA. The form offers these, and the services check the same rule again."""
    scope = scope_for(user)
    if not scope.has(Perm.IMPORT_DATA):
        return []
    return [
        kind
        for kind in ImportKind.values
        if kind != ImportKind.RESIDENTS or scope.has(Perm.VIEW_RESIDENTS)
    ]
