"""Reads about party organisations and partner units."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Count, Q, QuerySet

from .models import Pairing, PartnerUnit, PartyMember, PartyOrg


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
    """Visible party organisations as a nested list. Each item holds the organisation, its
    children, `own` (the members on its own roll: a committee's 委员, a branch's 党员) and
    `total` (distinct people on its roll or any roll below it; a committee member who is
    also in a grid branch counts once)."""
    orgs = list(
        PartyOrg.objects.visible_to(user).select_related("region").order_by("region__path", "id")
    )
    people: dict[int, set[object]] = defaultdict(set)
    rows = PartyMember.objects.filter(org__in=[o.pk for o in orgs]).values_list(
        "org_id", "pioneer_id", "name"
    )
    for org_id, pioneer_id, name in rows:
        people[org_id].add(pioneer_id if pioneer_id is not None else f"name:{name}")
    items: dict[int, dict[str, Any]] = {
        o.pk: {"org": o, "children": [], "own": len(people[o.pk])} for o in orgs
    }
    roots: list[dict[str, Any]] = []
    for org in orgs:
        parent = items.get(org.parent_id) if org.parent_id is not None else None
        (parent["children"] if parent else roots).append(items[org.pk])

    def roll_up(item: dict) -> set:
        found = set(people[item["org"].pk])
        for child in item["children"]:
            found |= roll_up(child)
        item["total"] = len(found)
        return found

    for root in roots:
        roll_up(root)
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
