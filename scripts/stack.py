"""The whole set on one machine (docs/deploy.md, "The whole set on one machine"): nginx, two
gunicorn app nodes, the background worker, PostgreSQL with a streaming replica, PgBouncer,
Redis and an S3 stand-in (moto), from Debian and PyPI packages, no containers; then a mixed
load through nginx, then everything stopped again.

    .venv/bin/python scripts/stack.py up        # start the set (var/stack/), wait until ready
    .venv/bin/python scripts/stack.py load [--clients 8] [--seconds 60]
    .venv/bin/python scripts/stack.py down      # stop what `up` started, remove its data
    .venv/bin/python scripts/stack.py all [--clients 8] [--seconds 60]   # up, load, down
    .venv/bin/python scripts/stack.py all --cases 10000000                # at a city's volume

`--cases N` (up, all) loads a synthetic city instead of the demo (`genxi load_demo --scale
city --cases N`: 100 streets, 10,000 grids, a million residents, N cases) as the owner,
before the replica is made from it by pg_basebackup, and gives PostgreSQL a city's memory
(CITY_CONF); the load then acts as the city's street admin and grid worker (`street`,
`grid`) on their own places. Ten million cases make a 15 GB database, twice under
var/stack/ (the primary and the replica) beside the primary's WAL, and took 11 minutes to
come up on 2 cores (docs/benchmarks.md).

`all` always tears down, on a failure and on Ctrl-C too (`make stack` runs it). Needs the
Debian packages postgresql-15 (its binaries in /usr/lib/postgresql/15/bin; STACK_PG_BIN),
pgbouncer, redis-server and nginx, and moto's server (the dev extras) in the virtual
environment. Run as root, the PostgreSQL processes and PgBouncer run as the `postgres`
OS user; as anyone else, as that user. Everything lives under var/stack/ (git-ignored):
the clusters, the sockets, the generated configurations, GENXI_HOME, the logs
(var/stack/log/, kept by `down`) and state.json (what runs, with its process ids, and
the generated secrets).

The ports (STACK_PORTS, e.g. "primary=5440,replica=5441"): PostgreSQL primary 5440,
replica 5441, PgBouncer 6432, Redis 6380, S3 9000, app nodes 8101 and 8102, nginx 8100
(HTTP only: TLS is nginx's ordinary business and not what this measures).

The load (`load`): client threads in this process, each with its own keep-alive connection
to nginx, pick a kind of request by the weights of a city's day (kinds_for) until the time is
up: intake over the API with tokens, the queues and case lists of a street admin and a grid
worker (logged-in sessions), dashboards, and the public transparency pages and open data.
It reports per kind the requests, errors, p50/p95/p99, and the overall rate; then checks
that the replica caught up with the intake (the count of cases on 5441 equals the primary's)
and counts the reads the replica served and the objects in the S3 bucket. The result goes
to bench/results/stack.json with the date, commit and load average.
"""

from __future__ import annotations

import argparse
import configparser
import http.client
import io
import json
import os
import random
import re
import secrets
import shutil
import signal
import statistics
import sys
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # also when loaded by the tests
import ops_procs  # noqa: E402
from ops_procs import (  # noqa: E402
    BIN,
    DEPLOY,
    PgCluster,
    as_postgres,
    give_to_postgres,
    gunicorn_argv,
    http_status,
    nginx_argv,
    nginx_check,
    nginx_site,
    port_open,
    redis_argv,
    redis_ping,
    run,
    spawn,
    stop_pid,
    wait_for,
)

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "stack"
LOG = VAR / "log"
STATE = VAR / "state.json"
PG_BIN = Path(os.environ.get("STACK_PG_BIN", "/usr/lib/postgresql/15/bin"))

DEFAULT_PORTS = {
    "primary": 5440,
    "replica": 5441,
    "pgbouncer": 6432,
    "redis": 6380,
    "s3": 9000,
    "node1": 8101,
    "node2": 8102,
    "nginx": 8100,
}
DATABASE = "genxi"
OWNER, APP, REPLICATOR = "genxi", "genxi_app", "replicator"
BUCKET = "genxi-stack"
# The demo's people (genxi demo_logins): a street admin and a grid worker of its street,
# and the places the load looks at. A city (`--cases`) has its own (CITY_PEOPLE).
PASSWORD = "Genxi@2026"
DEMO_PEOPLE = {
    "street_admin": "jinchang",
    "grid_worker": "gridworker",
    "street": "320508012000",
    "community": "320508012001",
    "grid": "320508012001001",
}
# The city loader's accounts (genxi.demo.city.loader.USERS): each one's place is read from
# its membership once the city is loaded.
CITY_PEOPLE = {"street_admin": "street", "community_worker": "community", "grid_worker": "grid"}
# What a city's PostgreSQL gets beside primary_conf: a quarter of this machine's memory
# would be 6 GB; 1 GB keeps the primary and the replica well inside it.
CITY_CONF = """
shared_buffers = 1GB
max_wal_size = 8GB
"""


