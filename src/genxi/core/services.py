"""Writes of the core: revealing personal data, API tokens, saved filters, purging old audit
events."""

from __future__ import annotations

import copy
import secrets
from datetime import timedelta
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import (
    FieldDoesNotExist,
    ImproperlyConfigured,
    PermissionDenied,
    ValidationError,
)
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit, audit_chain, pii, saved_filters
from .memo import Memo
from .models import ApiToken, SavedFilter
from .pii import EncryptedTextField
from .roles import ADMIN_ROLES, Perm
from .scope import scope_for
from .text import strip_control

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
    value: str = getattr(obj, field)
    return value


API_TOKEN_NAME_LENGTH = 100


def _refuse_admin_tokens(user: Any) -> None:
    """Admin roles work in the pages, behind their second factor: they get no API token
    (docs/security.md, "API tokens")."""
    if scope_for(user).roles & ADMIN_ROLES:
        raise PermissionDenied(_("管理员角色(系统、安全、审计)不能使用 API 令牌。"))


def api_token_create(*, actor: Any, user: Any, name: str = "", days: int | None = None) -> str:
    """Create a personal API token for `user` and return it; only its hash is kept.

    `actor` is None on the command line, else the user themself. The token expires after
    `days` days (at most, and by default, GENXI_API_TOKEN_DAYS).
    """
    if actor is not None and actor.pk != user.pk:
        raise PermissionDenied(_("只能为自己创建 API 令牌。"))
    if not user.is_active:
        raise ValidationError({"user": _("该账号已停用。")})
    _refuse_admin_tokens(user)
    name = (name or "").strip()
    if len(name) > API_TOKEN_NAME_LENGTH:
        raise ValidationError({"name": _("名称最多 %(n)d 个字。") % {"n": API_TOKEN_NAME_LENGTH}})
    longest = settings.GENXI_API_TOKEN_DAYS
    days = longest if days is None else days
    if not 1 <= days <= longest:
        raise ValidationError({"days": _("有效期应为 1 到 %(n)d 天。") % {"n": longest}})
    raw = "gx_" + secrets.token_urlsafe(32)
    expires_at = timezone.now() + timedelta(days=days)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name,
            prefix=raw[:10],
            digest=ApiToken.hash(raw),
            expires_at=expires_at,
        )
        audit.record(
            actor=actor,
            verb="api_token.create",
            target=token,
            after={
                "user": user.get_username(),
                "name": name,
                "prefix": token.prefix,
                "expires_at": expires_at.isoformat(),
            },
        )
    return raw


def api_token_revoke(*, actor: Any, token: ApiToken) -> ApiToken:
    """Revoke a token: its owner, a security admin, or the command line (`actor` None).

    Saving it drops this process's cached authentication at once (core/signals.py); other
    worker processes follow within TOKEN_CACHE_SECONDS (decision 0006).
    """
    others = actor is not None and actor.pk != token.user_id
    if others and not scope_for(actor).has(Perm.MANAGE_ACCOUNTS):
        raise PermissionDenied(_("您不能吊销他人的 API 令牌。"))
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().select_related("user").get(pk=token.pk)
        if token.revoked_at is not None:
            raise ValidationError({"token": _("该令牌已吊销。")})
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(
            actor=actor,
            verb="api_token.revoke",
            target=token,
            before={"revoked_at": None},
            after={
                "user": token.user.get_username(),
                "prefix": token.prefix,
                "revoked_at": token.revoked_at.isoformat(),
            },
        )
    return token


TOKEN_CACHE_SECONDS = 5.0
TOKEN_CACHE_SIZE = 10_000
# digest → the user with their scope: kept in this process (decisions 0006, 0019).
token_memo = Memo("core.api_tokens", seconds=TOKEN_CACHE_SECONDS, max_size=TOKEN_CACHE_SIZE)


def api_token_authenticate(raw: str) -> Any | None:
    """Return the active user a token belongs to (with their scope computed), or None.

    The answer is kept in this process for TOKEN_CACHE_SECONDS, so that the intake path
    does not read the token and the memberships on every request. Revoking a token and
    changing a user or their memberships drop it at once in the process that made the
    change (`api_tokens_forget`, wired to the models' signals); other worker processes
    follow within TOKEN_CACHE_SECONDS. Each request gets its own copy of the user.
    """
    digest = ApiToken.hash(raw)
    hit = token_memo.get(digest)
    if hit is not None:
        return copy.copy(hit)
    moment = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=digest, revoked_at__isnull=True, expires_at__gt=moment, user__is_active=True)
        .first()
    )
    if token is None:
        token_memo.forget(digest)
        return None
    user = token.user
    if scope_for(user).roles & ADMIN_ROLES:  # a role granted after the token was made
        token_memo.forget(digest)
        return None
    # Touch at most once a minute: the hot path should not write on every request.
    if token.last_used_at is None or (moment - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=moment)
    # The scope, computed above, is kept on the user, so it travels with the entry; an
    # entry never outlives the token's expiry.
    token_memo.put(digest, user, seconds=(token.expires_at - moment).total_seconds())
    return copy.copy(user)


