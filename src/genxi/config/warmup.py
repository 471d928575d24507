"""What a web worker keeps in memory for the intake, built before it takes its first request
(deploy/gunicorn.conf.py's `post_worker_init`) instead of during it.

gunicorn replaces each worker every couple of thousand requests (`max_requests`); the new
worker's first intake used to build the grid locator (0.6 s over a city's 10,000 grid
outlines), load the category model and read the categories and the address gazetteer,
while a resident waited. Each step is the same call the intake makes, so what is built is
what the intake then uses, and the memos' own checks keep it current afterwards.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

log = logging.getLogger("genxi.warmup")


def steps() -> dict[str, Callable[[], Any]]:
    from genxi.cases import routing, suggestions
    from genxi.cases import selectors as cases
    from genxi.regions import selectors as regions

    return {
        "locator": regions.locator,
        "categories": cases.categories_by_code,
        "classifier": suggestions.current,
        "addresses": routing.address_index,
    }


def warm() -> dict[str, float]:
    """Build each step, timed (seconds). A step that fails is logged and skipped: a worker
    starts even when the database is not reachable yet, and builds on first use then."""
    took: dict[str, float] = {}
    for name, build in steps().items():
        started = time.perf_counter()
        try:
            build()
        except Exception:  # noqa: BLE001 - any failure: the request path builds it later
            log.warning("warm-up step %s failed", name, exc_info=True)
            continue
        took[name] = round(time.perf_counter() - started, 3)
    log.info("worker warmed up: %s", took)
    return took
