"""scripts/stack.py (docs/deploy.md, "The whole set on one machine") derives its nginx site
from the shipped deploy/nginx/genxi.conf: the derivation still matches the shipped file, and
nginx accepts what it makes. The set itself is not started here (`make stack` does)."""

import configparser
import importlib.util
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[4]
DEPLOY = ROOT / "deploy"


@pytest.fixture(scope="module")
def stack():
    spec = importlib.util.spec_from_file_location("genxi_stack_script", ROOT / "scripts/stack.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _site(stack, tmp_path, template=None):
    return stack.nginx_site(
        template or (DEPLOY / "nginx" / "genxi.conf").read_text(),
        nodes=[8101, 8102],
        listen=8100,
        static_root=tmp_path / "static",
        proxy=DEPLOY / "nginx" / "genxi_proxy.conf",
    )


def test_the_site_is_the_shipped_one_over_http_to_our_nodes(stack, tmp_path):
    site = _site(stack, tmp_path)
    upstream = site.split("upstream genxi_app {", 1)[1].split("}", 1)[0]
    servers = [line.strip() for line in upstream.splitlines() if line.strip().startswith("server")]
    assert servers == [
        "server 127.0.0.1:8101 max_fails=2 fail_timeout=10s;",
        "server 127.0.0.1:8102 max_fails=2 fail_timeout=10s;",
    ]
    assert "listen 127.0.0.1:8100;" in site
    assert "listen 80" not in site and "443" not in site and "ssl_" not in site
    assert f"alias {tmp_path / 'static'}/;" in site
    assert f"include {DEPLOY / 'nginx' / 'genxi_proxy.conf'};" in site
    # What the shipped file sets stays: the public rate limit, the body size, /media/ closed.
    assert "limit_req zone=genxi_public burst=40 nodelay;" in site
    assert "client_max_body_size 25m;" in site
    assert "location /media/ { return 404; }" in site


def test_a_shipped_file_that_drifted_is_named(stack, tmp_path):
    shipped = (DEPLOY / "nginx" / "genxi.conf").read_text()
    with pytest.raises(ValueError, match="alias"):
        _site(stack, tmp_path, shipped.replace("alias /srv/genxi/var/static/;", "root /srv;"))


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed here")
def test_nginx_accepts_the_generated_configuration(stack, tmp_path):
    site = tmp_path / "genxi.conf"
    site.write_text(_site(stack, tmp_path))
    (tmp_path / "tmp").mkdir()
    main = tmp_path / "nginx.conf"
    main.write_text(stack.nginx_main(site=site, var=tmp_path, log=tmp_path))
    result = subprocess.run(["nginx", "-t", "-c", str(main)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("shipped", [True, False], ids=["shipped", "fallback"])
def test_pgbouncer_pools_by_transaction_in_front_of_our_clusters(stack, tmp_path, shipped):
    path = DEPLOY / "pgbouncer" / "pgbouncer.ini"
    if shipped and not path.exists():
        pytest.skip("no deploy/pgbouncer/pgbouncer.ini in this checkout")
    template = path.read_text() if shipped else stack.PGBOUNCER_FALLBACK
    ini = configparser.ConfigParser(interpolation=None)
    ini.read_string(
        stack.pgbouncer_ini(template, listen=6432, primary=5440, replica=5441, var=tmp_path)
    )
    bouncer = ini["pgbouncer"]
    assert bouncer["pool_mode"] == "transaction"
    assert (bouncer["listen_addr"], bouncer["listen_port"]) == ("127.0.0.1", "6432")
    assert bouncer["auth_type"] == "scram-sha-256"
    assert bouncer["auth_file"] == f"{tmp_path}/userlist.txt"
    assert "logfile" not in bouncer
    assert dict(ini["databases"]) == {
        "genxi": "host=127.0.0.1 port=5440 dbname=genxi",
        "genxi_replica": "host=127.0.0.1 port=5441 dbname=genxi",
    }
    assert stack.userlist({"genxi_app": "pw"}) == '"genxi_app" "pw"\n'


def test_a_pgbouncer_template_in_session_mode_is_refused(stack, tmp_path):
    template = stack.PGBOUNCER_FALLBACK.replace("pool_mode = transaction", "pool_mode = session")
    with pytest.raises(ValueError, match="transaction"):
        stack.pgbouncer_ini(template, listen=6432, primary=5440, replica=5441, var=tmp_path)
