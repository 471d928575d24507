"""Query-count helpers: lists must not grow their query count with their length (no N+1)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(func) -> int:
    with CaptureQueriesContext(connection) as ctx:
        func()
    return len(ctx.captured_queries)
