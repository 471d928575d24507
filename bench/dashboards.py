"""The dashboards with many cases in PostgreSQL: server time and queries of each level's
dashboard page (street, community, grid), against the direct count of the same figures
from the cases in the same run.

    .venv/bin/python -P bench/dashboards.py [--cases 1000000] [--repeat 5] [--keep-db]
        [--db NAME] [--skip-rebuild] [--skip-direct]

Needs PostgreSQL at 127.0.0.1:5432 (BENCH_PG_SERVER). Makes the database --db (default
genxi_bench_dashboards) with the demo data, adds synthetic cases with INSERT … SELECT (the
fill of bench/cases_queues.py: a year of cases over every grid and subcategory) until it
holds --cases, rebuilds the roll-ups (`genxi rollups rebuild`, timed), then times each page
in-process with Django's test client (server time, no HTTP) for the street admin
(金阊街道), a community worker (彩香一村) and a grid worker, over the last 30 days and over
the last year by month. The baseline is the direct count: the same figures (the loop's
counts and rates, by day, category, channel and place) aggregated from the cases themselves
(`rollups.aggregated` on the place's cases of the period, the query the roll-ups spare),
timed the same way. Results: stdout and bench/results/dashboards.json.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "src"))
os.environ["DJANGO_SETTINGS_MODULE"] = "benchsite"
os.environ.setdefault("CONN_MAX_AGE", "60")

from benchcommon import demo_database, write_result  # noqa: E402
from cases_queues import FILL as QUEUES_FILL  # noqa: E402

# bench/cases_queues.py's fill, with the level holding a case and the channels varied: a
# year of cases over every grid and subcategory. (Each replacement must find its text: a
# change of that fill fails here, not in a wrong INSERT.)
_VARIED = {
    "encode(sha256(('bench' || g)::bytea), 'hex'), 'community'": (
        "encode(sha256(('bench' || g)::bytea), 'hex'),"
        " CASE WHEN g %% 50 = 0 THEN 'street' ELSE 'community' END"
    ),
    "'B' || lpad(g::text, 9, '0'), 'phone',": (
        "'B' || lpad(g::text, 9, '0'),"
        " (ARRAY['phone','phone','phone','walk_in','public_form','pioneer_visit'])[1 + g %% 6],"
    ),
}
FILL = QUEUES_FILL
for _old, _new in _VARIED.items():
    assert _old in FILL, f"bench/cases_queues.py's FILL no longer holds {_old!r}"
    FILL = FILL.replace(_old, _new)

USERS = {"jinchang": "street", "community": "community", "gridworker": "grid"}


def _backend_cpu() -> float | None:
    """The CPU seconds the database connection's server process has used so far (Linux
    /proc, the server on this machine), None when it cannot be read."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def _timed(call, repeat: int) -> tuple[list[float], int, list[float]]:
    """Wall times, the queries of one call, and the CPU each call used: this process's
    plus its database server process's (the machine's load, other programs waiting for the
    same cores, does not count there; the parallel workers of a query are left out)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call()  # warm
    times, cpu = [], []
    queries = 0
    for _ in range(repeat):
        backend = _backend_cpu()
        with CaptureQueriesContext(connection) as ctx:
            own = time.process_time()
            started = time.perf_counter()
            call()
            times.append(time.perf_counter() - started)
            own = time.process_time() - own
        after = _backend_cpu()
        if backend is not None and after is not None:
            cpu.append(own + after - backend)
        queries = len(ctx.captured_queries)
    return times, queries, cpu


def _row(times: list[float], queries: int, cpu: list[float] | None = None) -> dict:
    row = {
        "median_ms": round(statistics.median(times) * 1000, 1),
        "max_ms": round(max(times) * 1000, 1),
        "queries": queries,
    }
    if cpu:
        row["cpu_median_ms"] = round(statistics.median(cpu) * 1000, 1)
    return row


def fill(target: int) -> int:
    from django.db import connection

    from genxi.cases.models import Case

    have = Case.objects.count()
    if have >= target:
        return have
    start = Case.objects.filter(code__startswith="B").count() + 1
    with connection.cursor() as cursor:
        step = 200_000
        for lo in range(start, start + (target - have), step):
            hi = min(lo + step - 1, start + target - have - 1)
            cursor.execute(FILL, [lo, hi])
            print(f"  inserted cases {lo}..{hi}", flush=True)
    with connection.cursor() as cursor:
        # After a bulk load, as autovacuum would: the planner's statistics for every table
        # (the demo's too), and the visibility map the index-only counts need.
        cursor.execute("VACUUM ANALYZE cases_case")
        cursor.execute("ANALYZE")
    return Case.objects.count()


def measure(repeat: int, *, direct_count: bool = True) -> list[dict]:
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from genxi.cases import rollups
    from genxi.cases import selectors as case_selectors
    from genxi.cases.models import Case
    from genxi.dashboards import selectors
    from genxi.people.models import User

    today = timezone.localdate()
    periods = {
        "30 days": (today - timedelta(days=29), today, "day"),
        "12 months": (today - timedelta(days=364), today, "month"),
    }
    rows = []
    for username, level in USERS.items():
        user = User.objects.get(username=username)
        place = selectors.own_places(user)[0]
        assert place.level == level, (username, place.level)
        client = Client()
        client.force_login(user)
        for label, (first, last, grain) in periods.items():
            url = reverse("dashboards:region", args=[place.code])
            params = {"from": first.isoformat(), "to": last.isoformat(), "grain": grain}

            def page(url=url, params=params, client=client):
                response = client.get(url, params)
                assert response.status_code == 200, (url, response.status_code)

            bounds = case_selectors.received_between(first, last)
            cases = Case.objects.filter(
                region__path__startswith=place.path,
                created_at__gte=bounds["since"],
                created_at__lt=bounds["until"],
            )

            def direct(cases=cases):
                list(rollups.aggregated(cases))

            load_before = os.getloadavg()[0]
            shown, shown_q, shown_cpu = _timed(page, repeat)
            load_after = os.getloadavg()[0]
            base, base_q, base_cpu = _timed(direct, repeat) if direct_count else ([0.0], 0, [])
            rows.append(
                {
                    "user": username,
                    "level": level,
                    "place": place.name,
                    "period": label,
                    "cases_in_view": cases.count(),
                    # the machine's 1-minute load average before and after the page's runs
                    "load_1m": [round(load_before, 2), round(load_after, 2)],
                    "page": _row(shown, shown_q, shown_cpu),
                    "direct_count": _row(base, base_q, base_cpu),
                }
            )
            r = rows[-1]
            print(
                f"{level:9} {label:9} page {r['page']['median_ms']:8.1f} ms"
                f" (cpu {r['page'].get('cpu_median_ms', 0):6.1f} ms, load {load_after:5.2f})"
                f" {r['page']['queries']:3} q | direct count"
                f" {r['direct_count']['median_ms']:8.1f} ms  ({r['cases_in_view']:,} cases)",
                flush=True,
            )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5, help="timed requests per page")
    parser.add_argument("--keep-db", action="store_true", help="keep the database, reuse it")
    parser.add_argument(
        "--skip-rebuild", action="store_true", help="a kept database's roll-ups are current"
    )
    parser.add_argument("--db", default="genxi_bench_dashboards", help="the database's name")
    parser.add_argument(
        "--skip-direct", action="store_true", help="time the pages only, not the direct count"
    )
    args = parser.parse_args()
    with demo_database(args.db, keep=args.keep_db) as url:
        os.environ["DATABASE_URL"] = url
        import django

        django.setup()
        from django.conf import settings
        from django.db import connection, connections

        from genxi.cases import rollups
        from genxi.cases.models import CaseRollup

        settings.ALLOWED_HOSTS.append("testserver")
        started = time.perf_counter()
        total = fill(args.cases)
        fill_s = time.perf_counter() - started
        print(f"cases in the database: {total:,} (filled in {fill_s:.0f} s)", flush=True)
        started = time.perf_counter()
        written = CaseRollup.objects.count() if args.skip_rebuild else rollups.rebuild()
        rebuild_s = None if args.skip_rebuild else time.perf_counter() - started
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE cases_caserollup")
            cursor.execute("ANALYZE cases_casemonthrollup")
        print(f"roll-up rows: {written:,} (rebuild: {rebuild_s or 0:.0f} s)", flush=True)
        assert CaseRollup.objects.count() == written
        rows = measure(args.repeat, direct_count=not args.skip_direct)
        connections.close_all()
    write_result(
        "dashboards",
        {
            "what": "server time of each dashboard page in-process (Django test client, no "
            "HTTP), PostgreSQL, median of --repeat requests after one warm-up; "
            "direct_count: the same figures aggregated from the cases of the place and "
            "period (rollups.aggregated), timed the same way; cpu_median_ms: the CPU time of "
            "the benchmark process and its PostgreSQL server process per request (the "
            "machine's load does not count there; parallel query workers are left out); "
            "load_1m: the 1-minute load average before and after each page's runs",
            "cases": total,
            "rollup_rows": written,
            "fill_s": round(fill_s),
            "rebuild_s": round(rebuild_s) if rebuild_s is not None else None,
            "repeat": args.repeat,
            "dashboards": rows,
        },
    )


if __name__ == "__main__":
    main()
