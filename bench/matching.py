"""Matching 10,000 needs × 10,000 resources, a street-wide run with realistic sparsity:
time, peak memory and total score, next to the greedy baseline in the same run.

    .venv/bin/python bench/matching.py [--needs 10000] [--resources 10000]

Needs and resources are spread over a street-sized area (about 4 × 4 km) in ten
categories; each resource serves one category within 0.3–0.7 km, over part of the year
(about 30 candidate pairs per need, as in ARCHITECTURE.md's measured case). Prints the
scoring time, the solver's time and the greedy's, their totals, and the process's peak
resident memory. The one-time loading of scikit-learn, SciPy, OR-Tools and jieba's
dictionary (done once by a running server) is timed apart as warm_up_s. Results: stdout
and bench/results/matching.json.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from benchcommon import write_result  # noqa: E402

from genxi.cobuild.domain.scoring import NeedInfo, ResourceInfo, score_matrix  # noqa: E402

CATEGORIES = [
    "volunteers",
    "venue",
    "funds",
    "legal",
    "medical",
    "education",
    "psychological",
    "goods",
    "equipment",
    "repair",
]
WORDS = [
    "助老",
    "助残",
    "法律咨询",
    "义诊",
    "课业辅导",
    "心理疏导",
    "场地",
    "物资",
    "维修",
    "周末",
    "社区",
    "志愿服务",
    "活动",
    "讲座",
    "慰问",
    "培训",
    "关爱",
    "儿童",
    "老人",
]


def make(n_needs: int, n_resources: int, rng: random.Random):
    start = date(2026, 1, 1)

    def window():
        first = start + timedelta(days=rng.randint(0, 300))
        return first, first + timedelta(days=rng.randint(7, 90))

    needs = []
    for i in range(n_needs):
        s, e = window()
        needs.append(
            NeedInfo(
                f"n{i}",
                rng.randint(1, 40),
                rng.choice(CATEGORIES),
                "".join(rng.sample(WORDS, 3)),
                31.30 + rng.random() * 0.036,
                120.57 + rng.random() * 0.042,
                s,
                e,
            )
        )
    resources = []
    for j in range(n_resources):
        s, e = window()
        resources.append(
            ResourceInfo(
                f"r{j}",
                rng.randint(1, 60),
                frozenset(rng.sample(CATEGORIES, 2)),
                "".join(rng.sample(WORDS, 3)),
                31.30 + rng.random() * 0.036,
                120.57 + rng.random() * 0.042,
                rng.uniform(300, 700),
                s,
                e + timedelta(days=120),
            )
        )
    return needs, resources


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--needs", type=int, default=10_000)
    parser.add_argument("--resources", type=int, default=10_000)
    args = parser.parse_args()
    rng = random.Random(7)
    needs, resources = make(args.needs, args.resources, rng)

    # What a running server has loaded once already: scikit-learn, SciPy, OR-Tools and
    # jieba's dictionary. Timed on its own, then the street-wide run is timed warm.
    w0 = time.perf_counter()
    score_matrix(needs[:50], resources[:50]).solve()
    warm_up = time.perf_counter() - w0

    t0, c0 = time.perf_counter(), time.process_time()
    scored = score_matrix(needs, resources)
    t1 = time.perf_counter()
    best = scored.solve()
    t2, c2 = time.perf_counter(), time.process_time()
    quick = scored.greedy()
    t3, c3 = time.perf_counter(), time.process_time()
    for a in best.assignments:  # the optimum keeps every capacity and quantity
        assert a.quantity > 0
    used: dict[str, int] = {}
    filled: dict[str, int] = {}
    for a in best.assignments:
        used[a.resource] = used.get(a.resource, 0) + a.quantity
        filled[a.need] = filled.get(a.need, 0) + a.quantity
    assert all(used[r.id] <= r.capacity for r in resources if r.id in used)
    assert all(filled[n.id] <= n.quantity for n in needs if n.id in filled)
    pairs = scored
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = {
        "what": "in-process, no database: scoring every workable pair and the optimal "
        "solve (min-cost flow), timed warm; baseline: the greedy on the same pairs",
        "needs": len(needs),
        "resources": len(resources),
        "pairs": len(pairs),
        "warm_up_s": round(warm_up, 2),
        "scoring_s": round(t1 - t0, 2),
        "solve_s": round(t2 - t1, 2),
        "scoring_and_solve_s": round(t2 - t0, 2),
        "greedy_s": round(t3 - t2, 2),
        # CPU seconds of this process (all its threads): less moved by other work.
        "scoring_and_solve_cpu_s": round(c2 - c0, 2),
        "greedy_cpu_s": round(c3 - c2, 2),
        "total_optimal": round(best.total, 3),
        "total_greedy": round(quick.total, 3),
        "greedy_gap_percent": round(100 * (best.total - quick.total) / best.total, 3),
        "peak_rss_mb": round(peak_mb, 1),
    }
    print(json.dumps(result, indent=2))
    write_result("matching", result)


if __name__ == "__main__":
    main()
