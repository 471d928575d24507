"""Writes of the core: revealing personal data, API tokens, purging old audit events."""

from __future__ import annotations

import copy
import secrets
import time
from typing import Any

from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit
from .models import ApiToken, AuditEvent
from .pii import EncryptedTextField
from .roles import Perm
from .scope import scope_for

MIN_REASON_LENGTH = 4


def pii_reveal(*, actor: Any, obj: models.Model, field: str, reason: str) -> str:
    """Return one personal-data value in plain text, and record who saw it and why.

    The caller has already fetched `obj` through `visible_to(actor)`.
    """
    if not scope_for(actor).has(Perm.REVEAL_PII):
        raise PermissionDenied(_("您没有查看个人信息明文的权限。"))
    try:
        model_field = obj._meta.get_field(field)
    except FieldDoesNotExist:
        model_field = None
    if not isinstance(model_field, EncryptedTextField):
        raise ValidationError({"field": _("该字段不是个人信息字段。")})
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise ValidationError(
            {"reason": _("请填写查看理由(至少 %(n)d 个字)。") % {"n": MIN_REASON_LENGTH}}
        )
    with transaction.atomic():
        audit.record(
            actor=actor,
            verb="pii.reveal",
            target=obj,
            after={"field": field},
            reason=reason,
        )
    return getattr(obj, field)


def api_token_create(*, actor: Any, user: Any, name: str = "") -> str:
    """Create a personal API token for `user` and return it; only its hash is kept."""
    raw = "gx_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name, prefix=raw[:10], digest=ApiToken.hash(raw)
        )
        audit.record(
            actor=actor,
            verb="api_token.create",
            target=token,
            after={"user": user.get_username(), "name": name, "prefix": token.prefix},
        )
    return raw


TOKEN_CACHE_SECONDS = 5.0
TOKEN_CACHE_SIZE = 10_000
# digest → (expires at, user with their scope): kept in this process (decision 0006).
_token_cache: dict[str, tuple[float, Any]] = {}


def api_token_authenticate(raw: str) -> Any | None:
    """Return the active user a token belongs to (with their scope computed), or None.

    The answer is kept in this process for TOKEN_CACHE_SECONDS, so that the intake path
    does not read the token and the memberships on every request. Revoking a token and
    changing a user or their memberships drop it at once in the process that made the
    change (`api_tokens_forget`, wired to the models' signals); other worker processes
    follow within TOKEN_CACHE_SECONDS. Each request gets its own copy of the user.
    """
    digest = ApiToken.hash(raw)
    now = time.monotonic()
    hit = _token_cache.get(digest)
    if hit is not None and hit[0] > now:
        return copy.copy(hit[1])
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=digest, revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        _token_cache.pop(digest, None)
        return None
    moment = timezone.now()
    # Touch at most once a minute: the hot path should not write on every request.
    if token.last_used_at is None or (moment - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=moment)
    user = token.user
    scope_for(user)  # computed now and kept on the user, so it travels with the entry
    if len(_token_cache) >= TOKEN_CACHE_SIZE:
        for key in [k for k, (expires, _user) in _token_cache.items() if expires <= now]:
            del _token_cache[key]
        if len(_token_cache) >= TOKEN_CACHE_SIZE:
            _token_cache.clear()
    _token_cache[digest] = (now + TOKEN_CACHE_SECONDS, user)
    return copy.copy(user)


def api_tokens_forget(user_id: int) -> None:
    """Drop this process's cached authentication of every token of one user."""
    for key in [k for k, (_expires, user) in list(_token_cache.items()) if user.pk == user_id]:
        _token_cache.pop(key, None)


def audit_purge(*, days: int) -> int:
    """Delete audit events older than `days` days (never fewer than the legal minimum)."""
    with transaction.atomic():
        deleted = AuditEvent.objects.purge_older_than(days)
        audit.record(actor=None, verb="audit.purge", after={"days": days, "deleted": deleted})
    return deleted


def pii_rotate(batch_size: int = 500) -> dict[str, int]:
    """Re-encrypt every encrypted field with the current key; recompute blind indexes.

    Reading decrypts with any key in the list; writing encrypts with the first. A model
    may name blind indexes as `pii_digests = {"id_number_digest": "id_number"}`.
    """
    from django.apps import apps

    from . import pii

    counts: dict[str, int] = {}
    for model in apps.get_models():
        fields = [f.name for f in pii.encrypted_fields(model)]
        if not fields:
            continue
        digests = getattr(model, "pii_digests", {})
        n = 0
        with transaction.atomic():
            for obj in model._default_manager.order_by("pk").iterator(chunk_size=batch_size):
                for digest_field, source in digests.items():
                    value = getattr(obj, source)
                    setattr(obj, digest_field, pii.digest(value) if value else "")
                obj.save(update_fields=[*fields, *digests])
                n += 1
            audit.record(
                actor=None, verb="pii.rotate", after={"model": model._meta.label, "rows": n}
            )
        counts[model._meta.label] = n
    return counts