def ports() -> dict[str, int]:
    chosen = dict(DEFAULT_PORTS)
    for item in filter(None, os.environ.get("STACK_PORTS", "").split(",")):
        name, _, value = item.partition("=")
        if name.strip() not in chosen:
            raise SystemExit(f"STACK_PORTS: unknown name {name!r} (one of {', '.join(chosen)})")
        chosen[name.strip()] = int(value)
    return chosen


# The generated configurations (unit-tested: core/tests/test_stack_script.py) ---------------


def nginx_main(*, site: Path, var: Path, log: Path) -> str:
    """The nginx.conf around the site: in the foreground, its files under var/stack."""
    return ops_procs.nginx_main(
        site=site,
        pid=var / "nginx.pid",
        error_log=log / "nginx-error.log",
        access_log=log / "nginx-access.log",
        log_format='$status $request_time $upstream_addr "$request"',
        temp=var / "tmp",
    )


# Used when the checkout ships no deploy/pgbouncer/pgbouncer.ini to derive from.
PGBOUNCER_FALLBACK = """[databases]
genxi = host=127.0.0.1 port=5432 dbname=genxi
genxi_replica = host=127.0.0.1 port=5432 dbname=genxi

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = 6432
auth_type = scram-sha-256
auth_file = /etc/pgbouncer/userlist.txt
pool_mode = transaction
max_client_conn = 500
default_pool_size = 20
ignore_startup_parameters = extra_float_digits
"""


def pgbouncer_ini(template: str, *, listen: int, primary: int, replica: int, var: Path) -> str:
    """The shipped deploy/pgbouncer/pgbouncer.ini (or PGBOUNCER_FALLBACK) made into the
    test's: its databases on our primary and replica, its port, its files under `var`, the
    log on stderr (log/pgbouncer.log); the pooling settings are the shipped file's."""
    ini = configparser.ConfigParser(interpolation=None)
    ini.read_string(template)
    if ini["pgbouncer"].get("pool_mode") != "transaction":
        raise ValueError("deploy/pgbouncer/pgbouncer.ini no longer pools by transaction")
    ini["databases"] = {
        DATABASE: f"host=127.0.0.1 port={primary} dbname={DATABASE}",
        f"{DATABASE}_replica": f"host=127.0.0.1 port={replica} dbname={DATABASE}",
    }
    bouncer = ini["pgbouncer"]
    bouncer.pop("logfile", None)
    bouncer.update(
        {
            "listen_addr": "127.0.0.1",
            "listen_port": str(listen),
            "unix_socket_dir": "",
            "auth_file": f"{var}/userlist.txt",
            "pidfile": f"{var}/pgbouncer.pid",
        }
    )
    out = io.StringIO()
    ini.write(out)
    return out.getvalue()


def userlist(passwords: dict[str, str]) -> str:
    return "".join(f'"{role}" "{password}"\n' for role, password in passwords.items())


def primary_conf(*, port: int, sockets: Path) -> str:
    return f"""
# genxi stack (scripts/stack.py)
listen_addresses = '127.0.0.1'
port = {port}
unix_socket_directories = '{sockets}'
wal_level = replica
max_wal_senders = 5
hot_standby = on
max_connections = 150
shared_buffers = 64MB
"""


# Processes -----------------------------------------------------------------------------------


def load_state() -> dict:
    return json.loads(STATE.read_text()) if STATE.exists() else {}


def save_state(state: dict) -> None:
    STATE.write_text(json.dumps(state, indent=2))
    STATE.chmod(0o600)


def start(state: dict, name: str, argv: list, **kwargs) -> None:
    """Start a long-running process in its own session, its output in log/NAME.log, and
    record its pid (and its program, so that `down` never signals a reused pid)."""
    process = spawn(argv, log=LOG / f"{name}.log", **kwargs)
    state.setdefault("processes", []).append(
        {"name": name, "pid": process.pid, "program": Path(str(argv[0])).name}
    )
    save_state(state)


def psql(url: str, sql: str) -> str:
    return run(["psql", url, "-qXtAc", sql], what=f"psql {sql[:60]!r}").strip()


def pg_url(role: str, password: str, port: int, database: str = DATABASE) -> str:
    return f"postgres://{role}:{password}@127.0.0.1:{port}/{database}"


# up ------------------------------------------------------------------------------------------


