"""The dashboard map's case points (`cases.panels.case_points`: the bins read from their
roll-up, `CaseBinRollup`, for the heat and clusters) with many cases in PostgreSQL: server
time and queries per level and period, against the baseline of grouping the period's cases
straight from the cases table (what case_points did before the roll-up: one GROUP BY over
the place's cases of the period) and of fetching the located cases one by one (what a
client-side heat layer would need).

    .venv/bin/python bench/dashboard_map.py [--cases 1000000] [--repeat 5] [--keep-db]
    .venv/bin/python bench/dashboard_map.py --database genxi_bench_dashboards [--repeat 5]

Makes the database genxi_bench_dashboard_map with the demo data and the fill of
bench/dashboards.py (a year of cases over every grid and subcategory, each with a point),
or measures an existing database as it is (`--database`, its roll-ups built; nothing
written). Results: stdout and bench/results/dashboard_map.json.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "src"))
os.environ["DJANGO_SETTINGS_MODULE"] = "benchsite"
os.environ.setdefault("CONN_MAX_AGE", "60")

from benchcommon import PG_SERVER, demo_database, write_result  # noqa: E402
from dashboards import USERS, _row, _timed, fill  # noqa: E402


def direct_grouping(user, place, period) -> int:
    """The baseline: the bins grouped straight from the cases (case_points before the
    roll-up, its query as it was; the same squares, the longitude step fixed as now)."""
    from django.db.models import Avg, Count, F, Q
    from django.db.models.functions import Floor

    from genxi.cases import rollups
    from genxi.cases.models import Case, Category
    from genxi.cases.panels import local_midnight, places_under

    step_lat, step_lon = rollups.bin_steps()
    cases = Case.objects.filter(
        region_id__in=places_under(place),
        created_at__gte=local_midnight(period.start),
        created_at__lt=local_midnight(period.end),
    )
    if period.category:
        ids = Category.objects.filter(
            Q(code=period.category) | Q(code__startswith=f"{period.category}.")
        ).values_list("pk", flat=True)
        cases = cases.filter(category_id__in=list(ids))
    rows = list(
        cases.filter(lat__isnull=False, lon__isnull=False)
        .order_by()
        .annotate(i=Floor(F("lat") / step_lat), j=Floor(F("lon") / step_lon))
        .values("i", "j", "region_id")
        .annotate(n=Count("id"), lat=Avg("lat"), lon=Avg("lon"))
    )
    cases.filter(Q(lat__isnull=True) | Q(lon__isnull=True)).order_by().count()
    return len(rows)


def measure(repeat: int) -> list[dict]:
    from django.utils import timezone

    from genxi.cases.models import Case
    from genxi.cases.panels import case_points, local_midnight
    from genxi.core.panels import Period
    from genxi.dashboards import selectors
    from genxi.people.models import User

    today = timezone.localdate()
    end = today + timedelta(days=1)
    periods = {
        "30 days": Period(today - timedelta(days=29), end),
        "30 days, one category": Period(today - timedelta(days=29), end, category="ENV"),
        "12 months": Period(today - timedelta(days=364), end, grain="month"),
    }
    rows = []
    for username, level in USERS.items():
        user = User.objects.get(username=username)
        place = selectors.own_places(user)[0]
        for label, period in periods.items():

            def points(user=user, place=place, period=period):
                return case_points(user, place, period)

            cases = Case.objects.filter(
                region__path__startswith=place.path,
                created_at__gte=local_midnight(period.start),
                created_at__lt=local_midnight(period.end),
                lat__isnull=False,
            )
            if period.category:
                cases = cases.filter(category__code__startswith=f"{period.category}.")

            def every_point(cases=cases):
                list(cases.values_list("lat", "lon", "region_id"))

            def grouped(user=user, place=place, period=period):
                return direct_grouping(user, place, period)

            shown, shown_q, _cpu = _timed(points, repeat)
            old, old_q, _cpu = _timed(grouped, repeat)
            base, base_q, _cpu = _timed(every_point, repeat)
            found = points()
            assert grouped() == len(found["bins"])  # the same squares
            rows.append(
                {
                    "user": username,
                    "level": level,
                    "place": place.name,
                    "period": label,
                    "cases_on_map": sum(b[2] for b in found["bins"]),
                    "bins": len(found["bins"]),
                    "case_points": _row(shown, shown_q),
                    "direct_grouping": _row(old, old_q),
                    "every_point": _row(base, base_q),
                }
            )
            r = rows[-1]
            print(
                f"{level:9} {label:22} bins {r['case_points']['median_ms']:8.1f} ms"
                f" {r['case_points']['queries']} q ({r['bins']:,} bins) | grouped from the"
                f" cases {r['direct_grouping']['median_ms']:8.1f} ms | every point"
                f" {r['every_point']['median_ms']:8.1f} ms ({r['cases_on_map']:,} cases)",
                flush=True,
            )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--database", help="measure this existing database as it is")
    args = parser.parse_args()
    if args.database:
        os.environ["DATABASE_URL"] = f"{PG_SERVER}/{args.database}"
        import django

        django.setup()
        from django.db import connections

        from genxi.cases.models import Case

        total = Case.objects.count()
        rows = measure(args.repeat)
        connections.close_all()
    else:
        with demo_database("genxi_bench_dashboard_map", keep=args.keep_db) as url:
            os.environ["DATABASE_URL"] = url
            import django

            django.setup()
            from django.db import connections

            started = time.perf_counter()
            total = fill(args.cases)
            print(f"cases: {total:,} (filled in {time.perf_counter() - started:.0f} s)")
            rows = measure(args.repeat)
            connections.close_all()
    write_result(
        "dashboard_map",
        {
            "what": "cases.panels.case_points in-process (the bins' roll-up), PostgreSQL, "
            "median of --repeat calls after one warm-up; direct_grouping: the same bins "
            "grouped straight from the cases (the query before the roll-up); every_point: "
            "the same cases' points fetched one row each; each timed the same way",
            "cases": total,
            "repeat": args.repeat,
            "rows": rows,
        },
    )


if __name__ == "__main__":
    main()
