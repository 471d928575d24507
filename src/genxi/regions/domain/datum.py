"""Datums of map tiles: WGS-84 (GPS, 天地图's CGCS2000 to within a metre) and GCJ-02, the
shifted datum China requires of published maps (高德, 腾讯).

genxi stores every coordinate in WGS-84. When the configured tile source is GCJ-02, what is
drawn on its tiles is shifted with `wgs84_to_gcj02`, and a point picked on them comes back
through `gcj02_to_wgs84`. The forward formula is the published one (GB 20263's "火星坐标" as
reimplemented in the open-source ports); outside mainland China's box nothing is shifted.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Literal

Datum = Literal["wgs84", "gcj02"]
DATUMS: tuple[Datum, ...] = ("wgs84", "gcj02")

_A = 6378245.0  # the Krasovsky 1940 ellipsoid the formula uses
_EE = 0.00669342162296594323
# The inverse stops when the forward image of its guess is this close (degrees, ~1 mm).
_TOLERANCE = 1e-8
_MAX_STEPS = 30


def out_of_china(lat: float, lon: float) -> bool:
    """Outside the box the shift applies to (the published implementations' box)."""
    return not (72.004 <= lon <= 137.8347 and 0.8293 <= lat <= 55.8271)


def _shift_lat(x: float, y: float) -> float:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _shift_lon(x: float, y: float) -> float:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def _delta(lat: float, lon: float) -> tuple[float, float]:
    d_lat = _shift_lat(lon - 105.0, lat - 35.0)
    d_lon = _shift_lon(lon - 105.0, lat - 35.0)
    rad = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(rad) ** 2
    sqrt_magic = math.sqrt(magic)
    d_lat = (d_lat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrt_magic) * math.pi)
    d_lon = (d_lon * 180.0) / (_A / sqrt_magic * math.cos(rad) * math.pi)
    return d_lat, d_lon


def wgs84_to_gcj02(lat: float, lon: float) -> tuple[float, float]:
    """A WGS-84 point where GCJ-02 tiles draw it."""
    if out_of_china(lat, lon):
        return lat, lon
    d_lat, d_lon = _delta(lat, lon)
    return lat + d_lat, lon + d_lon


def gcj02_to_wgs84(lat: float, lon: float) -> tuple[float, float]:
    """The WGS-84 point a GCJ-02 point shows: the forward formula inverted by fixed-point
    iteration (each step corrects the guess by the residual; well under 1 mm)."""
    if out_of_china(lat, lon):
        return lat, lon
    guess_lat, guess_lon = lat, lon
    for _ in range(_MAX_STEPS):
        shifted_lat, shifted_lon = wgs84_to_gcj02(guess_lat, guess_lon)
        err_lat, err_lon = shifted_lat - lat, shifted_lon - lon
        if abs(err_lat) < _TOLERANCE and abs(err_lon) < _TOLERANCE:
            break
        guess_lat, guess_lon = guess_lat - err_lat, guess_lon - err_lon
    return guess_lat, guess_lon


def to_tiles(datum: str) -> Callable[[float, float], tuple[float, float]] | None:
    """The conversion of stored (WGS-84) points to a tile datum; None when there is none."""
    return wgs84_to_gcj02 if datum == "gcj02" else None


def from_tiles(datum: str) -> Callable[[float, float], tuple[float, float]] | None:
    """The conversion of points picked on tiles of a datum back to WGS-84."""
    return gcj02_to_wgs84 if datum == "gcj02" else None


Position = list[float]


def _shift_positions(
    value: object, convert: Callable[[float, float], tuple[float, float]]
) -> object:
    """GeoJSON coordinates at any depth ([lon, lat] leaves), converted; rounded to 7 places."""
    if isinstance(value, list) and value and isinstance(value[0], int | float):
        lat, lon = convert(float(value[1]), float(value[0]))
        return [round(lon, 7), round(lat, 7), *value[2:]]
    if isinstance(value, list):
        return [_shift_positions(v, convert) for v in value]
    return value


def shift_geometry(geometry: dict[str, object], datum: str) -> dict[str, object]:
    """A GeoJSON geometry (any type) in the tile datum; the same object when none applies."""
    convert = to_tiles(datum)
    if convert is None or not geometry:
        return geometry
    if geometry.get("type") == "GeometryCollection":
        parts = geometry.get("geometries")
        assert isinstance(parts, list)  # GeoJSON: a collection lists its geometries
        return {**geometry, "geometries": [shift_geometry(g, datum) for g in parts]}
    return {**geometry, "coordinates": _shift_positions(geometry.get("coordinates"), convert)}
