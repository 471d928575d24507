"""The cases a detector reads, as parallel numpy arrays, and the local projection to metres.

A detector never sees a model: the service reads `values_list` rows into `CaseArrays` (or a
benchmark generates them directly), so a city's million cases cost a few arrays.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

EARTH_RADIUS_M = 6_371_008.8
NO_PLACE = -1  # `place` of a case without a building (place_key)

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


def project(
    lat: FloatArray, lon: FloatArray, lat0: float, lon0: float
) -> tuple[FloatArray, FloatArray]:
    """Equirectangular metres around (lat0, lon0): under 0.1 % error across a city (< 50 km)."""
    k = np.pi / 180.0
    x = EARTH_RADIUS_M * np.cos(lat0 * k) * (lon - lon0) * k
    y = EARTH_RADIUS_M * (lat - lat0) * k
    return x.astype(np.float64), y.astype(np.float64)


def unproject(x: float, y: float, lat0: float, lon0: float) -> tuple[float, float]:
    k = np.pi / 180.0
    lat = lat0 + y / EARTH_RADIUS_M / k
    lon = lon0 + x / (EARTH_RADIUS_M * np.cos(lat0 * k)) / k
    return float(lat), float(lon)


@dataclass
class CaseArrays:
    """One row per case. `day` counts days from any fixed origin (the scan's `today` is on
    the same axis); `x`/`y` are metres (NaN where the case has no point); `category`,
    `grid` and `place` are small integer codes (`place` is NO_PLACE without a building)."""

    ids: IntArray
    day: IntArray
    x: FloatArray
    y: FloatArray
    category: IntArray
    grid: IntArray
    place: IntArray
    located: BoolArray = field(init=False)

    def __post_init__(self) -> None:
        n = len(self.ids)
        for name in ("day", "x", "y", "category", "grid", "place"):
            if len(getattr(self, name)) != n:
                raise ValueError(f"{name} has {len(getattr(self, name))} rows, ids {n}")
        self.located = ~(np.isnan(self.x) | np.isnan(self.y))

    def __len__(self) -> int:
        return len(self.ids)

    def take(self, mask: BoolArray | IntArray) -> CaseArrays:
        return CaseArrays(
            ids=self.ids[mask],
            day=self.day[mask],
            x=self.x[mask],
            y=self.y[mask],
            category=self.category[mask],
            grid=self.grid[mask],
            place=self.place[mask],
        )


@dataclass(frozen=True)
class Finding:
    """One thing a detector found. `key` names it stably from one day's scan to the next
    (dedup.py); `score` is −log10 of the test's p-value (recurrences: the count)."""

    kind: str  # "hotspot" | "recurrence" | "surge"
    key: str
    category: int  # -1: every category (a grid's surge)
    grid: int  # -1: not one grid (a category's surge); else the grid most cases are in
    window_days: int
    first_day: int
    last_day: int
    observed: int
    expected: float
    score: float
    case_ids: tuple[int, ...]
    x: float = float("nan")
    y: float = float("nan")
    radius_m: float = 0.0


def neg_log10(p: float) -> float:
    return float(-np.log10(max(p, 1e-300)))


def majority(values: IntArray) -> int:
    if len(values) == 0:
        return -1
    uniq, counts = np.unique(values, return_counts=True)
    return int(uniq[int(np.argmax(counts))])
