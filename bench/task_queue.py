"""The background queue (django-tasks' database backend, `genxi worker`) under a city's
load: how many tasks a second 1, 2 and 4 workers carry, the lag from enqueued to started,
and the queries per task — for a no-op task (the queue alone, the baseline) and the real
notification delivery (a signed webhook POST to a receiver in this process). A minimal
Redis queue (LPUSH/BRPOP on the shared Redis, key prefix `genxi_bench_tasks:`, deleted
after) is the second baseline: what the queue's own round trips would cost there. One real
monthly report (PDF and Excel, WeasyPrint) is timed for the monthly batch.

    .venv/bin/python bench/task_queue.py [--tasks 3000] [--workers 1,2,4] [--database NAME]

Needs PostgreSQL at 127.0.0.1:5432 (BENCH_PG_SERVER, as the owner role) and Redis at
127.0.0.1:6379 (BENCH_REDIS_URL; skipped when absent). Makes the database (default
genxi_bench_tasks) with the demo data, drops it after (--keep-db keeps it). Results: stdout
and bench/results/task_queue.json; the city's need and the headroom: docs/decisions/0034.

Phases, for each kind (noop, deliver) and each number of workers:
- drain: --tasks tasks enqueued (timed: the enqueue rate), then the workers started with
  `--batch`; throughput = tasks / (last finished − first started), from the rows;
- paced: the workers running (`--interval 1`, as deployed), tasks enqueued at half the
  drain throughput for --paced-seconds; lag = started − enqueued, p50 and p95.
Queries per task: the worker's loop run in this process over 200 tasks under Django's
query capture (the claim, the task's own queries, the mark).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "src"))
os.environ["DJANGO_SETTINGS_MODULE"] = "benchsite"
os.environ.setdefault("CONN_MAX_AGE", "60")

from benchcommon import BIN, app_env, demo_database, write_result  # noqa: E402

WEBHOOK = "genxi.core.notifications.channels.WebhookChannel"
SECRET = "bench-secret"


class Receiver(BaseHTTPRequestHandler):
    """Counts the webhook's deliveries by their id (the Idempotency-Key)."""

    seen: dict[str, int] = {}
    lock = threading.Lock()

    def do_POST(self):  # noqa: N802
        self.rfile.read(int(self.headers["Content-Length"]))
        key = self.headers.get("Idempotency-Key", "")
        with self.lock:
            self.seen[key] = self.seen.get(key, 0) + 1
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, default=3000)
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--paced-seconds", type=float, default=20.0)
    parser.add_argument("--database", default="genxi_bench_tasks")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--result", default="task_queue", help="bench/results/RESULT.json")
    parser.add_argument("--no-report", action="store_true", help="do not time the report")
    args = parser.parse_args()
    workers = [int(w) for w in args.workers.split(",")]

    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    hook = f"http://127.0.0.1:{server.server_port}/hook"
    os.environ.update(
        GENXI_NOTIFY_CHANNELS=WEBHOOK, GENXI_WEBHOOK_URL=hook, GENXI_WEBHOOK_SECRET=SECRET
    )

    with demo_database(args.database, keep=args.keep_db) as url:
        os.environ["DATABASE_URL"] = url
        import django

        django.setup()
        result = run(args, workers, url)
    server.shutdown()
    result["redis_baseline"] = redis_baseline(args.tasks)
    out = write_result(args.result, result)
    print(json.dumps(result, indent=2, ensure_ascii=False))
    print(f"→ {out}")