def api_tokens_forget(user_id: int) -> None:
    """Drop this process's cached authentication of every token of one user."""
    token_memo.forget_where(lambda _digest, user: user.pk == user_id)


def audit_purge(*, days: int) -> int:
    """Delete audit events older than `days` days (never fewer than the legal minimum)."""
    with transaction.atomic():
        deleted, kept_from = audit_chain.purge(days=days)
        audit.record(
            actor=None,
            verb="audit.purge",
            after={"days": days, "deleted": deleted, "kept_from_seq": kept_from},
        )
    return deleted


def pii_rotate(batch_size: int = 500) -> dict[str, int]:
    """Re-encrypt every encrypted field with the current (first) field key.

    Reading decrypts with any key in the list; writing encrypts with the first. The blind
    indexes stay as they are: their key, GENXI_INDEX_KEY, does not rotate with the field
    key. Refused while GENXI_INDEX_KEY is unset (the index would follow the field key).
    """
    if pii.index_key_follows_field_key():
        raise ImproperlyConfigured(
            "GENXI_INDEX_KEY is not set: set it before rotating the field key "
            "(docs/security.md, key rotation)."
        )
    counts: dict[str, int] = {}
    for model in apps.get_models():
        fields = [f.name for f in pii.encrypted_fields(model)]
        if not fields:
            continue
        n = 0
        with transaction.atomic():
            for obj in model._default_manager.order_by("pk").iterator(chunk_size=batch_size):
                obj.save(update_fields=fields)
                n += 1
            audit.record(
                actor=None, verb="pii.rotate", after={"model": model._meta.label, "rows": n}
            )
        counts[model._meta.label] = n
    return counts


def pii_reindex(batch_size: int = 500) -> dict[str, int]:
    """Recompute every blind index with the current GENXI_INDEX_KEY (after changing it).

    A model names its blind indexes as `pii_digests = {"id_number_digest": "id_number"}`.
    Run it with the application stopped: until it ends, lookups by the old digests miss.
    """
    counts: dict[str, int] = {}
    for model in apps.get_models():
        digests = getattr(model, "pii_digests", {})
        if not digests:
            continue
        n = 0
        with transaction.atomic():
            rows = model._default_manager.select_for_update().order_by("pk")
            for obj in rows.iterator(chunk_size=batch_size):
                for digest_field, source in digests.items():
                    value = getattr(obj, source)
                    setattr(obj, digest_field, pii.digest(value) if value else "")
                model._default_manager.filter(pk=obj.pk).update(
                    **{f: getattr(obj, f) for f in digests}
                )
                n += 1
            audit.record(
                actor=None, verb="pii.reindex", after={"model": model._meta.label, "rows": n}
            )
        counts[model._meta.label] = n
    return counts


# Saved filters ------------------------------------------------------------------------------

SAVED_FILTER_NAME_LENGTH = 40
SAVED_FILTERS_PER_PAGE = 20


def saved_filter_create(*, actor: Any, page: str, name: str, query: str) -> SavedFilter:
    """Keep `actor`'s filter of the list `page` under `name`: the query string as that
    page's filter form cleans it (core/saved_filters.py), nothing else."""
    name = " ".join(strip_control(name or "").split())
    if not name:
        raise ValidationError({"name": _("请给筛选起个名字。")})
    if len(name) > SAVED_FILTER_NAME_LENGTH:
        raise ValidationError(
            {"name": _("名称最多 %(n)d 个字。") % {"n": SAVED_FILTER_NAME_LENGTH}}
        )
    if not saved_filters.is_registered(page):
        raise ValidationError({"page": _("这个页面不能保存筛选。")})
    cleaned = saved_filters.clean_query(page, query or "")
    if cleaned is None:
        raise ValidationError({"query": _("筛选条件不正确,无法保存。")})
    with transaction.atomic():
        mine = SavedFilter.objects.select_for_update().filter(owner=actor, page=page)
        names = set(mine.values_list("name", flat=True))
        if name in names:
            raise ValidationError({"name": _("已有同名的筛选。")})
        if len(names) >= SAVED_FILTERS_PER_PAGE:
            raise ValidationError(
                {"name": _("每个列表最多保存 %(n)d 个筛选。") % {"n": SAVED_FILTERS_PER_PAGE}}
            )
        saved = SavedFilter.objects.create(owner=actor, page=page, name=name, query=cleaned)
        audit.record(
            actor=actor,
            verb="saved_filter.create",
            target=saved,
            after={"page": page, "name": name, "query": cleaned},
        )
    return saved


def saved_filter_delete(*, actor: Any, saved: SavedFilter) -> None:
    """Delete one of `actor`'s own saved filters."""
    if saved.owner_id != actor.pk:
        raise PermissionDenied(_("只能删除自己保存的筛选。"))
    with transaction.atomic():
        audit.record(
            actor=actor,
            verb="saved_filter.delete",
            target=saved,
            before={"page": saved.page, "name": saved.name, "query": saved.query},
        )
        saved.delete()
