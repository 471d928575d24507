"""scripts/ops_procs.py, the process helpers of scripts/stack.py, scripts/drills.py and
scripts/drill_worker_kill.py (docs/drills.md): waiting, stopping whole process groups, a
cluster's processes, and the drills' nginx made from the shipped deploy/nginx/genxi.conf.
The drills themselves are not run here (`make drills` does)."""

import importlib.util
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[4]


def _load(name: str):
    sys.path.insert(0, str(ROOT / "scripts"))  # as when the scripts run
    spec = importlib.util.spec_from_file_location(f"genxi_{name}", ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def procs():
    return _load("ops_procs")


def test_wait_for_returns_the_time_taken_or_names_what_never_came(procs):
    began = time.monotonic()
    calls = []

    def ready() -> bool:
        calls.append(1)
        if len(calls) < 3:
            raise OSError("not yet")  # an exception counts as not ready
        return True

    took = procs.wait_for("thing", ready, timeout=5, every=0.01)
    assert len(calls) == 3 and 0 <= took <= time.monotonic() - began

    def never() -> bool:
        raise OSError("not yet")

    with pytest.raises(SystemExit, match=r"thing was not ready within 0 s \(not yet\)"):
        procs.wait_for("thing", never, timeout=0.05, every=0.01)


def test_kill_group_stops_the_process_and_its_children(procs, tmp_path):
    """A node is killed whole: its master and the workers it forked, at once."""
    child = tmp_path / "child.pid"
    process = procs.spawn(["sh", "-c", f"sleep 60 & echo $! > {child}; wait"], log=tmp_path / "log")
    procs.wait_for("the child", lambda: child.exists() and child.read_text().strip(), 10, 0.05)
    pid = int(child.read_text())
    procs.wait_for("the child's exec", lambda: procs.alive(pid, "sleep"), 10, 0.05)
    procs.kill_group(process)
    assert process.returncode == -9
    procs.wait_for("the child's end", lambda: not procs.alive(pid, "sleep"), 10, 0.05)


def test_terminate_and_stop_pid_leave_nothing_running(procs, tmp_path):
    stubborn = procs.spawn(
        ["sh", "-c", "trap '' TERM; while :; do sleep 0.1; done"], log=tmp_path / "log"
    )
    time.sleep(0.2)
    procs.terminate(stubborn, timeout=0.5)  # TERM ignored: killed after the timeout
    assert stubborn.returncode == -9
    polite = procs.spawn(["sleep", "60"], log=tmp_path / "log")
    # (a process just started may show its parent's command line for a moment)
    procs.wait_for("sleep", lambda: procs.alive(polite.pid, "sleep"), 10, 0.05)
    assert not procs.alive(polite.pid, "redis-server")  # a pid reused by another program
    procs.stop_pid("sleep", polite.pid, "sleep", timeout=5)
    assert polite.wait(5) == -15
    procs.stop_pid("gone", polite.pid, "sleep")  # a pid no longer running: nothing to do


def test_a_cluster_that_never_ran_has_no_processes(procs, tmp_path):
    cluster = procs.PgCluster(tmp_path / "data", 5999, log=tmp_path / "log", pg_bin=tmp_path)
    assert cluster.pids() == [] and not cluster.running()
    cluster.stop()  # nothing to stop, nothing raised


def test_the_redis_and_gunicorn_commands_are_the_production_ones(procs, tmp_path):
    argv = [str(a) for a in procs.redis_argv(6401, tmp_path)]
    assert argv[1:] == ["--port", "6401", "--bind", "127.0.0.1", "--save", "", "--appendonly",
                        "no", "--dir", str(tmp_path)]  # fmt: skip
    gunicorn = [str(a) for a in procs.gunicorn_argv("--no-control-socket")]
    assert gunicorn[1:] == ["-c", str(ROOT / "deploy" / "gunicorn.conf.py"),
                            "--no-control-socket", "genxi.config.wsgi"]  # fmt: skip


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed here")
def test_nginx_accepts_the_drills_configuration(tmp_path):
    """scripts/drills.py's nginx: the shipped site on the drill's app ports, behind a proxy
    configuration that says the request came over HTTPS, logging what node-kill parses."""
    drills = _load("drills")
    conf = drills.write_nginx(tmp_path / "nginx", tmp_path / "static")
    site = (conf / "genxi.conf").read_text()
    for port in drills.APP_PORTS:
        assert f"server 127.0.0.1:{port} max_fails=2 fail_timeout=10s;" in site
    assert f"listen 127.0.0.1:{drills.NGINX_PORT};" in site and "ssl_" not in site
    assert "X-Forwarded-Proto https" in (conf / "genxi_proxy.conf").read_text()
    main = (conf / "nginx.conf").read_text()
    assert "'$status|$request_method|$upstream_addr|$upstream_status'" in main
    result = subprocess.run(
        ["nginx", "-t", "-p", str(conf), "-c", str(conf / "nginx.conf")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
