"""Recurrences: the same place and category MIN_TIMES times or more in WINDOW_DAYS.

"The same place" is the same building (`place`, from the case's place_key) when the case has
one; otherwise, for a case with a point, the cases of that category within RADIUS_M of a
centre case. Centres are taken greedily, the case with the most neighbours first, and a
case joins one recurrence only, so the groups do not overlap and a place is not counted
twice. This is a rule, not a test: it fires exactly where the rule holds.
"""

from __future__ import annotations

import numpy as np
from scipy.spatial import cKDTree

from .data import NO_PLACE, CaseArrays, Finding, majority

WINDOW_DAYS = 90
MIN_TIMES = 3
RADIUS_M = 50.0


def recurrences(
    cases: CaseArrays,
    today: int,
    *,
    window: int = WINDOW_DAYS,
    min_times: int = MIN_TIMES,
    radius_m: float = RADIUS_M,
) -> list[Finding]:
    live = (cases.day <= today) & (cases.day > today - window)
    c = cases.take(live)
    found = _by_building(c, today, window, min_times)
    found += _by_radius(c, today, window, min_times, radius_m)
    return found


def _finding(c: CaseArrays, rows: np.ndarray, key: str, today: int, window: int) -> Finding:
    located = rows[c.located[rows]]
    return Finding(
        kind="recurrence",
        key=key,
        category=int(c.category[rows[0]]),
        grid=majority(c.grid[rows]),
        window_days=window,
        first_day=int(c.day[rows].min()),
        last_day=today,
        observed=len(rows),
        expected=float("nan"),
        score=float(len(rows)),
        case_ids=tuple(int(i) for i in np.sort(c.ids[rows])),
        x=float(c.x[located].mean()) if len(located) else float("nan"),
        y=float(c.y[located].mean()) if len(located) else float("nan"),
    )


def _by_building(c: CaseArrays, today: int, window: int, min_times: int) -> list[Finding]:
    rows = np.flatnonzero(c.place != NO_PLACE)
    if len(rows) == 0:
        return []
    pair = c.place[rows].astype(np.int64) * (int(c.category.max()) + 1) + c.category[rows]
    order = np.argsort(pair, kind="stable")
    pair, rows = pair[order], rows[order]
    uniq, start, counts = np.unique(pair, return_index=True, return_counts=True)
    found = []
    for s, n in zip(start[counts >= min_times], counts[counts >= min_times], strict=True):
        group = rows[s : s + n]
        key = f"recurrence:{int(c.category[group[0]])}:place:{int(c.place[group[0]])}"
        found.append(_finding(c, group, key, today, window))
    del uniq
    return found


def _by_radius(
    c: CaseArrays, today: int, window: int, min_times: int, radius_m: float
) -> list[Finding]:
    found = []
    pointed = (c.place == NO_PLACE) & c.located
    for cat in np.unique(c.category[pointed]):
        rows = np.flatnonzero(pointed & (c.category == cat))
        if len(rows) < min_times:
            continue
        tree = cKDTree(np.column_stack([c.x[rows], c.y[rows]]))
        sizes = tree.query_ball_point(tree.data, r=radius_m, return_length=True)
        candidates = np.flatnonzero(sizes >= min_times)
        if len(candidates) == 0:
            continue
        taken = np.zeros(len(rows), dtype=bool)
        # most neighbours first; ties by the earliest case, so a scan is deterministic
        for i in candidates[np.lexsort((c.ids[rows[candidates]], -sizes[candidates]))]:
            if taken[i]:
                continue
            near = np.array(tree.query_ball_point(tree.data[i], r=radius_m), dtype=np.int64)
            near = near[~taken[near]]
            if len(near) < min_times:
                continue
            taken[near] = True
            centre = int(c.ids[rows[i]])
            found.append(
                _finding(c, rows[near], f"recurrence:{int(cat)}:near:{centre}", today, window)
            )
    return found
