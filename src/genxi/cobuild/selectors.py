"""Reads of co-building."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import Claim, Need, NeedStatus, Resource


def need_list(*, user: Any, status: str = "", kind: str = "", q: str = "") -> QuerySet[Need]:
    qs = Need.objects.visible_to(user).select_related("community", "community__parent")
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(title__icontains=q)
    return qs.order_by("-created_at", "-id")


def open_needs_for_unit(*, user: Any) -> QuerySet[Need]:
    return need_list(user=user, status=NeedStatus.OPEN)


def need_claims(*, user: Any, need: Need) -> QuerySet[Claim]:
    return (
        Claim.objects.visible_to(user)
        .filter(need=need)
        .select_related("unit", "resource")
        .order_by("created_at", "id")
    )


def unit_resources(*, user: Any, unit_ids) -> QuerySet[Resource]:
    return Resource.objects.visible_to(user).filter(unit_id__in=unit_ids, active=True)
