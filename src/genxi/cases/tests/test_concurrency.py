"""Many people acting on the same cases at once (PostgreSQL): every case ends in one
consistent state, and no transition is lost or applied twice."""

import random
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from genxi.cases import services
from genxi.cases.models import Case, CaseState
from genxi.core.models import AuditEvent

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested on PostgreSQL (SQLite serialises every write)")


def test_racing_dispatchers_handlers_and_checkers(postgres_only, loop):
    community, worker = loop.users["community"], loop.users["grid"]
    street = loop.users["street"]
    cases = [
        services.case_create(
            actor=community, channel="phone", text=f"第{n}件:楼道里堆满了杂物", region=loop.grid_a1
        )
        for n in range(8)
    ]
    plan = [
        (community, "accept", {}),
        (community, "dispatch", {"handler": worker}),
        (street, "transfer", {"handler": worker}),
        (worker, "take", {}),
        (worker, "resolve", {"result": "已处理"}),
        (community, "verify", {}),
        (community, "send_back", {"reason": "没处理干净"}),
        (worker, "return", {"reason": "不归我管"}),
        (street, "flag", {}),
    ]
    applied: list[tuple[int, str]] = []
    lock = threading.Lock()
    errors: list[BaseException] = []

    def worker_thread(seed: int):
        rng = random.Random(seed)
        try:
            for _ in range(40):
                case = rng.choice(cases)
                user, action, fields = rng.choice(plan)
                try:
                    services.case_act(actor=user, case=case, action=action, **fields)
                except (ValidationError, PermissionDenied):
                    continue
                with lock:
                    applied.append((case.pk, action))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker_thread, args=(s,)) for s in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert applied, "no transition happened at all"
    for case in Case.objects.filter(pk__in=[c.pk for c in cases]):
        events = list(case.events.order_by("seq"))
        # History: gapless, each step starts where the previous one ended, ends at the state.
        assert [e.seq for e in events] == list(range(1, len(events) + 1))
        for before, after in zip(events, events[1:], strict=False):
            assert after.from_state == before.to_state
        assert events[-1].to_state == case.state
        # Every applied transition is in the history exactly once, and nothing else is.
        mine = [a for pk, a in applied if pk == case.pk]
        assert sorted(e.action for e in events[1:]) == sorted(mine)
        assert case.returns == mine.count("return")
        assert case.reworks == mine.count("send_back")
        assert AuditEvent.objects.filter(
            target_id=str(case.pk), verb__startswith="case."
        ).count() == len(events)
        assert case.state in CaseState.values
    # The daily roll-ups moved with every transition that went through, and only those.
    from genxi.cases.tests.test_rollups import direct, stored

    assert stored() == direct()
