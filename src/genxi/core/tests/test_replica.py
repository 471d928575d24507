"""The read replica (core/replica.py, decisions/0033): only a replica block reads there,
never a write, a transaction or a row lock; over the stated lag or silent, the primary
answers; the pages that opt in do read there; the settings parse as documented."""

import logging
import math
import runpy
import time
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections, router, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from genxi.config.settings import base as base_settings
from genxi.core import replica
from genxi.core.replica import (
    PROBE,
    REPLICA,
    reading_primary,
    reading_replica,
    replica_reads,
    use_replica,
)
from genxi.regions.models import Region

WRITES = ("INSERT", "UPDATE", "DELETE")
BASE_SETTINGS = Path(base_settings.__file__)


@pytest.fixture
def lag(monkeypatch):
    """The replica's measured lag, as the test sets it (None: it does not answer); counts
    the measurements."""
    state = {"lag": 0.0, "asked": 0}

    def measure(alias=REPLICA):
        state["asked"] += 1
        if state["lag"] is None:
            raise OperationalError("connection refused")
        return state["lag"]

    monkeypatch.setattr(replica, "measure_lag", measure)
    PROBE.reset()
    yield state
    PROBE.reset()


# The router, without a database -------------------------------------------------------------


def test_reads_go_to_the_replica_only_inside_a_block(lag):
    assert router.db_for_read(Region) == DEFAULT_DB_ALIAS
    with reading_replica():
        assert router.db_for_read(Region) == REPLICA
        with reading_primary():
            assert router.db_for_read(Region) == DEFAULT_DB_ALIAS
        assert router.db_for_read(Region) == REPLICA
    assert router.db_for_read(Region) == DEFAULT_DB_ALIAS
    # an object the replica gave is read again from the primary outside the block
    region = Region(code="x")
    region._state.db = REPLICA
    assert router.db_for_read(Region, instance=region) == DEFAULT_DB_ALIAS


def test_sessions_and_lockouts_are_always_read_on_the_primary(lag):
    from axes.models import AccessAttempt
    from django.contrib.sessions.models import Session

    with reading_replica():
        assert router.db_for_read(Region) == REPLICA
        assert router.db_for_read(Session) == DEFAULT_DB_ALIAS
        assert router.db_for_read(AccessAttempt) == DEFAULT_DB_ALIAS


def test_writes_go_to_the_primary_even_inside_a_block(lag):
    with reading_replica():
        assert router.db_for_write(Region) == DEFAULT_DB_ALIAS
        # select_for_update, get_or_create, update: querysets "for write" ask db_for_write
        assert Region.objects.select_for_update().db == DEFAULT_DB_ALIAS
        assert Region.objects.all().db == REPLICA


def test_relations_across_the_two_and_no_migration_of_the_replica():
    a, b = Region(), Region()
    a._state.db, b._state.db = DEFAULT_DB_ALIAS, REPLICA
    assert router.allow_relation(a, b)
    assert router.allow_migrate(REPLICA, "regions") is False
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "regions") is True


def test_the_lag_bound_counts_the_age_of_the_measurement(lag, settings):
    settings.GENXI_REPLICA_MAX_LAG = 30
    lag["lag"] = 29.0
    with reading_replica():
        assert use_replica()
        PROBE.at -= 2  # measured 2 s ago: the replica may now be 31 s behind
        assert not use_replica()
    assert lag["asked"] == 1  # kept CHECK_SECONDS: one measurement for all these reads


def test_over_the_bound_or_silent_the_primary_answers_with_one_warning(lag, settings, caplog):
    settings.GENXI_REPLICA_MAX_LAG = 30
    caplog.set_level(logging.WARNING, logger="genxi.core.replica")
    lag["lag"] = 45.0
    with reading_replica():
        assert router.db_for_read(Region) == DEFAULT_DB_ALIAS
        assert router.db_for_read(Region) == DEFAULT_DB_ALIAS
    assert [r.getMessage() for r in caplog.records] == [
        "the read replica lags 45.0 s (bound 30.0 s); reading the primary"
    ]
    PROBE.reset()
    caplog.clear()
    lag["lag"] = None
    with reading_replica():
        assert router.db_for_read(Region) == DEFAULT_DB_ALIAS
    assert "does not answer" in caplog.records[0].getMessage()
    assert replica.lag_seconds() is None and replica.state() == "unavailable"
    lag["lag"] = 1.0
    PROBE.at -= replica.CHECK_SECONDS  # the next measurement: it is back
    with reading_replica():
        assert router.db_for_read(Region) == REPLICA


