"""Writes of the core: revealing personal data, API tokens, purging old audit events."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
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
    model_field = obj._meta.get_field(field)
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


TOKEN_CACHE_SECONDS = 30


def _token_cache_key(digest: str) -> str:
    return f"genxi:apitoken:{digest}"


def api_token_authenticate(raw: str) -> Any | None:
    """Return the active user a token belongs to (with their scope computed), or None.

    The answer is cached for TOKEN_CACHE_SECONDS: the intake path should not read the
    token and the memberships on every request. Revoking a token and changing a user or
    their memberships drop the cached answer at once (`api_tokens_forget`, wired to the
    models' signals); with a per-process cache another worker learns it within the TTL.
    """
    digest = ApiToken.hash(raw)
    key = _token_cache_key(digest)
    user = cache.get(key)
    if user is not None:
        return user
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=digest, revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    # Touch at most once a minute: the hot path should not write on every request.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    user = token.user
    scope_for(user)  # computed now and kept on the user, so it travels with the cache entry
    cache.set(key, user, TOKEN_CACHE_SECONDS)
    return user


def api_tokens_forget(user_id: int) -> None:
    """Drop the cached authentication of every token of one user."""
    digests = ApiToken.objects.filter(user_id=user_id).values_list("digest", flat=True)
    cache.delete_many([_token_cache_key(d) for d in digests])


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
