"""The early-warning detectors at a city's size: 1,000,000 cases over two years, in process.

    .venv/bin/python bench/early_warnings.py [--cases 1000000] [--seed 1]

A seeded synthetic city (alerts/domain/synthetic.py: 30 × 30 km, 3,000 estates of uneven
size, 12 categories, two thirds of the cases at a building) with planted hotspots,
recurrences and surges, generated directly as numpy arrays. Times each detector as the
daily scan runs it (hotspots over 30 and 90 days, recurrences over 90 days, surges over the
last week), CPU seconds beside wall seconds, with the precision and recall on the planted
things; the baselines in the same run are DBSCAN (the alternative hotspot method, one
90-day window) and a naive recurrence count (a Python dictionary over the window's rows).
Results: stdout and bench/results/warnings.json.
"""

from __future__ import annotations

import sys

# This file shares its name with the standard library's `warnings`: take its folder off the
# front of the path before anything imports `warnings`, and put it back at the end.
_BENCH = sys.path.pop(0)

import argparse  # noqa: E402
import resource  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.append(_BENCH)

from benchcommon import write_result  # noqa: E402

from genxi.alerts.domain import hotspots as hs  # noqa: E402
from genxi.alerts.domain import recurrences as rc  # noqa: E402
from genxi.alerts.domain import surges as sg  # noqa: E402
from genxi.alerts.domain import synthetic as syn  # noqa: E402
from genxi.alerts.domain.dedup import merge_findings  # noqa: E402
from genxi.alerts.domain.evaluate import score  # noqa: E402

DAYS = 730
TODAY = DAYS - 1


def timed(fn):  # type: ignore[no-untyped-def]
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return out, round(time.perf_counter() - wall, 2), round(time.process_time() - cpu, 2)


def naive_recurrences(cases) -> int:  # type: ignore[no-untyped-def]
    counts: dict[tuple[int, int], int] = {}
    recent = np.flatnonzero((cases.day > TODAY - 90) & (cases.place >= 0))
    for i in recent.tolist():
        k = (int(cases.place[i]), int(cases.category[i]))
        counts[k] = counts.get(k, 0) + 1
    return sum(1 for n in counts.values() if n >= 3)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    t0 = time.perf_counter()
    city = syn.city(rng, n_cases=args.cases, days=DAYS, size_m=30_000, estates=3000)
    hot = [syn.plant_hotspot(city, rng, today=TODAY) for _ in range(20)]
    rec = [syn.plant_recurrence(city, rng, today=TODAY, building=i % 2 == 0) for i in range(20)]
    cases = city.cases()
    generated = round(time.perf_counter() - t0, 2)
    # warm-up: SciPy's first call loads its modules
    hs.hotspots(cases.take(np.arange(1000)), TODAY)

    found_h, h_wall, h_cpu = timed(lambda: merge_findings(hs.hotspots(cases, TODAY)))
    found_r, r_wall, r_cpu = timed(lambda: rc.recurrences(cases, TODAY))
    found_s, s_wall, s_cpu = timed(lambda: sg.surges(cases, TODAY))
    total_wall = round(h_wall + r_wall + s_wall, 2)
    db, db_wall, db_cpu = timed(lambda: hs.dbscan_hotspots(cases, TODAY, window=90))
    naive, naive_wall, _ = timed(lambda: naive_recurrences(cases))
    sh, sr = score(found_h, hot), score(found_r, rec, purity=0.0)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    result = {
        "cases": len(cases),
        "generate_s": generated,
        "hotspots_s": h_wall,
        "hotspots_cpu_s": h_cpu,
        "hotspots_found": len(found_h),
        "hotspots_precision_recall": [round(sh.precision, 3), round(sh.recall, 3)],
        "recurrences_s": r_wall,
        "recurrences_cpu_s": r_cpu,
        "recurrences_found": len(found_r),
        "recurrences_planted_recall": round(sr.recall, 3),
        "surges_s": s_wall,
        "surges_cpu_s": s_cpu,
        "surges_found": len(found_s),
        "scan_total_s": total_wall,
        "baseline_dbscan_90d_s": db_wall,
        "baseline_dbscan_cpu_s": db_cpu,
        "baseline_dbscan_clusters": len(db),
        "baseline_naive_recurrence_count_s": naive_wall,
        "baseline_naive_recurrences_by_building": naive,
        "peak_rss_mb": peak_mb,
    }
    for k, v in result.items():
        print(f"{k:40} {v}")
    print("written", write_result("warnings", result))


if __name__ == "__main__":
    main()