def needs() -> None:
    missing = [
        hint
        for present, hint in (
            (
                (PG_BIN / "initdb").exists(),
                f"PostgreSQL 15 in {PG_BIN} (apt-get install postgresql)",
            ),
            (shutil.which("psql"), "psql (apt-get install postgresql-client)"),
            (shutil.which("pgbouncer"), "pgbouncer (apt-get install pgbouncer)"),
            (shutil.which("redis-server"), "redis-server (apt-get install redis-server)"),
            (shutil.which("nginx"), "nginx (apt-get install nginx)"),
            (
                (BIN / "moto_server").exists(),
                f"moto_server in {BIN} (make install: the dev extras pin moto and flask)",
            ),
            ((BIN / "gunicorn").exists(), f"gunicorn in {BIN}"),
        )
        if not present
    ]
    if missing:
        raise SystemExit("The stack needs: " + "; ".join(missing))


def app_env(state: dict) -> dict:
    """The production settings' environment of every genxi process (deploy/genxi.env.example),
    with the replica, the pooler and S3 named for the settings that read them."""
    p, s = state["ports"], state["secrets"]
    return {
        **{
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DATABASE_", "GENXI_", "DJANGO_"))
        },
        "DJANGO_SETTINGS_MODULE": "genxi.config.settings.prod",
        "PYTHONPATH": str(ROOT / "src"),
        "GENXI_HOME": str(VAR / "home"),
        "SECRET_KEY": s["secret_key"],
        "GENXI_FIELD_KEY": s["field_key"],
        "GENXI_INDEX_KEY": s["index_key"],
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CSRF_TRUSTED_ORIGINS": f"http://127.0.0.1:{p['nginx']}",
        "SECURE_SSL_REDIRECT": "false",  # HTTP only for the test (nginx on its port)
        "DATABASE_URL": pg_url(APP, s[APP], p["pgbouncer"]),
        "CONN_MAX_AGE": "60",
        # Both through PgBouncer, as deploy/genxi.env.example has them.
        "DATABASE_REPLICA_URL": pg_url(APP, s[APP], p["pgbouncer"], f"{DATABASE}_replica"),
        "GENXI_REPLICA_MAX_LAG": "5",
        "GENXI_DB_POOLER": "pgbouncer",
        "REDIS_URL": f"redis://127.0.0.1:{p['redis']}/0",
        "GENXI_S3_BUCKET": BUCKET,
        "GENXI_S3_ENDPOINT_URL": f"http://127.0.0.1:{p['s3']}",
        "GENXI_S3_ACCESS_KEY": "stack",
        "GENXI_S3_SECRET_KEY": s["s3"],
        "GENXI_S3_REGION": "us-east-1",
        "GENXI_TRUSTED_PROXIES": "127.0.0.1",
        "GENXI_LOG_FORMAT": "json",
        "GENXI_REQUEST_LOG_LEVEL": "WARNING",  # one line per request would be the load's
    }


def genxi(*args: str, env: dict) -> str:
    return run([BIN / "genxi", *args], env=env, what=f"genxi {' '.join(args)}", cwd=ROOT)


def up(args) -> None:
    """Start the set; on a failure, stop what started (the logs stay in var/stack/log)."""
    try:
        start_all(args)
    except BaseException:
        print("Starting failed: tearing down what started (logs in var/stack/log)")
        down(args)
        raise


def make_replica(state: dict, *, primary_super: str) -> None:
    """The streaming replica: a base backup of the primary as it is now (-R: it follows)."""
    p, s = state["ports"], state["secrets"]
    pg = VAR / "pg"
    as_pg = as_postgres()
    replica = PgCluster(
        pg / "replica", p["replica"], log=LOG / "postgres-replica.log", pg_bin=PG_BIN
    )
    print(f"PostgreSQL replica on {p['replica']} (pg_basebackup -R, streaming)")
    run(
        [
            PG_BIN / "pg_basebackup",
            "-D",
            pg / "replica",
            "-R",
            "-X",
            "stream",
            "-c",
            "fast",
            "-d",
            f"host=127.0.0.1 port={p['primary']} user={REPLICATOR} password={s[REPLICATOR]}",
        ],
        what="pg_basebackup",
        cwd=pg,
        **as_pg,
    )
    with open(pg / "replica" / "postgresql.conf", "a") as conf:
        conf.write(f"port = {p['replica']}\n")
    replica.start()
    replica_super = pg_url("postgres", s["postgres"], p["replica"], "postgres")
    wait_for("the replica", lambda: psql(replica_super, "SELECT pg_is_in_recovery()") == "t")
    wait_for(
        "streaming",
        lambda: (
            psql(
                primary_super, "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'"
            )
            == "1"
        ),
    )


def city_people(url: str) -> dict[str, str]:
    """The city's street admin and grid worker, and the places the load looks at: the
    street admin's street, the community worker's community and the grid worker's grid
    (the loader gives each the first place of its level: the grid in the community in the
    street)."""
    people = {
        "street_admin": CITY_PEOPLE["street_admin"],
        "grid_worker": CITY_PEOPLE["grid_worker"],
    }
    for place, username in (
        ("street", CITY_PEOPLE["street_admin"]),
        ("community", CITY_PEOPLE["community_worker"]),
        ("grid", CITY_PEOPLE["grid_worker"]),
    ):
        people[place] = psql(
            url,
            "SELECT r.code FROM people_membership m JOIN people_user u ON u.id = m.user_id"
            " JOIN regions_region r ON r.id = m.region_id"
            f" WHERE m.active AND u.username = '{username}' ORDER BY m.id LIMIT 1",
        )
        if not people[place]:
            raise SystemExit(f"the city has no place for {username}")
    return people


