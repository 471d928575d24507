"""The detectors on seeded synthetic cities: precision and recall on planted hotspots,
recurrences and surges, and the false-alarm rate on a city where nothing changes.

The figures each test measures are printed (pytest -s) and recorded in docs/alerts.md."""

from __future__ import annotations

import numpy as np
import pytest

from genxi.alerts.domain import hotspots as hs
from genxi.alerts.domain import recurrences as rc
from genxi.alerts.domain import surges as sg
from genxi.alerts.domain import synthetic as syn
from genxi.alerts.domain.data import NO_PLACE, CaseArrays, project, unproject
from genxi.alerts.domain.dedup import Known, decide, merge_findings
from genxi.alerts.domain.evaluate import score
from genxi.alerts.domain.focus import candidates

DAYS = 730
TODAY = DAYS - 1


def _city(seed: int, n: int = 60_000) -> tuple[syn.City, np.random.Generator]:
    rng = np.random.default_rng(seed)
    return syn.city(rng, n_cases=n, days=DAYS, size_m=10_000, estates=400), rng


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_hotspots_find_planted_clusters(seed):
    city, rng = _city(seed)
    planted = [syn.plant_hotspot(city, rng, today=TODAY) for _ in range(8)]
    found = merge_findings(hs.hotspots(city.cases(), TODAY))
    s = score(found, planted)
    print(f"hotspots seed {seed}: precision {s.precision:.2f} recall {s.recall:.2f} ({s})")
    assert s.recall >= 0.85
    assert s.precision >= 0.85


def test_hotspots_on_noise_stay_under_the_stated_rate():
    """Each (category, window) scan may raise a hotspot on unchanged data with probability
    at most ALPHA; over many scans the observed rate stays within a binomial margin of it."""
    scans = alarms = 0
    for seed in range(100, 110):
        city, _ = _city(seed)
        cases = city.cases()
        found = hs.hotspots(cases, TODAY)
        scans += len(np.unique(cases.category)) * len(hs.WINDOWS)
        alarms += len({(f.category, f.window_days) for f in found})
    rate = alarms / scans
    print(f"hotspots on noise: {alarms} of {scans} scans ({rate:.3%}), stated {hs.ALPHA:.0%}")
    # 3 standard deviations above the stated rate
    assert alarms <= scans * hs.ALPHA + 3 * np.sqrt(scans * hs.ALPHA) + 1


def test_dbscan_fires_on_busy_estates_where_nothing_changed():
    """The measured alternative: clusters of density, not of change (docs/alerts.md)."""
    city, _ = _city(100)
    found = hs.dbscan_hotspots(city.cases(), TODAY, window=90)
    print(f"dbscan on noise: {len(found)} clusters")
    assert len(found) > 0
    assert hs.hotspots(city.cases(), TODAY) == []


def test_recurrences_find_planted_buildings_and_points():
    rng = np.random.default_rng(7)
    city = syn.city(rng, n_cases=8_000, days=DAYS, size_m=10_000, estates=400)
    planted = [syn.plant_recurrence(city, rng, today=TODAY, times=3 + i % 2) for i in range(10)]
    planted += [syn.plant_recurrence(city, rng, today=TODAY, building=False) for _ in range(10)]
    found = rc.recurrences(city.cases(), TODAY)
    s = score(found, planted, purity=0.5)
    print(f"recurrences: precision {s.precision:.2f} recall {s.recall:.2f} ({s})")
    assert s.recall == 1.0
    assert s.precision >= 0.8


def test_recurrences_are_exactly_the_rule_for_buildings():
    """Brute force: every (building, category) with ≥ 3 cases in 90 days, and nothing else."""
    rng = np.random.default_rng(8)
    city = syn.city(rng, n_cases=80_000, days=DAYS, size_m=10_000, estates=50)
    cases = city.cases()
    found = {f.key for f in rc.recurrences(cases, TODAY) if ":place:" in f.key}
    recent = (cases.day > TODAY - 90) & (cases.place != NO_PLACE)
    pairs: dict[tuple[int, int], int] = {}
    for p, c in zip(cases.place[recent], cases.category[recent], strict=True):
        pairs[(int(p), int(c))] = pairs.get((int(p), int(c)), 0) + 1
    expected = {f"recurrence:{c}:place:{p}" for (p, c), n in pairs.items() if n >= 3}
    assert found == expected and expected


def test_recurrence_needs_three_and_the_window():
    def arrays(days, xs):
        n = len(days)
        return CaseArrays(
            ids=np.arange(1, n + 1),
            day=np.array(days),
            x=np.array(xs, dtype=float),
            y=np.zeros(n),
            category=np.zeros(n, dtype=np.int64),
            grid=np.zeros(n, dtype=np.int64),
            place=np.full(n, NO_PLACE),
        )

    assert len(rc.recurrences(arrays([100, 99, 98], [0, 20, 40]), 100)) == 1
    assert rc.recurrences(arrays([100, 99], [0, 20]), 100) == []
    assert rc.recurrences(arrays([100, 99, 5], [0, 20, 40]), 100) == []  # one is too old
    assert rc.recurrences(arrays([100, 99, 98], [0, 20, 400]), 100) == []  # one is too far


