"""Reads about party organisations and partner units."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from .models import Pairing, PartnerUnit, PartyOrg


def unit_list(*, user: Any, kind: str = "", community: str = "", q: str = "") -> QuerySet:
    qs = (
        PartnerUnit.objects.visible_to(user)
        .select_related("region")
        .annotate(pairing_count=Count("pairings", distinct=True))
    )
    if kind:
        qs = qs.filter(kind=kind)
    if community:
        qs = qs.filter(pairings__community__code=community)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q) | Q(service_area__icontains=q))
    return qs.order_by("code")


def unit_pairings(*, user: Any, unit: PartnerUnit) -> QuerySet:
    return (
        Pairing.objects.visible_to(user)
        .filter(unit=unit)
        .select_related("community", "community__parent")
        .order_by("community__code")
    )


def party_tree(*, user: Any) -> list[dict]:
    """Visible party organisations as a nested list, each with its member count."""
    orgs = list(
        PartyOrg.objects.visible_to(user)
        .select_related("region")
        .annotate(member_count=Count("members", distinct=True))
        .order_by("region__path", "id")
    )
    items = {o.pk: {"org": o, "children": []} for o in orgs}
    roots = []
    for org in orgs:
        parent = items.get(org.parent_id)
        (parent["children"] if parent else roots).append(items[org.pk])
    return roots


def stats_by_street(streets) -> dict[int, dict[str, int]]:
    """Active units registered at each street (not below it: units sit at street level)."""
    streets = list(streets)
    counts = dict(
        PartnerUnit.objects.filter(region__in=streets, active=True)
        .order_by()
        .values_list("region_id")
        .annotate(n=Count("id"))
    )
    return {s.pk: {"partner_units": counts.get(s.pk, 0)} for s in streets}
