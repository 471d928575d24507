"""Small-count suppression for the open data (docs/open-data.md).

A table of counts — rows (communities) × columns (categories) — is published with each
row's total, each column's total and the grand total. The rule:

1. **Primary**: a cell with 0 < n < threshold is suppressed (zeros are published: a zero
   identifies nobody).
2. **Complementary**: the published totals must not let a suppressed cell be worked out
   by subtraction. With row and column totals known, the suppressed cells are unknowns on
   the edges of a bipartite graph (rows and columns the nodes, each total an equation at its
   node); a cell is determined exactly when its edge lies on no cycle (a bridge: a lone
   suppressed cell in its row or column is one). While some suppressed cell is a bridge,
   the cheapest rectangle through it — three more cells (r, c'), (r', c), (r', c') with
   the smallest published sum, non-zero cells preferred — is suppressed as well, which puts
   the cell on a 4-cycle.
3. **Fallback**: when no rectangle exists (a table of one row or one column), the totals
   are withheld (`totals=False`) and only the unsuppressed cells are published.

Pure: no Django. `tests/test_suppression.py` checks with linear algebra that no suppressed
cell is determined by the published figures.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

R = TypeVar("R", bound=Hashable)
C = TypeVar("C", bound=Hashable)

DEFAULT_THRESHOLD = 5


@dataclass(frozen=True)
class Suppressed(Generic[R, C]):
    """The cells withheld, which of them are below the threshold, and whether the totals
    may be published."""

    cells: frozenset[tuple[R, C]]
    primary: frozenset[tuple[R, C]]
    totals: bool


def _is_bridge(edges: set[tuple[object, object]], edge: tuple[object, object]) -> bool:
    """Whether `edge` (row, column) lies on no cycle of the suppressed cells' graph."""
    r, c = edge
    adjacency: dict[tuple[str, object], list[tuple[str, object]]] = defaultdict(list)
    for er, ec in edges:
        if (er, ec) == edge:
            continue
        adjacency[("r", er)].append(("c", ec))
        adjacency[("c", ec)].append(("r", er))
    start, goal = ("r", r), ("c", c)
    seen = {start}
    todo = [start]
    while todo:
        node = todo.pop()
        if node == goal:
            return False
        for nxt in adjacency[node]:
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return True


def suppress(
    cells: Mapping[tuple[R, C], int],
    rows: list[R],
    columns: list[C],
    threshold: int = DEFAULT_THRESHOLD,
) -> Suppressed[R, C]:
    """The cells to withhold from a table (missing cells count as zero)."""

    def value(r: R, c: C) -> int:
        return cells.get((r, c), 0)

    primary = {(r, c) for r in rows for c in columns if 0 < value(r, c) < threshold}
    hidden: set[tuple[R, C]] = set(primary)
    while True:
        bridge = next(
            (e for e in sorted(hidden, key=repr) if _is_bridge(hidden, e)),  # type: ignore[arg-type]
            None,
        )
        if bridge is None:
            return Suppressed(frozenset(hidden), frozenset(primary), totals=True)
        r, c = bridge
        best: tuple[tuple[int, int], list[tuple[R, C]]] | None = None
        for r2 in rows:
            if r2 == r:
                continue
            for c2 in columns:
                if c2 == c:
                    continue
                extra = [x for x in ((r, c2), (r2, c), (r2, c2)) if x not in hidden]
                zeros = sum(1 for x in extra if value(*x) == 0)
                cost = (zeros, sum(value(*x) for x in extra))
                if best is None or cost < best[0]:
                    best = (cost, extra)
        if best is None or not best[1]:
            # One row or one column: no rectangle. Publish no totals at all.
            return Suppressed(frozenset(hidden), frozenset(primary), totals=False)
        hidden.update(best[1])
