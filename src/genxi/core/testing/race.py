"""Run calls side by side, each in its own thread with its own database connection, for the
PostgreSQL race tests (SQLite serialises every write, so they skip there)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection


@dataclass
class RaceOutcome:
    done: list[Any] = field(default_factory=list)  # what the calls that went through returned
    refused: list[ValidationError] = field(default_factory=list)  # a clear answer
    errors: list[BaseException] = field(default_factory=list)  # anything else: a 500


def needs_postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("races are tested on PostgreSQL (SQLite serialises every write)")


def race(calls: list[Callable[[], Any]]) -> RaceOutcome:
    """Start every call at the same moment (a barrier) and wait for all of them."""
    barrier = threading.Barrier(len(calls))
    outcome = RaceOutcome()
    lock = threading.Lock()

    def run(call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            result = call()
            with lock:
                outcome.done.append(result)
        except ValidationError as exc:
            with lock:
                outcome.refused.append(exc)
        except BaseException as exc:  # noqa: BLE001 - reported to the test
            with lock:
                outcome.errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcome
