"""Against a real streaming replica (decisions/0033): the lag is measured on the standby,
a replica over the bound is not read, and within it the replica answers what it has.

Skipped unless GENXI_TEST_STREAMING_REPLICA=1, with DATABASE_URL on a primary and
DATABASE_REPLICA_URL on its hot standby (`pg_basebackup -R`), both as a superuser (the test
pauses the standby's replay): `scripts/replica_cluster.sh` makes such a pair."""

import os
import time

import pytest
from django.db import DEFAULT_DB_ALIAS, connections

from genxi.core import replica
from genxi.core.replica import PROBE, REPLICA, reading_replica
from genxi.regions.models import Region

pytestmark = [
    pytest.mark.skipif(
        os.environ.get("GENXI_TEST_STREAMING_REPLICA") != "1",
        reason="needs a primary and its streaming replica (GENXI_TEST_STREAMING_REPLICA=1)",
    ),
    pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, REPLICA]),
]


def _on_replica(sql: str):
    with connections[REPLICA].cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()


def _caught_up(seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while replica.measure_lag() != 0.0:
        assert time.monotonic() < deadline, "the replica did not catch up"
        time.sleep(0.05)


def test_lag_bound_and_fallback_on_a_real_standby(settings):
    assert _on_replica("SELECT pg_is_in_recovery()") == (True,)
    _caught_up()  # idle, everything replayed: no lag however old the last commit
    time.sleep(1.5)
    assert replica.measure_lag() == 0.0

    _on_replica("SELECT pg_wal_replay_pause()")
    try:
        region = Region.objects.create(code="320500000000", name="苏州市", level="city")
        time.sleep(1.5)
        lag = replica.measure_lag()
        assert lag >= 1.0, lag  # received, not replayed: the age of the last replayed commit

        settings.GENXI_REPLICA_MAX_LAG = 3600  # a bound it meets: the replica answers, stale
        PROBE.reset()
        with reading_replica():
            assert replica.use_replica()
            assert not Region.objects.filter(pk=region.pk).exists()

        settings.GENXI_REPLICA_MAX_LAG = 0.5  # over the bound: the primary answers
        PROBE.reset()
        with reading_replica():
            assert not replica.use_replica()
            assert Region.objects.get(pk=region.pk).name == "苏州市"
        assert replica.state() == "lagging"
    finally:
        _on_replica("SELECT pg_wal_replay_resume()")

    _caught_up()
    settings.GENXI_REPLICA_MAX_LAG = 30
    PROBE.reset()
    with reading_replica():
        assert replica.use_replica()
        found = Region.objects.get(pk=region.pk)
    assert found._state.db == REPLICA and found.name == "苏州市"
