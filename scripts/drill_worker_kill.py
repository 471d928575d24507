"""Drill: a worker killed mid-task — the task runs again and no notification is lost, and
none is taken twice by a receiver that drops a repeated id (docs/background-queue.md).

    .venv/bin/python scripts/drill_worker_kill.py [--deliveries 200] [--kills 2]
        [--database genxi_drill_worker_kill] [--keep-db]

What it does, on a PostgreSQL database of its own (made, migrated, dropped after;
BENCH_PG_SERVER as for the benchmarks):

1. a webhook receiver on 127.0.0.1:8301 (--port) that answers each POST after 0.2 s and
   counts the deliveries by their id (the Idempotency-Key header);
2. --deliveries notifications through the real `tell()`, their delivery tasks enqueued;
3. `genxi worker` started; each time a POST is in flight (the worker is inside the
   task, between its claim and its mark), the worker is killed with SIGKILL and a new
   one started, --kills times;
4. waits until no delivery is pending, sending or its task running (the new worker puts
   the dead one's task back after GENXI_WORKER_LEASE, here 6 s, and sends a delivery
   claimed by the dead one again after its 30 s claim lease);
5. PASS when every delivery is marked sent, the receiver saw every id, no task is left
   running, and the only ids seen twice are deliveries in flight at a kill (at most one
   per kill: the at-least-once window; the receiver drops them by id). Prints the figures.

`--plain --timeout 90` runs the same with `genxi db_worker` (no heartbeat): the baseline,
where a killed worker's task stays RUNNING and its delivery is never sent (FAIL).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))
os.environ["DJANGO_SETTINGS_MODULE"] = "benchsite"

from benchcommon import BIN, PG_SERVER, app_env, manage, psql  # noqa: E402
from ops_procs import kill_group, terminate  # noqa: E402

LEASE = "6"


class Receiver(BaseHTTPRequestHandler):
    seen: dict[str, int] = {}
    in_flight: set[str] = set()
    lock = threading.Lock()

    def do_POST(self):  # noqa: N802
        self.rfile.read(int(self.headers["Content-Length"]))
        key = self.headers.get("Idempotency-Key", "")
        with self.lock:
            self.seen[key] = self.seen.get(key, 0) + 1
            self.in_flight.add(key)
        time.sleep(0.2)
        try:
            self.send_response(204)
            self.end_headers()
        finally:
            with self.lock:
                self.in_flight.discard(key)

    def log_message(self, *args):
        pass


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--deliveries", type=int, default=200)
    parser.add_argument("--kills", type=int, default=2)
    parser.add_argument("--port", type=int, default=8301)
    parser.add_argument("--database", default="genxi_drill_worker_kill")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--timeout", type=float, default=300)
    parser.add_argument(
        "--plain",
        action="store_true",
        help="the baseline: django_tasks_db's own `genxi db_worker`, without the recovery",
    )
    args = parser.parse_args()

    server = ThreadingHTTPServer(("127.0.0.1", args.port), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"{PG_SERVER}/{args.database}"
    settings_env = {
        "DATABASE_URL": url,
        "GENXI_NOTIFY_CHANNELS": "genxi.core.notifications.channels.WebhookChannel",
        "GENXI_WEBHOOK_URL": f"http://127.0.0.1:{args.port}/hook",
        "GENXI_WEBHOOK_SECRET": "drill-secret",
        "GENXI_WORKER_LEASE": LEASE,
    }
    os.environ.update(settings_env)
    env = {**app_env(url), **settings_env}
    psql(f"DROP DATABASE IF EXISTS {args.database} WITH (FORCE)")
    psql(f"CREATE DATABASE {args.database}")
    workers: list[subprocess.Popen] = []
    try:
        manage("migrate", "--no-input", env=env)
        import django

        django.setup()
        return drill(args, env, workers)
    finally:
        for proc in workers:
            terminate(proc, 30)
        server.shutdown()
        if not args.keep_db:
            from django.db import connections

            connections.close_all()
            psql(f"DROP DATABASE IF EXISTS {args.database} WITH (FORCE)")


def drill(args, env: dict, workers: list[subprocess.Popen]) -> int:
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    from genxi.core import notifications
    from genxi.core.models import DeliveryStatus, NotificationDelivery
    from genxi.people.models import User

    user = User.objects.create_user("drill-worker", password=None)
    for i in range(args.deliveries):
        with transaction.atomic():  # tell() enqueues the delivery after commit
            notifications.tell([user], verb="drill", text=f"演练 {i}")
    total = NotificationDelivery.objects.count()

    def start() -> subprocess.Popen:
        proc = subprocess.Popen(
            [
                str(BIN / "genxi"),
                "db_worker" if args.plain else "worker",
                "--interval",
                "0.2",
                "--no-reload",
                "--no-startup-delay",
                "-v",
                "0",
            ],
            env=env,
            start_new_session=True,  # its own process group: killed whole, as a node would be
        )
        workers.append(proc)
        return proc

    t0 = time.monotonic()
    worker = start()
    killed_in_flight: list[str] = []
    for _ in range(args.kills):
        time.sleep(2)  # let it take some
        while True:
            with Receiver.lock:
                flight = sorted(Receiver.in_flight)
            if flight:
                break
            time.sleep(0.01)
        kill_group(worker)  # SIGKILL
        killed_in_flight.extend(flight)
        print(
            f"killed worker {worker.pid} at {time.monotonic() - t0:.1f} s, "
            f"delivery {', '.join(flight)} in flight",
            flush=True,
        )
        worker = start()

    deadline = time.monotonic() + args.timeout
    while time.monotonic() < deadline:
        open_rows = NotificationDelivery.objects.exclude(status=DeliveryStatus.SENT).count()
        running = DBTaskResult.objects.running().count()
        if open_rows == 0 and running == 0:
            break
        time.sleep(1)
    elapsed = time.monotonic() - t0

    rows = dict(NotificationDelivery.objects.values_list("pk", "status"))
    keys = {f"genxi-delivery-{pk}" for pk in rows}
    sent = sum(1 for s in rows.values() if s == DeliveryStatus.SENT)
    missing = sorted(keys - set(Receiver.seen))
    twice = {k: c for k, c in Receiver.seen.items() if c > 1}
    unexplained = sorted(set(twice) - set(killed_in_flight))
    requeued = sum(
        1 for ids in DBTaskResult.objects.values_list("worker_ids", flat=True) if len(ids) > 1
    )
    left_running = DBTaskResult.objects.running().count()
    print(
        f"deliveries: {total}; marked sent: {sent}; receiver saw {len(Receiver.seen)} ids, "
        f"{sum(Receiver.seen.values())} POSTs"
    )
    print(
        f"kills: {args.kills}; tasks run again after a kill: {requeued}; "
        f"left running: {left_running}; time to all sent: {elapsed:.1f} s"
    )
    print(
        f"ids seen twice (in flight at a kill, dropped by the receiver by id): "
        f"{len(twice)} {sorted(twice)}"
    )
    ok = (
        sent == total == args.deliveries
        and not missing
        and left_running == 0
        and not unexplained
        and len(twice) <= args.kills
        and all(c == 2 for c in twice.values())
    )
    if missing:
        print(f"missing: {missing[:10]}")
    if unexplained:
        print(f"seen twice but not in flight at a kill: {unexplained}")
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