def start_all(args) -> None:
    needs()
    state = load_state()
    if state.get("processes") or state.get("postgres"):
        print("A set from an earlier run is recorded in var/stack/state.json: stopping it first")
        down(args)
    p = ports()
    busy = [f"{name} {port}" for name, port in p.items() if port_open(port)]
    if busy:
        raise SystemExit(f"Ports in use: {', '.join(busy)} (STACK_PORTS chooses others)")
    if LOG.exists():  # the last run's logs stay beside, for its post-mortem
        shutil.rmtree(VAR.parent / "stack-log.previous", ignore_errors=True)
        LOG.rename(VAR.parent / "stack-log.previous")
    shutil.rmtree(VAR, ignore_errors=True)
    for d in (LOG, VAR / "home", VAR / "nginx" / "tmp", VAR / "redis", VAR / "pg" / "run"):
        d.mkdir(parents=True, exist_ok=True)
    (VAR / "nginx" / "tmp").chmod(0o1777)  # nginx's workers (nobody) buffer there
    from cryptography.fernet import Fernet

    city = bool(getattr(args, "cases", 0))
    state: dict = {
        "ports": p,
        "data": f"city, {args.cases:,} cases" if city else "demo",
        "started_at": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
        "secrets": {
            "secret_key": secrets.token_urlsafe(64),
            "field_key": Fernet.generate_key().decode(),
            "index_key": Fernet.generate_key().decode(),
            "s3": secrets.token_urlsafe(24),
            **{role: secrets.token_urlsafe(18) for role in ("postgres", OWNER, APP, REPLICATOR)},
        },
    }
    save_state(state)
    s = state["secrets"]
    began = time.monotonic()
    as_pg = as_postgres()
    pg = VAR / "pg"
    give_to_postgres(pg, pg / "run", LOG)
    primary = PgCluster(
        pg / "primary", p["primary"], log=LOG / "postgres-primary.log", pg_bin=PG_BIN
    )
    print(f"PostgreSQL primary on {p['primary']}")
    pwfile = pg / "pwfile"
    pwfile.write_text(s["postgres"] + "\n")
    give_to_postgres(pwfile)
    pwfile.chmod(0o600)
    primary.initdb(
        "--auth=scram-sha-256",
        f"--pwfile={pwfile}",
        conf=primary_conf(port=p["primary"], sockets=pg / "run") + (CITY_CONF if city else ""),
    )
    pwfile.unlink()
    primary.start()
    state["postgres"] = ["replica", "primary"]  # stopped in this order
    save_state(state)
    superuser = pg_url("postgres", s["postgres"], p["primary"], "postgres")
    psql(superuser, f"CREATE ROLE {REPLICATOR} REPLICATION LOGIN PASSWORD '{s[REPLICATOR]}'")
    psql(superuser, f"CREATE ROLE {OWNER} LOGIN PASSWORD '{s[OWNER]}'")
    psql(superuser, f"CREATE ROLE {APP} LOGIN PASSWORD '{s[APP]}'")  # the DBA makes it
    psql(superuser, f"CREATE DATABASE {DATABASE} OWNER {OWNER}")

    if not city:  # made now, it streams the demo's load too
        make_replica(state, primary_super=superuser)

    print(f"PgBouncer on {p['pgbouncer']} (transaction pooling)")
    bouncer = pg / "pgbouncer"
    bouncer.mkdir()
    (bouncer / "userlist.txt").write_text(userlist({APP: s[APP], OWNER: s[OWNER]}))
    (bouncer / "pgbouncer.ini").write_text(
        pgbouncer_ini(
            shipped.read_text()
            if (shipped := DEPLOY / "pgbouncer" / "pgbouncer.ini").exists()
            else PGBOUNCER_FALLBACK,
            listen=p["pgbouncer"],
            primary=p["primary"],
            replica=p["replica"],
            var=bouncer,
        )
    )
    (bouncer / "userlist.txt").chmod(0o600)
    give_to_postgres(bouncer, bouncer / "userlist.txt", bouncer / "pgbouncer.ini")
    start(
        state, "pgbouncer", ["/usr/sbin/pgbouncer", bouncer / "pgbouncer.ini"], cwd=bouncer, **as_pg
    )
    wait_for("PgBouncer", lambda: port_open(p["pgbouncer"]), 30)

    print(f"Redis on {p['redis']} (no persistence)")
    start(state, "redis", redis_argv(p["redis"], VAR / "redis"))
    wait_for("Redis", lambda: redis_ping(p["redis"]), 30)

    print(f"S3 stand-in (moto) on {p['s3']}, bucket {BUCKET}")
    start(state, "moto", [BIN / "moto_server", "-H", "127.0.0.1", "-p", p["s3"]])
    wait_for("moto", lambda: http_status(p["s3"], "/") == 200, 60)
    s3_request(p["s3"], "PUT", f"/{BUCKET}")

    env = app_env(state)
    print("Migrations as the owner, then the demo data, collectstatic and tokens as the app role")
    genxi(
        "migrate",
        "--no-input",
        env={**env, "DATABASE_MIGRATE_URL": pg_url(OWNER, s[OWNER], p["primary"])},
    )
    if city:
        # As the owner, straight to the primary: the loader drops and rebuilds the indexes.
        owner = pg_url(OWNER, s[OWNER], p["primary"])
        print(f"A city of {args.cases:,} cases (genxi load_demo --scale city), as the owner")
        genxi(
            "load_demo",
            "--scale",
            "city",
            "--cases",
            str(args.cases),
            env={**env, "DATABASE_URL": owner},
        )
        state["people"] = city_people(pg_url("postgres", s["postgres"], p["primary"]))
        make_replica(state, primary_super=superuser)
    else:
        genxi("load_demo", env=env)
        state["people"] = DEMO_PEOPLE
    save_state(state)
    genxi("collectstatic", "--no-input", "--verbosity", "0", env=env)
    state["tokens"] = [
        genxi("token", "create", state["people"]["grid_worker"], "--name", f"stack {i}", env=env)
        .strip()
        .splitlines()[-1]
        for i in range(2)
    ]
    state["settings"] = settings_probe(env)
    save_state(state)

    print(f"Two app nodes on {p['node1']} and {p['node2']}, the worker, nginx on {p['nginx']}")
    for node in ("node1", "node2"):
        metrics = VAR / "prometheus" / node
        metrics.mkdir(parents=True)
        start(
            state,
            node,
            gunicorn_argv(),
            env={
                **env,
                "GENXI_BIND": f"127.0.0.1:{p[node]}",
                "GENXI_WEB_WORKERS": "2",
                "PROMETHEUS_MULTIPROC_DIR": str(metrics),
            },
            cwd=ROOT,
        )
    start(state, "worker", [BIN / "genxi", "worker", "--interval", "1"], env=env, cwd=ROOT)
    site = VAR / "nginx" / "genxi.conf"
    site.write_text(
        nginx_site(
            (DEPLOY / "nginx" / "genxi.conf").read_text(),
            nodes=[p["node1"], p["node2"]],
            listen=p["nginx"],
            static_root=VAR / "home" / "var" / "static",
            proxy=DEPLOY / "nginx" / "genxi_proxy.conf",
        )
    )
    main_conf = VAR / "nginx" / "nginx.conf"
    main_conf.write_text(nginx_main(site=site, var=VAR / "nginx", log=LOG))
    nginx_check(main_conf)
    start(state, "nginx", nginx_argv(main_conf))

    for node in ("node1", "node2"):
        wait_for(f"{node} /readyz", lambda n=node: http_status(p[n], "/readyz") == 200, 180)
    wait_for("nginx /readyz", lambda: http_status(p["nginx"], "/readyz") == 200, 30)
    state["up_seconds"] = round(time.monotonic() - began, 1)
    save_state(state)
    print(f"Ready in {state['up_seconds']} s: http://127.0.0.1:{p['nginx']}/ (logs in {LOG})")
    print(f"Settings in effect: {json.dumps(state['settings'], ensure_ascii=False)}")


