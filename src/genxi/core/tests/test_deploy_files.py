"""The shipped deployment (deploy/, docs/deploy.md) refers to real things: the commands its
units run exist, the metrics its dashboard and alerts read are the ones /metrics exposes,
gunicorn's configuration loads, and nginx accepts its configuration where nginx is here."""

import json
import re
import runpy
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from django.core.cache import cache
from django.core.management import get_commands

DEPLOY = Path(__file__).resolve().parents[4] / "deploy"


def _exposed_metrics(client) -> set[str]:
    cache.clear()
    client.get("/healthz")
    client.get("/accounts/login/")
    text = client.get("/metrics", REMOTE_ADDR="127.0.0.1").content.decode()
    return {
        m.group(1) for m in re.finditer(r"^(genxi_\w+?)(?:_bucket|_count|_sum)?[{ ]", text, re.M)
    }


def test_the_units_run_commands_that_exist():
    commands = set(get_commands())
    for unit in (DEPLOY / "systemd").glob("*.service"):
        for line in unit.read_text().splitlines():
            if line.startswith("ExecStart=") and "/bin/genxi " in line:
                command = line.split("/bin/genxi ", 1)[1].split()[0]
                assert command in commands, f"{unit.name}: genxi {command}"
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    for name, service in compose["services"].items():
        command = service.get("command")
        if isinstance(command, list) and command[0] == "genxi":
            assert command[1] in commands, f"compose {name}: genxi {command[1]}"


def test_the_dashboard_and_the_alerts_read_metrics_genxi_exposes(client, db):
    exposed = _exposed_metrics(client)
    assert {"genxi_http_request_duration_seconds", "genxi_task_queue_depth"} <= exposed
    dashboard = json.loads((DEPLOY / "grafana" / "genxi-dashboard.json").read_text())
    exprs = [t["expr"] for p in dashboard["panels"] for t in p["targets"]]
    alerts = yaml.safe_load((DEPLOY / "prometheus" / "genxi-alerts.yml").read_text())
    exprs += [r["expr"] for g in alerts["groups"] for r in g["rules"]]
    used = {
        m for e in exprs for m in re.findall(r"\b(genxi_[a-z_]+?)(?:_bucket|_count|_sum)?\b", e)
    }
    assert used and used <= exposed, used - exposed


