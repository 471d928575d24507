"""schemathesis over /api/v1/openapi.json, in process against Django's test database, as
a street admin with a token: no server error, every answer in the documented schema with a
documented status and content type, and a 401 without credentials."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from hypothesis import HealthCheck, settings

from genxi.cases.categories import ensure as ensure_categories
from genxi.cases.models import Category
from genxi.cases.services import case_create
from genxi.cobuild.tests.helpers import weekly_service
from genxi.config.wsgi import application
from genxi.core.services import api_token_create

MAX_EXAMPLES = 8  # per operation; the whole run stays well under two minutes on two cores

CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
    schemathesis.checks.response_headers_conformance,
    schemathesis.checks.ignored_auth,
]


# Loaded at collection: the OpenAPI document needs no database. (The lazy
# `schemathesis.pytest.from_fixture` loader does not run under pytest 9.)
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def street_token(world):
    if connection.vendor != "postgresql":
        pytest.skip("schemathesis runs on PostgreSQL (make test-postgres)")
    ensure_categories(Category)
    # Something in every list, so that answers with items are checked too.
    world.resident(world.grid_a1)
    world.pioneer(world.grid_a1, "P-1")
    weekly_service(world, weeks=2)
    case_create(
        actor=world.users["community"],
        channel="phone",
        text="彩香一村路灯坏了很多天",
        lat=31.321,
        lon=120.591,
    )
    # Like Django's test client: a request must not close the test's connection (and with
    # it the transaction that holds the world).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield api_token_create(actor=None, user=world.users["street"], name="schemathesis")
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.postgres
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_api_answers_as_documented(case, street_token):
    case.call_and_validate(headers={"Authorization": f"Bearer {street_token}"}, checks=CHECKS)