def test_a_view_whose_replica_fails_runs_again_on_the_primary(lag, rf):
    seen = []

    @replica_reads
    def view(request):
        seen.append(use_replica())
        if len(seen) == 1:
            connections[REPLICA].errors_occurred = True  # as Django marks a failed connection
            raise OperationalError("server closed the connection unexpectedly")
        return "answered"

    try:
        assert view(rf.get("/")) == "answered"
        assert seen == [True, False] and replica.state() == "unavailable"
        PROBE.reset()
        seen.clear()
        with pytest.raises(OperationalError):
            view(rf.post("/"))  # not run twice: a POST may have written
        assert seen == [True]
    finally:
        connections[REPLICA].errors_occurred = False


# With the database (the replica mirrors the test database) ------------------------------------


@pytest.mark.django_db
def test_inside_a_transaction_everything_reads_the_primary(lag):
    with reading_replica():
        assert connections[DEFAULT_DB_ALIAS].in_atomic_block  # the test's own transaction
        assert router.db_for_read(Region) == DEFAULT_DB_ALIAS
    assert lag["asked"] == 0  # not even measured


@pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, REPLICA])
def test_the_lag_is_measured_on_the_replica_and_a_block_reads_there():
    region = Region.objects.create(code="320500000000", name="苏州市", level="city")
    waited = 0  # the mirror is not a standby: no lag; a real standby (DATABASE_REPLICA_URL)
    while replica.measure_lag() != 0.0:  # has replayed the primary's position in a moment
        assert waited < 200, "the replica did not catch up in 10 s"
        waited += 1
        time.sleep(0.05)
    assert replica.state() == "ok"
    with CaptureQueriesContext(connections[REPLICA]) as on_replica, reading_replica():
        assert Region.objects.get(pk=region.pk).name == "苏州市"
        Region.objects.filter(pk=region.pk).update(name="苏州")  # a write: the primary
        obj, made = Region.objects.get_or_create(pk=region.pk)
        with transaction.atomic():  # a transaction: the primary, reads included
            Region.objects.select_for_update().get(pk=region.pk)
            Region.objects.count()
    sql = [q["sql"] for q in on_replica.captured_queries]
    assert len(sql) == 1 and sql[0].lstrip().upper().startswith("SELECT"), sql
    assert not made and obj.name == "苏州"


@pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, REPLICA])
def test_the_pages_that_may_lag_read_the_replica(client):
    from genxi.campaigns.tests.helpers import campaign
    from genxi.core.testing.world import build_world

    w = build_world()
    made = campaign(w)
    month = f"{date.today().replace(day=1):%Y-%m}"
    pages = [
        ("community", reverse("dashboards:region", args=[w.a1.code])),
        ("community", reverse("dashboards:points", args=[w.a1.code])),
        ("community", reverse("reports:download", args=[w.a1.code, month, "xlsx"])),
        ("community", reverse("people:residents") + "?format=xlsx"),
        ("community", reverse("cobuild:community", args=[w.a1.pk]) + "?format=xlsx"),
        ("street", reverse("campaigns:export", args=[made.pk])),
        (None, reverse("transparency:index")),
        (None, reverse("transparency:place", args=[w.street_a.code])),
        (None, reverse("transparency:data_csv", args=[w.street_a.code])),
        (None, reverse("transparency:data_json", args=[w.street_a.code])),
    ]
    for who, url in pages:
        client.logout()
        if who:
            client.force_login(w.users[who])
        with CaptureQueriesContext(connections[REPLICA]) as on_replica:
            response = client.get(url)
        assert response.status_code == 200, url
        sql = [q["sql"].lstrip().upper() for q in on_replica.captured_queries]
        assert sql, f"{url} read nothing from the replica"
        assert not [s for s in sql if s.startswith(WRITES)], url
    # and a page that does not opt in reads the primary only
    client.force_login(w.users["community"])
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        assert client.get(reverse("reports:region", args=[w.a1.code])).status_code == 200
    assert on_replica.captured_queries == []


