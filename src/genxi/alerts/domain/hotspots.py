"""Hotspots: places where one category's cases gather more than they used to.

The chosen method (docs/alerts.md, "Hotspots: the choice") is a scan over 150 m cells: each
cell's 3 × 3 block (450 m square) counts the category's cases in the window (the last 30 or
90 days) and in the year before it. Under "nothing changed here", a block's share of the
category's cases is the same in both periods, so given the block's total `n + b` its window
count is Binomial(n + b, p0), p0 = the category's city-wide share of window over window +
baseline — the exact conditional test of two Poisson rates, which also absorbs the season
and any city-wide growth of the category (a city-wide rise is a surge, surges.py). A block
fires when its upper tail is below ALPHA / m (Bonferroni over the m blocks that could
reach it), so on data where nothing changed a scan of one category and one window raises
a hotspot with probability at most ALPHA. Adjacent firing blocks make one hotspot.

`dbscan_hotspots` is the alternative measured against it (DBSCAN on projected metres): it
finds dense places, not places denser than they used to be, so it raises every busy
estate on an unchanged city (tests/test_detectors.py, docs/alerts.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.stats import binom

from .data import BoolArray, CaseArrays, Finding, IntArray, majority, neg_log10

CELL_M = 150.0
BASELINE_DAYS = 365
ALPHA = 0.01  # per category and window: the chance of any hotspot on unchanged data
MIN_CASES = 6  # a hotspot holds at least this many cases in its window
WINDOWS = (30, 90)
_OFFSETS = [(dx, dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1)]


@dataclass(frozen=True)
class _Grid:
    x0: int
    y0: int
    ny: int

    def key(self, cx: IntArray, cy: IntArray) -> IntArray:
        return (cx - self.x0) * self.ny + (cy - self.y0)

    def cells(self, key: IntArray) -> tuple[IntArray, IntArray]:
        return key // self.ny + self.x0, key % self.ny + self.y0


def hotspots(
    cases: CaseArrays,
    today: int,
    *,
    windows: tuple[int, ...] = WINDOWS,
    alpha: float = ALPHA,
    min_cases: int = MIN_CASES,
    cell_m: float = CELL_M,
    baseline_days: int = BASELINE_DAYS,
) -> list[Finding]:
    found: list[Finding] = []
    span = max(windows) + baseline_days
    live = cases.located & (cases.day <= today) & (cases.day > today - span)
    c = cases.take(live)
    if len(c) == 0:
        return found
    cx = np.floor(c.x / cell_m).astype(np.int64)
    cy = np.floor(c.y / cell_m).astype(np.int64)
    grid = _Grid(int(cx.min()) - 1, int(cy.min()) - 1, int(cy.max() - cy.min()) + 3)
    cell = grid.key(cx, cy)
    for window in windows:
        in_window = c.day > today - window
        in_base = (~in_window) & (c.day > today - window - baseline_days)
        for cat in np.unique(c.category[in_window]):
            found += _scan_category(
                c, cell, grid, int(cat), in_window, in_base, window, today, alpha, min_cases, cell_m
            )
    return found


def _lookup(keys: IntArray, counts: IntArray, at: IntArray) -> IntArray:
    """counts[keys == k] for each k of `at` (0 where absent); `keys` sorted and unique."""
    if len(keys) == 0:
        return np.zeros(len(at), dtype=np.int64)
    i = np.clip(np.searchsorted(keys, at), 0, len(keys) - 1)
    return np.where(keys[i] == at, counts[i], 0).astype(np.int64)


def _spread(cell: IntArray, grid: _Grid) -> IntArray:
    """Every case's cell key moved to each of the 9 block centres around it."""
    cx, cy = grid.cells(cell)
    return np.concatenate([grid.key(cx + dx, cy + dy) for dx, dy in _OFFSETS])


