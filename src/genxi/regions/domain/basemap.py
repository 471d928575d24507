"""The base layer's features as an import reads them: a GeoJSON FeatureCollection whose
features carry `kind` (estate, road, river, water, green), `name` and optionally `rank`
(1 a main road, 2 a side road) in their properties, in WGS-84/CGCS2000 (docs/maps.md)."""

from __future__ import annotations

from dataclasses import dataclass

KINDS = ("water", "green", "estate", "road", "river")
AREAS = {"Polygon", "MultiPolygon"}
LINES = {"LineString", "MultiLineString"}
# What each kind may be drawn as: a river is a line or, where it is wide, an area.
SHAPES = {
    "water": AREAS,
    "green": AREAS,
    "estate": AREAS,
    "road": LINES,
    "river": AREAS | LINES,
}
MAX_FEATURES = 20_000


class BasemapError(ValueError):
    pass


@dataclass(frozen=True)
class Feature:
    kind: str
    name: str
    rank: int
    geometry: dict[str, object]


def _positions(value: object) -> list[list[float]]:
    if isinstance(value, list) and value and all(isinstance(v, int | float) for v in value):
        return [[float(v) for v in value]]
    if isinstance(value, list):
        return [p for v in value for p in _positions(v)]
    raise BasemapError("coordinates must be arrays of numbers")


def check_geometry(kind: str, geometry: object) -> dict[str, object]:
    if not isinstance(geometry, dict) or geometry.get("type") not in SHAPES.get(kind, set()):
        raise BasemapError(f"a {kind} must be one of {sorted(SHAPES.get(kind, set()))}")
    points = _positions(geometry.get("coordinates"))
    if not points or any(
        len(p) < 2 or not (-180 <= p[0] <= 180 and -90 <= p[1] <= 90) for p in points
    ):
        raise BasemapError("coordinates must be [longitude, latitude] in degrees")
    return {"type": geometry["type"], "coordinates": geometry["coordinates"]}


def parse_features(data: object) -> list[Feature]:
    """The features of a FeatureCollection; a BasemapError names the first bad one."""
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise BasemapError("not a GeoJSON FeatureCollection")
    raw = data.get("features")
    if not isinstance(raw, list) or len(raw) > MAX_FEATURES:
        raise BasemapError(f"features: a list of at most {MAX_FEATURES}")
    features = []
    for number, item in enumerate(raw, 1):
        props = item.get("properties") if isinstance(item, dict) else None
        props = props if isinstance(props, dict) else {}
        kind = str(props.get("kind", ""))
        try:
            if kind not in KINDS:
                raise BasemapError(f"kind must be one of {', '.join(KINDS)}")
            geometry = check_geometry(kind, item.get("geometry"))
            rank = int(props.get("rank", 1))
        except (BasemapError, ValueError, TypeError) as exc:
            raise BasemapError(f"feature {number}: {exc}") from exc
        name = str(props.get("name") or "").strip()[:100]
        features.append(Feature(kind, name, 1 if rank < 2 else 2, geometry))
    return features
