"""Data scopes: who may see which rows.

A user holds roles on organisation nodes (memberships); a role applies to the node's
subtree. Every model's queryset is a `ScopedQuerySet`, and every read in pages, API,
exports and admin goes through `visible_to(user)`. Deny by default.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Any, Self

from django.apps import apps
from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404

from .roles import GLOBAL_ROLES, INTAKE_ROLES, ROLE_PERMISSIONS, Perm

_CACHE_ATTR = "_genxi_scope"


@dataclass(frozen=True)
class Scope:
    """What one user may see: region subtrees (by path), partner units, and permissions."""

    is_global: bool = False
    paths: tuple[str, ...] = ()
    unit_ids: frozenset[int] = frozenset()
    roles: frozenset[str] = frozenset()
    perms: frozenset[str] = field(default_factory=frozenset)
    user_id: int | None = None
    # Each role's own paths, for decisions that depend on the role held at a place.
    role_paths: tuple[tuple[str, str], ...] = ()

    def has(self, perm: str) -> bool:
        return perm in self.perms

    @property
    def takes_cases(self) -> bool:
        """Whether the user records requests at intake (`roles.INTAKE_ROLES`): the intake
        page, its button and its panel agree on this one answer."""
        return self.has(Perm.VIEW_DATA) and bool(self.roles & INTAKE_ROLES)

    def role_covers(self, roles: set[str] | frozenset[str], path: str) -> bool:
        """Whether the user holds one of `roles` on a node at or above `path`."""
        return any(r in roles and path.startswith(p) for r, p in self.role_paths)


EMPTY_SCOPE = Scope()


def scope_for(user: Any) -> Scope:
    """Return the user's scope, computed once per request (cached on the user object)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return EMPTY_SCOPE
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    membership_model = apps.get_model("people", "Membership")
    rows = membership_model.objects.filter(user=user, active=True).values_list(
        "role", "region__path", "unit_id"
    )
    roles: set[str] = set()
    paths: set[str] = set()
    unit_ids: set[int] = set()
    role_paths: set[tuple[str, str]] = set()
    for role, path, unit_id in rows:
        roles.add(role)
        if path:
            paths.add(path)
            role_paths.add((role, path))
        if unit_id:
            unit_ids.add(unit_id)
    perms = frozenset().union(*(ROLE_PERMISSIONS.get(r, frozenset()) for r in roles))
    # A path inside another adds nothing; keep the outermost ones.
    outer = tuple(sorted(p for p in paths if not any(p != o and p.startswith(o) for o in paths)))
    scope = Scope(
        is_global=bool(roles & GLOBAL_ROLES),
        paths=outer,
        unit_ids=frozenset(unit_ids),
        roles=frozenset(roles),
        perms=perms,
        user_id=user.pk,
        role_paths=tuple(sorted(role_paths)),
    )
    setattr(user, _CACHE_ATTR, scope)
    return scope


def forget_scope(user: Any) -> None:
    """Drop the cached scope (after memberships change)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def path_q(lookup: str, paths: tuple[str, ...], *, listed: bool = False) -> Q:
    """Match rows whose region path (through `lookup`) lies under any of `paths`.

    Through a relation ("region__path", "need__community__path") this is a semi-join on
    the regions under the paths — `region IN (SELECT id FROM region WHERE path LIKE …)` —
    rather than a LIKE on the joined table: PostgreSQL estimates the semi-join well and so
    walks the queue's index for deep pages instead of sorting the whole scope (at 1,000,000
    cases, page 200 of a street's queue, the whole page timed in-process by
    bench/cases_queues.py, went from 1.49 s to 271 ms; docs/benchmarks.md).

    `listed`: the places' ids are read first and given as a list (`region_id IN (1, 2, …)`,
    which PostgreSQL reads as `= ANY(array)`): an index leading with the region then answers
    the scope as a bitmap, where a query that must not walk the order index (a search that
    no text index answers, decision 0037) reads only the scope's rows."""
    if not paths:
        return Q(pk__in=[])
    if not lookup.endswith("__path"):  # the region itself, or a path stored on the row
        return reduce(or_, (Q(**{f"{lookup}__startswith": p}) for p in paths))
    relation = lookup.removesuffix("__path")
    places = places_under(paths)
    return Q(**{f"{relation}__in": list(places) if listed else places})


def places_under(paths: tuple[str, ...]) -> QuerySet[Any, int]:
    """The ids of the regions at or under any of `paths` (not empty): a query, not run."""
    under = reduce(or_, (Q(path__startswith=p) for p in paths))
    region_model = apps.get_model("regions", "Region")
    return region_model.objects.filter(under).values_list("pk", flat=True)


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows how to restrict itself to a user's scope.

    A model says how: `scope_path` names the lookup to a region path (default
    "region__path"), `scope_perm` the permission needed, and a model may override the
    classmethod `scope_q(scope)` for anything more (partner units, for instance).
    """

    def visible_to(self, user: Any) -> Self:
        scope = scope_for(user)
        perm = getattr(self.model, "scope_perm", Perm.VIEW_DATA)
        if not scope.has(perm):
            return self.none()
        if scope.is_global:
            return self.all()
        scope_q = getattr(self.model, "scope_q", None)
        if scope_q is not None:
            return self.filter(scope_q(scope))
        lookup = getattr(self.model, "scope_path", "region__path")
        return self.filter(path_q(lookup, scope.paths))


ScopedManager = models.Manager.from_queryset(ScopedQuerySet)


def get_visible_or_404(queryset: ScopedQuerySet, user: Any, **lookup: Any) -> Any:
    """Fetch one object the user may see; anything else, existing or not, is a 404."""
    try:
        return queryset.visible_to(user).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def require_perm(user: Any, perm: str) -> None:
    """Raise 404 when the user lacks `perm`: we do not tell outsiders what exists."""
    if not scope_for(user).has(perm):
        raise Http404
