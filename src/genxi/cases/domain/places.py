"""Addresses to grids (tolerant of small differences in writing), and nearby cases."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Generic, TypeVar

_BUILDING = re.compile(r"(\d+)\s*(?:号楼|幢|栋|棟|號樓|号)")
_TAIL = re.compile(r"(\d+\s*(?:单元|單元)|\d+\s*(?:室|号房)|\d+-\d+(?:-\d+)?$).*$")
_NOISE = re.compile(r"[\s,,。.、()()\-—_#]+")
_CN_DIGITS = str.maketrans("零一二三四五六七八九", "0123456789")
_PREFIXES = ("江苏省", "苏州市", "姑苏区", "相城区", "苏州工业园区", "园区")

Grid = TypeVar("Grid")  # what the caller knows a grid by (its primary key, say)


def normalise(address: str) -> str:
    """A comparable form: half-width, no spaces or punctuation, buildings as 'N幢'."""
    text = unicodedata.normalize("NFKC", address or "").strip()
    for prefix in _PREFIXES:
        text = text.replace(prefix, "")
    text = text.translate(_CN_DIGITS)
    text = _NOISE.sub("", text)
    text = _BUILDING.sub(lambda m: f"{int(m.group(1))}幢", text)
    return text


def building_key(address: str) -> str:
    """The address down to its building: '彩香新村25幢2单元301室' → '彩香新村25幢'."""
    text = normalise(address)
    match = re.search(r"^(.*?\d+幢)", text)
    if match:
        return match.group(1)
    return _TAIL.sub("", text)


@dataclass(frozen=True)
class AddressMatch(Generic[Grid]):
    key: str
    grid: Grid
    score: float


class AddressIndex(Generic[Grid]):
    """Building keys → grid, matched exactly or by close spelling."""

    def __init__(self, entries: Iterable[tuple[str, Grid]]):
        self._grids: dict[str, Grid] = {}
        for address, grid in entries:
            key = building_key(address)
            if key:
                self._grids.setdefault(key, grid)
        self._by_number: dict[str, list[str]] = {}
        for key in self._grids:
            number = re.search(r"(\d+)幢$", key)
            self._by_number.setdefault(number.group(1) if number else "", []).append(key)

    def __len__(self) -> int:
        return len(self._grids)

    def match(self, address: str, threshold: float = 0.8) -> AddressMatch[Grid] | None:
        key = building_key(address)
        if not key:
            return None
        if key in self._grids:
            return AddressMatch(key, self._grids[key], 1.0)
        number = re.search(r"(\d+)幢$", key)
        # The building number must agree; the estate name may be spelled a little differently.
        candidates = self._by_number.get(number.group(1), []) if number else list(self._grids)
        best, best_score = None, 0.0
        for candidate in candidates:
            score = SequenceMatcher(None, key, candidate).ratio()
            if score > best_score:
                best, best_score = candidate, score
        if best is not None and best_score >= threshold:
            return AddressMatch(best, self._grids[best], round(best_score, 3))
        return None


EARTH_RADIUS_M = 6_371_000


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def box(lat: float, lon: float, radius_m: float) -> tuple[float, float, float, float]:
    """A lat/lon box around a point that contains the circle of `radius_m`."""
    dlat = radius_m / 111_320
    dlon = radius_m / (111_320 * max(math.cos(math.radians(lat)), 0.01))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon
