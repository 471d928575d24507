"""Throughput and latency of POST /api/v1/cases on PostgreSQL, beside a baseline view that
inserts the same row with no logic, measured in the same run with the same load.

    .venv/bin/python bench/cases_api.py [--rounds 6] [--seconds 5] [--clients 8]

Needs PostgreSQL at 127.0.0.1:5432 (BENCH_PG_SERVER, as the owner role). It creates the
database genxi_bench_api, loads the demo data, serves the app with gunicorn on port 8811
(2 sync workers; `--workers N`), drives it over HTTP from client threads in this process
with keep-alive connections, then stops gunicorn and drops the database. The clients share
the machine's cores with gunicorn and PostgreSQL. Set REDIS_URL to use Redis as the cache,
as a deployment with several workers does (deploy.md). Results go to stdout and
bench/results/cases_api.json.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import threading
import time

from benchcommon import BIN, ROOT, app_env, demo_database, manage, write_result

PORT = 8811


def prepare(env: dict) -> tuple[str, int]:
    token = manage("token", "create", "community", env=env).strip().splitlines()[-1]
    grid = manage(
        "shell",
        "-v",
        "0",
        "-c",
        "from genxi.regions.models import Region;"
        "print(Region.objects.get(code='320508012001001').pk)",
        env=env,
    ).strip()
    return token, int(grid)


def drive(path: str, body: bytes, headers: dict, seconds: float, clients: int):
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def client():
        nonlocal errors
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        mine, bad = [], 0
        while time.perf_counter() < stop:
            started = time.perf_counter()
            try:
                conn.request("POST", path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                # A timeout or a dropped connection counts as an error (its time does not
                # count); the client goes on with a new connection.
                bad += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
                continue
            mine.append(time.perf_counter() - started)
            if response.status != 201:
                bad += 1
        with lock:
            latencies.extend(mine)
            errors += bad

    threads = [threading.Thread(target=client) for _ in range(clients)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors, time.perf_counter() - began


def summary(latencies: list[float], errors: int, elapsed: float) -> dict:
    latencies = sorted(latencies)
    return {
        "requests": len(latencies),
        "errors": errors,
        "throughput_rps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 1),
    }


def serve_and_drive(args, env: dict, token: str):
    """Start gunicorn, alternate the baseline and the API for the rounds, stop gunicorn."""
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "benchwsgi:application",
            "-w",
            str(args.workers),
            "-b",
            f"127.0.0.1:{PORT}",
            "--threads",
            str(args.threads),
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT / "bench",
    )
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", PORT, timeout=1).request("GET", "/s/")
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise SystemExit(f"gunicorn did not answer on port {PORT}")
        payload = json.dumps(
            {
                "text": "彩香新村5幢楼道里堆满了纸板和旧家具",
                "lat": 31.3205,
                "lon": 120.5905,
                "channel": "api",
            }
        ).encode()
        api_headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
        # Warm both up (the router's model loads once per worker), then measure.
        drive("/api/v1/cases", payload, api_headers, 3, 2)
        drive("/baseline/cases", payload, {"Content-Type": "application/json"}, 2, 2)
        # Alternate short rounds, so that both sides see the same machine: on a shared
        # virtual machine the speed drifts by more than the difference being measured.
        sides = {"baseline": ([], 0, 0.0), "api": ([], 0, 0.0)}
        rounds = []
        for _ in range(args.rounds):
            per_round = {}
            for side, path, headers in (
                ("baseline", "/baseline/cases", {"Content-Type": "application/json"}),
                ("api", "/api/v1/cases", api_headers),
            ):
                latencies, errors, elapsed = drive(
                    path, payload, headers, args.seconds, args.clients
                )
                total = sides[side]
                sides[side] = (total[0] + latencies, total[1] + errors, total[2] + elapsed)
                per_round[side] = len(latencies) / elapsed
            rounds.append(round(per_round["api"] / per_round["baseline"], 3))
    finally:
        server.terminate()
        server.wait()
    return sides, rounds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5, help="per side and round")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument(
        "--threads", type=int, default=1, help="threads per worker (> 1: the gthread worker)"
    )
    parser.add_argument("--keep-db", action="store_true", help="keep genxi_bench_api, reuse it")
    args = parser.parse_args()
    with demo_database("genxi_bench_api", keep=args.keep_db) as url:
        env = app_env(url)
        token, grid = prepare(env)
        env["BENCH_GRID_ID"] = str(grid)
        sides, rounds = serve_and_drive(args, env, token)
    baseline, api = summary(*sides["baseline"]), summary(*sides["api"])
    result = {
        "what": "POST /api/v1/cases over HTTP (gunicorn, PostgreSQL, demo data) against a "
        "view inserting the same row with no logic; alternating rounds in one run",
        "baseline": baseline,
        "api": api,
        "api_over_baseline": round(api["throughput_rps"] / baseline["throughput_rps"], 3),
        "per_round_ratio": rounds,
        "median_round_ratio": statistics.median(rounds),
        "clients": args.clients,
        "rounds": args.rounds,
        "seconds_per_side_and_round": args.seconds,
        "workers": args.workers,
        "threads": args.threads,
        "cache": "redis" if os.environ.get("REDIS_URL") else "locmem",
        "database": "PostgreSQL",
    }
    print(json.dumps(result, indent=2))
    write_result("cases_api", result)


if __name__ == "__main__":
    main()
