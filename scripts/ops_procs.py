"""The processes the operations scripts start, watch and stop: PostgreSQL clusters (initdb and
pg_ctl as the `postgres` OS user when run as root), redis-server, gunicorn nodes, nginx with a
site made from deploy/nginx/genxi.conf, and the waiting and killing around them.

Used by scripts/stack.py (the whole set on one machine), scripts/drills.py (the fault drills)
and scripts/drill_worker_kill.py; each keeps its own ports, directories and checks. Every
process stopped here is one the caller started, by its id (or its process group, which the
caller gave it with `spawn(..., session=True)`).
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
BIN = Path(sys.executable).parent  # the virtual environment of the Python running this
ROOT_USER = os.geteuid() == 0


# Commands --------------------------------------------------------------------------------------


def run(argv: list, *, what: str = "", **kwargs) -> str:
    """Run to the end and return its output; on a failure, exit naming it with its output's tail."""
    argv = [str(a) for a in argv]
    done = subprocess.run(argv, capture_output=True, text=True, **kwargs)
    if done.returncode:
        raise SystemExit(
            f"{what or ' '.join(argv)} failed ({done.returncode}):\n"
            f"{done.stdout[-2000:]}{done.stderr[-3000:]}"
        )
    return done.stdout


def as_postgres() -> dict:
    """subprocess arguments running a command as the postgres OS user when we are root."""
    return {"user": "postgres", "group": "postgres"} if ROOT_USER else {}


def give_to_postgres(*paths: Path) -> None:
    """Make these files and directories the postgres OS user's (when we are root)."""
    if ROOT_USER:
        for path in paths:
            shutil.chown(path, "postgres", "postgres")


def spawn(argv: list, *, log: Path, session: bool = True, **kwargs) -> subprocess.Popen:
    """Start a long-running process, its output appended to `log`. With `session` it gets a
    session, and so a process group, of its own: `kill_group` stops it with its children,
    and the terminal's Ctrl-C reaches only this script (which stops it in its turn)."""
    with open(log, "ab") as out:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(
            [str(a) for a in argv],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=session,
            **kwargs,
        )


# Waiting ---------------------------------------------------------------------------------------


def wait_for(
    what: str, check: Callable[[], bool], timeout: float = 120, every: float = 0.5
) -> float:
    """Call `check` every `every` seconds until it is true (an exception counts as not yet);
    return the seconds it took, or exit naming `what` and the last exception."""
    began = time.monotonic()
    last: Exception | None = None
    while time.monotonic() - began < timeout:
        try:
            if check():
                return time.monotonic() - began
        except Exception as exc:  # noqa: BLE001 - not there yet
            last = exc
        time.sleep(every)
    raise SystemExit(f"{what} was not ready within {timeout:.0f} s ({last})")


def port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


def http_status(port: int, path: str, timeout: float = 10) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def answers(port: int, path: str = "/healthz") -> bool:
    """The server on `port` answers `path` with a 200 (within 2 s)."""
    try:
        return http_status(port, path, timeout=2) == 200
    except (OSError, http.client.HTTPException):
        return False


def redis_ping(port: int) -> bool:
    with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
        s.sendall(b"PING\r\n")
        return s.recv(64).startswith(b"+PONG")


# Stopping --------------------------------------------------------------------------------------


def kill_group(process: subprocess.Popen, sig: int = signal.SIGKILL) -> None:
    """Signal the process group of a process started with `spawn(..., session=True)` (a
    gunicorn master and its workers at once), then reap it."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
    process.wait()


def terminate(process: subprocess.Popen, timeout: float = 10, *, kill: bool = True) -> None:
    """SIGTERM, wait up to `timeout` seconds, then (with `kill`) SIGKILL."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        if not kill:
            raise
        process.kill()
        process.wait()


