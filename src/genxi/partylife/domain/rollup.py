"""The figures of party members' life per organisation, and their roll-up through the
party tree (grid branch → community 大党委 → regional committee → street 大工委)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields


@dataclass(frozen=True)
class Figures:
    members: int = 0
    sessions_held: int = 0
    present: int = 0  # attendance marked present
    recorded: int = 0  # attendance marked at all (present, absent, leave)
    study_minutes: int = 0  # sessions attended × their length, plus self-study
    reflections: int = 0
    practice_outputs: int = 0

    def __add__(self, other: Figures) -> Figures:
        return Figures(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)}
        )

    @property
    def attendance_rate(self) -> float | None:
        """Present over recorded, as a percentage with one decimal; None before any record."""
        if not self.recorded:
            return None
        return round(100 * self.present / self.recorded, 1)

    @property
    def study_hours(self) -> float:
        return round(self.study_minutes / 60, 1)


def roll_up(parents: Mapping[int, int | None], own: Mapping[int, Figures]) -> dict[int, Figures]:
    """Each organisation's figures with all of its descendants' added.

    `parents` maps every organisation to its parent (None at a root, or a parent not in the
    mapping: the tree as the viewer sees it); `own` holds each one's own figures (missing:
    zero). A cycle in `parents` is a ValueError."""
    children: dict[int | None, list[int]] = {}
    for node, parent in parents.items():
        children.setdefault(parent if parent in parents else None, []).append(node)
    total: dict[int, Figures] = {}
    # Iterative post-order from the roots, so deep trees do not hit the recursion limit.
    for root in children.get(None, []):
        stack: list[tuple[int, bool]] = [(root, False)]
        while stack:
            node, expanded = stack.pop()
            if expanded:
                acc = own.get(node, Figures())
                for child in children.get(node, []):
                    acc = acc + total[child]
                total[node] = acc
            else:
                stack.append((node, True))
                stack.extend((c, False) for c in children.get(node, []))
    if len(total) != len(parents):
        raise ValueError("the party tree has a cycle")
    return total


def descendants(parents: Mapping[int, int | None], node: int) -> set[int]:
    """`node` and every organisation below it (by walking each one's ancestors)."""
    found = set()
    for other in parents:
        seen: set[int] = set()
        cursor: int | None = other
        while cursor is not None and cursor not in seen:
            if cursor == node:
                found.add(other)
                break
            seen.add(cursor)
            cursor = parents.get(cursor)
    return found


def study_minutes(attended: Iterable[int], self_study: Iterable[int]) -> int:
    """A member's study minutes: the length of each session attended plus self-study."""
    return sum(attended) + sum(self_study)
