"""Match communities' needs to partner units' resources: the assignment with the largest
total score, Σ score × quantity, within every resource's capacity and every need's quantity.

Pure Python around OR-Tools' min-cost flow (optimal, integral). Partial fills are allowed;
only scored pairs may be used. Quantities and capacities are whole numbers in the need's
unit (volunteer-hours, venue-evenings, yuan).

Network: source → need (capacity = quantity) → resource (one arc per scored pair, cost =
−score) → sink (capacity = capacity), plus a source → sink bypass at cost 0, so leaving a
need unfilled is always possible and never forced.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

SCALE = 1_000_000  # scores are real numbers; the flow solver needs integer costs


@dataclass(frozen=True)
class Need:
    id: str
    quantity: int


@dataclass(frozen=True)
class Resource:
    id: str
    capacity: int


@dataclass(frozen=True)
class Pair:
    need: str
    resource: str
    score: float
    parts: dict[str, float] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Assignment:
    need: str
    resource: str
    quantity: int
    score: float
    parts: dict[str, float] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Result:
    assignments: list[Assignment]
    total: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "assignments": [
                {
                    "need": a.need,
                    "resource": a.resource,
                    "quantity": a.quantity,
                    "score": round(a.score, 6),
                    **({"parts": a.parts} if a.parts else {}),
                }
                for a in self.assignments
            ],
            "total": round(self.total, 6),
        }


class MatchingError(ValueError):
    pass


def _check(needs: list[Need], resources: list[Resource], pairs: list[Pair]) -> None:
    need_ids = {n.id for n in needs}
    resource_ids = {r.id for r in resources}
    if len(need_ids) != len(needs):
        raise MatchingError("need ids must be unique")
    if len(resource_ids) != len(resources):
        raise MatchingError("resource ids must be unique")
    for n in needs:
        if n.quantity < 0:
            raise MatchingError(f"need {n.id}: quantity must not be negative")
    for r in resources:
        if r.capacity < 0:
            raise MatchingError(f"resource {r.id}: capacity must not be negative")
    for p in pairs:
        if p.need not in need_ids:
            raise MatchingError(f"score names an unknown need: {p.need}")
        if p.resource not in resource_ids:
            raise MatchingError(f"score names an unknown resource: {p.resource}")


def solve_arrays(
    quantities: ArrayLike,
    capacities: ArrayLike,
    need_index: ArrayLike,
    resource_index: ArrayLike,
    scores: ArrayLike,
) -> NDArray[np.int64]:
    """The optimal flow on each scored pair, from arrays: `quantities[i]` of need i,
    `capacities[j]` of resource j, and one (need_index, resource_index, score) per pair
    (scores > 0). Returns the integral amount assigned to each pair."""
    from ortools.graph.python import min_cost_flow  # heavy (OR-Tools): loaded on the first solve

    quantity = np.asarray(quantities, dtype=np.int64)
    capacity = np.asarray(capacities, dtype=np.int64)
    need_at = np.asarray(need_index, dtype=np.int64)
    resource_at = np.asarray(resource_index, dtype=np.int64)
    score = np.asarray(scores, dtype=np.float64)
    n_needs, n_resources = len(quantity), len(capacity)
    source, sink = 0, n_needs + n_resources + 1
    supply = int(quantity.sum())
    need_nodes = np.arange(1, n_needs + 1, dtype=np.int64)
    resource_nodes = np.arange(n_needs + 1, n_needs + n_resources + 1, dtype=np.int64)
    zeros = np.zeros
    tails = np.concatenate(
        [zeros(n_needs, np.int64), need_at + 1, resource_nodes, [source]]
    ).astype(np.int64)
    heads = np.concatenate(
        [need_nodes, resource_at + n_needs + 1, np.full(n_resources, sink), [sink]]
    ).astype(np.int64)
    caps = np.concatenate(
        [
            quantity,
            np.minimum(quantity[need_at], capacity[resource_at]),
            capacity,
            [supply],
        ]
    ).astype(np.int64)
    costs = np.concatenate(
        [
            zeros(n_needs, np.int64),
            -np.rint(score * SCALE).astype(np.int64),
            zeros(n_resources, np.int64),
            [0],
        ]
    ).astype(np.int64)
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    flow.set_node_supply(source, supply)
    flow.set_node_supply(sink, -supply)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise MatchingError(f"the solver did not find an optimum (status {status})")
    first = n_needs
    flows: NDArray[np.int64] = flow.flows(np.arange(first, first + len(score), dtype=np.int64))
    return flows


def solve(needs: Iterable[Need], resources: Iterable[Resource], pairs: Iterable[Pair]) -> Result:
    """The optimal assignment (largest Σ score × quantity)."""
    needs, resources = list(needs), list(resources)
    pairs = [p for p in pairs if p.score > 0]
    _check(needs, resources, pairs)
    n_index = {n.id: i for i, n in enumerate(needs)}
    r_index = {r.id: i for i, r in enumerate(resources)}
    flows = solve_arrays(
        [n.quantity for n in needs],
        [r.capacity for r in resources],
        [n_index[p.need] for p in pairs],
        [r_index[p.resource] for p in pairs],
        [p.score for p in pairs],
    )
    assignments = [
        Assignment(p.need, p.resource, int(f), p.score, p.parts)
        for p, f in zip(pairs, flows, strict=True)
        if f > 0
    ]
    return Result(assignments, sum(a.score * a.quantity for a in assignments))


def greedy(needs: Iterable[Need], resources: Iterable[Resource], pairs: Iterable[Pair]) -> Result:
    """The obvious baseline: best-scored pairs first, as much as fits."""
    left = {n.id: n.quantity for n in needs}
    room = {r.id: r.capacity for r in resources}
    assignments = []
    for p in sorted((p for p in pairs if p.score > 0), key=lambda p: -p.score):
        amount = min(left.get(p.need, 0), room.get(p.resource, 0))
        if amount > 0:
            left[p.need] -= amount
            room[p.resource] -= amount
            assignments.append(Assignment(p.need, p.resource, amount, p.score, p.parts))
    return Result(assignments, sum(a.score * a.quantity for a in assignments))
