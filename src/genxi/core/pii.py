"""Personal information: encryption at rest, masking, blind indexes and audited reveal."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Callable
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.translation import gettext_lazy as _

from .domain.masking import (
    mask_address,
    mask_free_text,
    mask_id_number,
    mask_phone,
    mask_text,
)

_TOKEN_PREFIX = "gAAAAA"  # every Fernet token starts so; lets us tell ciphertext from legacy text


def _fernet_key(secret: str) -> bytes:
    """Accept a real Fernet key, or derive one from any passphrase."""
    raw = secret.encode()
    try:
        if len(base64.urlsafe_b64decode(raw)) == 32:
            return raw
    except (ValueError, TypeError):
        pass
    return base64.urlsafe_b64encode(hashlib.sha256(b"genxi-field-key:" + raw).digest())


@lru_cache(maxsize=8)
def _cipher(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("GENXI_FIELD_KEY is not set; personal data cannot be stored.")
    return MultiFernet([Fernet(_fernet_key(k)) for k in keys])


def cipher() -> MultiFernet:
    return _cipher(tuple(settings.GENXI_FIELD_KEYS))


def encrypt(value: str) -> str:
    return cipher().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    return cipher().decrypt(token.encode()).decode()


# Blind indexes ------------------------------------------------------------------------------


def index_key_follows_field_key() -> bool:
    """True while GENXI_INDEX_KEY is unset and the first field key stands in for it (the
    scheme before the index had its own key): a rotation would then change every digest."""
    return not settings.GENXI_INDEX_KEY


def index_secret() -> str:
    if settings.GENXI_INDEX_KEY:
        return settings.GENXI_INDEX_KEY
    if not settings.GENXI_FIELD_KEYS:
        raise ImproperlyConfigured("GENXI_INDEX_KEY is not set; personal data cannot be indexed.")
    return settings.GENXI_FIELD_KEYS[0]


@lru_cache(maxsize=8)
def _index_key(secret: str) -> bytes:
    # The derivation is the one the first field key went through before GENXI_INDEX_KEY
    # existed: setting GENXI_INDEX_KEY to that key's value keeps every stored digest.
    return hashlib.sha256(b"genxi-index-key:" + secret.encode()).digest()


def digest(value: str) -> str:
    """A keyed hash for exact-match lookups (a blind index) without storing plain text.

    Keyed by GENXI_INDEX_KEY, which does not rotate with GENXI_FIELD_KEY: lookups keep
    finding what was stored before, during and after a field-key rotation.
    """
    normalised = re.sub(r"\s+", "", value).upper()
    return hmac.new(_index_key(index_secret()), normalised.encode(), hashlib.sha256).hexdigest()


@checks.register(checks.Tags.security)
def check_index_key(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    if not index_key_follows_field_key() or not settings.GENXI_FIELD_KEYS:
        return []
    return [
        checks.Warning(
            "GENXI_INDEX_KEY is not set: the blind index is keyed by the first GENXI_FIELD_KEY, "
            "so a key rotation would make every lookup by ID number miss.",
            hint="Set GENXI_INDEX_KEY to the current first GENXI_FIELD_KEY (keeps the stored "
            "digests), or to a new secret and run `genxi reindex_pii`. See docs/security.md.",
            id="genxi.W011",
        )
    ]


# Masking --------------------------------------------------------------------------------


# The rules live in core/domain/masking.py (pure, shared with the public pages).
__all__ = [
    "mask_address",
    "mask_free_text",
    "mask_id_number",
    "mask_phone",
    "mask_text",
]


MASKERS: dict[str, Callable[[str | None], str]] = {
    "phone": mask_phone,
    "id_number": mask_id_number,
    "address": mask_address,
    "text": mask_text,
}


class EncryptedTextField(models.TextField):
    """A text field stored as a Fernet token. `kind` picks the masking rule."""

    description = _("加密文本")

    def __init__(self, *args, kind: str = "text", **kwargs):
        if kind not in MASKERS:
            raise ValueError(f"unknown PII kind {kind!r}")
        self.kind = kind
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["kind"] = self.kind
        return name, path, args, kwargs

    def mask(self, value: str | None) -> str:
        return MASKERS[self.kind](value)

    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        if not value.startswith(_TOKEN_PREFIX):
            return value
        try:
            return decrypt(value)
        except InvalidToken as exc:
            raise ImproperlyConfigured(
                "A personal-data field cannot be decrypted with GENXI_FIELD_KEY: is the old key "
                "still in the list? See docs/security.md, key rotation."
            ) from exc

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return encrypt(str(value))


def encrypted_fields(model: type[models.Model]) -> list[EncryptedTextField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]


class PIIMixin:
    """Gives a model `masked(field)` for templates, APIs and exports."""

    def masked(self, field_name: str) -> str:
        field = self._meta.get_field(field_name)  # type: ignore[attr-defined]
        return field.mask(getattr(self, field_name))
