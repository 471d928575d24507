"""Health, readiness, metrics and logs for the operators (core/ops.py, core/logs.py)."""

import json
import logging
from unittest import mock

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from genxi.cases import services
from genxi.core import logs, ops


def test_health_answers_without_a_host_check_or_the_https_redirect(client, settings):
    settings.ALLOWED_HOSTS = ["genxi.example.gov.cn"]
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/healthz", HTTP_HOST="10.0.0.5:8000")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    # Any other page still checks the host.
    assert client.get(reverse("login"), HTTP_HOST="10.0.0.5:8000").status_code == 400


@pytest.mark.django_db(databases=["default", "replica"])
def test_ready_names_each_check(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {  # the replica: the test database's mirror (core/replica.py)
        "status": "ready",
        "checks": {"database": "ok", "migrations": "ok", "cache": "ok", "replica": "ok"},
    }


def test_not_ready_when_the_cache_or_the_database_fails(client, db):
    with mock.patch.object(cache, "set", side_effect=ConnectionError("redis down")):
        response = client.get("/readyz")
    assert response.status_code == 503 and response.json()["checks"]["cache"] == "unavailable"
    with mock.patch("genxi.core.ops.connection.cursor", side_effect=OSError("db down")):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "unavailable"


def test_metrics_only_to_allowed_addresses_or_the_token(client, db, settings):
    settings.GENXI_METRICS_ALLOW = ["10.1.0.0/16"]
    settings.GENXI_METRICS_TOKEN = "s3cret-token-for-prometheus"
    assert client.get("/metrics", REMOTE_ADDR="192.0.2.7").status_code == 403
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    wrong = client.get("/metrics", REMOTE_ADDR="192.0.2.7", HTTP_AUTHORIZATION="Bearer nope")
    assert wrong.status_code == 403
    right = client.get(
        "/metrics",
        REMOTE_ADDR="192.0.2.7",
        HTTP_AUTHORIZATION="Bearer s3cret-token-for-prometheus",
    )
    assert right.status_code == 200


def _sample(text, name):
    for line in text.splitlines():
        if line.startswith(name + " ") or line.startswith(name + "{"):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"{name} not in the metrics")


def test_metrics_count_requests_by_route_and_the_work_waiting(client, world):
    client.get(reverse("login"))
    cache.clear()
    case = services.case_create(
        actor=None, channel="phone", text="楼道里堆满了杂物", region=world.grid_a1
    )
    text = client.get("/metrics", REMOTE_ADDR="127.0.0.1").content.decode()
    assert (
        'genxi_http_request_duration_seconds_count{method="GET",route="login",status="200"}' in text
    )
    assert _sample(text, "genxi_cases_open") == 1
    assert _sample(text, "genxi_cases_overdue") == 0
    assert _sample(text, "genxi_task_queue_depth") >= 0
    assert case.code not in text  # route names, never paths


def test_each_request_has_an_id_echoed_and_logged_in_json(client, db, caplog):
    with caplog.at_level(logging.INFO, logger="genxi.request"):
        response = client.get(reverse("login"), HTTP_X_REQUEST_ID="abcdef0123456789")
        other = client.get(reverse("login"), HTTP_X_REQUEST_ID="bad id with spaces")
    assert response["X-Request-ID"] == "abcdef0123456789"
    assert other["X-Request-ID"] != "bad id with spaces" and len(other["X-Request-ID"]) == 32
    record = next(r for r in caplog.records if r.name == "genxi.request")
    assert record.http["route"] == "login" and record.http["status"] == 200
    logs.start_request("abcdef0123456789")
    try:
        line = json.loads(logs.JsonFormatter().format(record))
    finally:
        logs.end_request()
    assert line["logger"] == "genxi.request" and line["request_id"] == "abcdef0123456789"
    assert line["http"]["route"] == "login" and line["level"] == "INFO"


def test_gauges_are_cached_so_scrapers_cost_one_count(db, django_assert_max_num_queries):
    cache.clear()
    ops.gauges()
    with django_assert_max_num_queries(0):
        ops.gauges()


@override_settings(GENXI_METRICS_ALLOW=["127.0.0.1/32"])
def test_a_malformed_peer_address_is_refused(client, db):
    assert client.get("/metrics", REMOTE_ADDR="not-an-address").status_code == 403
