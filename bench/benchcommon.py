"""What every benchmark shares: where the tools are, a PostgreSQL database of its own (made
fresh, dropped after) and the result file with the date, commit and machine it was measured on.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import platform
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The virtual environment of the Python that runs the benchmark (make bench: .venv/bin/python).
BIN = Path(sys.executable).parent
RESULTS = ROOT / "bench" / "results"
# Where the benchmark databases live: the server, as the PostgreSQL owner role.
PG_SERVER = os.environ.get("BENCH_PG_SERVER", "postgres://postgres@127.0.0.1:5432")


def app_env(database_url: str) -> dict:
    """The environment of a genxi process on the benchmark settings (bench/benchsite.py)."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "benchsite",
        "PYTHONPATH": f"{ROOT / 'bench'}:{ROOT / 'src'}",
        "CONN_MAX_AGE": "60",
    }


def manage(*args: str, env: dict) -> str:
    done = subprocess.run([str(BIN / "genxi"), *args], env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"genxi {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return done.stdout


def psql(sql: str) -> None:
    done = subprocess.run(
        ["psql", f"{PG_SERVER}/postgres", "-qXc", sql], capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(f"psql {sql!r} failed: {done.stderr.strip()}")


def database_exists(name: str) -> bool:
    done = subprocess.run(
        [
            "psql",
            f"{PG_SERVER}/postgres",
            "-qXtAc",
            f"SELECT 1 FROM pg_database WHERE datname = '{name}'",
        ],
        capture_output=True,
        text=True,
    )
    return done.stdout.strip() == "1"


@contextlib.contextmanager
def demo_database(name: str, *, keep: bool = False) -> Iterator[str]:
    """A database `name` with the migrations run and the demo data loaded; dropped afterwards
    unless `keep` (then a later run with `keep` reuses it, migrated to the code measured)."""
    url = f"{PG_SERVER}/{name}"
    env = app_env(url)
    if not (keep and database_exists(name)):
        psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        psql(f"CREATE DATABASE {name}")
        manage("migrate", "--no-input", env=env)
        manage("load_demo", env=env)
    else:  # a kept database, brought to the code measured (its new indexes, say)
        manage("migrate", "--no-input", env=env)
    try:
        yield url
    finally:
        if not keep:
            psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def measured_on() -> dict:
    """When, on which commit and on what the figures were measured."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return done.stdout.strip()

    return {
        "measured_at": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": git("rev-parse", "--short", "HEAD"),
        # Edits to the code measured (not to the docs, nor to the results a run rewrites).
        "uncommitted_changes": bool(
            git("status", "--porcelain", "--", "src", "bench", ":!bench/results", "Makefile")
        ),
        "cpus": os.cpu_count(),
        # Other work on the machine: the absolute figures move with it, the ratios less.
        "load_average_1_5_15": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
    }


def write_result(name: str, result: dict) -> Path:
    """Write bench/results/NAME.json: the figures and where they were measured."""
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"{name}.json"
    out.write_text(json.dumps({**result, **measured_on()}, ensure_ascii=False, indent=2) + "\n")
    return out
