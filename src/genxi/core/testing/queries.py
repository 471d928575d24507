"""Query-count helpers: lists must not grow their query count with their length (no N+1).

Every paginated list, API list and page that renders a related list has a ceiling in its
app's `tests/test_queries.py` (docs/architecture.md, "Tests"):

    LISTINGS = [
        Listing("needs-page", "community", 20, needs_page),
        ...
    ]

    @pytest.mark.parametrize("listing", LISTINGS, ids=listing_id)
    def test_flat(client, world, listing):
        listing.check(client, world)

where `needs_page(world)` makes what the page needs and answers its URL and a function
that adds `k` more rows in the viewer's scope (answering labels the page must show).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import count
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from genxi.demo.geography import rectangle
from genxi.regions.models import Level

from .world import make_region

# How many rows the first count sees; the second sees three times as many.
ROWS = 3

MakeRows = Callable[[int], Iterable[str] | None]


def count_queries(func) -> int:
    with CaptureQueriesContext(connection) as ctx:
        func()
    return len(ctx.captured_queries)


def _text(response) -> str:
    """What the labels are looked for in: the page, the JSON (unescaped), or nothing for a
    download (an .xlsx export)."""
    kind = response.get("Content-Type", "")
    if kind.startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    if kind.startswith("text/") or not kind:
        return response.content.decode()
    return ""


def _measure(client, url: str, status: int) -> tuple[int, str, list[str]]:
    """The queries of one GET of `url`, after a first GET has filled the process's caches
    (session, locator, classifier) so that only the page's own work is counted. The fewer
    of two GETs counts: a cache that asks every few seconds whether its data changed (one
    query, `cases.routing`) must not make the count depend on the clock."""
    client.get(url)
    best = None
    for _ in range(2):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == status, f"{url} answered {response.status_code}"
        sql = [q["sql"] for q in ctx.captured_queries]
        if best is None or len(sql) < len(best[2]):
            best = (len(sql), _text(response), sql)
    return best


def assert_flat_queries(
    client, url: str, make_rows: MakeRows, ceiling: int, *, rows: int = ROWS, status: int = 200
) -> int:
    """`url` answers with the same number of queries, at most `ceiling`, with `rows` rows in
    scope and with three times as many. `make_rows(k)` adds k rows; the labels it answers
    (if any) must be on the page, so the rows counted are the rows shown. Answers the count.
    """
    labels = list(make_rows(rows) or [])
    few, text, few_sql = _measure(client, url, status)
    for label in labels:
        assert label in text, f"{url} does not show {label!r}"
    labels = list(make_rows(2 * rows) or [])
    many, text, many_sql = _measure(client, url, status)
    for label in labels:
        assert label in text, f"{url} does not show {label!r}"
    if os.environ.get("GENXI_SHOW_QUERIES"):  # for measuring ceilings: print both counts
        print(f"\nqueries {url}: {few} with {rows} rows, {many} with {3 * rows}")
    assert many == few, (
        f"{url}: {few} queries with {rows} rows, {many} with {3 * rows} (N+1?); with {rows}:\n"
        + "\n".join(few_sql)
        + f"\nwith {3 * rows}:\n"
        + "\n".join(many_sql)
    )
    assert many <= ceiling, f"{url}: {many} queries, above its ceiling of {ceiling}:\n" + "\n".join(
        many_sql
    )
    return many


@dataclass(frozen=True)
class Listing:
    """One list (page or API) and its ceiling: `build(world)` makes what the list needs and
    answers `(url, make_rows)`; `viewer` is the key of `world.users` who looks at it."""

    name: str
    viewer: str
    ceiling: int
    build: Callable[[Any], tuple[str, MakeRows]]

    def check(self, client, world) -> int:
        url, make_rows = self.build(world)
        client.force_login(world.users[self.viewer])
        return assert_flat_queries(client, url, make_rows, self.ceiling)


def listing_id(listing: Listing) -> str:
    return listing.name


def more_grids(community) -> MakeRows:
    """Rows for lists of grids: each call adds grids, with their shapes, to `community`."""
    seq = count(100)

    def rows(k):
        names = []
        for _ in range(k):
            n = next(seq)
            lat = 31.30 + n / 1000
            make_region(
                Level.GRID,
                f"{community.code}{n:03d}",
                f"新网格{n}",
                community,
                geometry=rectangle(lat, 120.5, lat + 0.0005, 120.5005),
            )
            names.append(f"新网格{n}")
        return names

    return rows
