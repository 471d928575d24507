"""Point-in-grid lookups: the STRtree locator against a plain loop over polygons (baseline),
measured in the same run, in-process (no database, no HTTP).

    .venv/bin/python bench/locator.py [--grids 10000] [--points 20000]

The figure is per-call lookups: one `Locator.locate(lat, lon)` call per point, in a Python
loop, as the intake does for one case (no batch or vectorised query). The baseline loops
over every polygon with shapely's `covers` for each of the first --baseline-points points
(it is slow, so it gets fewer). Prints lookups per second for both, checks that they agree
on the baseline's points, and writes bench/results/locator.json.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from benchcommon import write_result  # noqa: E402
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

    started, cpu_started = time.perf_counter(), time.process_time()
    found = []
    for lat, lon in points:
        try:
            found.append(locator.locate(lat, lon))
        except OutsideAllGrids:
            found.append(None)
    tree_s, tree_cpu_s = time.perf_counter() - started, time.process_time() - cpu_started

    sample = points[: args.baseline_points]
    started, cpu_started = time.perf_counter(), time.process_time()
    expected = baseline(shapes, sample)
    loop_s, loop_cpu_s = time.perf_counter() - started, time.process_time() - cpu_started

    assert found[: len(sample)] == expected, "locator and baseline disagree"
    tree_rate, loop_rate = len(points) / tree_s, len(sample) / loop_s
    # Per second of this process's CPU time: what the wall-clock rate would be on an idle
    # core (the figures below move with other work on the machine, these much less).
    tree_cpu_rate, loop_cpu_rate = len(points) / tree_cpu_s, len(sample) / loop_cpu_s
    print(f"grids: {len(shapes)}  build: {build_s:.2f} s")
    print(f"STRtree locator: {tree_rate:,.0f} lookups/s, one call each ({len(points)} points)")
    print(f"baseline loop:   {loop_rate:,.0f} lookups/s, one call each ({len(sample)} points)")
    print(f"per CPU-second: {tree_cpu_rate:,.0f} against {loop_cpu_rate:,.0f} lookups/s")
    print(f"speed-up: {tree_rate / loop_rate:,.0f}x; answers agree")
    write_result(
        "locator",
        {
            "what": "per-call lookups in-process: one Locator.locate() per point in a Python "
            "loop; baseline: a loop over every polygon with shapely covers()",
            "grids": len(shapes),
            "build_s": round(build_s, 2),
            "points": len(points),
            "outside_all_grids": found.count(None),
            "locator_lookups_per_s": round(tree_rate),
            "locator_lookups_per_cpu_s": round(tree_cpu_rate),
            "baseline_points": len(sample),
            "baseline_lookups_per_s": round(loop_rate),
            "baseline_lookups_per_cpu_s": round(loop_cpu_rate),
            "speed_up": round(tree_rate / loop_rate, 1),
            "answers_agree": True,
        },
    )


if __name__ == "__main__":
    main()
