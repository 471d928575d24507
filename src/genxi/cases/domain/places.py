"""A case's address down to its building, and distances to nearby cases. Which grid an
address lies in is the gazetteer's answer (regions/domain/addresses.py)."""

from __future__ import annotations

import math

from genxi.regions.domain.addresses import parse


def building_key(address: str) -> str:
    """The address down to its building: '彩香新村25栋2单元301室' → '彩香新村25幢' (the
    gazetteer's parser: half-width, one word for a building, units and rooms dropped)."""
    parts = parse(address)
    return f"{parts.estate}{parts.building}幢" if parts.building else parts.estate


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
