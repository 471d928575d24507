"""The JSON form of a matching problem (docs/matching.md): read it, solve it, answer it."""

from __future__ import annotations

from datetime import date
from typing import Any

from .matching import MatchingError, Need, Pair, Resource, Result, solve
from .scoring import NeedInfo, ResourceInfo, score_matrix


def _date(value: Any, where: str) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise MatchingError(f"{where}: not an ISO date: {value!r}") from exc


def _whole(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
        raise MatchingError(f"{where} must be a whole number")
    return int(value)


def solve_problem(problem: dict[str, Any]) -> Result:
    if not isinstance(problem, dict):
        raise MatchingError("the input must be a JSON object")
    raw_needs = problem.get("needs")
    raw_resources = problem.get("resources")
    if not isinstance(raw_needs, list) or not isinstance(raw_resources, list):
        raise MatchingError('the input needs "needs" and "resources" lists')
    needs, resources = [], []
    for i, n in enumerate(raw_needs):
        if "id" not in n:
            raise MatchingError(f"needs[{i}]: id is required")
        needs.append(
            NeedInfo(
                id=str(n["id"]),
                quantity=_whole(n.get("quantity"), f"needs[{i}].quantity"),
                category=str(n.get("category", "")),
                text=str(n.get("text", "")),
                lat=n.get("lat"),
                lon=n.get("lon"),
                start=_date(n.get("start"), f"needs[{i}].start"),
                end=_date(n.get("end"), f"needs[{i}].end"),
            )
        )
    for i, r in enumerate(raw_resources):
        if "id" not in r:
            raise MatchingError(f"resources[{i}]: id is required")
        resources.append(
            ResourceInfo(
                id=str(r["id"]),
                capacity=_whole(r.get("capacity"), f"resources[{i}].capacity"),
                categories=frozenset(map(str, r.get("categories", []))),
                text=str(r.get("text", "")),
                lat=r.get("lat"),
                lon=r.get("lon"),
                radius_m=r.get("radius_m"),
                start=_date(r.get("start"), f"resources[{i}].start"),
                end=_date(r.get("end"), f"resources[{i}].end"),
            )
        )
    if "scores" in problem:
        pairs = []
        for i, s in enumerate(problem["scores"]):
            try:
                pairs.append(Pair(str(s["need"]), str(s["resource"]), float(s["score"])))
            except (KeyError, TypeError, ValueError) as exc:
                raise MatchingError(
                    f"scores[{i}] needs need, resource and a numeric score"
                ) from exc
    else:
        return score_matrix(needs, resources).solve()
    return solve(
        [Need(n.id, n.quantity) for n in needs],
        [Resource(r.id, r.capacity) for r in resources],
        pairs,
    )
