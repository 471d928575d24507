"""Reads that may lag: the streaming replica (docs/deploy.md, "Read replica and PgBouncer";
decisions/0033).

PostgreSQL's primary is the one source of truth. When `DATABASE_REPLICA_URL` is set, the
settings add a database alias `replica`, and code that opts in reads there:

    with reading_replica():          # or @replica_reads on a view
        figures = selectors.dashboard(...)

Only reads whose answer may be a little old opt in — the dashboards, the monthly reports'
figures, the spreadsheet exports, the public transparency pages and open data. Everything
else, and inside such a block every write, every transaction and `select_for_update`, stays
on the primary (`ReplicaRouter`):

- a write (`save`, `update`, `delete`, `get_or_create`, `select_for_update`…) asks
  `db_for_write`: always the primary;
- a read while the primary's connection is inside `transaction.atomic()` reads the primary:
  a transaction sees its own writes and one snapshot, never a replica's;
- a read outside any replica block reads the primary, even of an object the replica gave.

The staleness is stated, not hoped for: `GENXI_REPLICA_MAX_LAG` seconds (default 30). The
replica's lag is measured on it (`lag_seconds()`), kept in this process for
`CHECK_SECONDS`; a read goes to the replica only while the lag measured plus the age of
that measurement is within the bound (a replica falls behind by at most one second per
second), so what it answers is at most that old. A replica over the bound, or one that does
not answer, sends the reads back to the primary, with one warning per `WARN_SECONDS`. The
lag is the gauge `genxi_replica_lag_seconds` (`genxi_replica_up` says whether it answers);
`/readyz` names the replica's state without taking the node out (core/ops.py).
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections

REPLICA = "replica"
CHECK_SECONDS = 5.0  # how long this process believes one measurement of the lag
WARN_SECONDS = 60.0  # at most one warning per this many seconds about falling back
SAFE_METHODS = ("GET", "HEAD")
# Read from the primary even in a block: a session just made (a login a moment ago) and the
# lockout's count must be the current ones, whichever view first reads them.
PRIMARY_ONLY = frozenset({"sessions", "axes"})

logger = logging.getLogger(__name__)

_READING: ContextVar[bool] = ContextVar("genxi_reading_replica", default=False)

# The lag as a standby reports it, given the primary's WAL position read just before
# (`%s`). Not in recovery (a primary, or the test suite's mirror of the default database):
# no lag. The standby has replayed that position: it had everything the primary had when we
# asked, no lag. Everything received has been replayed and the WAL receiver is connected:
# nothing waits, no lag — however long ago the last transaction was (an idle primary).
# Otherwise the time since the last replayed transaction committed on the primary: an upper
# bound on what the replica misses (NULL: nothing replayed since the standby started,
# unknown). The receiver's row is visible to any role (its details only to
# pg_read_all_stats), so the app's role may run this.
LAG_SQL = """
SELECT CASE
    WHEN NOT pg_is_in_recovery() THEN 0
    WHEN pg_last_wal_replay_lsn() >= %s::pg_lsn THEN 0
    WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()
         AND EXISTS (SELECT 1 FROM pg_stat_wal_receiver) THEN 0
    ELSE extract(epoch FROM now() - pg_last_xact_replay_timestamp())
END
"""


# The block ----------------------------------------------------------------------------------


@contextmanager
def reading_replica() -> Iterator[None]:
    """Within this block, reads outside a transaction may come from the replica (if one is
    configured and within the bound); writes and transactions stay on the primary."""
    token = _READING.set(True)
    try:
        yield
    finally:
        _READING.reset(token)


@contextmanager
def reading_primary() -> Iterator[None]:
    """Within a replica block, this inner block reads the primary again."""
    token = _READING.set(False)
    try:
        yield
    finally:
        _READING.reset(token)


def replica_reads(view: Callable[..., Any]) -> Callable[..., Any]:
    """A view whose reads may come from the replica. Should the replica fail while a GET
    runs (its connection drops), the replica is taken as down and the view runs again on
    the primary; a POST's failure is the caller's, as any database error."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        with reading_replica():
            try:
                return view(request, *args, **kwargs)
            except (OperationalError, InterfaceError):
                if not _replica_failed() or request.method not in SAFE_METHODS:
                    raise
                PROBE.mark_down()
        return view(request, *args, **kwargs)

    return wrapped


def _replica_failed() -> bool:
    return configured() and bool(connections[REPLICA].errors_occurred)


# Settings -----------------------------------------------------------------------------------


