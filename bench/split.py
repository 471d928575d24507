"""Two problems in one request: the detector's precision and recall on the labelled set.

    .venv/bin/python bench/split.py [--min 0.5,0.6,0.7]

Trains the production approach (DEFAULT_APPROACH) on the repo's corpus
(src/genxi/cases/corpus/train.jsonl and written/, `corpus.training()`), runs
`cases.domain.split.two_problems` on split_eval.jsonl (requests with two problems and with
one, written apart; never trained on) and prints, per minimum confidence of each part:
precision, recall, the share of found pairs whose parts got both labelled categories, and
the detector's p50/p99 in-process.
Results go to stdout and bench/results/split.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from benchcommon import ROOT, write_result

sys.path.insert(0, str(ROOT / "src"))

from genxi.cases import corpus  # noqa: E402
from genxi.cases.domain import split  # noqa: E402
from genxi.cases.domain.classifier import DEFAULT_APPROACH, CategoryClassifier  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--min", default="0.5,0.55,0.6,0.65,0.7,0.8")
    args = parser.parse_args()
    texts, labels = corpus.training()
    model = CategoryClassifier(DEFAULT_APPROACH).train(texts, labels, [1.0] * len(texts))
    rows = corpus.split_rows()
    two = sum(len(r[1]) > 1 for r in rows)
    print(f"{len(rows)} requests: {two} with two problems, {len(rows) - two} with one")
    results = []
    for low in [float(x) for x in args.min.split(",")]:
        found = split.score(rows, model.suggest_many, low)
        times = []
        for text, _ in rows:
            start = time.perf_counter()
            split.two_problems(text, model.suggest_many, low)
            times.append((time.perf_counter() - start) * 1000)
        times.sort()
        row = {
            "min_confidence": low,
            "precision": round(found.precision, 3),
            "recall": round(found.recall, 3),
            "true_pos": found.true_pos,
            "false_pos": found.false_pos,
            "false_neg": found.false_neg,
            "right_pair": found.right_pair,
            "p50_ms": round(times[len(times) // 2], 2),
            "p99_ms": round(times[min(len(times) - 1, int(0.99 * len(times)))], 2),
        }
        results.append(row)
        print(json.dumps(row))
    write_result("split", {"approach": DEFAULT_APPROACH, "rows": len(rows), "results": results})


if __name__ == "__main__":
    main()
