"""What the operators of a deployment watch (docs/deploy.md, "Health, metrics, logs").

- `/healthz`: the process answers (liveness; touches nothing else).
- `/readyz`: this node can serve: the database answers, the cache answers, and no
  migration is waiting (readiness; 503 with the failing check named otherwise). The read
  replica, if any, is named too but never takes the node out ("degraded").
- `/metrics`: Prometheus metrics — request latency by route, the background queue's depth
  and lag, open and overdue cases — only to the addresses in `GENXI_METRICS_ALLOW` (default
  the host itself) or with `GENXI_METRICS_TOKEN` as a bearer token.

They are answered by `OpsMiddleware`, first in the chain: a probe from a load balancer or
Prometheus reaches a node by its address (not the site's host name) and over plain HTTP,
so host validation and the HTTPS redirect must not stand in its way.

`RequestMetricsMiddleware` times every request (a histogram labelled by the route's name,
never the raw path, so the series stay few) and logs one line per request with its
request id (`X-Request-ID`, set by nginx or made here and echoed back), which the JSON log
format (`core.logs`) puts on every line written while the request runs.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
import time
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.module_loading import import_string
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from . import logs, replica

# Apps add gauges through a provider: a function answering [(name, help, value)], read at
# scrape time (cached GAUGE_SECONDS, so that many scrapers cost one count).
GAUGE_PROVIDERS = [
    "genxi.core.ops.task_gauges",
    "genxi.cases.selectors.ops_gauges",
    "genxi.core.replica.lag_gauges",
]
GAUGE_SECONDS = 30

REQUEST_SECONDS = Histogram(
    "genxi_http_request_duration_seconds",
    "Time to answer a request, by route name, method and status",
    ["route", "method", "status"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2, 5, 10),
)


def task_gauges() -> list[tuple[str, str, float]]:
    """The background queue (django-tasks' database backend): tasks ready to run now, and
    how long the oldest of them has waited (the worker's lag)."""
    from django_tasks_db.models import DBTaskResult

    ready = DBTaskResult.objects.ready()
    oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    lag = (timezone.now() - oldest).total_seconds() if oldest else 0.0
    return [
        ("genxi_task_queue_depth", "Background tasks ready to run", float(ready.count())),
        ("genxi_task_lag_seconds", "Age of the oldest task ready to run", max(lag, 0.0)),
    ]


def gauges() -> list[tuple[str, str, float]]:
    found = cache.get("genxi:ops:gauges")
    if found is None:
        found = [g for dotted in GAUGE_PROVIDERS for g in import_string(dotted)()]
        cache.set("genxi:ops:gauges", found, GAUGE_SECONDS)
    return list(found)


class GaugeCollector(Collector):
    def collect(self) -> Iterator[GaugeMetricFamily]:
        for name, help_text, value in gauges():
            yield GaugeMetricFamily(name, help_text, value=value)


def _registry() -> CollectorRegistry:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # Several gunicorn workers: each writes its samples to files; one scrape reads all.
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    return registry


def metrics_text() -> bytes:
    registry = CollectorRegistry()
    registry.register(GaugeCollector())
    return generate_latest(_registry()) + generate_latest(registry)


def _client_allowed(request: HttpRequest) -> bool:
    token = getattr(settings, "GENXI_METRICS_TOKEN", "")
    given = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(given, f"Bearer {token}"):
        return True
    try:
        peer = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(peer in ipaddress.ip_network(n, strict=False) for n in settings.GENXI_METRICS_ALLOW)


def _migrations_pending() -> bool:
    """Whether a migration waits (checked once a minute per process: it reads the graph)."""
    now = time.monotonic()
    checked = _migrations_pending.__dict__.get("at", -1e9)
    if now - checked > 60:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        _migrations_pending.__dict__.update(at=now, pending=bool(plan))
    return bool(_migrations_pending.__dict__["pending"])


# Checks that are reported but do not make the node unready (answered as "degraded").
DEGRADING = ("replica",)


def readiness() -> tuple[bool, dict[str, str]]:
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
        checks["migrations"] = "pending" if _migrations_pending() else "ok"
    except Exception:  # noqa: BLE001 - a probe names the failing part, never raises
        checks["database"] = "unavailable"
    try:
        cache.set("genxi:ops:ready", 1, 10)
        checks["cache"] = "ok" if cache.get("genxi:ops:ready") == 1 else "unavailable"
    except Exception:  # noqa: BLE001
        checks["cache"] = "unavailable"
    ready = all(v == "ok" for v in checks.values())
    if replica.configured():
        # The replica is named but never takes the node out: without it, reads that could
        # go there read the primary (core/replica.py). "lagging" or "unavailable": degraded.
        checks["replica"] = replica.state()
    return ready, checks


class OpsMiddleware:
    """Answers /healthz, /readyz and /metrics before anything else runs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if path == "/healthz":
            return JsonResponse({"status": "ok"})
        if path == "/readyz":
            ready, checks = readiness()
            body: dict[str, Any] = {"status": "ready" if ready else "not ready", "checks": checks}
            degraded = [name for name in DEGRADING if checks.get(name, "ok") != "ok"]
            if degraded:
                body["degraded"] = degraded
            return JsonResponse(body, status=200 if ready else 503)
        if path == "/metrics":
            if not _client_allowed(request):
                return HttpResponse(status=403)
            return HttpResponse(metrics_text(), content_type=CONTENT_TYPE_LATEST)
        return self.get_response(request)


class RequestMetricsMiddleware:
    """Times each request (the histogram) and logs it as one line with its request id."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = logs.start_request(request.headers.get("X-Request-ID"))
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            seconds = time.perf_counter() - started
            match = getattr(request, "resolver_match", None)
            route = (match.view_name if match else "") or "unmatched"
            status = response.status_code
            REQUEST_SECONDS.labels(route, request.method or "", str(status)).observe(seconds)
            response["X-Request-ID"] = request_id
            user = getattr(request, "user", None)
            fields: dict[str, Any] = {
                "method": request.method,
                "route": route,
                "status": status,
                "duration_ms": round(seconds * 1000, 1),
                "user_id": user.pk if user is not None and user.is_authenticated else None,
            }
            logs.REQUEST_LOG.info("%s %s %s", request.method, route, status, extra={"http": fields})
            return response
        finally:
            logs.end_request()
