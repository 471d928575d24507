"""Writes of Open311 clients: a key is created once (only its SHA-256 and a prefix are
kept; the key itself is shown to the person who made it, once) and revoked. The command
`genxi open311 key …` and the admin both come through here."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from genxi.core import audit
from genxi.core.db import lock_value, unique_or_invalid

from ..models import Open311Client


def open311_client_check(*, name: str) -> Open311Client | None:
    """Refuse a name that is empty or held by an active client (naming the field); the
    revoked client of that name, if any, takes the new key."""
    if not name.strip():
        raise ValidationError({"name": _("请填写客户端名称。")})
    client = Open311Client.objects.filter(name=name.strip()).first()
    if client is not None and client.active:
        raise ValidationError({"name": _("已有同名的启用客户端,请先吊销它的密钥。")})
    return client


def open311_client_create(*, actor: Any, name: str) -> tuple[Open311Client, str]:
    """A client named `name` with a new key; (client, key). A revoked client of the same
    name gets the new key; an active one must be revoked first."""
    name = name.strip()
    key = secrets.token_urlsafe(24)
    with transaction.atomic():
        lock_value("open311.client", name)  # two admins naming the same client: one wins
        open311_client_check(name=name)
        client = Open311Client.objects.select_for_update().filter(name=name).first()
        fields = {"digest": Open311Client.digest_of(key), "prefix": key[:6], "active": True}
        if client is None:
            with unique_or_invalid(
                lambda: Open311Client.objects.filter(name=name).exists(),
                "name",
                _("已有同名的客户端。"),
            ):
                client = Open311Client.objects.create(name=name, **fields)
        else:
            for field, value in fields.items():
                setattr(client, field, value)
            client.save(update_fields=list(fields))
        audit.record(
            actor=actor, verb="open311.key_create", target=client, after={"prefix": key[:6]}
        )
    return client, key


def open311_client_revoke(*, actor: Any, client: Open311Client) -> Open311Client:
    """Turn the client's key off (at once: every request checks `active`)."""
    with transaction.atomic():
        client = Open311Client.objects.select_for_update().get(pk=client.pk)
        if not client.active:
            return client
        client.active = False
        client.save(update_fields=["active"])
        audit.record(
            actor=actor,
            verb="open311.key_revoke",
            target=client,
            before={"active": True},
            after={"active": False},
        )
    return client