def run(args, workers: list[int], url: str) -> dict:
    from django.db import connection

    from genxi.core.models import Notification, NotificationDelivery, WorkerBeat
    from genxi.people.models import User

    env = {**app_env(url), "GENXI_NOTIFY_CHANNELS": WEBHOOK}
    user = User.objects.filter(is_active=True).order_by("pk").first()

    def deliveries(n: int) -> list[int]:
        notes = Notification.objects.bulk_create(
            [Notification(user=user, verb="bench", text=f"诉求 B{i:09d}:派遣") for i in range(n)]
        )
        rows = NotificationDelivery.objects.bulk_create(
            [NotificationDelivery(notification=x, channel="webhook") for x in notes]
        )
        return [r.pk for r in rows]

    def clear() -> None:
        from django_tasks_db.models import DBTaskResult

        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {DBTaskResult._meta.db_table}")
        WorkerBeat.objects.all().delete()
        Receiver.seen.clear()

    def enqueue(kind: str, n: int) -> tuple[float, list]:
        from benchtasks import noop

        from genxi.core.notifications.tasks import deliver

        ids = deliveries(n) if kind == "deliver" else list(range(n))
        task = deliver if kind == "deliver" else noop
        start = time.perf_counter()
        results = [task.enqueue(i) for i in ids]
        return time.perf_counter() - start, results

    def start_workers(w: int, *, batch: bool) -> list[subprocess.Popen]:
        extra = ["--batch"] if batch else []
        return [
            subprocess.Popen(
                [
                    str(BIN / "genxi"),
                    "worker",
                    "--interval",
                    "1",
                    "--no-reload",
                    "--no-startup-delay",
                    "-v",
                    "0",
                    *extra,
                ],
                env=env,
            )
            for _ in range(w)
        ]

    def rows_stats():
        from django_tasks_db.models import DBTaskResult

        rows = list(
            DBTaskResult.objects.values_list("status", "enqueued_at", "started_at", "finished_at")
        )
        done = [r for r in rows if r[0] == "SUCCESSFUL"]
        return rows, done

    # One worker's start-up and exit on an empty queue: its CPU, taken out of each drain.
    clear()
    cpu0 = children_cpu()
    for p in start_workers(1, batch=True):
        p.wait()
    startup_cpu = children_cpu() - cpu0
    figures: dict = {
        "kinds": {},
        "tasks": args.tasks,
        "worker_startup_cpu_s": round(startup_cpu, 2),
    }
    for kind in ("noop", "deliver"):
        per_kind: dict = {}
        # Queries per task, in this process (the worker's own loop).
        clear()
        per_kind["queries_per_task"] = queries_per_task(kind, enqueue)
        for w in workers:
            clear()
            seconds, _ = enqueue(kind, args.tasks)
            enqueue_rate = args.tasks / seconds
            stat0 = pg_stat(connection)
            cpu0 = children_cpu()
            procs = start_workers(w, batch=True)
            for p in procs:
                p.wait()
            cpu = children_cpu() - cpu0 - w * startup_cpu
            stat1 = pg_stat(connection)
            rows, done = rows_stats()
            first = min(r[2] for r in done)
            last = max(r[3] for r in done)
            span = (last - first).total_seconds()
            throughput = len(done) / span
            entry = {
                "enqueue_per_s": round(enqueue_rate, 1),
                "drain_done": len(done),
                "drain_failed_or_left": len(rows) - len(done),
                "throughput_per_s": round(throughput, 1),
                "transactions_per_task": round((stat1 - stat0) / max(1, len(done)), 2),
                # The workers' own CPU (user + system), their start-up taken out: what a
                # task costs a worker's core whatever else runs on the machine.
                "worker_cpu_ms_per_task": round(1000 * cpu / max(1, len(done)), 2),
            }
            if kind == "deliver":
                entry["webhook_distinct"] = len(Receiver.seen)
                entry["webhook_duplicates"] = sum(c - 1 for c in Receiver.seen.values())
            # Paced: half the drain throughput, workers waiting as deployed.
            clear()
            rate = throughput / 2
            procs = start_workers(w, batch=False)
            # Wait until each has beaten (its first beat comes before its first claim):
            # Django's start-up on the loaded machine is not lag.
            while WorkerBeat.objects.count() < w:
                time.sleep(0.2)
            sent = 0
            t0 = time.perf_counter()
            while (elapsed := time.perf_counter() - t0) < args.paced_seconds:
                due = int(elapsed * rate) - sent
                if due > 0:
                    enqueue(kind, due)
                    sent += due
                time.sleep(0.01)
            deadline = time.perf_counter() + 60
            while time.perf_counter() < deadline:
                rows, done = rows_stats()
                if len(done) >= sent:
                    break
                time.sleep(0.5)
            for p in procs:
                p.terminate()
            for p in procs:
                p.wait(30)
            lags = [(r[2] - r[1]).total_seconds() for r in done]
            entry.update(
                paced_rate_per_s=round(rate, 1),
                paced_tasks=sent,
                paced_done=len(done),
                lag_p50_s=round(percentile(lags, 0.5), 3),
                lag_p95_s=round(percentile(lags, 0.95), 3),
                lag_max_s=round(max(lags), 3) if lags else None,
            )
            per_kind[f"{w}_workers"] = entry
            print(kind, w, entry, flush=True)
        figures["kinds"][kind] = per_kind
    if not args.no_report:
        figures["report"] = time_report()
    figures["demo"] = notifications_per_case()
    return figures


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def pg_stat(connection) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()"
        )
        return int(cursor.fetchone()[0])


