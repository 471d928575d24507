"""Seeded synthetic cities for the detectors' tests and benchmark (numpy only).

Background: cases arrive at a constant rate over `days`, at estates (Gaussian blobs of
different sizes and weights, so density varies as in a real city), in categories of
different frequencies; a third have no building. Nothing in it changes over time, so every
warning it raises is a false alarm. `plant_*` add what the detectors should find and answer
the planted cases' ids, one array per planted thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .data import NO_PLACE, CaseArrays, IntArray

GRID_M = 500.0
BUILDINGS_PER_ESTATE = 40


@dataclass
class City:
    size_m: float
    estates_xy: np.ndarray
    estate_weight: np.ndarray
    cat_weight: np.ndarray
    parts: list[CaseArrays] = field(default_factory=list)
    next_id: int = 1
    next_place: int = 10_000_000

    def grid_of(self, x: np.ndarray, y: np.ndarray) -> IntArray:
        per_row = int(np.ceil(self.size_m / GRID_M)) + 2
        gx = np.clip(np.floor(x / GRID_M), -1, per_row - 2).astype(np.int64) + 1
        gy = np.clip(np.floor(y / GRID_M), -1, per_row - 2).astype(np.int64) + 1
        return gx * per_row + gy

    def add(
        self, day: IntArray, x: np.ndarray, y: np.ndarray, cat: IntArray, place: IntArray
    ) -> IntArray:
        n = len(day)
        ids = np.arange(self.next_id, self.next_id + n, dtype=np.int64)
        self.next_id += n
        self.parts.append(
            CaseArrays(
                ids=ids,
                day=day.astype(np.int64),
                x=x.astype(np.float64),
                y=y.astype(np.float64),
                category=cat.astype(np.int64),
                grid=self.grid_of(x, y),
                place=place.astype(np.int64),
            )
        )
        return ids

    def cases(self) -> CaseArrays:
        return CaseArrays(
            **{
                name: np.concatenate([getattr(p, name) for p in self.parts])
                for name in ("ids", "day", "x", "y", "category", "grid", "place")
            }
        )


def city(
    rng: np.random.Generator,
    *,
    n_cases: int,
    days: int,
    size_m: float = 20_000.0,
    estates: int = 1500,
    categories: int = 12,
) -> City:
    xy = rng.uniform(0, size_m, size=(estates, 2))
    weight = rng.lognormal(0.0, 1.0, size=estates)
    weight /= weight.sum()
    cat_weight = rng.lognormal(0.0, 0.8, size=categories)
    cat_weight /= cat_weight.sum()
    c = City(size_m, xy, weight, cat_weight)
    estate = rng.choice(estates, size=n_cases, p=weight)
    spread = rng.uniform(60.0, 250.0, size=estates)[estate]
    x = xy[estate, 0] + rng.normal(0, 1, n_cases) * spread
    y = xy[estate, 1] + rng.normal(0, 1, n_cases) * spread
    day = rng.integers(0, days, size=n_cases)
    cat = rng.choice(categories, size=n_cases, p=cat_weight)
    building = estate * BUILDINGS_PER_ESTATE + rng.integers(0, BUILDINGS_PER_ESTATE, size=n_cases)
    place = np.where(rng.random(n_cases) < 2 / 3, building, NO_PLACE)
    c.add(day, x, y, cat, place)
    return c


def plant_hotspot(
    c: City,
    rng: np.random.Generator,
    *,
    today: int,
    n: int = 14,
    radius_m: float = 80.0,
    within: int = 25,
) -> IntArray:
    """n cases of one category within radius_m of a point near an estate, in `within` days."""
    centre = c.estates_xy[rng.integers(len(c.estates_xy))] + rng.normal(0, 200, 2)
    angle = rng.uniform(0, 2 * np.pi, n)
    r = radius_m * np.sqrt(rng.uniform(0, 1, n))
    cat = np.full(n, rng.integers(len(c.cat_weight)))
    day = today - rng.integers(0, within, n)
    return c.add(
        day, centre[0] + r * np.cos(angle), centre[1] + r * np.sin(angle), cat, np.full(n, NO_PLACE)
    )


def plant_recurrence(
    c: City, rng: np.random.Generator, *, today: int, times: int = 3, building: bool = True
) -> IntArray:
    """`times` cases of one category at a new building, or within 20 m of a point without one."""
    cat = np.full(times, rng.integers(len(c.cat_weight)))
    day = today - rng.integers(0, 85, times)
    point = rng.uniform(0, c.size_m, 2)
    x = point[0] + rng.uniform(-10, 10, times)
    y = point[1] + rng.uniform(-10, 10, times)
    if building:
        place = np.full(times, c.next_place)
        c.next_place += 1
    else:
        place = np.full(times, NO_PLACE)
    return c.add(day, x, y, cat, place)


def plant_grid_surge(
    c: City, rng: np.random.Generator, *, today: int, grid_xy: tuple[float, float], extra: int
) -> IntArray:
    """`extra` cases of any category in the last 7 days inside the grid cell at grid_xy."""
    gx = np.floor(grid_xy[0] / GRID_M) * GRID_M
    gy = np.floor(grid_xy[1] / GRID_M) * GRID_M
    x = gx + rng.uniform(20, GRID_M - 20, extra)
    y = gy + rng.uniform(20, GRID_M - 20, extra)
    cat = rng.choice(len(c.cat_weight), size=extra, p=c.cat_weight)
    day = today - rng.integers(0, 7, extra)
    return c.add(day, x, y, cat, np.full(extra, NO_PLACE))


def plant_category_surge(
    c: City, rng: np.random.Generator, *, today: int, category: int, extra: int
) -> IntArray:
    """`extra` cases of one category spread over the city in the last 7 days."""
    estate = rng.choice(len(c.estates_xy), size=extra, p=c.estate_weight)
    x = c.estates_xy[estate, 0] + rng.normal(0, 150, extra)
    y = c.estates_xy[estate, 1] + rng.normal(0, 150, extra)
    day = today - rng.integers(0, 7, extra)
    return c.add(day, x, y, np.full(extra, category), np.full(extra, NO_PLACE))
