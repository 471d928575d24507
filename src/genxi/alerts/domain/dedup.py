"""Not the same warning every day: match today's findings to the warnings already raised.

A finding is the same as a warning raised before when they are of one kind, one category
and one grid-or-category series, and either share their key or the finding's cases are at
least half the warning's (or the warning's at least half the finding's). Then:

- the warning is open: it is updated (its cases, figures and score) — `("update", id)`;
- the warning was acted on or dismissed: nothing is raised again unless at least
  NEW_AFTER_DECISION of the finding's cases came after the decision — then a new warning;
- otherwise the finding is new — `("new", None)`.

Findings of one scan are also merged among themselves first (a cluster found in the 30-day
and the 90-day window is one hotspot: the stronger finding is kept).
"""

from __future__ import annotations

from dataclasses import dataclass

from .data import Finding

NEW_AFTER_DECISION = 3


@dataclass(frozen=True)
class Known:
    id: int
    kind: str
    key: str
    category: int
    grid: int
    case_ids: frozenset[int]
    open: bool
    decided_after_id: int  # cases with a larger id came after the decision (0 while open)


def _same(
    kind: str, category: int, grid: int, key: str, ids: frozenset[int], other: Known | Finding
) -> bool:
    if other.kind != kind or other.category != category:
        return False
    if kind == "surge" and other.grid != grid:
        return False
    if other.key == key:
        return True
    theirs = other.case_ids if isinstance(other, Known) else frozenset(other.case_ids)
    shared = len(ids & theirs)
    return shared > 0 and (2 * shared >= len(theirs) or 2 * shared >= len(ids))


def merge_findings(findings: list[Finding]) -> list[Finding]:
    """One finding per thing found: the strongest of those that are the same. A recurrence
    by distance (no building) whose cases are mostly in a hotspot of its category is that
    hotspot, not a second warning."""
    kept: list[Finding] = []
    for f in sorted(findings, key=lambda f: (-f.score, f.key)):
        ids = frozenset(f.case_ids)
        if not any(_same(f.kind, f.category, f.grid, f.key, ids, k) for k in kept):
            kept.append(f)
    hot = [frozenset(f.case_ids) for f in kept if f.kind == "hotspot"]
    cats = [f.category for f in kept if f.kind == "hotspot"]
    return [
        f
        for f in kept
        if not (
            f.kind == "recurrence"
            and ":near:" in f.key
            and any(
                c == f.category and 2 * len(h & frozenset(f.case_ids)) >= len(f.case_ids)
                for h, c in zip(hot, cats, strict=True)
            )
        )
    ]


def decide(finding: Finding, known: list[Known]) -> tuple[str, int | None]:
    """("new", None), ("update", warning id) or ("skip", warning id)."""
    ids = frozenset(finding.case_ids)
    for k in known:
        if not _same(finding.kind, finding.category, finding.grid, finding.key, ids, k):
            continue
        if k.open:
            return "update", k.id
        if sum(1 for i in ids if i > k.decided_after_id) >= NEW_AFTER_DECISION:
            continue  # enough has happened since it was decided: a new warning
        return "skip", k.id
    return "new", None
