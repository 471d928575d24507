"""Queue pages and metrics with 1,000,000 cases in PostgreSQL: latency per page and the
number of queries, for a street admin (金阊街道) and a community worker.

    .venv/bin/python bench/cases_queues.py [--cases 1000000] [--keep-db] [--database NAME]

Needs PostgreSQL at 127.0.0.1:5432 (BENCH_PG_SERVER, as the owner role). Makes the database
genxi_bench_queues with the demo data, adds synthetic cases with INSERT … SELECT until it
holds --cases, then times each page in-process with Django's test client (so the figures
are server time, without HTTP or a browser), and drops the database. With --keep-db the
database is kept and a later run with --keep-db reuses it (filling 1,000,000 cases takes
minutes). Each page is timed against its baseline in the same run: the same page with the
demo data alone (a few hundred cases), before the fill. Results: stdout and
bench/results/cases_queues.json.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "src"))
os.environ["DJANGO_SETTINGS_MODULE"] = "benchsite"
os.environ.setdefault("CONN_MAX_AGE", "60")

from benchcommon import demo_database, write_result  # noqa: E402

USERS = ("jinchang", "community")
URLS = (
    "/cases/",
    "/cases/?queue=dispatch",
    "/cases/?queue=overdue",
    "/cases/?queue=flagged",
    "/cases/?state=resolved&category=ENV",
    "/cases/?q=杂物",
    "/cases/?q=堆满了杂物",  # three characters and more: every synthetic case matches
    "/cases/?q=路灯不亮",  # a rare phrase: only a few demo cases match
    "/cases/?q=路灯",  # two characters: below a trigram
    "/cases/?page=200",
    "/cases/?page=2000",
    "/api/v1/cases?queue=overdue",
    "/api/v1/cases?page=200",
    "/cases/metrics/",
    "/cases/metrics/?days=30&category=FAC",
)

FILL = """
INSERT INTO cases_case (created_at, updated_at, code, channel, reporter_name, reporter_contact,
  title, text, lat, lon, address, place_key, region_id, urgency, tags, state, flagged,
  respond_by, resolve_by, responded_at, resolved_at, closed_at, returns, extensions, reworks,
  result, rating, rating_comment, category_id, secret_digest, level)
SELECT now() - (g %% 365) * interval '1 day' - (g %% 1440) * interval '1 minute',
       now(), 'B' || lpad(g::text, 9, '0'), 'phone', '', '', '楼道里堆满了杂物',
       '楼道里堆满了杂物,请尽快处理', 31.32, 120.59, '', '',
       grids.ids[1 + g %% array_length(grids.ids, 1)], 'normal', '["bench"]',
       (ARRAY['closed','closed','closed','closed','closed','closed','dispatched',
              'in_progress','resolved','submitted'])[1 + g %% 10],
       g %% 97 = 0,
       now() - (g %% 365) * interval '1 day' + interval '4 hours',
       now() - (g %% 365) * interval '1 day' + interval '5 days',
       now() - (g %% 365) * interval '1 day' + interval '1 hour',
       CASE WHEN g %% 10 < 6 OR g %% 10 = 8 THEN now() - (g %% 365) * interval '1 day'
            + interval '2 days' END,
       CASE WHEN g %% 10 < 6 THEN now() - (g %% 365) * interval '1 day' + interval '3 days' END,
       (g %% 7 = 0)::int, 0, 0, '',
       CASE WHEN g %% 10 < 6
            THEN (ARRAY['satisfied','satisfied','basically','unsatisfied'])[1 + g %% 4]
            ELSE '' END,
       '', cats.ids[1 + g %% array_length(cats.ids, 1)],
       encode(sha256(('bench' || g)::bytea), 'hex'), 'community'
FROM generate_series(%s, %s) AS g,
     (SELECT array_agg(id) AS ids FROM regions_region WHERE level = 'grid') AS grids,
     (SELECT array_agg(id) AS ids FROM cases_category WHERE parent_id IS NOT NULL) AS cats
"""


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
        cursor.execute("ANALYZE cases_case")
    return Case.objects.count()


def measure(client, url: str, repeat: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm
    times = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    return {
        "url": url,
        "median_ms": round(statistics.median(times) * 1000, 1),
        "max_ms": round(max(times) * 1000, 1),
        "queries": len(ctx.captured_queries),
    }


def measure_all(repeat: int) -> dict:
    from django.test import Client

    from genxi.people.models import User

    rows = {}
    for username in USERS:
        client = Client()
        user = User.objects.get(username=username)
        client.force_login(user)
        for url in (*URLS, *deep_cursor_urls(user)):
            rows[username, url] = measure(client, url, repeat)
    return rows


def deep_cursor_urls(user) -> list[str]:
    """Page 201 of the queue and of the API reached by cursor (the link on page 200), where
    the code pages by cursor (decision 0032)."""
    try:
        from genxi.core.pagination import encode_cursor
    except ImportError:
        return []
    from genxi.cases.selectors import case_list

    last = case_list(user=user).values_list("pinned", "created_at", "id")[200 * 50 - 1 : 200 * 50]
    if not last:
        return []
    cursor = encode_cursor(list(last[0]))
    return [f"/cases/?after={cursor}", f"/api/v1/cases?after={cursor}"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5, help="timed requests per page")
    parser.add_argument(
        "--keep-db", action="store_true", help="keep genxi_bench_queues, reuse it filled"
    )
    parser.add_argument(
        "--database", default="genxi_bench_queues", help="the database's name (made, dropped)"
    )
    args = parser.parse_args()
    with demo_database(args.database, keep=args.keep_db) as url:
        os.environ["DATABASE_URL"] = url
        import django

        django.setup()
        from django.conf import settings
        from django.db import connections

        from genxi.cases.models import Case

        settings.ALLOWED_HOSTS.append("testserver")
        demo_cases = Case.objects.count()
        # The baseline: the same pages on the demo data alone (unless a kept database is
        # filled already).
        baseline = measure_all(args.repeat) if demo_cases < args.cases else {}
        started = time.perf_counter()
        total = fill(args.cases)
        fill_s = time.perf_counter() - started
        print(f"cases in the database: {total:,} (filled in {fill_s:.0f} s)")
        measured = measure_all(args.repeat)
        connections.close_all()
    rows = []
    for (username, url), row in measured.items():
        before = baseline.get((username, url))
        rows.append(
            {
                "user": username,
                **row,
                "baseline_median_ms": before["median_ms"] if before else None,
                "baseline_queries": before["queries"] if before else None,
            }
        )
        print(
            f"{username:10} {row['median_ms']:8.1f} ms {row['queries']:3} queries"
            f" (demo data: {before['median_ms'] if before else '-':>6} ms)  {url}"
        )
    result = {
        "what": "server time of each page in-process (Django test client, no HTTP), "
        "PostgreSQL; median of --repeat requests after one warm-up; baseline: the same "
        "page with the demo data alone",
        "cases": total,
        "baseline_cases": demo_cases if baseline else None,
        "fill_s": round(fill_s),
        "repeat": args.repeat,
        "pages": rows,
    }
    write_result("cases_queues", result)


if __name__ == "__main__":
    main()