def s3_request(port: int, method: str, path: str) -> str:
    """moto does not check signatures: a bare request makes the bucket and lists it."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path)
        response = conn.getresponse()
        body = response.read().decode()
        if response.status >= 300:
            raise SystemExit(f"S3 {method} {path}: {response.status} {body[:300]}")
        return body
    finally:
        conn.close()


def s3_objects(port: int) -> int:
    body = s3_request(port, "GET", f"/{BUCKET}?list-type=2&max-keys=1000")
    return len(re.findall(r"<Key>", body))


def settings_probe(env: dict) -> dict:
    """What the running code makes of the environment: whether it knows a replica, a pooler
    and S3 (the settings other branches add), so that the result says what was measured."""
    code = (
        "import json; from django.conf import settings as s;"
        "d = s.DATABASES; st = getattr(s, 'STORAGES', {}).get('default', {});"
        "print(json.dumps({'databases': sorted(d),"
        " 'server_side_cursors_off': bool(d['default'].get('DISABLE_SERVER_SIDE_CURSORS')),"
        " 'database_routers': list(getattr(s, 'DATABASE_ROUTERS', [])),"
        " 'default_storage': st.get('BACKEND', ''),"
        " 'cache': s.CACHES['default']['BACKEND']}))"
    )
    return json.loads(genxi("shell", "-v", "0", "-c", code, env=env).strip().splitlines()[-1])


# down ----------------------------------------------------------------------------------------


def down(args) -> None:  # noqa: ARG001 - every subcommand takes its arguments
    state = load_state()
    for entry in reversed(state.get("processes", [])):
        print(f"Stopping {entry['name']} (pid {entry['pid']})")
        stop_pid(entry["name"], entry["pid"], entry["program"])
    for name in state.get("postgres", []):
        cluster = PgCluster(VAR / "pg" / name, 0, log=LOG / f"postgres-{name}.log", pg_bin=PG_BIN)
        if cluster.running():
            print(f"Stopping PostgreSQL {name}")
            cluster.stop("fast")
    # Everything but the logs (for a failure's post-mortem).
    if VAR.exists():
        for child in VAR.iterdir():
            if child != LOG:
                shutil.rmtree(child) if child.is_dir() else child.unlink()


# load ----------------------------------------------------------------------------------------


# A city's day through nginx, by weight (out of 100): what each kind requests. `{case}` is
# one of the street's case codes, chosen per request. Each URL must answer 200 (201 for
# intake) for the user named; anything else counts as an error.
def kinds_for(people: dict[str, str]) -> dict[str, dict]:
    """The kinds of request for the set's people and places (DEMO_PEOPLE, or a city's)."""
    street_admin, grid_worker = people["street_admin"], people["grid_worker"]
    street, community, grid = people["street"], people["community"], people["grid"]
    return {
        "intake": {"weight": 10, "who": "token"},
        "queues": {
            "weight": 40,
            "urls": [
                (street_admin, "/cases/"),
                (street_admin, "/cases/?queue=dispatch"),
                (street_admin, "/cases/?queue=overdue"),
                (street_admin, "/cases/?q=楼道"),
                (street_admin, "/api/v1/cases?queue=all"),
                (street_admin, "/cases/{case}/"),
                (grid_worker, "/cases/"),
                (grid_worker, "/cases/?queue=mine"),
                (grid_worker, "/api/v1/cases?queue=mine"),
                (grid_worker, "/inbox/"),
            ],
        },
        "dashboards": {
            "weight": 15,
            "urls": [
                (street_admin, f"/dashboards/{street}/"),
                (street_admin, f"/dashboards/{street}/points.json"),
                (street_admin, f"/dashboards/{community}/?days=30"),
                (street_admin, "/cases/metrics/"),
                (grid_worker, f"/dashboards/{grid}/"),
            ],
        },
        "public": {
            "weight": 35,
            "urls": [
                (None, "/open/"),
                (None, f"/open/{street}/"),
                (None, f"/open/{community}/"),
                (None, f"/open/{street}/data.json"),
                (None, f"/open/{street}/data.csv"),
                (None, "/s/"),
            ],
        },
    }


INTAKE_TEXTS = [
    "彩香新村5幢楼道里堆满了纸板和旧家具",
    "小区门口路灯不亮已经三天了",
    "楼下垃圾桶满了没人清运",
    "电动车在楼道充电,有安全隐患",
    "绿化带里的树枝被风吹断挡住了人行道",
    "下水道堵了,雨天积水很深",
]


class Client:
    """One keep-alive connection to nginx and the cookies of the sessions it uses."""

    def __init__(self, port: int):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method: str, path: str, *, body: bytes | None = None, headers=None):
        try:
            self.conn.request(method, path, body=body, headers=headers or {})
            response = self.conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            raise
        return response, data


def cookies_of(response) -> dict[str, str]:
    found = {}
    for header, value in response.getheaders():
        if header.lower() == "set-cookie":
            name, _, rest = value.partition("=")
            found[name.strip()] = rest.split(";", 1)[0]
    return found


def login(port: int, username: str) -> str:
    """Log in through nginx as the login form does; the Cookie header of the session."""
    client = Client(port)
    response, page = client.request("GET", "/accounts/login/")
    jar = cookies_of(response)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if response.status != 200 or not token:
        raise SystemExit(f"login page: {response.status}")
    form = urllib.parse.urlencode(
        {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1).decode()}
    ).encode()
    cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
    response, _ = client.request(
        "POST",
        "/accounts/login/",
        body=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie,
            "Referer": f"http://127.0.0.1:{port}/accounts/login/",
        },
    )
    jar.update(cookies_of(response))
    if response.status != 302 or "sessionid" not in jar:
        raise SystemExit(f"login as {username}: {response.status}, no session")
    if "/accounts/" in (response.getheader("Location") or ""):
        raise SystemExit(f"login as {username} goes to {response.getheader('Location')}")
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def replica_reads(url: str) -> int:
    """Rows the replica's genxi database has returned and fetched so far (pg_stat_database)."""
    return int(
        psql(
            url,
            f"SELECT tup_returned + tup_fetched FROM pg_stat_database WHERE datname = '{DATABASE}'",
        )
    )


