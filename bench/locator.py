"""Point-in-grid lookups: the STRtree locator against a plain loop over polygons (baseline),
measured in the same run.

    .venv/bin/python bench/locator.py [--grids 10000] [--points 20000]

Prints points per second for both, and checks that they agree on every point.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from shapely.geometry import Point, shape  # noqa: E402

from genxi.demo.geography import grid_cells  # noqa: E402
from genxi.regions.domain.locator import GridShape, Locator, OutsideAllGrids  # noqa: E402


def build(n_grids: int) -> list[GridShape]:
    per_block = 10
    blocks = n_grids // per_block
    side = int(blocks**0.5) + 1
    shapes = []
    for b in range(blocks):
        corner = (31.0 + (b // side) * 0.0055, 120.0 + (b % side) * 0.0065)
        for i, cell in enumerate(grid_cells(corner, per_block)):
            shapes.append(GridShape(b * per_block + i, cell))
    return shapes


def baseline(shapes: list[GridShape], points):
    polygons = [(s.key, shape(s.geometry)) for s in shapes]
    out = []
    for lat, lon in points:
        p = Point(lon, lat)
        out.append(next((k for k, poly in polygons if poly.covers(p)), None))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--grids", type=int, default=10_000)
    parser.add_argument("--points", type=int, default=20_000)
    parser.add_argument("--baseline-points", type=int, default=300)
    args = parser.parse_args()
    shapes = build(args.grids)
    rng = random.Random(1)
    side = int((len(shapes) // 10) ** 0.5) + 1
    points = [
        (31.0 + rng.random() * side * 0.0055, 120.0 + rng.random() * side * 0.0065)
        for _ in range(args.points)
    ]

    started = time.perf_counter()
    locator = Locator(shapes)
    build_s = time.perf_counter() - started

    started = time.perf_counter()
    found = []
    for lat, lon in points:
        try:
            found.append(locator.locate(lat, lon))
        except OutsideAllGrids:
            found.append(None)
    tree_s = time.perf_counter() - started

    sample = points[: args.baseline_points]
    started = time.perf_counter()
    expected = baseline(shapes, sample)
    loop_s = time.perf_counter() - started

    assert found[: len(sample)] == expected, "locator and baseline disagree"
    print(f"grids: {len(shapes)}  build: {build_s:.2f} s")
    print(f"STRtree locator: {len(points) / tree_s:,.0f} points/s ({len(points)} points)")
    print(f"baseline loop:   {len(sample) / loop_s:,.0f} points/s ({len(sample)} points)")
    print(f"speed-up: {(len(points) / tree_s) / (len(sample) / loop_s):,.0f}x; answers agree")


if __name__ == "__main__":
    main()
