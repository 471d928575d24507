"""The month's focus problem (每月一题): proposed from the month's cases.

A candidate is a category and, when one building holds many of them, that building. The
candidates are ranked by the category's cases in the month; ties by the number that recur
at one place, then by the code, so the proposal is deterministic.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass


@dataclass(frozen=True)
class Candidate:
    category: str
    count: int
    place: str  # the building most of them came from ("" when none came from one twice)
    place_count: int


def candidates(rows: list[tuple[str, str]], top: int = 3) -> list[Candidate]:
    """`rows`: (category code, place key or "") for each case of the month."""
    by_cat: Counter[str] = Counter()
    places: dict[str, Counter[str]] = {}
    for category, place in rows:
        if not category:
            continue
        by_cat[category] += 1
        if place:
            places.setdefault(category, Counter())[place] += 1
    ranked = []
    for category, count in by_cat.items():
        place, place_count = "", 0
        if category in places:
            place, place_count = min(places[category].items(), key=lambda kv: (-kv[1], kv[0]))
            if place_count < 2:
                place, place_count = "", 0
        ranked.append(Candidate(category, count, place, place_count))
    ranked.sort(key=lambda c: (-c.count, -c.place_count, c.category))
    return ranked[:top]