def load(args) -> int:
    state = load_state()
    if not state.get("up_seconds"):
        raise SystemExit("No set is up (scripts/stack.py up)")
    p, s = state["ports"], state["secrets"]
    primary = pg_url("postgres", s["postgres"], p["primary"])
    replica = pg_url("postgres", s["postgres"], p["replica"])
    people = state.get("people", DEMO_PEOPLE)
    street_admin, grid_worker = people["street_admin"], people["grid_worker"]
    weighted = kinds_for(people)
    sessions = {user: login(p["nginx"], user) for user in (street_admin, grid_worker)}
    # The street's case codes, for the case pages.
    response, data = Client(p["nginx"]).request(
        "GET", "/api/v1/cases?queue=all&page_size=100", headers={"Cookie": sessions[street_admin]}
    )
    items = json.loads(data)["items"] if response.status == 200 else []
    codes = [c["code"] for c in items]
    # Intake at the places of the street's cases: each point lies in one of its grids.
    points = [(c["lat"], c["lon"]) for c in items if c.get("lat") and c.get("lon")]
    if not codes:
        raise SystemExit(f"no case codes from /api/v1/cases: {response.status} {data[:200]!r}")
    cases_before = int(psql(primary, "SELECT count(*) FROM cases_case"))
    reads_before = replica_reads(replica)
    s3_before = s3_objects(p["s3"])

    kinds = list(weighted)
    weights = [weighted[k]["weight"] for k in kinds]
    samples: dict[str, list[float]] = {k: [] for k in kinds}
    errors: dict[str, Counter] = {k: Counter() for k in kinds}
    samples_of_errors: dict[str, str] = {}  # the first answer of each kind and status
    lock = threading.Lock()
    stop_at = time.monotonic() + args.seconds

    def intake(client: Client, rng: random.Random):
        lat, lon = rng.choice(points)
        body = json.dumps(
            {
                "text": rng.choice(INTAKE_TEXTS),
                "lat": lat,
                "lon": lon,
                "channel": "api",
            }
        ).encode()
        headers = {
            "Content-Type": "application/json",
            "Authorization": f"Bearer {rng.choice(state['tokens'])}",
            "Idempotency-Key": secrets.token_hex(16),
        }
        return client.request("POST", "/api/v1/cases", body=body, headers=headers), 201

    def page(kind: str, client: Client, rng: random.Random, resident: str):
        user, url = rng.choice(weighted[kind]["urls"])
        # Residents come from many addresses (nginx appends to X-Forwarded-For; genxi trusts
        # only its proxy, 127.0.0.1, so each thread is one resident for the rate limits).
        headers = {"Cookie": sessions[user]} if user else {"X-Forwarded-For": resident}
        path = urllib.parse.quote(url.format(case=rng.choice(codes)), safe="/?=&")
        return client.request("GET", path, headers=headers), 200

    def worker(n: int):
        rng = random.Random(n)
        client = Client(p["nginx"])
        resident = f"10.{n // 250}.{n % 250}.{rng.randrange(1, 250)}"
        mine = {k: [] for k in kinds}
        bad = {k: Counter() for k in kinds}
        while time.monotonic() < stop_at:
            kind = rng.choices(kinds, weights)[0]
            started = time.perf_counter()
            try:
                if kind == "intake":
                    (response, body), expected = intake(client, rng)
                else:
                    (response, body), expected = page(kind, client, rng, resident)
            except Exception as exc:  # noqa: BLE001 - counted, and the client goes on
                bad[kind][type(exc).__name__] += 1
                continue
            elapsed = time.perf_counter() - started
            mine[kind].append(elapsed)
            if response.status != expected:
                bad[kind][str(response.status)] += 1
                samples_of_errors.setdefault(
                    f"{kind} {response.status}", body[:300].decode(errors="replace")
                )
        with lock:
            for k in kinds:
                samples[k].extend(mine[k])
                errors[k].update(bad[k])

    load_before = os.getloadavg()
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(args.clients)]
    began = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - began
    load_after = os.getloadavg()
    read_on_replica = replica_reads(replica) - reads_before  # before the checks below read

    per_kind = {}
    for k in kinds:
        lat = samples[k]
        failed = sum(errors[k].values())
        per_kind[k] = {
            "weight": weighted[k]["weight"],
            "requests": len(lat) + sum(v for e, v in errors[k].items() if not e.isdigit()),
            "errors": failed,
            "errors_by_status": dict(errors[k]),
            "p50_ms": round(percentile(lat, 0.50) * 1000, 1),
            "p95_ms": round(percentile(lat, 0.95) * 1000, 1),
            "p99_ms": round(percentile(lat, 0.99) * 1000, 1),
            "mean_ms": round(statistics.fmean(lat) * 1000, 1) if lat else 0.0,
        }
    total = sum(v["requests"] for v in per_kind.values())
    total_errors = sum(v["errors"] for v in per_kind.values())
    created = len(samples["intake"]) - sum(
        v for e, v in errors["intake"].items() if e.isdigit()
    )  # answered 201

    # The replica: every case the primary holds (the intake's too) arrives on 5441.
    cases_primary = int(psql(primary, "SELECT count(*) FROM cases_case"))
    waited = time.monotonic()
    caught_up = False
    cases_replica = -1
    while time.monotonic() - waited < 60:
        cases_replica = int(psql(replica, "SELECT count(*) FROM cases_case"))
        if cases_replica == cases_primary:
            caught_up = True
            break
        time.sleep(0.2)
    catch_up_s = round(time.monotonic() - waited, 2)
    lag = psql(
        primary, "SELECT coalesce(max(extract(epoch FROM replay_lag)), 0) FROM pg_stat_replication"
    )
    tasks = task_counts(primary)
    nodes = upstream_split(LOG / "nginx-access.log")

    result = {
        "what": "the whole set on one machine (scripts/stack.py): nginx → 2 gunicorn nodes "
        "(2 sync workers each, production settings) → PgBouncer (transaction) → PostgreSQL 15 "
        "primary, a streaming replica, Redis, moto S3, one worker; a mixed day through nginx",
        "clients": args.clients,
        "seconds": round(elapsed, 1),
        "requests": total,
        "errors": total_errors,
        "throughput_rps": round(total / elapsed, 1),
        "kinds": per_kind,
        "first_error_answers": samples_of_errors,
        "intake_created": created,
        "cases_new_on_primary": cases_primary - cases_before,
        "replica": {
            "caught_up": caught_up,
            "cases_primary": cases_primary,
            "cases_replica": cases_replica,
            "catch_up_seconds_after_load": catch_up_s,
            "replay_lag_seconds_at_end": float(lag or 0),
            "rows_read_on_replica_during_load": read_on_replica,
        },
        "s3_objects": {"before": s3_before, "after": s3_objects(p["s3"])},
        "tasks_by_status_at_end": tasks,
        "nginx_upstreams": nodes,
        "data": state.get("data", "demo"),
        "people": people,
        "settings_in_effect": state.get("settings", {}),
        "up_seconds": state["up_seconds"],
        "load_average_before_and_after": [
            [round(x, 2) for x in load_before],
            [round(x, 2) for x in load_after],
        ],
    }
    print(json.dumps(result, indent=2, ensure_ascii=False))
    if not args.no_write:
        sys.path.insert(0, str(ROOT / "bench"))
        from benchcommon import write_result

        print(f"Written to {write_result('stack', result)}")
    problems = []
    if not caught_up:
        problems.append(f"the replica has {cases_replica} cases, the primary {cases_primary}")
    if created != cases_primary - cases_before:
        problems.append(
            f"{created} intakes answered 201 but {cases_primary - cases_before} cases are new"
        )
    if total_errors > 0.01 * max(total, 1):
        problems.append(f"{total_errors} errors in {total} requests")
    for problem in problems:
        print(f"FAILED: {problem}")
    return 1 if problems else 0


