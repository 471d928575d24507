"""Score (need, resource) pairs from what they say about themselves.

Each part is 0..1; a pair is scored only when it can work at all: the category fits, the
place is within the resource's service radius (when both have one), the time windows
overlap (when both have one), and the resource has capacity left.

score = 0.35 category + 0.30 text + 0.20 distance + 0.15 time
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from numpy.typing import NDArray

from genxi.cases.domain.text import tokens

from .matching import Assignment, Pair, Result, solve_arrays

WEIGHTS = {"category": 0.35, "text": 0.30, "distance": 0.20, "time": 0.15}


@dataclass(frozen=True)
class NeedInfo:
    id: str
    quantity: int
    category: str = ""
    text: str = ""
    lat: float | None = None
    lon: float | None = None
    start: date | None = None
    end: date | None = None


@dataclass(frozen=True)
class ResourceInfo:
    id: str
    capacity: int
    categories: frozenset[str] = field(default_factory=frozenset)
    text: str = ""
    lat: float | None = None
    lon: float | None = None
    radius_m: float | None = None
    start: date | None = None
    end: date | None = None


EARTH_M = 6_371_000.0

Floats = NDArray[np.float64]
Positions = NDArray[np.int64]


@dataclass
class ScoredPairs:
    """Scored pairs in columns: positions in `needs` and `resources`, the score and its
    parts (numpy arrays of one length). A street-wide run stays in arrays from scoring to
    the solver; `to_pairs()` makes `Pair` objects where they are wanted."""

    needs: list[NeedInfo]
    resources: list[ResourceInfo]
    need_index: Any
    resource_index: Any
    score: Any
    text: Any
    distance: Any
    time: Any

    def __len__(self) -> int:
        return len(self.score)

    def parts(self, k: int) -> dict[str, float]:
        return {
            "category": 1.0,
            "text": round(float(self.text[k]), 4),
            "distance": round(float(self.distance[k]), 4),
            "time": round(float(self.time[k]), 4),
        }

    def to_pairs(self) -> list[Pair]:
        needs, resources = self.needs, self.resources
        return [
            Pair(needs[a].id, resources[b].id, round(float(sc), 6), self.parts(k))
            for k, (a, b, sc) in enumerate(
                zip(self.need_index, self.resource_index, self.score, strict=True)
            )
        ]

    def keep(self, mask: NDArray[np.bool_]) -> ScoredPairs:
        return ScoredPairs(
            self.needs,
            self.resources,
            self.need_index[mask],
            self.resource_index[mask],
            self.score[mask],
            self.text[mask],
            self.distance[mask],
            self.time[mask],
        )

    def without(self, excluded: set[tuple[str, str]]) -> ScoredPairs:
        """Drop the (need id, resource id) pairs in `excluded` (e.g. turned down before)."""
        if not excluded:
            return self
        needs, resources = self.needs, self.resources
        mask = np.array(
            [
                (needs[a].id, resources[b].id) not in excluded
                for a, b in zip(self.need_index, self.resource_index, strict=True)
            ],
            dtype=bool,
        )
        return self.keep(mask)

    def _result(self, flows: NDArray[np.integer[Any]]) -> Result:
        chosen = np.flatnonzero(flows > 0)
        assignments = [
            Assignment(
                self.needs[self.need_index[k]].id,
                self.resources[self.resource_index[k]].id,
                int(flows[k]),
                round(float(self.score[k]), 6),
                self.parts(k),
            )
            for k in chosen.tolist()
        ]
        return Result(assignments, sum(a.score * a.quantity for a in assignments))

    def solve(self) -> Result:
        """The optimal assignment of these pairs (see matching.solve)."""
        positive = self.keep(self.score > 0)
        flows = solve_arrays(
            [n.quantity for n in self.needs],
            [r.capacity for r in self.resources],
            positive.need_index,
            positive.resource_index,
            np.round(positive.score, 6),
        )
        return positive._result(np.asarray(flows))

    def greedy(self) -> Result:
        """The greedy baseline on these pairs: best scores first, as much as fits."""
        left = [n.quantity for n in self.needs]
        room = [r.capacity for r in self.resources]
        amounts = np.zeros(len(self), dtype=np.int64)
        rounded = np.round(self.score, 6)
        order = np.argsort(-rounded, kind="stable")
        ni, rj = self.need_index.tolist(), self.resource_index.tolist()
        for k in order.tolist():
            if rounded[k] <= 0:
                break
            a, b = ni[k], rj[k]
            amount = min(left[a], room[b])
            if amount > 0:
                left[a] -= amount
                room[b] -= amount
                amounts[k] = amount
        return self._result(amounts)


def _xy(
    lat: Sequence[float | None], lon: Sequence[float | None], lat0: float
) -> NDArray[np.float64]:
    """Metres on a local plane (equirectangular; exact enough across a city)."""
    k = math.pi / 180 * EARTH_M
    return np.column_stack(
        [np.asarray(lon) * k * math.cos(math.radians(lat0)), np.asarray(lat) * k]
    )


def _candidates(
    needs: list[NeedInfo], resources: list[ResourceInfo]
) -> tuple[Positions, Positions]:
    """(need, resource) positions worth scoring: the category fits, and a placed resource
    reaches a placed need within its radius (a k-d tree per category). A need or a
    resource without a place is paired with every one of its category."""
    from scipy.spatial import cKDTree  # heavy (SciPy / scikit-learn): loaded on first use

    by_category: dict[str, list[int]] = defaultdict(list)
    for i, n in enumerate(needs):
        by_category[n.category].append(i)
    placed_need = np.array([n.lat is not None and n.lon is not None for n in needs], dtype=bool)
    lats = [n.lat for n in needs if n.lat is not None and n.lon is not None]
    lat0 = (sum(lats) / len(lats)) if lats else 0.0
    rows: list[Positions] = []
    cols: list[Positions] = []
    trees: dict[str, tuple[Any, Positions, Positions]] = {}  # a SciPy cKDTree or None
    for j, r in enumerate(resources):
        if r.capacity <= 0:
            continue
        has_place = bool(r.radius_m) and r.lat is not None and r.lon is not None
        for c in r.categories:
            members = by_category.get(c)
            if not members:
                continue
            if not has_place:
                rows.append(np.asarray(members))
                cols.append(np.full(len(members), j))
                continue
            if c not in trees:
                idx = np.asarray(members)
                on_map = idx[placed_need[idx]]
                tree = None
                if len(on_map):
                    points = _xy(
                        [needs[i].lat for i in on_map], [needs[i].lon for i in on_map], lat0
                    )
                    tree = cKDTree(points)
                trees[c] = (tree, on_map, idx[~placed_need[idx]])
            tree, on_map, off_map = trees[c]
            if len(off_map):
                rows.append(off_map)
                cols.append(np.full(len(off_map), j))
            if tree is not None:
                assert r.radius_m  # has_place
                # A little slack: the exact (haversine) distance decides below.
                near = tree.query_ball_point(_xy([r.lat], [r.lon], lat0)[0], r.radius_m * 1.01)
                if near:
                    rows.append(on_map[np.asarray(near)])
                    cols.append(np.full(len(near), j))
    if not rows:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    return np.concatenate(rows).astype(np.int64), np.concatenate(cols).astype(np.int64)


def score_matrix(needs: Iterable[NeedInfo], resources: Iterable[ResourceInfo]) -> ScoredPairs:
    """Every workable pair with its score, in columns (see the module's docstring)."""
    needs, resources = list(needs), list(resources)
    ni, rj = _candidates(needs, resources)
    distance = _distance_part(needs, resources, ni, rj)
    time = _time_part(needs, resources, ni, rj)
    keep = ~np.isnan(distance) & ~np.isnan(time)
    ni, rj, distance, time = ni[keep], rj[keep], distance[keep], time[keep]
    text = _text_part(needs, resources, ni, rj)
    score = (
        WEIGHTS["category"]
        + WEIGHTS["text"] * text
        + WEIGHTS["distance"] * distance
        + WEIGHTS["time"] * time
    )
    return ScoredPairs(needs, resources, ni, rj, score, text, distance, time)


def score_pairs(needs: Iterable[NeedInfo], resources: Iterable[ResourceInfo]) -> list[Pair]:
    """Every workable pair as a `Pair` with the parts of its score."""
    return score_matrix(needs, resources).to_pairs()


def _column(items: Sequence[NeedInfo] | Sequence[ResourceInfo], attr: str) -> Floats:
    return np.array(
        [getattr(x, attr) if getattr(x, attr) is not None else np.nan for x in items], dtype=float
    )


def _distance_part(
    needs: list[NeedInfo], resources: list[ResourceInfo], ni: Positions, rj: Positions
) -> Floats:
    """1 − distance/radius inside the radius, NaN outside, 1 where either has no place."""
    nlat, nlon = _column(needs, "lat")[ni], _column(needs, "lon")[ni]
    rlat, rlon = _column(resources, "lat")[rj], _column(resources, "lon")[rj]
    radius = _column(resources, "radius_m")[rj]
    p1, p2 = np.radians(nlat), np.radians(rlat)
    dl = np.radians(rlon - nlon)
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    metres = 2 * 6_371_000 * np.arcsin(np.sqrt(a))
    unknown = np.isnan(metres) | np.isnan(radius) | (np.nan_to_num(radius) <= 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        part = np.where(unknown, 1.0, 1 - metres / radius)
    return np.where(part < 0, np.nan, part)


def _time_part(
    needs: list[NeedInfo], resources: list[ResourceInfo], ni: Positions, rj: Positions
) -> Floats:
    """The share of the need's window the resource covers; NaN when none; 1 without windows."""

    def days(items: Sequence[NeedInfo] | Sequence[ResourceInfo], attr: str) -> Positions:
        return np.array([getattr(x, attr).toordinal() if getattr(x, attr) else -1 for x in items])

    ns, ne = days(needs, "start")[ni], days(needs, "end")[ni]
    rs, re_ = days(resources, "start")[rj], days(resources, "end")[rj]
    known = (ns >= 0) & (ne >= 0) & (rs >= 0) & (re_ >= 0)
    overlap = np.minimum(ne, re_) - np.maximum(ns, rs) + 1
    span = np.maximum(ne - ns + 1, 1)
    part = np.where(overlap > 0, overlap / span, np.nan)
    return np.where(known, part, 1.0)


def _text_part(
    needs: list[NeedInfo], resources: list[ResourceInfo], ni: Positions, rj: Positions
) -> Floats:
    """TF-IDF cosine over jieba words (rows are L2-normalised, so a row-wise dot product)."""
    texts = [n.text for n in needs] + [r.text for r in resources]
    if not any(texts) or len(ni) == 0:
        return np.zeros(len(ni))
    from sklearn.feature_extraction.text import TfidfVectorizer  # heavy (SciPy / scikit-learn)

    vectors = TfidfVectorizer(
        tokenizer=lambda t: list(tokens(t)), token_pattern=None, lowercase=False
    ).fit_transform(texts)
    return np.asarray(vectors[ni].multiply(vectors[len(needs) + rj]).sum(axis=1)).ravel()
