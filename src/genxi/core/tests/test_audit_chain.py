"""The audit log's hash chain: `genxi audit verify` names the first missing or altered
event, a purge keeps the chain verifiable, and the database sets an event's time."""

import threading
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, connections, transaction
from django.utils import timezone

from genxi.core import audit, audit_chain
from genxi.core.models import AuditEvent, AuditSeal
from genxi.core.services import audit_purge
from genxi.core.testing.dbrole import as_owner, audit_guards_off


def _events(n, actor=None):
    return [
        audit.record(actor=actor, verb=f"test.e{i}", after={"i": i, "名": "甲"}) for i in range(n)
    ]


def _verify_command():
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


def test_a_clean_chain_verifies(world):
    _events(5, actor=world.users["street"])
    total = AuditEvent.objects.count()
    assert "verified" in _verify_command() and AuditSeal.objects.count() == total
    report = audit_chain.verify()
    assert report.problem is None and report.verified == total and report.unsealed == 0
    assert f"verified {total} audit events" in _verify_command()


def test_an_altered_event_is_named(world):
    events = _events(4)
    audit_chain.seal()
    victim = events[2]
    with audit_guards_off(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_auditevent SET after = %s WHERE id = %s", ['{"i": 99}', victim.pk]
        )
    problem = audit_chain.verify().problem
    assert (problem.event_id, problem.what) == (victim.pk, "altered")
    assert problem.event_time == AuditEvent.objects.get(pk=victim.pk).created_at
    with pytest.raises(CommandError, match=f"event {victim.pk} .*altered"):
        _verify_command()


def test_an_event_altered_with_its_seal_rehashed_is_named(world):
    events = _events(3)
    audit_chain.seal()
    seal = AuditSeal.objects.get(event_id=events[0].pk)
    with audit_guards_off(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET verb = 'x' WHERE id = %s", [events[0].pk])
        forged = audit_chain.chain_hash(
            seal.prev_hash, seal.seq, AuditEvent.objects.get(pk=events[0].pk)
        )
        cursor.execute("UPDATE core_auditseal SET hash = %s WHERE seq = %s", [forged, seal.seq])
    problem = audit_chain.verify().problem
    assert (problem.event_id, problem.what) == (events[0].pk, "altered, and its seal")


def test_a_rewritten_chain_does_not_hold_the_head_kept_outside(world):
    """Whoever rewrites the chain from an altered event on passes `verify`, but not the
    head that an earlier `verify` printed and that was kept elsewhere."""
    events = _events(3)
    kept = _verify_command().rsplit("head ", 1)[1].strip()
    call_command("audit", "verify", head=kept, stdout=StringIO())
    with audit_guards_off(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET verb = 'x' WHERE id = %s", [events[0].pk])
        prev = None
        for seal in AuditSeal.objects.filter(event_id__gte=events[0].pk).order_by("seq"):
            prev = prev or seal.prev_hash
            digest = audit_chain.chain_hash(
                prev, seal.seq, AuditEvent.objects.get(pk=seal.event_id)
            )
            cursor.execute(
                "UPDATE core_auditseal SET prev_hash = %s, hash = %s WHERE seq = %s",
                [prev, digest, seal.seq],
            )
            prev = digest
    assert audit_chain.verify().problem is None  # a consistent forgery
    with pytest.raises(CommandError, match="rewritten"):
        call_command("audit", "verify", head=kept, stdout=StringIO())


def test_a_deleted_event_is_named(world):
    events = _events(4)
    audit_chain.seal()
    with audit_guards_off(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [events[1].pk])
    problem = audit_chain.verify().problem
    assert (problem.event_id, problem.what) == (events[1].pk, "missing (deleted)")
    with pytest.raises(CommandError, match=f"event {events[1].pk} .*missing"):
        _verify_command()


def test_a_deleted_event_and_its_seal_leave_a_gap_that_is_named(world):
    events = _events(4)
    audit_chain.seal()
    gone = AuditSeal.objects.get(event_id=events[1].pk)
    with audit_guards_off(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [events[1].pk])
        cursor.execute("DELETE FROM core_auditseal WHERE seq = %s", [gone.seq])
    problem = audit_chain.verify().problem
    assert problem.seq == gone.seq and "missing" in problem.what
    assert f"before event {events[2].pk}" in problem.what


def test_events_committed_late_are_sealed_later_and_verify(world):
    first = _events(2)
    audit_chain.seal()
    late = _events(2)  # as if they had committed after the first seal
    assert audit_chain.verify().unsealed == 2
    assert audit_chain.seal() == 2 and audit_chain.seal() == 0
    seqs = AuditSeal.objects.filter(event_id__in=[e.pk for e in first + late]).count()
    assert seqs == 4 and audit_chain.verify().problem is None


def test_the_database_sets_the_event_time(world):
    """A back-dated event cannot be written: PostgreSQL puts its own time in its place,
    SQLite refuses it."""
    long_ago = timezone.now() - timedelta(days=400)
    if connection.vendor == "postgresql":
        event = AuditEvent.objects.create(actor_label="x", verb="test.old", created_at=long_ago)
        stored = AuditEvent.objects.get(pk=event.pk).created_at
        assert abs(stored - timezone.now()) < timedelta(minutes=1)
    else:
        with pytest.raises(DatabaseError), transaction.atomic():
            AuditEvent.objects.create(actor_label="x", verb="test.old", created_at=long_ago)
        assert not AuditEvent.objects.filter(verb="test.old").exists()


def test_a_purge_keeps_the_chain_verifiable(world):
    with audit_guards_off():
        for days in (300, 250, 200):
            AuditEvent.objects.create(
                actor_label="system", verb="old", created_at=timezone.now() - timedelta(days=days)
            )
    _events(2)
    audit_chain.seal()
    with as_owner():  # the purge runs as the owner (docs/deploy.md)
        assert audit_purge(days=184) == 3
    assert not AuditEvent.objects.filter(verb="old").exists()
    purge = AuditEvent.objects.get(verb="audit.purge")
    assert purge.after["kept_from_seq"] == AuditSeal.objects.order_by("seq").first().seq > 1
    assert "verified" in _verify_command()


def test_cutting_the_oldest_events_without_a_purge_is_named(world):
    events = _events(3)
    audit_chain.seal()
    with audit_guards_off(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [events[0].pk])
        cursor.execute("DELETE FROM core_auditseal WHERE event_id = %s", [events[0].pk])
    problem = audit_chain.verify().problem
    assert problem.seq == 1 and "no purge recorded" in problem.what


def test_the_seals_are_guarded_like_the_events(world):
    _events(1)
    audit_chain.seal()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditseal SET hash = 'x'")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_and_sealers_keep_one_chain():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested on PostgreSQL (SQLite serialises every write)")
    errors = []
    start = threading.Barrier(6)

    def writer(n):
        try:
            start.wait()
            for i in range(25):
                with transaction.atomic():
                    audit.record(actor=None, verb="test.race", after={"w": n, "i": i})
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    def sealer():
        try:
            start.wait()
            for _ in range(15):
                audit_chain.seal()
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    threads += [threading.Thread(target=sealer) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    audit_chain.seal(full=True)
    report = audit_chain.verify()
    assert report.problem is None and report.unsealed == 0
    assert report.verified == AuditEvent.objects.count() >= 100
    assert report.head_seq == AuditSeal.objects.count()
