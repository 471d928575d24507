"""gunicorn for genxi (docs/deploy.md): `gunicorn -c deploy/gunicorn.conf.py genxi.config.wsgi`.

Workers are processes (the ORM and the PII cipher are not shared across threads); each
answers one request at a time. Set GENXI_WEB_WORKERS to 2 × cores + 1 on a node of its own.
"""

import os

bind = os.environ.get("GENXI_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GENXI_WEB_WORKERS", "3"))
worker_class = "sync"
timeout = 60  # an export or an import upload; longer work goes to the background worker
graceful_timeout = 30
keepalive = 5
max_requests = 2000  # a worker is replaced now and then: no slow leak lives for ever
max_requests_jitter = 200
forwarded_allow_ips = os.environ.get("GENXI_TRUSTED_PROXIES", "127.0.0.1")
accesslog = None  # genxi logs each request itself (core/ops.py), in JSON with its id
errorlog = "-"
preload_app = False


def child_exit(server, worker):  # noqa: ARG001 - gunicorn's hook signature
    """With several workers, Prometheus samples live in files (PROMETHEUS_MULTIPROC_DIR):
    a worker that exits has its live gauges dropped."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


def post_worker_init(worker):  # noqa: ARG001 - gunicorn's hook signature
    """Build the intake's in-memory models (the grid locator, the category model, the
    categories, the address gazetteer) before the worker's first request, not during it
    (genxi.config.warmup)."""
    from genxi.config.warmup import warm

    warm()
