"""Surges: a grid's or a category's count this week above what its own past predicts.

For a series (one grid's cases of every category, or one category's cases city-wide) the
count of the last 7 days `n` is compared with the `b` cases of the TRAILING_WEEKS weeks
before it, scaled by the season `s` (below). Under "nothing changed but the season", given
`n + b` the week's count is Binomial(n + b, s / (s + TRAILING_WEEKS)) — the exact
conditional test of two Poisson rates, so the trailing baseline's own noise is accounted
for. A series fires when the upper tail p < ALPHA (0.001) and n ≥ MIN_CASES: on data where
nothing changed each series raises a false alarm in at most 0.1 % of weeks (the test is
discrete, so fewer in practice: tests/test_detectors.py measures it).

The season: s = this series' rate in the same weeks a year ago (the 3 weeks around it)
over its rate in the trailing weeks a year ago, with a pseudo-count of SEASON_PRIOR
weeks at ratio 1 so that a thin history does not swing it; clipped to [0.5, 2]. A grid's
season is taken from the city's total (a single grid has too few cases to have one).
"""

from __future__ import annotations

import numpy as np
from scipy.stats import binom

from .data import CaseArrays, Finding, IntArray, neg_log10

ALPHA = 0.001
TRAILING_WEEKS = 8
MIN_CASES = 4
SEASON_PRIOR = 20.0  # cases' worth of "no season" in the seasonal ratio
YEAR_DAYS = 364  # 52 weeks: the same weekday a year ago


def _weekly(day: IntArray, series: IntArray, nseries: int, today: int, weeks: int) -> np.ndarray:
    """Counts per (series, week back): column 0 is the last 7 days up to today."""
    back = (today - day) // 7
    keep = (back >= 0) & (back < weeks)
    out = np.zeros((nseries, weeks), dtype=np.int64)
    np.add.at(out, (series[keep], back[keep]), 1)
    return out


def season_factor(total: np.ndarray) -> float:
    """`total` is one series' weekly counts going back (column 0 = this week), at least
    YEAR_DAYS // 7 + TRAILING_WEEKS + 2 weeks long: the seasonal ratio for this week."""
    ago = YEAR_DAYS // 7
    same = total[ago - 1 : ago + 2].sum() / 3.0
    before = total[ago + 1 : ago + 1 + TRAILING_WEEKS].sum() / TRAILING_WEEKS
    prior = SEASON_PRIOR / 3.0
    s = (same + prior) / (before + prior)
    return float(np.clip(s, 0.5, 2.0))


def surges(
    cases: CaseArrays,
    today: int,
    *,
    alpha: float = ALPHA,
    min_cases: int = MIN_CASES,
    trailing: int = TRAILING_WEEKS,
) -> list[Finding]:
    weeks = YEAR_DAYS // 7 + trailing + 2
    live = (cases.day <= today) & (cases.day > today - weeks * 7)
    c = cases.take(live)
    if len(c) == 0:
        return []
    found: list[Finding] = []
    city = _weekly(c.day, np.zeros(len(c), dtype=np.int64), 1, today, weeks)[0]
    city_season = season_factor(city)
    grids, grid_idx = np.unique(c.grid, return_inverse=True)
    by_grid = _weekly(c.day, grid_idx.astype(np.int64), len(grids), today, weeks)
    seasons = np.full(len(grids), city_season)
    found += _test(c, by_grid, seasons, grids, "grid", today, alpha, min_cases, trailing)
    cats, cat_idx = np.unique(c.category, return_inverse=True)
    by_cat = _weekly(c.day, cat_idx.astype(np.int64), len(cats), today, weeks)
    cat_seasons = np.array([season_factor(row) for row in by_cat])
    found += _test(c, by_cat, cat_seasons, cats, "category", today, alpha, min_cases, trailing)
    return found


def _test(
    c: CaseArrays,
    counts: np.ndarray,
    seasons: np.ndarray,
    labels: IntArray,
    what: str,
    today: int,
    alpha: float,
    min_cases: int,
    trailing: int,
) -> list[Finding]:
    n = counts[:, 0]
    b = counts[:, 1 : 1 + trailing].sum(axis=1)
    p0 = seasons / (seasons + trailing)
    p = binom.sf(n - 1, n + b, p0)
    firing = np.flatnonzero((n >= min_cases) & (p < alpha))
    found = []
    week = c.day > today - 7
    for i in firing:
        label = int(labels[i])
        members = week & ((c.grid if what == "grid" else c.category) == label)
        expected = float(b[i] * seasons[i] / trailing)
        found.append(
            Finding(
                kind="surge",
                key=f"surge:{what}:{label}:{today // 7}",
                category=label if what == "category" else -1,
                grid=label if what == "grid" else -1,
                window_days=7,
                first_day=today - 6,
                last_day=today,
                observed=int(n[i]),
                expected=expected,
                score=neg_log10(float(p[i])),
                case_ids=tuple(int(x) for x in np.sort(c.ids[members])),
            )
        )
    return found