@pytest.mark.django_db
def test_the_dashboard_states_the_staleness_only_with_a_replica(client, world, monkeypatch):
    client.force_login(world.users["community"])
    url = reverse("dashboards:region", args=[world.a1.code])
    page = client.get(url).content.decode()
    assert "data-staleness" in page and "数据可能滞后至多30秒" in page
    monkeypatch.setattr(replica, "configured", lambda: False)
    assert "data-staleness" not in client.get(url).content.decode()


@pytest.mark.django_db
def test_readyz_names_the_replica_but_stays_ready(client, lag, settings):
    settings.GENXI_REPLICA_MAX_LAG = 30
    body = client.get("/readyz").json()
    assert body["checks"]["replica"] == "ok" and "degraded" not in body
    for measured, named in ((120.0, "lagging"), (None, "unavailable")):
        PROBE.reset()
        lag["lag"] = measured
        response = client.get("/readyz")
        assert response.status_code == 200, named
        body = response.json()
        assert body["status"] == "ready" and body["checks"]["replica"] == named
        assert body["degraded"] == ["replica"]


def test_the_gauges(lag):
    lag["lag"] = 2.5
    assert {n: v for n, _h, v in replica.lag_gauges()} == {
        "genxi_replica_up": 1.0,
        "genxi_replica_lag_seconds": 2.5,
    }
    PROBE.reset()
    lag["lag"] = None
    gauges = {n: v for n, _h, v in replica.lag_gauges()}
    assert gauges["genxi_replica_up"] == 0.0 and math.isnan(gauges["genxi_replica_lag_seconds"])


# Settings -------------------------------------------------------------------------------------


def _base(monkeypatch, **env):
    for name in ("DATABASE_REPLICA_URL", "GENXI_DB_POOLER", "CONN_MAX_AGE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(BASE_SETTINGS))


def test_without_a_replica_url_there_is_only_the_default(monkeypatch):
    found = _base(monkeypatch, DATABASE_URL="postgres://app@db:5432/genxi")
    assert list(found["DATABASES"]) == ["default"]
    assert found["DATABASE_ROUTERS"] == ["genxi.core.replica.ReplicaRouter"]


def test_the_replica_url_adds_the_alias(monkeypatch):
    found = _base(
        monkeypatch,
        DATABASE_URL="postgres://app:pw@db:5432/genxi",
        DATABASE_REPLICA_URL="postgres://app:pw@db2:5433/genxi",
        GENXI_REPLICA_MAX_LAG="12.5",
    )
    r = found["DATABASES"]["replica"]
    assert (r["HOST"], r["PORT"], r["NAME"], r["USER"]) == ("db2", 5433, "genxi", "app")
    assert r["OPTIONS"]["connect_timeout"] == 3
    assert found["GENXI_REPLICA_MAX_LAG"] == 12.5
    with pytest.raises(ImproperlyConfigured):
        _base(monkeypatch, DATABASE_URL="sqlite:///x.db", DATABASE_REPLICA_URL="postgres://h/db")


def test_behind_pgbouncer(monkeypatch):
    found = _base(
        monkeypatch,
        DATABASE_URL="postgres://app:pw@pgbouncer:6432/genxi",
        DATABASE_REPLICA_URL="postgres://app:pw@pgbouncer:6432/genxi_replica",
        GENXI_DB_POOLER="pgbouncer",
    )
    for db in found["DATABASES"].values():
        assert db["DISABLE_SERVER_SIDE_CURSORS"] is True
        assert "prepare_threshold" in db["OPTIONS"] and db["OPTIONS"]["prepare_threshold"] is None
        assert db["CONN_MAX_AGE"] == 300 and db["CONN_HEALTH_CHECKS"] is True
    without = _base(monkeypatch, DATABASE_URL="postgres://app:pw@db:5432/genxi")
    assert not without["DATABASES"]["default"].get("DISABLE_SERVER_SIDE_CURSORS")
    for url, pooler in (("sqlite:///x.db", "pgbouncer"), ("postgres://h/db", "pgpool")):
        with pytest.raises(ImproperlyConfigured):
            _base(monkeypatch, DATABASE_URL=url, GENXI_DB_POOLER=pooler)


def test_the_test_settings_mirror_the_default(settings):
    assert settings.DATABASES[REPLICA]["TEST"]["MIRROR"] == DEFAULT_DB_ALIAS
