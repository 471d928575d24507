"""Audit events: written by services, never changed or deleted through the app."""

from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from genxi.core import audit
from genxi.core.models import AuditEvent, AuditImmutableError
from genxi.core.services import audit_purge
from genxi.core.testing.dbrole import as_owner, audit_guards_off
from genxi.people import services as people


def test_service_writes_before_and_after(world):
    actor = world.users["community"]
    r = people.resident_create(
        actor=actor, name="王秀英", id_number="320508195001010012", grid=world.grid_a1,
        phone="13800000001",
    )  # fmt: skip
    created = AuditEvent.objects.get(verb="resident.create")
    assert created.actor == actor and created.target_id == str(r.pk)
    assert created.after["phone"] == "138****0001"  # masked, never plain
    people.resident_update(actor=actor, resident=r, name="王秀兰")
    updated = AuditEvent.objects.get(verb="resident.update")
    assert updated.before == {"name": "王秀英"} and updated.after == {"name": "王秀兰"}


def test_events_cannot_be_changed_or_deleted_through_the_orm(world):
    event = audit.record(actor=world.users["street"], verb="test.event")
    event.verb = "changed"
    with pytest.raises(AuditImmutableError):
        event.save()
    with pytest.raises(AuditImmutableError):
        event.delete()
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.filter(pk=event.pk).update(verb="changed")
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).verb == "test.event"


def test_database_refuses_updates(world):
    event = audit.record(actor=None, verb="test.event")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET verb = 'x' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).verb == "test.event"


def test_purge_keeps_at_least_184_days(world):
    with audit_guards_off():  # the database itself refuses back-dated events
        old = AuditEvent.objects.create(
            actor_label="system", verb="old.event", created_at=timezone.now() - timedelta(days=200)
        )
    recent = audit.record(actor=None, verb="test.recent")
    with pytest.raises(AuditImmutableError):
        audit_purge(days=30)
    with as_owner():  # the app's role may not delete audit events (docs/deploy.md)
        assert audit_purge(days=184) == 1
    assert not AuditEvent.objects.filter(pk=old.pk).exists()
    assert AuditEvent.objects.filter(pk=recent.pk).exists()
    assert AuditEvent.objects.filter(verb="audit.purge").exists()


def test_admin_offers_no_change_or_delete(client, world):
    event = audit.record(actor=None, verb="test.event")
    client.force_login(world.users["system_admin"])
    change = reverse("admin:core_auditevent_change", args=[event.pk])
    delete = reverse("admin:core_auditevent_delete", args=[event.pk])
    assert client.get(change).status_code in (302, 403, 404)
    assert client.post(delete, {"post": "yes"}).status_code in (302, 403, 404)
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [("auditor", 200), ("system_admin", 404), ("security_admin", 404), ("street", 404)],
)
def test_only_auditors_browse_the_log(client, world, who, status):
    audit.record(actor=world.users["street"], verb="resident.create", target_label="某居民")
    client.force_login(world.users[who])
    response = client.get(reverse("audit"), {"verb": "resident.create"})
    assert response.status_code == status
    if status == 200:
        assert "resident.create" in response.content.decode()


def test_logins_are_audited(client, world):
    client.post(reverse("login"), {"username": "street", "password": "wrong-pass"})
    assert AuditEvent.objects.filter(verb="auth.login_failed", target_label="street").exists()
    client.post(reverse("login"), {"username": "street", "password": "Test@2026pass"})
    assert AuditEvent.objects.filter(verb="auth.login", actor=world.users["street"]).exists()
