"""The monthly visit plan: which households each person visits this month.

A cycle's households are spread over its months (those left), the ones longest unvisited
first, and each month's share over the grid's people so that their loads differ by at
most one. Pure: households and people are any hashable keys, sorted for a stable answer."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from math import ceil
from typing import TypeVar

H = TypeVar("H", bound=Hashable)
P = TypeVar("P", bound=Hashable)


def month_share(due: int, months_left: int) -> int:
    """How many of `due` households this month takes so the rest fit the months after."""
    if due <= 0:
        return 0
    return ceil(due / max(months_left, 1))


def balance(
    households: Sequence[H], people: Sequence[P], load: Mapping[P, int] | None = None
) -> dict[H, P]:
    """Give each household to one person, the least loaded first (ties: the order of
    `people`), counting what each already has in `load`. Starting from equal loads, the
    loads end differing by at most one."""
    if not people:
        raise ValueError("no one to plan visits for")
    counts = {p: (load or {}).get(p, 0) for p in people}
    order = {p: i for i, p in enumerate(people)}
    plan: dict[H, P] = {}
    for household in households:
        person = min(people, key=lambda p: (counts[p], order[p]))
        plan[household] = person
        counts[person] += 1
    return plan


def plan_month(
    due: Sequence[H], people: Sequence[P], months_left: int, load: Mapping[P, int] | None = None
) -> dict[H, P]:
    """This month's plan: `due` lists the households not yet visited or planned in the
    cycle, the most overdue first; the month takes its share of them."""
    share = month_share(len(due), months_left)
    return balance(list(due)[:share], people, load)


def plan_cycle(households: Sequence[H], people: Sequence[P], months: int) -> list[dict[H, P]]:
    """Every month's plan of a cycle nobody deviates from: each household once."""
    left = list(households)
    plans: list[dict[H, P]] = []
    for month in range(months):
        plan = plan_month(left, people, months - month)
        plans.append(plan)
        left = [h for h in left if h not in plan]
    return plans