def queries_per_task(kind: str, enqueue) -> float:
    """The worker's loop (django_tasks_db's Worker) over 200 tasks, in this process."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django_tasks_db.management.commands.db_worker import Worker

    n = 200
    enqueue(kind, n)
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="bench-in-process",
        excluded_queue_names=[],
    )
    with CaptureQueriesContext(connection) as captured:
        worker.run()
    return round(len(captured.captured_queries) / n, 2)


def time_report() -> dict:
    """One street's monthly report made as the batch makes it (PDF and Excel, kept)."""
    from django.utils import timezone

    from genxi.regions.models import Region
    from genxi.reports import selectors, services

    month = selectors.last_complete_month(timezone.localdate())
    streets = list(Region.objects.streets().order_by("code"))
    times = []
    for street in streets[:3]:
        start = time.perf_counter()
        cpu = time.process_time()
        services.report_make(actor=None, region=street, month=month)
        times.append((time.perf_counter() - start, time.process_time() - cpu))
    return {
        "streets_timed": len(times),
        "seconds": [round(t, 2) for t, _ in times],
        "cpu_seconds": [round(c, 2) for _, c in times],
        "median_s": round(statistics.median(t for t, _ in times), 2),
    }


def notifications_per_case() -> dict:
    """How many people the cases' moves tell in the demo data: the community workers over a
    grid (told at submit and at resolve) and the street admins over it."""
    from genxi.cases.models import Case
    from genxi.core.roles import Role
    from genxi.people.models import Membership
    from genxi.regions.domain.codes import ancestor_paths

    paths = list(Case.objects.values_list("region__path", flat=True)[:500])
    counts = {Role.COMMUNITY_WORKER: [], Role.STREET_ADMIN: []}
    for path in paths:
        for role in counts:
            counts[role].append(
                Membership.objects.filter(
                    active=True, role=role, region__path__in=ancestor_paths(path)
                ).count()
            )
    return {
        "cases_sampled": len(paths),
        "community_workers_over_a_case": round(statistics.mean(counts[Role.COMMUNITY_WORKER]), 2),
        "street_admins_over_a_case": round(statistics.mean(counts[Role.STREET_ADMIN]), 2),
    }


def redis_baseline(n: int) -> dict:
    """The same number of small JSON messages through a Redis list: LPUSH each (one round
    trip, as an enqueue), then BRPOP each (as a worker's claim). No acknowledgement, no
    retry, no result: the floor under any Redis-backed queue."""
    try:
        import redis
    except ImportError:
        return {"skipped": "redis-py not installed"}
    client = redis.Redis.from_url(os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0"))
    key = f"genxi_bench_tasks:{os.getpid()}"
    try:
        client.ping()
    except redis.RedisError as exc:
        return {"skipped": f"no Redis: {exc}"}
    payload = json.dumps({"task": "benchtasks.noop", "args": [0], "kwargs": {}})
    try:
        start = time.perf_counter()
        for _ in range(n):
            client.lpush(key, payload)
        push = time.perf_counter() - start
        start = time.perf_counter()
        for _ in range(n):
            client.brpop([key], timeout=1)
        pop = time.perf_counter() - start
    finally:
        client.delete(key)
    return {"push_per_s": round(n / push, 1), "pop_per_s": round(n / pop, 1), "messages": n}


if __name__ == "__main__":
    main()