def _scan_category(
    c: CaseArrays,
    cell: IntArray,
    grid: _Grid,
    cat: int,
    in_window: BoolArray,
    in_base: BoolArray,
    window: int,
    today: int,
    alpha: float,
    min_cases: int,
    cell_m: float,
) -> list[Finding]:
    mine = c.category == cat
    w_mask, b_mask = mine & in_window, mine & in_base
    n_w, n_b = int(w_mask.sum()), int(b_mask.sum())
    if n_w < min_cases:
        return []
    centres, n = np.unique(_spread(cell[w_mask], grid), return_counts=True)
    base_keys, base_counts = np.unique(_spread(cell[b_mask], grid), return_counts=True)
    b = _lookup(base_keys, base_counts, centres)
    p0 = n_w / (n_w + n_b)
    # Bonferroni over the blocks that could fire at all (Tarone): those whose total n + b
    # reaches min_cases, over every block the category touched in either period.
    every = np.union1d(centres, base_keys)
    both = _lookup(centres, n, every) + _lookup(base_keys, base_counts, every)
    m = max(int((both >= min_cases).sum()), 1)
    testable = n >= min_cases
    p = np.ones(len(centres))
    p[testable] = binom.sf(n[testable] - 1, n[testable] + b[testable], p0)
    firing = p < alpha / m
    if not firing.any():
        return []
    hot, hot_p, hot_n, hot_b = centres[firing], p[firing], n[firing], b[firing]
    findings = []
    for group in _components(hot, grid):
        best = group[int(np.argmin(hot_p[group]))]
        block_cells = np.unique(_spread(hot[group], grid))
        members = w_mask & np.isin(cell, block_cells)
        bx, by = grid.cells(np.array([hot[best]]))
        ids = c.ids[members]
        findings.append(
            Finding(
                kind="hotspot",
                key=f"hotspot:{cat}:{window}:{int(bx[0])}:{int(by[0])}",
                category=cat,
                grid=majority(c.grid[members]),
                window_days=window,
                first_day=today - window + 1,
                last_day=today,
                observed=int(hot_n[best]),
                expected=float((hot_n[best] + hot_b[best]) * p0),
                score=neg_log10(float(hot_p[best])),
                case_ids=tuple(int(i) for i in np.sort(ids)),
                x=float(c.x[members].mean()),
                y=float(c.y[members].mean()),
                radius_m=float(
                    np.hypot(
                        c.x[members] - c.x[members].mean(), c.y[members] - c.y[members].mean()
                    ).max()
                )
                + cell_m / 2,
            )
        )
    return findings


def _components(hot: IntArray, grid: _Grid) -> list[IntArray]:
    """Firing block centres that touch (8-neighbours) make one group."""
    order = {int(k): i for i, k in enumerate(hot)}
    parent = list(range(len(hot)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    hx, hy = grid.cells(hot)
    for i in range(len(hot)):
        for dx, dy in _OFFSETS:
            j = order.get(int(grid.key(np.array([hx[i] + dx]), np.array([hy[i] + dy]))[0]))
            if j is not None:
                parent[find(i)] = find(j)
    roots: dict[int, list[int]] = {}
    for i in range(len(hot)):
        roots.setdefault(find(i), []).append(i)
    return [np.array(v, dtype=np.int64) for v in roots.values()]


def dbscan_hotspots(
    cases: CaseArrays,
    today: int,
    *,
    window: int = 30,
    eps_m: float = 100.0,
    min_cases: int = MIN_CASES,
) -> list[Finding]:
    """The alternative: DBSCAN clusters of one category in the window (no baseline)."""
    from sklearn.cluster import DBSCAN  # heavy; loaded only by the comparison

    live = cases.located & (cases.day <= today) & (cases.day > today - window)
    c = cases.take(live)
    found: list[Finding] = []
    for cat in np.unique(c.category):
        mine = np.flatnonzero(c.category == cat)
        if len(mine) < min_cases:
            continue
        pts = np.column_stack([c.x[mine], c.y[mine]])
        labels = DBSCAN(eps=eps_m, min_samples=min_cases, algorithm="kd_tree").fit_predict(pts)
        for label in np.unique(labels[labels >= 0]):
            rows = mine[labels == label]
            found.append(
                Finding(
                    kind="hotspot",
                    key=f"dbscan:{int(cat)}:{window}:{int(rows.min())}",
                    category=int(cat),
                    grid=majority(c.grid[rows]),
                    window_days=window,
                    first_day=today - window + 1,
                    last_day=today,
                    observed=len(rows),
                    expected=float("nan"),
                    score=float(len(rows)),
                    case_ids=tuple(int(i) for i in np.sort(c.ids[rows])),
                    x=float(c.x[rows].mean()),
                    y=float(c.y[rows].mean()),
                )
            )
    return found