@pytest.mark.parametrize("seed", [11, 12])
def test_surges_find_planted_grid_and_category_surges(seed):
    city, rng = _city(seed)
    cases0 = city.cases()
    # grids with an ordinary week of 2-6 cases, and categories of middling size
    last = cases0.day > TODAY - 7
    grids, counts = np.unique(cases0.grid[last], return_counts=True)
    chosen = rng.choice(grids[(counts >= 2) & (counts <= 6)], size=6, replace=False)
    per_row = int(np.ceil(city.size_m / syn.GRID_M)) + 2
    planted = []
    for g in chosen:
        gx, gy = divmod(int(g), per_row)
        xy = ((gx - 1) * syn.GRID_M + 1, (gy - 1) * syn.GRID_M + 1)
        planted.append(syn.plant_grid_surge(city, rng, today=TODAY, grid_xy=xy, extra=12))
    cats, cat_counts = np.unique(cases0.category[last], return_counts=True)
    cat = int(cats[np.argsort(cat_counts)[len(cats) // 2]])
    cat_planted = syn.plant_category_surge(
        city, rng, today=TODAY, category=cat, extra=int(cat_counts.max() // 2) + 20
    )
    found = sg.surges(city.cases(), TODAY)
    grid_found = [f for f in found if f.grid != -1]
    cat_found = [f for f in found if f.category != -1]
    s = score(grid_found, planted, purity=0.4)
    print(f"grid surges seed {seed}: precision {s.precision:.2f} recall {s.recall:.2f} ({s})")
    assert s.recall >= 0.8 and s.precision >= 0.8
    hit = [f for f in cat_found if f.category == cat]
    assert hit and set(cat_planted) <= set(hit[0].case_ids)
    # any other category's surge is made of the planted grid surges' cases
    every = set(np.concatenate(planted).tolist())
    assert all(
        len(every & set(f.case_ids)) * 5 >= f.observed - f.expected
        for f in cat_found
        if f.category != cat
    )


def test_surges_on_noise_stay_under_the_stated_rate():
    tests = alarms = 0
    for seed in range(200, 206):
        city, _ = _city(seed)
        cases = city.cases()
        for today in (TODAY, TODAY - 21, TODAY - 42):
            found = sg.surges(cases, today)
            live = cases.day > today - 7 * 70
            tests += len(np.unique(cases.grid[live])) + len(np.unique(cases.category[live]))
            alarms += len(found)
    rate = alarms / tests
    print(f"surges on noise: {alarms} of {tests} series-weeks ({rate:.3%}), stated {sg.ALPHA:.1%}")
    assert alarms <= tests * sg.ALPHA + 3 * np.sqrt(tests * sg.ALPHA) + 1


def test_surge_follows_the_season():
    """A category that doubles every year in the same weeks is a season, not a surge."""
    rng = np.random.default_rng(5)
    days = np.concatenate(
        [rng.integers(0, DAYS, 20_000)]
        + [rng.integers(y - 14, y + 1, 300) for y in (TODAY - 364, TODAY)]
    )
    n = len(days)
    cases = CaseArrays(
        ids=np.arange(1, n + 1),
        day=days,
        x=np.full(n, np.nan),
        y=np.full(n, np.nan),
        category=np.zeros(n, dtype=np.int64),
        grid=rng.integers(0, 3, n),
        place=np.full(n, NO_PLACE),
    )
    assert [f for f in sg.surges(cases, TODAY) if f.category == 0] == []
    assert sg.season_factor(np.bincount(((TODAY - days) // 7)[(TODAY - days) // 7 < 70])) > 1.2


def test_dedup_updates_open_skips_decided_and_raises_after_new_cases():
    city, rng = _city(21)
    syn.plant_hotspot(city, rng, today=TODAY)
    first = merge_findings(hs.hotspots(city.cases(), TODAY))
    assert len(first) == 1
    f = first[0]
    known = [Known(1, f.kind, f.key, f.category, f.grid, frozenset(f.case_ids), True, 0)]
    # the next day: the same cluster, maybe a different best block
    again = merge_findings(hs.hotspots(city.cases(), TODAY + 1))
    assert [decide(g, known) for g in again] == [("update", 1)]
    dismissed = [
        Known(1, f.kind, f.key, f.category, f.grid, frozenset(f.case_ids), False, max(f.case_ids))
    ]
    assert decide(again[0], dismissed) == ("skip", 1)
    grown = again[0].__class__(
        **{**again[0].__dict__, "case_ids": again[0].case_ids + (10**9, 10**9 + 1, 10**9 + 2)}
    )
    assert decide(grown, dismissed) == ("new", None)


def test_projection_round_trip():
    lat, lon = np.array([31.30, 31.32]), np.array([120.58, 120.60])
    x, y = project(lat, lon, 31.31, 120.59)
    assert abs(np.hypot(x[1] - x[0], y[1] - y[0]) - 2_900) < 50  # about 2.9 km apart
    assert np.allclose(unproject(float(x[0]), float(y[0]), 31.31, 120.59), (31.30, 120.58))


def test_focus_candidates_rank_by_count_then_place():
    rows = [("ENV", "a")] * 3 + [("FAC", "b"), ("FAC", "b"), ("FAC", "")] + [("SAF", "")] * 2
    top = candidates(rows)
    assert [(c.category, c.place, c.place_count) for c in top] == [
        ("ENV", "a", 3),
        ("FAC", "b", 2),
        ("SAF", "", 0),
    ]


def test_a_recurrence_inside_a_hotspot_is_the_hotspot():
    city, rng = _city(31)
    syn.plant_hotspot(city, rng, today=TODAY, radius_m=20)
    found = merge_findings(hs.hotspots(city.cases(), TODAY) + rc.recurrences(city.cases(), TODAY))
    hot = [f for f in found if f.kind == "hotspot"]
    assert len(hot) == 1
    assert not [
        f for f in found if f.kind == "recurrence" and set(f.case_ids) <= set(hot[0].case_ids)
    ]