def test_gunicorn_configuration_loads():
    config = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    assert config["workers"] >= 1 and config["accesslog"] is None
    assert callable(config["child_exit"])
    assert callable(config["post_worker_init"])  # the worker's warm-up (genxi.config.warmup)


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed here")
def test_nginx_accepts_the_configuration(tmp_path):
    ssl = tmp_path / "ssl"
    ssl.mkdir()
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=genxi.test", "-keyout", str(ssl / "privkey.pem"),
         "-out", str(ssl / "fullchain.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    site = (DEPLOY / "nginx" / "genxi.conf").read_text()
    site = site.replace("/etc/ssl/genxi/", f"{ssl}/").replace(
        "/etc/nginx/genxi_proxy.conf", str(DEPLOY / "nginx" / "genxi_proxy.conf")
    )
    (tmp_path / "genxi.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log;\n"
        f"events {{}}\nhttp {{ access_log off; include {tmp_path}/genxi.conf; }}\n"
    )
    result = subprocess.run(
        ["nginx", "-t", "-c", str(tmp_path / "nginx.conf")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_no_benchmark_shadows_a_standard_library_module():
    """`bench/` goes first on PYTHONPATH for the intake cross-check (decision 0024): a
    `bench/warnings.py` broke every `import warnings` in the process."""
    import sys

    names = {p.stem for p in (DEPLOY.parent / "bench").glob("*.py")}
    assert names, "bench/ has benchmarks"
    assert not names & set(sys.stdlib_module_names)


# ---- backups (deploy/backup, docs/operations.md) ----

BACKUP = DEPLOY / "backup"


def _exec_lines(unit: Path) -> list[list[str]]:
    return [
        line.split("=", 1)[1].split()
        for line in unit.read_text().splitlines()
        if re.match(r"Exec(Start|StartPre|StartPost)=", line)
    ]


def test_the_backup_units_run_what_exists():
    """pgbackrest commands it has, with a backup type it knows; our scripts under the name
    the units give them (/usr/local/bin/NAME is deploy/backup/NAME); each timer starts a
    service that is here."""
    ran = []
    for unit in BACKUP.glob("*.service"):
        for argv in _exec_lines(unit):
            ran.append(argv)
            if argv[0] == "/usr/bin/pgbackrest":
                command = [a for a in argv[1:] if not a.startswith("--")]
                assert len(command) == 1, f"{unit.name}: {argv}"
                if shutil.which("pgbackrest"):
                    help_ = subprocess.run(["pgbackrest", "help", command[0]], capture_output=True)
                    assert help_.returncode == 0, f"{unit.name}: pgbackrest {command[0]}"
            else:
                assert argv[0].startswith("/usr/local/bin/"), f"{unit.name}: {argv[0]}"
                script = BACKUP / argv[0].removeprefix("/usr/local/bin/")
                assert script.is_file() and script.stat().st_mode & 0o111, script
    assert any(a[0] == "/usr/bin/pgbackrest" and "backup" in a for a in ran)
    started = set()
    for timer in BACKUP.glob("*.timer"):
        unit = re.search(r"^Unit=(\S+)$", timer.read_text(), re.M)
        name = unit.group(1) if unit else timer.with_suffix(".service").name
        instance = re.fullmatch(r"(.+@)(.*)(\.service)", name)
        if instance:
            assert instance.group(2) in {"full", "diff", "incr"}, f"{timer.name}: --type={name}"
            name = instance.group(1) + instance.group(3)
        assert (BACKUP / name).is_file(), f"{timer.name} starts {name}, which is not here"
        started.add(unit.group(1) if unit else name)
    assert {"pgbackrest-backup@full.service", "pgbackrest-backup@diff.service"} <= started


def test_the_archive_command_pushes_to_the_configured_stanza():
    settings = (BACKUP / "postgresql-archiving.conf").read_text()
    command = re.search(r"^archive_command = '(.*)'$", settings, re.M).group(1)
    stanza = re.search(r"--stanza=(\S+)", command).group(1)
    assert f"\n[{stanza}]\n" in (BACKUP / "pgbackrest.conf").read_text()
    assert command.startswith("pgbackrest ") and command.endswith(" archive-push %p")
    for unit in BACKUP.glob("*.service"):
        for argv in _exec_lines(unit):
            assert f"--stanza={stanza}" in argv or argv[-1] == stanza, f"{unit.name}: {argv}"


def test_postgresql_knows_the_archiving_settings(db):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's settings are read from a PostgreSQL server")
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, vartype, enumvals FROM pg_settings")
        known = {name: (kind, enumvals) for name, kind, enumvals in cursor.fetchall()}
    settings = (BACKUP / "postgresql-archiving.conf").read_text()
    pairs = re.findall(r"^(\w+) = (.+?)\s*(?:#.*)?$", settings, re.M)
    assert {"wal_level", "archive_mode", "archive_command"} <= {k for k, _ in pairs}
    for name, value in pairs:
        assert name in known, f"PostgreSQL has no setting {name}"
        kind, enumvals = known[name]
        if kind == "enum":
            assert value in enumvals, f"{name} = {value}: not one of {enumvals}"


@pytest.mark.skipif(shutil.which("pgbackrest") is None, reason="pgbackrest is not installed here")
def test_pgbackrest_accepts_the_configuration():
    config = ["pgbackrest", f"--config={BACKUP / 'pgbackrest.conf'}", "--stanza=genxi"]
    result = subprocess.run([*config, "help", "backup"], capture_output=True, text=True)
    assert result.returncode == 0 and "invalid" not in result.stderr, result.stderr
    result = subprocess.run(
        [*config, "help", "backup", "repo1-retention-full"], capture_output=True, text=True
    )
    assert "current: 4" in result.stdout


_INFO = [
    {
        "name": "genxi",
        "status": {"code": 0, "message": "ok"},
        "repo": [{"key": 1, "status": {"code": 0}}, {"key": 2, "status": {"code": 99}}],
        "backup": [
            {"type": "full", "timestamp": {"start": 1764460800, "stop": 1764461100}, "error": False, "database": {"repo-key": 1}},
            {"type": "full", "timestamp": {"start": 1764461200, "stop": 1764461900}, "error": False, "database": {"repo-key": 2}},
            {"type": "diff", "timestamp": {"start": 1764547200, "stop": 1764547260}, "error": False, "database": {"repo-key": 1}},
            {"type": "diff", "timestamp": {"start": 1764633600, "stop": 1764633700}, "error": True, "database": {"repo-key": 1}},
        ],
    }
]  # fmt: skip


def _fake_commands(tmp_path, pgbackrest: str) -> dict[str, str]:
    import os

    bin_ = tmp_path / "bin"
    bin_.mkdir(parents=True)
    (bin_ / "pgbackrest").write_text(f"#!/bin/sh\n{pgbackrest}\n")
    (bin_ / "psql").write_text("#!/bin/sh\necho '1764633000 1764632000 3'\n")
    for tool in bin_.iterdir():
        tool.chmod(0o755)
    return {**os.environ, "PATH": f"{bin_}:{os.environ['PATH']}"}


def test_the_backup_metrics_feed_the_alerts(tmp_path):
    from prometheus_client.parser import text_string_to_metric_families

    (tmp_path / "info.json").write_text(json.dumps(_INFO))
    env = _fake_commands(tmp_path, f"cat {tmp_path / 'info.json'}")
    out = tmp_path / "pgbackrest.prom"
    script = BACKUP / "genxi-backup-metrics"
    subprocess.run([str(script), "genxi", str(out)], env=env, check=True)
    samples = {
        (s.name, s.labels.get("repo"), s.labels.get("type")): s.value
        for family in text_string_to_metric_families(out.read_text())
        for s in family.samples
    }
    assert samples[("pgbackrest_stanza_status", None, None)] == 0
    assert samples[("pgbackrest_repo_status", "2", None)] == 99
    assert samples[("pgbackrest_last_backup_timestamp_seconds", "1", "full")] == 1764461100
    assert samples[("pgbackrest_last_backup_timestamp_seconds", "2", "full")] == 1764461900
    # the diff with errors does not count as the latest; repository 2 has none
    assert samples[("pgbackrest_last_backup_timestamp_seconds", "1", "diff")] == 1764547260
    assert ("pgbackrest_last_backup_timestamp_seconds", "2", "diff") not in samples
    assert samples[("pgbackrest_backups", "1", None)] == 3
    assert samples[("pg_archiver_last_failed_timestamp_seconds", None, None)] == 1764632000
    assert samples[("pg_archiver_failed_total", None, None)] == 3
    alerts = yaml.safe_load((DEPLOY / "prometheus" / "genxi-alerts.yml").read_text())
    (group,) = [g for g in alerts["groups"] if g["name"] == "genxi-backups"]
    read = {
        m
        for rule in group["rules"]
        for m in re.findall(r"\b((?:pgbackrest|pg_archiver)_[a-z_]+)\b", rule["expr"])
    }
    produced = {name for name, _, _ in samples}
    assert read and read <= produced, read - produced

    # pgbackrest fails: the script fails and the previous file stays (it then ages).
    before = out.read_text()
    failing = "echo 'ERROR: [056]: unable to find primary' >&2; exit 56"
    env = _fake_commands(tmp_path / "broken", failing)
    result = subprocess.run([str(script), "genxi", str(out)], env=env, capture_output=True)
    assert result.returncode != 0 and out.read_text() == before
    left = [p.name for p in tmp_path.iterdir() if p.name.startswith("pgbackrest.prom")]
    assert left == [out.name]


def test_pgbouncer_pools_by_transaction_for_the_urls_the_environment_names():
    """deploy/pgbouncer/ (docs/deploy.md, "Read replica and PgBouncer"): transaction pooling,
    which the app is told by GENXI_DB_POOLER=pgbouncer; the example environment's database
    URLs name PgBouncer's port and one of its databases; its user list's users are quoted."""
    import configparser
    from urllib.parse import urlsplit

    ini = configparser.ConfigParser(inline_comment_prefixes=(";",), comment_prefixes=(";", "#"))
    ini.read_string((DEPLOY / "pgbouncer" / "pgbouncer.ini").read_text())
    bouncer = ini["pgbouncer"]
    assert bouncer["pool_mode"] == "transaction"
    databases = dict(ini["databases"])
    assert {"genxi", "genxi_replica"} <= set(databases)
    for name, spec in databases.items():
        fields = dict(part.split("=", 1) for part in spec.split())
        assert {"host", "port", "dbname"} <= set(fields), name
    assert Path(bouncer["auth_file"]).name == "userlist.txt"
    users = (DEPLOY / "pgbouncer" / "userlist.txt.example").read_text().splitlines()
    assert users and all(re.fullmatch(r'"[a-z_]+" "SCRAM-SHA-256\$[^"]+"', u) for u in users)
    env = dict(
        line.split("=", 1)
        for line in (DEPLOY / "genxi.env.example").read_text().splitlines()
        if "=" in line and not line.startswith("#")
    )
    assert env["GENXI_DB_POOLER"] == "pgbouncer"
    for name in ("DATABASE_URL", "DATABASE_REPLICA_URL"):
        url = urlsplit(env[name])
        assert url.port == int(bouncer["listen_port"]), name
        assert url.path.lstrip("/") in databases, name
    doc = (DEPLOY.parent / "docs" / "deploy.md").read_text()
    assert "deploy/pgbouncer/pgbouncer.ini" in doc and "GENXI_DB_POOLER" in doc


# ---- backups under Docker Compose (deploy/compose.yaml, docs/operations.md) ----


def _compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def _mounts(service: dict) -> dict[str, str]:
    """target → source of a service's volumes (short and long syntax)."""
    mounts = {}
    for volume in service["volumes"]:
        if isinstance(volume, str):
            source, target = volume.split(":")[:2]
        else:
            source, target = volume["source"], volume["target"]
        mounts[target] = source
    return mounts


def test_the_compose_database_archives_wal_with_the_vms_settings():
    """The `db` service reads deploy/backup/postgresql-archiving.conf itself (through
    deploy/postgres/postgresql.conf), after the cluster's own file in its data directory."""
    compose = _compose()
    db = compose["services"]["db"]
    env, mounts = db["environment"], _mounts(db)
    (option,) = [a for a in db["command"] if a.startswith("config_file=")]
    config_file = option.removeprefix("config_file=")
    assert db["command"][0] == "postgres"
    assert mounts[config_file] == "./postgres/postgresql.conf"
    includes = re.findall(
        r"^include '([^']+)'$", (DEPLOY / "postgres" / "postgresql.conf").read_text(), re.M
    )
    data = env["PGDATA"]
    assert mounts[data] == "pg" and env["PGBACKREST_PG1_PATH"] == data
    assert includes[0] == f"{data}/postgresql.conf"  # the cluster's own first, then archiving
    assert [mounts[i] for i in includes[1:]] == ["./backup/postgresql-archiving.conf"]
    # pgbackrest connects as the image's superuser (POSTGRES_USER)
    assert env["PGBACKREST_PG1_USER"] == env["POSTGRES_USER"]


def test_the_compose_backups_use_the_stanza_and_repository_of_deploy_backup():
    compose = _compose()
    services = compose["services"]
    db, backup = services["db"], services["backup"]
    settings = (BACKUP / "postgresql-archiving.conf").read_text()
    stanza = re.search(r"--stanza=(\S+)", settings).group(1)
    conf = (BACKUP / "pgbackrest.conf").read_text()
    repo1 = re.search(r"^repo1-path=(\S+)$", conf, re.M).group(1)
    spool = re.search(r"^spool-path=(\S+)$", conf, re.M).group(1)
    for service in (db, backup):
        mounts = _mounts(service)
        assert service["image"] == db["image"] and service["build"] == db["build"]
        # the one configuration, never made up as an empty directory by Docker
        (pgbackrest,) = [v for v in service["volumes"] if isinstance(v, dict)]
        assert pgbackrest["target"] == "/etc/pgbackrest/pgbackrest.conf"
        assert pgbackrest["source"] == "./pgbackrest.conf" and pgbackrest["read_only"]
        assert pgbackrest["bind"]["create_host_path"] is False
        # the repository on a volume both write to (WAL from db, backups from backup)
        assert any(repo1.startswith(target + "/") for target in mounts), repo1
        assert mounts["/var/run/postgresql"] == "pg-socket"  # pgbackrest's way to the server
        assert mounts[db["environment"]["PGDATA"]] == "pg"
        assert service["environment"]["PGBACKREST_PG1_PATH"] == db["environment"]["PGDATA"]
    assert "pg-socket" in compose["volumes"] and "backup" in compose["volumes"]
    assert backup["user"] == "postgres" and backup["depends_on"]["db"]["condition"] == (
        "service_healthy"
    )
    # the schedule's script is shipped, in the image, and backs up the archive's stanza
    command = backup["command"]
    script = BACKUP / command[0]
    assert command[1:] == ["schedule"] and script.stat().st_mode & 0o111
    assert re.search(rf"^stanza=\$\{{GENXI_BACKUP_STANZA:-{stanza}\}}$", script.read_text(), re.M)
    dockerfile = (DEPLOY / "postgres" / "Dockerfile").read_text()
    assert f"COPY backup/{command[0]} /usr/local/bin/{command[0]}" in dockerfile
    assert "install -y --no-install-recommends pgbackrest" in dockerfile
    for path in (repo1, spool):  # the image makes them, owned by postgres
        assert path in dockerfile.split("install -d -o postgres")[1].split("\n")[1], path
    assert db["build"] == {"context": ".", "dockerfile": "postgres/Dockerfile"}
    # the filled-in copy holds the passphrases: never committed,
    for ignore in (".gitignore", ".dockerignore"):  # nor copied into genxi's image (deploy/)
        assert "deploy/pgbackrest.conf" in (DEPLOY.parent / ignore).read_text().splitlines()


def _fake_pgbackrest(tmp_path, *, failing_repo: str = "") -> dict[str, str]:
    import os

    bin_ = tmp_path / "bin"
    bin_.mkdir()
    calls = tmp_path / "calls"
    (bin_ / "pgbackrest").write_text(
        "#!/bin/sh\n"
        f'echo "$*" >> {calls}\n'
        f'case "$*" in *"--repo={failing_repo or "none"} "*) exit 1 ;; esac\n'
    )
    (bin_ / "pgbackrest").chmod(0o755)
    config = tmp_path / "pgbackrest.conf"
    config.write_text((BACKUP / "pgbackrest.conf").read_text())
    return {
        **os.environ,
        "PATH": f"{bin_}:{os.environ['PATH']}",
        "PGBACKREST_CONFIG": str(config),
        "GENXI_BACKUP_STATE": str(tmp_path / "last"),
    }


def test_a_compose_backup_goes_into_every_configured_repository(tmp_path):
    """genxi-compose-backup full|diff runs the VM unit's two commands (--repo=1, then
    --repo=2, the object store, where the configuration has it) and records the day; a
    failure in one repository fails the run and the day is not recorded (made up later)."""
    script = str(BACKUP / "genxi-compose-backup")
    env = _fake_pgbackrest(tmp_path)
    done = subprocess.run([script, "diff"], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    calls = (tmp_path / "calls").read_text().splitlines()
    assert calls[:2] == [
        "--stanza=genxi --repo=1 --type=diff backup",
        "--stanza=genxi --repo=2 --type=diff backup",
    ]
    assert (tmp_path / "last").read_text().strip()

    failing = tmp_path / "failing"
    failing.mkdir()
    env = _fake_pgbackrest(failing, failing_repo="1")
    done = subprocess.run([script, "full"], env=env, capture_output=True, text=True)
    assert done.returncode == 1 and "the full backup into repo1 failed" in done.stdout
    assert "--stanza=genxi --repo=2 --type=full backup" in (failing / "calls").read_text()
    assert not (failing / "last").exists()

    # without an object store (its repo2- lines deleted): repo1 only
    single = tmp_path / "single"
    single.mkdir()
    env = _fake_pgbackrest(single)
    config = Path(env["PGBACKREST_CONFIG"])
    config.write_text("\n".join(
        line for line in config.read_text().splitlines() if not line.startswith("repo2-")
    ))  # fmt: skip
    subprocess.run([script, "full"], env=env, check=True, capture_output=True)
    backups = [c for c in (single / "calls").read_text().splitlines() if c.endswith(" backup")]
    assert backups == ["--stanza=genxi --repo=1 --type=full backup"]
    assert subprocess.run([script, "incr"], env=env, capture_output=True).returncode == 2
