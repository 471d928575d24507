"""Write audit events. Services call `record()` explicitly, inside their transaction."""

from __future__ import annotations

import contextvars
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from . import audit_verbs
from .models import AuditEvent
from .pii import EncryptedTextField

# The client address of the request being served, set by AuditContextMiddleware.
current_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar("genxi_ip", default=None)


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, models.Model):
        return value.pk
    return str(value)


def snapshot(obj: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The audit view of an object: its field values, personal data masked.

    Encrypted fields never enter the audit log in plain text: a model's
    `audit_masked(field, value)` hook (from pii.PIIModelMixin) masks them.
    """
    result: dict[str, Any] = {}
    for f in obj._meta.concrete_fields:
        if fields is not None and f.name not in fields:
            continue
        if f.name in {"created_at", "updated_at"} or f.name.endswith("_digest"):
            continue
        value = getattr(obj, f.attname)
        if isinstance(f, EncryptedTextField):
            value = f.mask(value)
        result[f.attname] = _jsonable(value)
    return result


def build(
    *,
    actor: Any,
    verb: str,
    target: models.Model | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
    target_label: str | None = None,
) -> AuditEvent:
    """The event `record` would write, not yet saved (for `core.db.insert_together`).
    `verb` must be registered (core/audit_verbs.py)."""
    audit_verbs.check(verb)
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    target_type = ContentType.objects.get_for_model(target) if target is not None else None
    return AuditEvent(
        actor=actor if is_user else None,
        actor_label=actor.get_username() if is_user else "system",
        verb=verb,
        target_type=target_type,
        target_id=str(target.pk) if target is not None and target.pk is not None else "",
        target_label=(target_label if target_label is not None else str(target or ""))[:200],
        before=_jsonable(before) if before is not None else None,
        after=_jsonable(after) if after is not None else None,
        reason=reason,
        ip=current_ip.get(),
    )


def record(**kwargs: Any) -> AuditEvent:
    """Record that `actor` did `verb` to `target` (the arguments of `build`). Call it
    inside the write's transaction."""
    event = build(**kwargs)
    event.save()
    return event


def diff(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Keep only the keys whose values changed."""
    changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
    return {k: before.get(k) for k in changed}, {k: after.get(k) for k in changed}


def record_bulk(*, actor: Any, verb: str, targets: Iterable[models.Model]) -> int:
    """Record one `verb` event per created object (for imports); one INSERT for them all."""
    audit_verbs.check(verb)
    targets = list(targets)
    if not targets:
        return 0
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    target_type = ContentType.objects.get_for_model(targets[0])
    ip = current_ip.get()
    events = [
        AuditEvent(
            actor=actor if is_user else None,
            actor_label=actor.get_username() if is_user else "system",
            verb=verb,
            target_type=target_type,
            target_id=str(t.pk),
            target_label=str(t)[:200],
            after=snapshot(t),
            ip=ip,
        )
        for t in targets
    ]
    AuditEvent.objects.bulk_create(events, batch_size=1000)
    return len(events)
