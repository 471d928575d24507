"""Which handler a case goes to: rules by category and place, the most specific first."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    """`category` is a code prefix ('' for any); `region_path` a tree path ('' for anywhere)."""

    id: int
    category: str
    region_path: str
    handler: object
    priority: int = 0


def pick(rules: Iterable[Rule], category: str, grid_path: str) -> Rule | None:
    """The rule matching both category and place, preferring the deepest place, then the
    longest category prefix, then the highest priority."""
    matching = [
        r for r in rules if category.startswith(r.category) and grid_path.startswith(r.region_path)
    ]
    if not matching:
        return None
    return max(matching, key=lambda r: (len(r.region_path), len(r.category), r.priority, -r.id))
