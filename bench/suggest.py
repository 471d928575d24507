"""The category suggestions compared on the evaluation set: accuracy, calibration, latency.

    .venv/bin/python bench/suggest.py [--approaches chars,words_chars,...] [--http]

Trains every approach of `cases.domain.classifier.APPROACHES` on the repo's corpus
(src/genxi/cases/corpus/train.jsonl plus written/*.jsonl), evaluates it on eval.jsonl
(never trained on) and prints top-1, top-3, expected calibration error, training time and
p50/p99 latency of one suggestion in-process. For the production approach
(DEFAULT_APPROACH) it also prints the per-category figures, the confusion matrix and the
auto-route table (precision and coverage above each confidence threshold). With --http it
also serves the production model with Django's development server on SQLite and measures
POST /api/v1/cases/suggest over HTTP.
Results go to stdout and bench/results/suggest.json.
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import subprocess
import sys
import time

from benchcommon import BIN, ROOT, app_env, demo_database, manage, write_result

sys.path.insert(0, str(ROOT / "src"))

from genxi.cases import corpus  # noqa: E402
from genxi.cases.domain.classifier import (  # noqa: E402
    APPROACHES,
    DEFAULT_APPROACH,
    CategoryClassifier,
)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def calibration_error(confidences: list[float], correct: list[bool], bins: int = 10) -> float:
    """Expected calibration error of the top-1 confidence (0 = perfectly calibrated)."""
    total = 0.0
    for b in range(bins):
        low, high = b / bins, (b + 1) / bins
        idx = [i for i, c in enumerate(confidences) if low < c <= high or (b == 0 and c == 0)]
        if idx:
            accuracy = sum(correct[i] for i in idx) / len(idx)
            confidence = sum(confidences[i] for i in idx) / len(idx)
            total += len(idx) / len(confidences) * abs(accuracy - confidence)
    return total


def auto_route_table(confidences: list[float], correct: list[bool]) -> list[dict]:
    rows = []
    for threshold in [0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95]:
        above = [ok for c, ok in zip(confidences, correct, strict=True) if c >= threshold]
        rows.append(
            {
                "threshold": threshold,
                "precision": sum(above) / len(above) if above else None,
                "coverage": len(above) / len(correct),
            }
        )
    return rows


def measure(approach: str, train: tuple, evaluation: tuple) -> tuple[CategoryClassifier, dict]:
    started = time.perf_counter()
    model = CategoryClassifier(approach).train(*train)
    trained = time.perf_counter() - started
    figures = model.evaluate(*evaluation)
    texts, labels = evaluation
    confidences, correct, latencies = [], [], []
    for text, truth in zip(texts, labels, strict=True):
        t0 = time.perf_counter()
        top = model.suggest(text, 3)
        latencies.append((time.perf_counter() - t0) * 1000)
        confidences.append(top[0].confidence)
        correct.append(top[0].code == truth)
    return model, {
        "approach": approach,
        "top1": round(figures.top1, 3),
        "top3": round(figures.top3, 3),
        "ece": round(calibration_error(confidences, correct), 3),
        "train_seconds": round(trained, 1),
        "p50_ms": round(statistics.median(latencies), 2),
        "p99_ms": round(percentile(latencies, 0.99), 2),
        "per_category": {c: round(v[1], 2) for c, v in figures.per_category.items()},
        "confusion": {f"{t}>{p}": n for (t, p), n in sorted(figures.confusion.items())},
        "auto_route": auto_route_table(confidences, correct),
    }


def print_details(result: dict, codes: list[str]) -> None:
    print(f"\nProduction approach {result['approach']}: per category (top-1)")
    for code, accuracy in result["per_category"].items():
        print(f"  {code:6} {accuracy:.2f}")
    print("\nConfusion matrix (rows: true, columns: suggested first)")
    print("       " + " ".join(f"{c:>5}" for c in codes))
    for truth in codes:
        cells = [result["confusion"].get(f"{truth}>{p}", 0) for p in codes]
        print(f"  {truth:5}" + " ".join(f"{n or '.':>5}" for n in cells))
    print("\nAuto-route: precision and coverage above a confidence threshold")
    for row in result["auto_route"]:
        precision = "—" if row["precision"] is None else f"{row['precision']:.3f}"
        print(f"  ≥{row['threshold']:.2f}  precision {precision}  coverage {row['coverage']:.3f}")


PORT = 8812


def over_http(texts: list[str], rounds: int = 3) -> dict:
    """POST /api/v1/cases/suggest with the production model (trained by load_demo into a
    PostgreSQL demo database), one gunicorn worker, one client, each text `rounds` times."""
    with demo_database("genxi_bench_suggest") as url:
        env = app_env(url)
        token = manage("token", "create", "community", env=env).strip().splitlines()[-1]
        version = manage(
            "shell", "-v", "0", "-c",
            "from genxi.cases import suggestions; print(suggestions.current_version())",
            env=env,
        ).strip()  # fmt: skip
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "benchwsgi:application", "-w", "1",
             "-b", f"127.0.0.1:{PORT}", "--log-level", "warning"],
            env=env, cwd=ROOT / "bench",
        )  # fmt: skip
        try:
            for _ in range(100):
                try:
                    http.client.HTTPConnection("127.0.0.1", PORT, timeout=1).request("GET", "/s/")
                    break
                except OSError:
                    time.sleep(0.2)
            headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
            latencies, errors = [], 0
            for n in range(rounds + 1):
                for text in texts:
                    body = json.dumps({"text": text}).encode()
                    started = time.perf_counter()
                    conn.request("POST", "/api/v1/cases/suggest", body=body, headers=headers)
                    response = conn.getresponse()
                    answer = response.read()
                    if n == 0:
                        continue  # the warm-up round (the model loads once per worker)
                    latencies.append((time.perf_counter() - started) * 1000)
                    errors += response.status != 200 or b'"model_version": null' in answer
        finally:
            server.terminate()
            server.wait()
    return {
        "requests": len(latencies),
        "errors": errors,
        "model_version": version,
        "p50_ms": round(statistics.median(latencies), 1),
        "p99_ms": round(percentile(latencies, 0.99), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--approaches", default=",".join(APPROACHES))
    parser.add_argument("--http", action="store_true", help="also over HTTP (PostgreSQL)")
    args = parser.parse_args()
    train, evaluation = corpus.training(), corpus.evaluation()
    print(f"training texts: {len(train[0])}, evaluation texts: {len(evaluation[0])}")
    print(f"{'approach':15} {'top-1':>6} {'top-3':>6} {'ECE':>6} {'train s':>8} "
          f"{'p50 ms':>7} {'p99 ms':>7}")  # fmt: skip
    results = []
    for approach in args.approaches.split(","):
        _, result = measure(approach, train, evaluation)
        results.append(result)
        print(
            f"{approach:15} {result['top1']:6.3f} {result['top3']:6.3f} {result['ece']:6.3f} "
            f"{result['train_seconds']:8.1f} {result['p50_ms']:7.2f} {result['p99_ms']:7.2f}"
        )
    production = next((r for r in results if r["approach"] == DEFAULT_APPROACH), None)
    if production:
        print_details(production, sorted(set(evaluation[1])))
    http_figures = over_http(evaluation[0]) if args.http else None
    if http_figures:
        print(
            f"\nOver HTTP (gunicorn, 1 worker, PostgreSQL, production model "
            f"v{http_figures['model_version']}): {http_figures['requests']} requests, "
            f"p50 {http_figures['p50_ms']} ms, p99 {http_figures['p99_ms']} ms, "
            f"errors {http_figures['errors']}"
        )
    out = write_result(
        "suggest",
        {
            "production": DEFAULT_APPROACH,
            "results": results,
            "eval_n": len(evaluation[0]),
            "http": http_figures,
        },
    )
    print(f"\nwritten to {out}")


if __name__ == "__main__":
    main()
