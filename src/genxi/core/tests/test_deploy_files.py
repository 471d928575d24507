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