def task_counts(url: str) -> dict:
    try:
        rows = psql(
            url, "SELECT status, count(*) FROM django_tasks_database_dbtaskresult GROUP BY status"
        )
    except SystemExit:
        return {}
    return {line.split("|")[0]: int(line.split("|")[1]) for line in rows.splitlines() if line}


def upstream_split(access_log: Path) -> dict:
    """How many requests nginx sent to each app node (its access log's $upstream_addr)."""
    counts: Counter = Counter()
    if access_log.exists():
        for line in access_log.read_text().splitlines():
            parts = line.split(" ", 3)
            if len(parts) > 2:
                counts[parts[2]] += 1
    return dict(counts)


# all -----------------------------------------------------------------------------------------


def everything(args) -> int:
    def terminated(signum, frame):  # noqa: ARG001 - a signal handler's signature
        raise SystemExit(f"signal {signum}")

    signal.signal(signal.SIGTERM, terminated)
    try:
        up(args)
        return load(args)
    finally:
        print("Tearing down")
        down(args)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("up", "load", "down", "all"):
        command = sub.add_parser(name)
        if name in ("up", "all"):
            command.add_argument(
                "--cases",
                type=int,
                default=0,
                help="load a synthetic city with this many cases instead of the demo",
            )
        if name in ("load", "all"):
            command.add_argument("--clients", type=int, default=8, help="client threads")
            command.add_argument("--seconds", type=float, default=60, help="length of the load")
            command.add_argument("--no-write", action="store_true", help="no bench/results file")
    args = parser.parse_args()
    action = {"up": up, "load": load, "down": down, "all": everything}[args.command]
    sys.exit(action(args) or 0)


if __name__ == "__main__":
    main()
