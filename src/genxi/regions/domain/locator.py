"""Find the grid that contains a point (pure Python + shapely; no Django here).

Built once from GeoJSON polygons: an STRtree box query narrows the candidates, then
`contains_xy` on prepared polygons decides. One `locate` call per point; bench/locator.py
times such calls on 10,000 cells against a loop over every polygon (docs/benchmarks.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import shapely
from shapely.geometry import shape


class OutsideAllGrids(LookupError):
    """The point lies in no grid."""

    def __init__(self, lat: float, lon: float):
        super().__init__(f"point ({lat}, {lon}) lies outside every grid")
        self.lat = lat
        self.lon = lon


@dataclass(frozen=True)
class GridShape:
    key: Any
    geometry: dict[str, Any]


class Locator:
    def __init__(self, grids: Iterable[GridShape]):
        self._keys: list[Any] = []
        polygons = []
        for grid in grids:
            geom = shape(grid.geometry)
            if geom.is_empty:
                continue
            shapely.prepare(geom)
            polygons.append(geom)
            self._keys.append(grid.key)
        self._polygons = polygons
        self._tree = shapely.STRtree(polygons)

    def __len__(self) -> int:
        return len(self._keys)

    def locate(self, lat: float, lon: float) -> Any:
        """Return the key of the grid containing (lat, lon); raise OutsideAllGrids otherwise."""
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValueError(f"not a coordinate: ({lat}, {lon})")
        point = shapely.Point(lon, lat)  # GeoJSON order is (lon, lat)
        for index in self._tree.query(point):
            if shapely.contains_xy(self._polygons[index], lon, lat) or self._polygons[
                index
            ].boundary.contains(point):
                return self._keys[index]
        raise OutsideAllGrids(lat, lon)
