"""Queue pages and searches at city size: a database loaded by `genxi load_demo --scale
city --cases N` (10 M cases), viewed by its street admin (`street`, about 1 % of the cases),
its community worker (`community`, about 0.1 %) and its grid worker (`grid`, about 0.01 %).
Each page is timed in-process with Django's test client (server time, no HTTP): p50 and p95
of --repeat requests after one warm-up (the whole page, and the SQL part: the queries' own
times summed per request), and the number of queries of every request (it must not vary
with the page's depth).

    .venv/bin/python bench/city.py --database genxi_h_city_10m [--repeat 20] [--only overdue]
        [--users street,grid]

The database is read, never written nor dropped. The baseline, in the same run: a plain
indexed SELECT (a case by its code) through the same connection, which shows what the
loaded machine gives any query. Results: stdout and bench/results/city.json.
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

from benchcommon import PG_SERVER, write_result  # noqa: E402

USERS = ("street", "community", "grid")
URLS = (
    "/cases/",
    "/cases/?queue=dispatch",
    "/cases/?queue=overdue",
    "/cases/?queue=due_soon",
    "/cases/?queue=flagged",
    "/cases/?queue=mine",
    "/cases/?state=in_progress&category=ENV",
    "/cases/?q=杂物",  # two characters, common: the last 90 days (decision 0037)
    "/cases/?q=窨井",  # two characters, rare (one case in 100,000)
    "/cases/?q=灯",  # one character
    "/cases/?q=路灯不亮",  # four: the trigram indexes
    "/cases/?q=窨井盖被盗",  # five, rare: the trigram indexes
    "/api/v1/cases",
    "/api/v1/cases?queue=overdue",
    "/api/v1/cases?q=窨井",
)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def measure(client, url: str, repeat: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm
    times, sql, counts = [], [], set()
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
        counts.add(len(ctx.captured_queries))
        # The database's part: the queries' own times as Django measured them.
        sql.append(sum(float(q["time"]) for q in ctx.captured_queries))
    return {
        "url": url,
        "p50_ms": round(statistics.median(times) * 1000, 1),
        "p95_ms": round(percentile(times, 95) * 1000, 1),
        "sql_p50_ms": round(statistics.median(sql) * 1000, 1),
        "sql_p95_ms": round(percentile(sql, 95) * 1000, 1),
        "queries": sorted(counts),
    }


def deep_urls(user) -> list[str]:
    """Page 201 of the queue and of the API, reached by cursor (decision 0032)."""
    from genxi.cases.selectors import case_list
    from genxi.core.pagination import encode_cursor

    last = case_list(user=user).values_list("pinned", "created_at", "id")[200 * 50 - 1 : 200 * 50]
    if not last:
        return []
    cursor = encode_cursor(list(last[0]))
    return [f"/cases/?after={cursor}", f"/api/v1/cases?after={cursor}"]


def baseline(repeat: int) -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT code FROM cases_case ORDER BY id DESC LIMIT 1")
        code = cursor.fetchone()[0]
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            cursor.execute("SELECT * FROM cases_case WHERE code = %s", [code])
            cursor.fetchall()
            times.append(time.perf_counter() - started)
    return {
        "url": "SELECT * FROM cases_case WHERE code = … (the unique index)",
        "p50_ms": round(statistics.median(times) * 1000, 2),
        "p95_ms": round(percentile(times, 95) * 1000, 2),
        "queries": [1],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="genxi_h_city_10m")
    parser.add_argument("--repeat", type=int, default=20, help="timed requests per page")
    parser.add_argument("--only", default="", help="measure only the URLs containing this")
    parser.add_argument(
        "--users", default=",".join(USERS), help="the viewers, comma-separated: " + ",".join(USERS)
    )
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = f"{PG_SERVER}/{args.database}"
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from genxi.cases.models import Case
    from genxi.people.models import User

    settings.ALLOWED_HOSTS.append("testserver")
    cases = Case.objects.order_by().count()
    print(f"cases: {cases:,}; load average {os.getloadavg()}", flush=True)
    rows = [{"user": "-", **baseline(args.repeat * 5)}]
    print(rows[0], flush=True)
    for username in args.users.split(","):
        user = User.objects.get(username=username)
        client = Client()
        client.force_login(user)
        for url in (*URLS, *deep_urls(user)):
            if args.only not in url:
                continue
            row = {"user": username, **measure(client, url, args.repeat)}
            rows.append(row)
            print(
                f"{username:7} p50 {row['p50_ms']:7.1f} ms  p95 {row['p95_ms']:7.1f} ms  "
                f"(SQL p50 {row['sql_p50_ms']:6.1f}, p95 {row['sql_p95_ms']:6.1f})  "
                f"{'/'.join(map(str, row['queries'])):>5} queries  {url}",
                flush=True,
            )
    write_result(
        "city",
        {
            "what": "server time of each page in-process (Django test client, no HTTP), "
            "PostgreSQL, city database (genxi load_demo --scale city); p50/p95 of --repeat "
            "requests after one warm-up; baseline: a plain indexed SELECT, same connection",
            "database": args.database,
            "cases": cases,
            "repeat": args.repeat,
            "pages": rows,
        },
    )


if __name__ == "__main__":
    main()
