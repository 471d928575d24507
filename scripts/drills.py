"""Drills, scripted and repeatable (docs/drills.md): a fault under intake load, then the check.

    .venv/bin/python scripts/drills.py pg-kill     # kill -9 of PostgreSQL during intake
    .venv/bin/python scripts/drills.py redis-down  # Redis killed: pages on, public form refuses
    .venv/bin/python scripts/drills.py node-kill   # an app node killed behind nginx
    .venv/bin/python scripts/drills.py all         # the three, one after the other

Each drill brings up only what it needs, on its own ports and in its own directory
(DRILLS_VAR, default var/drills): a PostgreSQL cluster of its own (initdb, as the OS user
postgres when run as root; binaries in DRILLS_PG_BIN), gunicorn nodes on the production
settings with deploy/gunicorn.conf.py, redis-server, and nginx with a configuration made
from deploy/nginx/genxi.conf. Client threads post `POST /api/v1/cases` with an API token
and an Idempotency-Key per case, retrying the same key after any failure, and record
every code they were told. After the fault and the recovery the drill compares the codes
with the rows, prints PASS or FAIL with its figures, and tears everything down (always).
Ports: DRILLS_PG_PORT (5470), DRILLS_REDIS_PORT (6390), DRILLS_APP_PORTS (8201,8202),
DRILLS_NGINX_PORT (8200). The exit status is 0 only if every drill passed.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import hashlib
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ops_procs import (  # noqa: E402
    BIN,
    PgCluster,
    answers,
    give_to_postgres,
    gunicorn_argv,
    kill_group,
    nginx_argv,
    nginx_check,
    nginx_main,
    nginx_site,
    redis_argv,
    redis_ping,
    run,
    spawn,
    terminate,
    wait_for,
)

ROOT = Path(__file__).resolve().parent.parent
VAR = Path(os.environ.get("DRILLS_VAR", ROOT / "var" / "drills")).resolve()
PG_BIN = Path(os.environ.get("DRILLS_PG_BIN", "/usr/lib/postgresql/15/bin"))
PG_PORT = int(os.environ.get("DRILLS_PG_PORT", "5470"))
REDIS_PORT = int(os.environ.get("DRILLS_REDIS_PORT", "6390"))
APP_PORTS = [int(p) for p in os.environ.get("DRILLS_APP_PORTS", "8201,8202").split(",")]
NGINX_PORT = int(os.environ.get("DRILLS_NGINX_PORT", "8200"))
# Longer than gunicorn's worker timeout (60 s) and nginx's proxy_read_timeout (65 s): the
# client never gives up on a request the server is still working on.
CLIENT_TIMEOUT = 70
DRILL_TEXT = "演练"  # every drill case's text starts with it, then the drill and the key


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def seed_name() -> str:
    """What the demo database depends on: every migration and the demo loader's code."""
    digest = hashlib.sha256()
    src = ROOT / "src" / "genxi"
    demo = [p for p in src.glob("demo/**/*") if p.is_file() and "__pycache__" not in p.parts]
    for path in sorted([*src.glob("*/migrations/*.py"), *demo]):
        digest.update(str(path.relative_to(src)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


# -- PostgreSQL: a cluster of the drill's own ------------------------------------------------


class Postgres(PgCluster):
    def __init__(self, home: Path, port: int) -> None:
        super().__init__(home / "pgdata", port, log=home / "postgres.log", pg_bin=PG_BIN)
        self.home = home
        self.url = f"postgres://postgres@127.0.0.1:{port}/genxi"

    def init(self) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        give_to_postgres(self.home)
        # Durability as in production: fsync and synchronous_commit stay on (the defaults).
        self.initdb(
            "-A",
            "trust",
            "--no-sync",
            conf=f"port = {self.port}\nlisten_addresses = '127.0.0.1'\n"
            f"unix_socket_directories = '{self.data}'\nmax_connections = 50\n",
        )

    def start(self) -> None:
        super().start(timeout=120)  # after a kill -9, crash recovery comes first

    def psql(self, sql: str, db: str = "postgres") -> str:
        return run(["psql", f"postgres://postgres@127.0.0.1:{self.port}/{db}", "-qXtAc", sql])

    def stop(self, mode: str = "immediate") -> None:
        super().stop(mode)
        for pid in self.pids():  # whatever did not stop
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


# -- The application: production settings, gunicorn nodes, nginx, redis ---------------------


def fernet_key() -> str:
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode()


class Site:
    """What a drill stands up; `close` stops all of it (every process is ours, by its id)."""

    def __init__(self, name: str) -> None:
        self.home = VAR / name
        if self.home.exists():
            shutil.rmtree(self.home)
        self.home.mkdir(parents=True)
        self.pg = Postgres(self.home / "pg", PG_PORT)
        self.nodes: dict[int, subprocess.Popen] = {}
        self.others: list[subprocess.Popen] = []
        self.redis: subprocess.Popen | None = None
        self.redis_url = ""
        self.token = ""
        self.secrets = {
            "SECRET_KEY": secrets.token_urlsafe(64),
            "GENXI_FIELD_KEY": fernet_key(),
            "GENXI_INDEX_KEY": fernet_key(),
        }

    def env(self) -> dict[str, str]:
        """deploy/genxi.env.example, on this drill's ports and directory."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("GENXI_", "DJANGO_"))}
        env.update(self.secrets)
        env.update(
            DJANGO_SETTINGS_MODULE="genxi.config.settings.prod",
            GENXI_HOME=str(self.home / "app"),
            PYTHONPATH=str(ROOT / "src"),
            ALLOWED_HOSTS="127.0.0.1,localhost",
            DATABASE_URL=self.pg.url,
            GENXI_TRUSTED_PROXIES="127.0.0.1",
            GENXI_METRICS_ALLOW="127.0.0.1",
            GENXI_WEB_WORKERS=os.environ.get("DRILLS_WEB_WORKERS", "2"),
            GENXI_REQUEST_LOG_LEVEL="WARNING",
            PROMETHEUS_MULTIPROC_DIR=str(self.home / "prometheus"),
        )
        env.pop("REDIS_URL", None)
        if self.redis_url:
            env["REDIS_URL"] = self.redis_url
        return env

    def genxi(self, *args: str) -> str:
        return run([str(BIN / "genxi"), *args], env=self.env(), cwd=ROOT)

    def database(self) -> None:
        """The cluster, the schema, the demo data and an API token (docs/api.md). Migrating
        and loading the demo take minutes on a small machine: the first drill keeps a dump
        (with the keys its personal data was encrypted with) for the next ones, as long as
        no migration and no demo code changed (`seed_name`)."""
        began = time.monotonic()
        self.pg.init()
        self.pg.start()
        self.pg.psql("CREATE DATABASE genxi")
        (self.home / "prometheus").mkdir()
        seed = VAR / "seeds" / seed_name()
        if (seed / "genxi.dump").exists():
            self.secrets = json.loads((seed / "keys.json").read_text())
            run(["pg_restore", "--no-owner", "-d", self.pg.url, str(seed / "genxi.dump")])
            how = "restored from the seed"
        else:
            self.genxi("migrate", "--no-input")
            self.genxi("load_demo")
            seed.mkdir(parents=True, exist_ok=True)
            os.chmod(seed, 0o700)
            run(["pg_dump", "-Fc", "-f", str(seed / "genxi.dump"), self.pg.url])
            (seed / "keys.json").write_text(json.dumps(self.secrets))
            how = "migrated and loaded"
        self.token = self.genxi("token", "create", "community").strip().splitlines()[-1]
        log(f"PostgreSQL on {PG_PORT}, {how} ({time.monotonic() - began:.0f} s)")

    def static(self) -> None:
        """The pages need the static manifest under the production settings. Collected once
        for all drills while no static file changes (VAR/static/<hash>)."""
        digest = hashlib.sha256()
        for path in sorted((ROOT / "src" / "genxi").glob("**/static/**/*")):
            if path.is_file():
                digest.update(f"{path.relative_to(ROOT)}\0".encode() + path.read_bytes())
        shared = VAR / "static" / digest.hexdigest()[:16]
        (self.home / "app" / "var").mkdir(parents=True, exist_ok=True)
        (self.home / "app" / "var" / "static").symlink_to(shared)
        if not (shared / "staticfiles.json").exists():
            shared.mkdir(parents=True, exist_ok=True)
            self.genxi("collectstatic", "--no-input", "--verbosity", "0")

    def start_redis(self) -> None:
        self.redis_url = f"redis://127.0.0.1:{REDIS_PORT}/0"
        self.redis = spawn(
            redis_argv(REDIS_PORT, self.home), log=self.home / "redis.log", session=False
        )
        wait_for("redis", lambda: redis_ping(REDIS_PORT), 20, 0.1)

    def kill_redis(self) -> None:
        if self.redis and self.redis.poll() is None:
            self.redis.kill()
            self.redis.wait()

    def start_node(self, port: int) -> None:
        # its own process group (spawn's session): the node is killed whole
        self.nodes[port] = spawn(
            gunicorn_argv("--no-control-socket"),
            log=self.home / f"node-{port}.log",
            env={**self.env(), "GENXI_BIND": f"127.0.0.1:{port}"},
            cwd=ROOT,
        )
        wait_for(f"gunicorn on {port}", lambda: answers(port), 60, 0.1)

    def kill_node(self, port: int) -> None:
        """kill -9 of the node: the gunicorn master and its workers at once."""
        kill_group(self.nodes.pop(port))

    def start_nginx(self) -> None:
        conf = write_nginx(self.home / "nginx", self.home / "app" / "var" / "static")
        nginx_check(conf / "nginx.conf", prefix=conf)
        self.others.append(
            spawn(
                nginx_argv(conf / "nginx.conf", prefix=conf),
                log=self.home / "nginx.out",
                session=False,
            )
        )
        wait_for("nginx", lambda: answers(NGINX_PORT), 20, 0.1)

    def close(self) -> None:
        for port in list(self.nodes):
            self.kill_node(port)
        for proc in self.others:
            terminate(proc)
        self.kill_redis()
        self.pg.stop()
        if not os.environ.get("DRILLS_KEEP"):
            shutil.rmtree(self.home, ignore_errors=True)


def write_nginx(conf: Path, static: Path) -> Path:
    """nginx's files for the drill in `conf`: deploy/nginx/genxi.conf on the drill's ports
    (ops_procs.nginx_site) behind proxy_conf(), and an nginx.conf logging what
    drill_node_kill reads (status|method|upstreams|upstream statuses). Returns `conf`."""
    (conf / "logs").mkdir(parents=True)  # nginx's own default, before it reads the file
    (conf / "genxi_proxy.conf").write_text(proxy_conf())
    (conf / "genxi.conf").write_text(
        nginx_site(
            (ROOT / "deploy/nginx/genxi.conf").read_text(),
            nodes=APP_PORTS,
            listen=NGINX_PORT,
            static_root=static,
            proxy=conf / "genxi_proxy.conf",
        )
    )
    (conf / "nginx.conf").write_text(
        nginx_main(
            site=conf / "genxi.conf",
            pid=conf / "nginx.pid",
            error_log=conf / "error.log",
            access_log=conf / "access.log",
            log_format="$status|$request_method|$upstream_addr|$upstream_status",
            temp=conf,
            workers=1,
            connections=256,
        )
    )
    return conf


def proxy_conf() -> str:
    """deploy/nginx/genxi_proxy.conf, behind which TLS was ended (the drill speaks HTTP)."""
    text = (ROOT / "deploy/nginx/genxi_proxy.conf").read_text()
    return text.replace("X-Forwarded-Proto $scheme", "X-Forwarded-Proto https")


# -- The load: client threads posting cases, each with its Idempotency-Key -----------------


@dataclass
class Load:
    port: int
    token: str
    drill: str
    clients: int = 6
    retry_for: float = 120.0  # a key is retried this long before the client gives up
    # False: no Idempotency-Key and no retry — a case is then one statement with no
    # transaction around it (decision 0042), the path this variant puts under the crash.
    keyed: bool = True
    acked: dict[str, str] = field(default_factory=dict)  # key → code told to the client
    replayed: int = 0
    attempts: int = 0
    failures: Counter = field(default_factory=Counter)  # what failed attempts met
    failed_at: list[float] = field(default_factory=list)
    given_up: list[str] = field(default_factory=list)
    in_flight: int = 0
    first_ack_after: float | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)
    threads: list[threading.Thread] = field(default_factory=list)

    def start(self) -> None:
        self.threads = [
            threading.Thread(target=self.client, daemon=True) for _ in range(self.clients)
        ]
        for t in self.threads:
            t.start()

    def finish(self) -> None:
        self.stop.set()
        for t in self.threads:
            t.join(self.retry_for + 30)

    def warm(self, seconds: float = 180) -> None:
        """Wait for the first answers: a worker's first request loads what it keeps (the
        address index, the token's user), slow on a busy machine; the phases start after."""
        wait_for("the first cases", lambda: len(self.acked) >= self.clients, seconds, 0.1)
        log(f"warm: {len(self.acked)} cases acknowledged")

    def watch_recovery(self, since: float) -> None:
        with self.lock:
            self.first_ack_after = None
            self._since = since

    def connection(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=CLIENT_TIMEOUT)

    def client(self) -> None:
        conn = self.connection()
        headers = {
            "Authorization": f"Bearer {self.token}",
            "Content-Type": "application/json",
            "X-Forwarded-Proto": "https",
        }
        while not self.stop.is_set():
            key = uuid.uuid4().hex
            body = json.dumps(
                {
                    "text": f"{DRILL_TEXT} {self.drill} {key}:楼道里堆满了杂物",
                    "channel": "phone",
                    "lat": 31.321,
                    "lon": 120.591,
                }
            )
            deadline, pause = time.monotonic() + self.retry_for, 0.1
            while True:  # the same key until an answer (after stop too: nothing half-done)
                with self.lock:
                    self.attempts += 1
                    self.in_flight += 1
                status, text, what = 0, "", ""
                try:
                    keyed = {"Idempotency-Key": key} if self.keyed else {}
                    conn.request("POST", "/api/v1/cases", body=body, headers={**headers, **keyed})
                    response = conn.getresponse()
                    status, text = response.status, response.read().decode()
                    replayed = response.getheader("Idempotent-Replayed") == "true"
                except (OSError, http.client.HTTPException) as exc:
                    what = type(exc).__name__
                    conn.close()
                    conn = self.connection()
                with self.lock:
                    self.in_flight -= 1
                    if status == 201:
                        self.acked[key] = json.loads(text)["code"]
                        self.replayed += replayed
                        since = getattr(self, "_since", None)
                        if since is not None and self.first_ack_after is None:
                            self.first_ack_after = time.monotonic() - since
                        break
                    self.failures[what or str(status)] += 1
                    self.failed_at.append(time.monotonic())
                if 400 <= status < 500 and status != 409:  # refused: retrying will not help
                    break
                if not self.keyed:  # a retry without a key could write the case twice
                    break
                if time.monotonic() > deadline:
                    with self.lock:
                        self.given_up.append(key)
                    break
                time.sleep(pause)
                pause = min(pause * 2, 1.0)

    def check(self, site: Site) -> dict:
        """The acknowledged codes against the rows: each found, with its own key, once."""
        script = (
            "import json; from genxi.cases.models import Case;"
            f"rows = Case.objects.filter(text__startswith='{DRILL_TEXT} {self.drill} ')"
            ".values_list('code', 'text');"
            "print(json.dumps([[c, t.split()[2].split(':')[0]] for c, t in rows]))"
        )
        rows = json.loads(site.genxi("shell", "-v", "0", "-c", script).strip().splitlines()[-1])
        by_key = Counter(key for _, key in rows)
        code_key = dict(rows)
        found = sum(1 for key, code in self.acked.items() if code_key.get(code) == key)
        return {
            "requests": self.attempts,
            "acknowledged": len(self.acked),
            "found": found,
            "lost": len(self.acked) - found,
            "duplicates": sum(n - 1 for n in by_key.values() if n > 1),
            "rows": len(rows),
            "unacknowledged_rows": sum(1 for key in by_key if key not in self.acked),
            "replayed": self.replayed,
            "failed": sum(self.failures.values()),
            "failed_by": dict(self.failures),
            "given_up": len(self.given_up),
        }


def phase(seconds: float, what: str) -> None:
    log(f"{what} ({seconds:.0f} s)")
    time.sleep(seconds)


# -- The drills ----------------------------------------------------------------------------


def drill_pg_kill(args) -> dict:
    """kill -9 of PostgreSQL under intake load: every acknowledged case is there after the
    recovery, none twice."""
    site = Site("pg-kill")
    try:
        site.database()
        port = APP_PORTS[0]
        site.start_node(port)
        load = Load(
            port, site.token, f"pg{int(time.time())}", clients=args.clients, keyed=not args.no_key
        )
        load.start()
        load.warm()
        phase(args.seconds, "intake load" + ("" if load.keyed else " without Idempotency-Keys"))
        before = len(load.acked)
        killed_at = time.monotonic()
        log(f"kill -9 of PostgreSQL ({site.pg.kill9()} processes), {before} cases acknowledged")
        load.watch_recovery(killed_at)
        time.sleep(args.down)
        restart = time.monotonic()
        site.pg.start()  # crash recovery replays the WAL
        pg_back = time.monotonic() - restart
        log(f"PostgreSQL restarted in {pg_back:.1f} s")
        phase(args.seconds, "intake load after the recovery")
        load.finish()
        result = load.check(site)
        result.update(
            idempotency_keys=load.keyed,
            postgres_down_s=round(args.down, 1),
            postgres_restart_s=round(pg_back, 1),
            recovery_s=round(load.first_ack_after, 1) if load.first_ack_after else None,
            failed_after_restart=sum(1 for t in load.failed_at if t > restart + pg_back),
        )
        result["pass"] = bool(
            result["lost"] == 0
            and result["duplicates"] == 0
            and result["given_up"] == 0
            and result["acknowledged"] > before > 0
            and result["recovery_s"] is not None
        )
        return result
    finally:
        site.close()


def public_form(port: int, client: str) -> int:
    """The public report form, as a resident at `client` behind nginx: GET, then POST."""
    proxy = {"X-Forwarded-For": client, "X-Forwarded-Proto": "https"}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    try:
        conn.request("GET", "/s/report/", headers=proxy)
        page = conn.getresponse()
        html = page.read().decode()
        if page.status != 200:
            return page.status
        cookie = re.search(r"csrftoken=([^;]+)", page.getheader("Set-Cookie") or "")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        if not cookie or not token:
            return 0
        from urllib.parse import urlencode

        form = urlencode(
            {
                "csrfmiddlewaretoken": token.group(1),
                "lat": "31.3212",
                "lon": "120.5912",
                "text": f"{DRILL_TEXT} 公开表单:门口的地砖翘起来了",
            }
        )
        conn.request(
            "POST",
            "/s/report/",
            body=form,
            headers={
                **proxy,
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={cookie.group(1)}",
                "Referer": f"https://127.0.0.1:{port}/s/report/",
                "Host": f"127.0.0.1:{port}",
            },
        )
        answer = conn.getresponse()
        answer.read()
        return answer.status
    except (OSError, http.client.HTTPException):
        return 0
    finally:
        conn.close()


PAGES = [
    "/s/",
    "/s/?address=彩香新村25幢",
    "/s/report/",
    "/s/track/",
    "/accounts/login/",
    "/open311/v2/services.json",
    "/readyz",
    "/metrics",
    "/api/v1/cases?queue=all",
]


def get(port: int, path: str, token: str) -> tuple[int, float]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    began = time.perf_counter()
    try:
        from urllib.parse import quote

        conn.request(
            "GET",
            quote(path, safe="/?=&"),
            headers={"Authorization": f"Bearer {token}", "X-Forwarded-Proto": "https"},
        )
        response = conn.getresponse()
        response.read()
        return response.status, time.perf_counter() - began
    except (OSError, http.client.HTTPException):
        return 0, time.perf_counter() - began
    finally:
        conn.close()


def drill_redis_down(args) -> dict:
    """Redis killed under load: the pages and the intake go on (caching degraded), the public
    form's rate limit refuses rather than count nothing (fail closed), and comes back."""
    site = Site("redis-down")
    try:
        site.start_redis()
        site.database()
        site.static()
        port = APP_PORTS[0]
        site.start_node(port)
        load = Load(port, site.token, f"redis{int(time.time())}", clients=args.clients)
        load.start()
        load.warm()
        seen: dict[str, Counter] = {}
        slow: dict[str, float] = {}
        failing: Counter = Counter()
        addresses = iter(f"198.51.{n // 250}.{n % 250 + 1}" for n in range(10**6))

        def probe(name: str, seconds: float) -> None:
            pages, forms = (
                seen.setdefault(name, Counter()),
                seen.setdefault(name + "_form", Counter()),
            )
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                for path in PAGES:
                    status, took = get(port, path, site.token)
                    pages[status] += 1
                    if status != 200:
                        failing[f"{name} {path} {status}"] += 1
                    slow[name] = max(slow.get(name, 0.0), took)
                forms[public_form(port, next(addresses))] += 1
                time.sleep(0.3)

        log("Redis up: pages and the public form")
        probe("up", args.seconds)
        log("kill -9 of Redis")
        site.kill_redis()
        down_acked = len(load.acked)
        probe("down", args.seconds)
        down_acked = len(load.acked) - down_acked
        restart = time.monotonic()
        site.start_redis()
        log("Redis restarted: waiting for the public form to be served again")
        back = None
        while time.monotonic() - restart < 60:
            if public_form(port, next(addresses)) == 302:
                back = time.monotonic() - restart
                break
            time.sleep(0.2)
        probe("back", min(args.seconds, 5))
        load.finish()
        result = load.check(site)
        pages_bad = sum(n for s, n in seen["down"].items() if s != 200)
        result.update(
            pages={k: dict(v) for k, v in seen.items()},
            pages_failing=dict(failing),
            slowest_page_s={k: round(v, 2) for k, v in slow.items()},
            acknowledged_while_down=down_acked,
            form_recovery_s=round(back, 1) if back is not None else None,
        )
        result["pass"] = bool(
            result["lost"] == 0
            and result["duplicates"] == 0
            and result["failed"] == 0
            and pages_bad == 0
            and down_acked > 0
            and set(seen["up_form"]) == {302}
            and set(seen["down_form"]) == {503}  # refused, never let through, never a 500
            and set(seen["back"]) == {200}
            and back is not None
        )
        return result
    finally:
        site.close()


def drill_node_kill(args) -> dict:
    """An app node killed (kill -9) under load behind nginx: nginx goes round it; no request
    fails but those the node held at that moment; it rejoins after its restart."""
    site = Site("node-kill")
    try:
        site.database()
        site.static()
        for port in APP_PORTS:
            site.start_node(port)
        site.start_nginx()
        load = Load(NGINX_PORT, site.token, f"node{int(time.time())}", clients=args.clients)
        load.start()
        load.warm()
        phase(args.seconds, "intake load through nginx on both nodes")
        victim = APP_PORTS[-1]
        with load.lock:
            in_flight = load.in_flight
            killed_at = time.monotonic()
            site.kill_node(victim)
        log(f"kill -9 of the node on {victim} ({in_flight} requests in flight)")
        phase(args.seconds, "intake load on the node left")
        site.start_node(victim)
        phase(args.seconds, "the node restarted")
        load.finish()
        result = load.check(site)
        nginx = Counter()
        for line in (site.home / "nginx" / "access.log").read_text().splitlines():
            status, method, upstream, _ = line.split("|", 3)
            if method == "POST":
                nginx[f"status_{status}"] += 1
                nginx["passed_to_next_node"] += "," in upstream
                if status == "201":
                    nginx[f"created_by_{upstream.split(',')[-1].strip()}"] += 1
        result.update(
            in_flight_at_kill=in_flight,
            failed_before_kill=sum(1 for t in load.failed_at if t < killed_at),
            failed_within_5s_of_kill=sum(1 for t in load.failed_at if 0 <= t - killed_at < 5),
            nginx=dict(nginx),
        )
        result["pass"] = bool(
            result["lost"] == 0
            and result["duplicates"] == 0
            and result["failed"] <= in_flight
            and result["given_up"] == 0
        )
        return result
    finally:
        site.close()


DRILLS = {"pg-kill": drill_pg_kill, "redis-down": drill_redis_down, "node-kill": drill_node_kill}


def measured_on() -> dict:
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    return {
        "at": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": commit,
        "load_average_1_5_15": [round(x, 2) for x in os.getloadavg()],
        "cpus": os.cpu_count(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("drill", choices=[*DRILLS, "all"])
    parser.add_argument("--seconds", type=float, default=15, help="each phase of load")
    parser.add_argument("--down", type=float, default=3, help="pg-kill: seconds before restart")
    parser.add_argument("--clients", type=int, default=6, help="client threads")
    parser.add_argument(
        "--no-key",
        action="store_true",
        help="pg-kill: no Idempotency-Key and no retries (the intake with no transaction)",
    )
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    names = list(DRILLS) if args.drill == "all" else [args.drill]
    results, ok = {}, True

    def stop(signum, frame):  # noqa: ARG001 - a signal handler's signature
        raise KeyboardInterrupt  # the drills' `finally` tears down

    signal.signal(signal.SIGTERM, stop)
    for name in names:
        log(f"== {name}")
        began = measured_on()
        try:
            result = DRILLS[name](args)
        except (SystemExit, Exception) as exc:  # noqa: BLE001 - reported as a failed drill
            result = {"pass": False, "error": str(exc)[-2000:]}
        result = {**result, **began}
        results[name] = result
        ok = ok and result["pass"]
        figures = {k: v for k, v in result.items() if k != "pass"}
        verdict = "PASS" if result["pass"] else "FAIL"
        print(f"{verdict} {name} {json.dumps(figures, ensure_ascii=False)}", flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
