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


def mask_phone(value: str | None) -> str:
    """138****5678; short numbers keep only their last two digits."""
    if not value:
        return ""
    digits = re.sub(r"\s+", "", value)
    if len(digits) >= 11:
        return f"{digits[:3]}****{digits[-4:]}"
    if len(digits) > 4:
        return "*" * (len(digits) - 2) + digits[-2:]
    return "*" * len(digits)


def mask_id_number(value: str | None) -> str:
    """320502**********1234: region code and last four, the birth date hidden."""
    if not value:
        return ""
    if len(value) < 10:
        return "*" * len(value)
    return f"{value[:6]}**********{value[-4:]}"


def mask_address(value: str | None) -> str:
    """Keep the estate and building, hide unit and room: 观景新村25幢**单元***室."""
    if not value:
        return ""
    match = re.match(r"^(.*?\d+\s*(?:幢|栋|号楼|号))", value)
    if match:
        return f"{match.group(1)}****"
    keep = max(len(value) // 2, 1)
    return value[:keep] + "****"


def mask_text(value: str | None) -> str:
    if not value:
        return ""
    return value[:1] + "*" * min(len(value) - 1, 6)


# Numbers typed into free text (a case's title and description, notes, results). Each
# pattern stands alone: not part of a longer run of digits ("TEL139…" is still masked).
_FREE_TEXT_NUMBERS = re.compile(
    r"(?<!\d)(?:"
    r"(?P<id>[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx])"
    r"|(?P<card>(?:\d[ -]?){15,18}\d)"
    r"|(?P<mobile>(?:\+?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2})"
    r"|(?P<landline>0\d{2,3}[ -]?[2-9]\d{6,7})"
    r")(?!\d)",
    re.ASCII,
)


# Full-width digits, signs and X read as their ASCII forms (one character for one).
_HALF_WIDTH = str.maketrans("０１２３４５６７８９＋－Ｘｘ\u3000", "0123456789+-Xx ")


def _mask_number(kind: str | None, found: str) -> str:
    digits = re.sub(r"[^0-9Xx]", "", found)
    if kind == "id":
        return mask_id_number(digits)
    if kind == "mobile":
        return mask_phone(digits[-11:])
    return "*" * (len(digits) - 4) + digits[-4:]  # a landline or a card: its last four


def mask_free_text(value: str | None) -> str:
    """Mask phone, ID and card numbers typed into free text, keeping the rest as typed:
    "电话13912345678" → "电话139****5678". Pure; used by templates (`pii_text`), the API and
    Open311. See docs/security.md, "Public codes and public text"."""
    if not value:
        return ""
    normal = value.translate(_HALF_WIDTH)  # same length: spans in it are spans in value
    parts, last = [], 0
    for match in _FREE_TEXT_NUMBERS.finditer(normal):
        parts += [value[last : match.start()], _mask_number(match.lastgroup, match.group(0))]
        last = match.end()
    parts.append(value[last:])
    return "".join(parts)


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