def alive(pid: int, program: str) -> bool:
    """The pid runs `program` still (not a zombie, not a reused pid running something else)."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        if Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z":
            return False
    except OSError:
        return False
    return any(program.encode() in part for part in cmdline[:2])


def stop_pid(name: str, pid: int, program: str, timeout: float = 20) -> None:
    """Stop a process recorded by an earlier run (by its pid, after checking it still runs
    `program`): SIGTERM, then SIGKILL after `timeout` seconds."""
    if not alive(pid, program):
        return
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        # A zombie counts as stopped (`alive`); it is not reaped here: when it is this
        # process's child, its Popen reaps it and keeps its exit status (reaped here, the
        # Popen would read 0 for a process that SIGTERM ended).
        if not alive(pid, program):
            return
        time.sleep(0.2)
    print(f"  {name} (pid {pid}) did not stop in {timeout:.0f} s: SIGKILL")
    os.kill(pid, signal.SIGKILL)


# PostgreSQL ------------------------------------------------------------------------------------


class PgCluster:
    """A PostgreSQL cluster of the caller's own in `data`, run as the postgres OS user when we
    are root; its server log in `log`. Nothing here touches a cluster it did not create."""

    def __init__(self, data: Path, port: int, *, log: Path, pg_bin: Path) -> None:
        self.data, self.port, self.log, self.pg_bin = data, port, log, pg_bin

    def initdb(self, *options: str, conf: str = "") -> None:
        """initdb (UTF-8, C.UTF-8, superuser `postgres`) with `options`, then `conf` appended
        to its postgresql.conf. The parent directory must be the postgres user's."""
        run(
            [self.pg_bin / "initdb", "-D", self.data, "-U", "postgres", "-E", "UTF8",
             "--locale=C.UTF-8", *options],
            what=f"initdb {self.data.name}",
            cwd=self.data.parent,
            **as_postgres(),
        )  # fmt: skip
        if conf:
            with open(self.data / "postgresql.conf", "a") as out:
                out.write(conf)

    def start(self, timeout: int = 60) -> None:
        run(
            [self.pg_bin / "pg_ctl", "-D", self.data, "-l", self.log, "-w", "-t", timeout, "start"],
            what=f"pg_ctl start ({self.data.name})",
            cwd=self.data.parent,
            **as_postgres(),
        )

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def stop(self, mode: str = "fast") -> None:
        """pg_ctl stop (fast: transactions rolled back; immediate: no checkpoint, crash
        recovery at the next start); a failure is not raised (it may be stopped already)."""
        if self.running():
            subprocess.run(
                [str(self.pg_bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop"],
                capture_output=True,
                cwd=self.data.parent,
                **as_postgres(),
            )

    def pids(self) -> list[int]:
        """The postmaster (from its pid file) and its children."""
        try:
            master = int((self.data / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return []
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError, ValueError, IndexError):
                if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == master:
                    children.append(int(stat.parent.name))
        return [master, *children] if Path(f"/proc/{master}").exists() else children

    def kill9(self) -> int:
        """kill -9 of the whole server (the postmaster and every backend) at once; returns
        how many processes were killed."""
        pids = self.pids()
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        wait_for(
            "killed postgres", lambda: not any(Path(f"/proc/{p}").exists() for p in pids), 30, 0.1
        )
        return len(pids)


# Redis, gunicorn -------------------------------------------------------------------------------


def redis_argv(port: int, directory: Path) -> list:
    """redis-server on the loopback without persistence, as deploy/compose.yaml runs it."""
    return [
        shutil.which("redis-server") or "redis-server",
        "--port", port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
        "--dir", directory,
    ]  # fmt: skip


def gunicorn_argv(*options: str) -> list:
    """An app node as deploy/systemd/genxi-web@.service runs it (GENXI_BIND in its environment)."""
    return [BIN / "gunicorn", "-c", DEPLOY / "gunicorn.conf.py", *options, "genxi.config.wsgi"]


# nginx -----------------------------------------------------------------------------------------


def nginx_site(template: str, *, nodes: list[int], listen: int, static_root: Path, proxy: Path):
    """deploy/nginx/genxi.conf made into a local site: the upstream holds our app nodes,
    HTTP on `listen` in place of the TLS server and its port-80 redirect, the static files
    from our STATIC_ROOT and the proxy settings from `proxy`. Everything else (rate limits,
    body size, locations) is the shipped file's. A ValueError names what no longer matches
    the shipped file, so that the test sees the two drift apart."""

    def sub(pattern: str, repl, text: str, flags: int = 0) -> str:
        new, count = re.subn(pattern, repl, text, flags=flags)
        if not count:
            raise ValueError(f"deploy/nginx/genxi.conf no longer has {pattern!r}")
        return new

    def upstream(match: re.Match) -> str:
        options = re.search(r"server 127\.0\.0\.1:\d+([^;]*);", match.group(0))
        return "".join(f"    server 127.0.0.1:{port}{options.group(1)};\n" for port in nodes)

    site = sub(r"(?m)(?:^[ \t]*server 127\.0\.0\.1:\d+[^;]*;\n)+", upstream, template)
    site = sub(r"(?ms)^server \{\n\s*listen 80;.*?^\}\n\n?", "", site)
    site = sub(r"listen 443 ssl[^;]*;[^\n]*", f"listen 127.0.0.1:{listen};", site)
    site = sub(r"(?m)^\s*ssl_[a-z_]+ [^;]*;\n", "", site)
    site = sub(r"server_name [^;]+;", "server_name 127.0.0.1 localhost;", site)
    site = sub(r"alias /srv/genxi/var/static/;", f"alias {static_root}/;", site)
    return sub(r"include /etc/nginx/genxi_proxy\.conf;", f"include {proxy};", site)


def nginx_main(
    *,
    site: Path,
    pid: Path,
    error_log: Path,
    access_log: Path,
    log_format: str,
    temp: Path,
    workers: int = 2,
    connections: int = 1024,
) -> str:
    """The nginx.conf around the site: in the foreground, its files where the caller says;
    the access log in `log_format` (named `local`)."""
    temp_paths = "".join(
        f"    {kind}_temp_path {temp}/{name};\n"
        for kind, name in (
            ("client_body", "body"),
            ("proxy", "proxy"),
            ("fastcgi", "fastcgi"),
            ("uwsgi", "uwsgi"),
            ("scgi", "scgi"),
        )
    )
    return f"""daemon off;
worker_processes {workers};
pid {pid};
error_log {error_log} warn;
events {{ worker_connections {connections}; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    log_format local '{log_format}';
    access_log {access_log} local;
{temp_paths}    include {site};
}}
"""


def nginx_argv(conf: Path, prefix: Path | None = None) -> list:
    """nginx on `conf` (which says `daemon off;`); `prefix` for its own default files (its
    error log before it has read `conf`), when not run as root."""
    nginx = shutil.which("nginx") or "nginx"
    return [nginx, *(["-p", prefix] if prefix else []), "-c", conf]


def nginx_check(conf: Path, prefix: Path | None = None) -> None:
    argv = nginx_argv(conf, prefix)
    run([argv[0], "-t", "-q", *argv[1:]], what="nginx -t")
