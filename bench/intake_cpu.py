"""Where an intake's time goes on the machine: the CPU of one `POST /api/v1/cases` through
the whole WSGI stack (Django's test client, every middleware, the token, the API's answer)
in this process, and of its PostgreSQL backend, beside the no-logic baseline insert
(`benchurls.baseline`, the same row and nothing else) in the same run, rounds alternating.

    .venv/bin/python bench/intake_cpu.py [--rounds 4] [--requests 1000] [--keep]

Needs PostgreSQL on this machine (BENCH_PG_SERVER, as the owner role; the backend's CPU is
read from /proc). It makes the database genxi_bench_intake, loads the demo data and drops
it after (`--keep` keeps it for the next run). No HTTP server, no network: the figures are
the work of one request, not a throughput — `../shared/bench/intake_wrk.sh` measures that.
Results go to stdout and bench/results/intake_cpu.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time

from benchcommon import ROOT, app_env, demo_database, write_result

BODY = {
    "text": "彩香新村5幢楼道里堆满了纸板和旧家具，走路都要侧身",
    "lat": 31.3205,
    "lon": 120.5905,
    "channel": "api",
}
GRID = "320508012001001"  # the baseline's grid (the demo's first)


def _backend_cpu(pid: int) -> float:
    """Seconds of CPU the PostgreSQL backend `pid` has used (user + system)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(url: str, rounds: int, requests: int) -> dict:
    env = app_env(url)
    for key in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "CONN_MAX_AGE"):
        os.environ[key] = env[key]
    sys.path[:0] = [str(ROOT / "bench"), str(ROOT / "src")]
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from genxi.core.services import api_token_create
    from genxi.people.models import User
    from genxi.regions.models import Region

    os.environ["BENCH_GRID_ID"] = str(Region.objects.get(code=GRID).pk)
    user = User.objects.get(username="community")
    secret = api_token_create(actor=user, user=user, name="bench-intake-cpu", days=1)
    body = json.dumps(BODY, ensure_ascii=False)
    client = Client(
        HTTP_AUTHORIZATION=f"Bearer {secret}", HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="127.0.0.1"
    )
    paths = {"api": "/api/v1/cases", "baseline": "/baseline/cases"}

    def post(path: str) -> None:
        answer = client.post(path, body, content_type="application/json")
        if answer.status_code != 201:
            raise SystemExit(f"{path} answered {answer.status_code}: {answer.content[:300]!r}")

    for path in paths.values():  # warm up: imports, the model, the memos, the connection
        for _ in range(50):
            post(path)
    backend = connection.connection.info.backend_pid
    runs: dict[str, list[dict]] = {name: [] for name in paths}
    for k in range(rounds):
        order = list(paths) if k % 2 == 0 else list(reversed(paths))
        for name in order:
            wall, cpu, pg = time.perf_counter(), time.process_time(), _backend_cpu(backend)
            for _ in range(requests):
                post(paths[name])
            runs[name].append(
                {
                    "wall_ms": (time.perf_counter() - wall) * 1000 / requests,
                    "python_cpu_ms": (time.process_time() - cpu) * 1000 / requests,
                    "postgres_cpu_ms": (_backend_cpu(backend) - pg) * 1000 / requests,
                }
            )
    result: dict = {"rounds": rounds, "requests_per_round": requests}
    for name, found in runs.items():
        result[name] = {key: round(statistics.median(r[key] for r in found), 3) for key in found[0]}
        result[name]["rounds"] = [{k: round(v, 3) for k, v in r.items()} for r in found]
    api, base = result["api"], result["baseline"]
    result["api_over_baseline"] = {
        key: round(api[key] / base[key], 2)
        for key in ("wall_ms", "python_cpu_ms", "postgres_cpu_ms")
        if base[key]
    }
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--keep", action="store_true", help="keep the database for the next run")
    args = parser.parse_args()
    with demo_database("genxi_bench_intake", keep=args.keep) as url:
        result = measure(url, args.rounds, args.requests)
    for name in ("api", "baseline"):
        r = result[name]
        print(
            f"{name:8s} wall {r['wall_ms']:.2f} ms, Python CPU {r['python_cpu_ms']:.2f} ms, "
            f"PostgreSQL CPU {r['postgres_cpu_ms']:.2f} ms a request (medians of {args.rounds})"
        )
    print(f"api / baseline: {result['api_over_baseline']}")
    print(f"-> {write_result('intake_cpu', result)}")


if __name__ == "__main__":
    main()