def configured() -> bool:
    return REPLICA in settings.DATABASES


def max_lag() -> float:
    return float(getattr(settings, "GENXI_REPLICA_MAX_LAG", 30))


def stated_staleness() -> int | None:
    """The bound a page states ("may be up to N seconds old"), or None without a replica."""
    return math.ceil(max_lag()) if configured() else None


# The lag ------------------------------------------------------------------------------------


def measure_lag(alias: str = REPLICA) -> float:
    """The replica's lag in seconds, asked of it now; raises when it does not answer."""
    connection = connections[alias]
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")  # no replication outside PostgreSQL: it answers
        return 0.0
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(
            "SELECT CASE WHEN pg_is_in_recovery() THEN NULL ELSE pg_current_wal_lsn() END"
        )
        (primary_lsn,) = cursor.fetchone()
    with connection.cursor() as cursor:
        cursor.execute(LAG_SQL, [str(primary_lsn or "FFFFFFFF/FFFFFFFF")])
        (lag,) = cursor.fetchone()
    return math.inf if lag is None else max(float(lag), 0.0)


class Probe:
    """The last measurement of the replica's lag in this process: None, not measured or
    the replica did not answer; kept `CHECK_SECONDS`."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        self.lag: float | None = None
        self.at = -math.inf  # time.monotonic() of the measurement
        self.warned_at = -math.inf

    def mark_down(self) -> None:
        self.lag, self.at = None, time.monotonic()
        self._warn("the read replica failed; reading the primary")

    def current(self) -> tuple[float | None, float]:
        """(lag at the measurement or None if down, seconds since the measurement)."""
        now = time.monotonic()
        if now - self.at >= CHECK_SECONDS:
            with self._lock:
                if now - self.at >= CHECK_SECONDS:
                    started = time.monotonic()  # the lag is as of (at latest) this moment
                    try:
                        self.lag = measure_lag()
                    except Exception:  # noqa: BLE001 - a replica that fails is one that is down
                        self.lag = None
                    self.at = started
        return self.lag, max(time.monotonic() - self.at, 0.0)

    def usable(self) -> bool:
        lag, age = self.current()
        if lag is None:
            self._warn("the read replica does not answer; reading the primary")
            return False
        if lag + age > max_lag():
            self._warn(
                "the read replica lags %.1f s (bound %s s); reading the primary", lag, max_lag()
            )
            return False
        return True

    def _warn(self, message: str, *args: Any) -> None:
        now = time.monotonic()
        if now - self.warned_at >= WARN_SECONDS:
            self.warned_at = now
            logger.warning(message, *args)


PROBE = Probe()


def lag_seconds() -> float | None:
    """The replica's lag as last measured (at most `CHECK_SECONDS` old); None if it does
    not answer or none is configured."""
    if not configured():
        return None
    return PROBE.current()[0]


def state() -> str:
    """ "ok", "lagging" (over the bound) or "unavailable"; "" without a replica."""
    if not configured():
        return ""
    lag, age = PROBE.current()
    if lag is None:
        return "unavailable"
    return "ok" if lag + age <= max_lag() else "lagging"


def use_replica() -> bool:
    """Whether a read here and now goes to the replica."""
    return (
        _READING.get()
        and configured()
        and not connections[DEFAULT_DB_ALIAS].in_atomic_block
        and PROBE.usable()
    )


def lag_gauges() -> list[tuple[str, str, float]]:
    """For /metrics (core/ops.py): the lag (NaN when the replica does not answer) and
    whether it answers; nothing without a replica."""
    if not configured():
        return []
    lag = lag_seconds()
    return [
        (
            "genxi_replica_up",
            "Whether the read replica answers (1) or not (0)",
            float(lag is not None),
        ),
        (
            "genxi_replica_lag_seconds",
            "How far the read replica lags behind the primary, in seconds",
            math.nan if lag is None else lag,
        ),
    ]


# The router ---------------------------------------------------------------------------------


class ReplicaRouter:
    """Reads in a replica block to the replica (while usable); everything else, and every
    write, to the primary. Never migrates the replica (it is a copy of the primary)."""

    def db_for_read(self, model, **hints) -> str:
        if model._meta.app_label in PRIMARY_ONLY:
            return DEFAULT_DB_ALIAS
        return REPLICA if use_replica() else DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool | None:
        both = {obj1._state.db, obj2._state.db}
        return True if both <= {DEFAULT_DB_ALIAS, REPLICA} else None

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool | None:
        return False if db == REPLICA else None
