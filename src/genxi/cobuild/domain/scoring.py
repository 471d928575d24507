"""Score (need, resource) pairs from what they say about themselves.

Each part is 0..1; a pair is scored only when it can work at all: the category fits, the
place is within the resource's service radius (when both have one), the time windows
overlap (when both have one), and the resource has capacity left.

score = 0.35 category + 0.30 text + 0.20 distance + 0.15 time
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from .matching import Pair

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


CELL = 0.01  # degrees (about 1 km): resources are bucketed by category and cell


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return (math.floor(lat / CELL), math.floor(lon / CELL))


def _nearby(need: NeedInfo, placed, unplaced, reach_cells: int):
    """Resources of the need's category that could be within reach of it."""
    yield from unplaced.get(need.category, [])
    cells = placed.get(need.category)
    if not cells:
        return
    if need.lat is None or need.lon is None:
        for bucket in cells.values():
            yield from bucket
        return
    ci, cj = _cell(need.lat, need.lon)
    for di in range(-reach_cells, reach_cells + 1):
        for dj in range(-reach_cells, reach_cells + 1):
            yield from cells.get((ci + di, cj + dj), [])


def score_pairs(needs: Iterable[NeedInfo], resources: Iterable[ResourceInfo]) -> list[Pair]:
    """Candidates by category and nearby cells, then distance, time and text in numpy."""
    import numpy as np

    needs, resources = list(needs), list(resources)
    placed: dict[str, dict[tuple[int, int], list[int]]] = defaultdict(lambda: defaultdict(list))
    unplaced: dict[str, list[int]] = defaultdict(list)
    widest = 0.0
    for j, r in enumerate(resources):
        if r.capacity <= 0:
            continue
        for c in r.categories:
            if r.radius_m and r.lat is not None and r.lon is not None:
                placed[c][_cell(r.lat, r.lon)].append(j)
                widest = max(widest, r.radius_m)
            else:
                unplaced[c].append(j)
    # A cell is at least ~0.9 km wide at these latitudes; look far enough for the widest radius.
    reach = math.ceil(widest / 900) + 1 if widest else 0
    rows: list[int] = []
    cols: list[int] = []
    for i, n in enumerate(needs):
        found = list(_nearby(n, placed, unplaced, reach))
        rows.extend([i] * len(found))
        cols.extend(found)
    if not rows:
        return []
    ni, rj = np.array(rows), np.array(cols)
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
    return [
        Pair(
            needs[a].id,
            resources[b].id,
            round(float(sc), 6),
            {
                "category": 1.0,
                "text": round(float(t), 4),
                "distance": round(float(d), 4),
                "time": round(float(w), 4),
            },
        )
        for a, b, sc, t, d, w in zip(ni, rj, score, text, distance, time, strict=True)
    ]


def _column(items, attr):
    import numpy as np

    return np.array(
        [getattr(x, attr) if getattr(x, attr) is not None else np.nan for x in items], dtype=float
    )


def _distance_part(needs, resources, ni, rj):
    """1 − distance/radius inside the radius, NaN outside, 1 where either has no place."""
    import numpy as np

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


def _time_part(needs, resources, ni, rj):
    """The share of the need's window the resource covers; NaN when none; 1 without windows."""
    import numpy as np

    def days(items, attr):
        return np.array([getattr(x, attr).toordinal() if getattr(x, attr) else -1 for x in items])

    ns, ne = days(needs, "start")[ni], days(needs, "end")[ni]
    rs, re_ = days(resources, "start")[rj], days(resources, "end")[rj]
    known = (ns >= 0) & (ne >= 0) & (rs >= 0) & (re_ >= 0)
    overlap = np.minimum(ne, re_) - np.maximum(ns, rs) + 1
    span = np.maximum(ne - ns + 1, 1)
    part = np.where(overlap > 0, overlap / span, np.nan)
    return np.where(known, part, 1.0)


def _text_part(needs, resources, ni, rj):
    """TF-IDF cosine over jieba words (rows are L2-normalised, so a row-wise dot product)."""
    import numpy as np

    texts = [n.text for n in needs] + [r.text for r in resources]
    if not any(texts) or len(ni) == 0:
        return np.zeros(len(ni))
    from sklearn.feature_extraction.text import TfidfVectorizer

    from genxi.cases.domain.text import tokens

    vectors = TfidfVectorizer(
        tokenizer=lambda t: list(tokens(t)), token_pattern=None, lowercase=False
    ).fit_transform(texts)
    return np.asarray(vectors[ni].multiply(vectors[len(needs) + rj]).sum(axis=1)).ravel()
