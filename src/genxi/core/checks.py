"""System checks for a deployment: the keys that protect personal data must be real keys,
and uploads must be where every node finds them.

`genxi check --deploy` reports them; production settings refuse to start with bad keys (see
`config/settings/prod.py`, which calls `key_problems`).
"""

from __future__ import annotations

import base64
import binascii
import re

from django.conf import settings
from django.core import checks

from .storage import is_local

# Keys written in this repository (the demo's and the tests'): anyone can read them.
PUBLIC_KEYS = frozenset(
    {
        "genxi-demo-field-key-not-for-production",
        "test-field-key-current",
        "test-field-key-old",
        "test-index-key-not-for-production",
    }
)
# A Fernet key: 32 bytes in URL-safe base64, 44 characters ending in one "=".
_FERNET_KEY = re.compile(r"[A-Za-z0-9_-]{43}=")
# 32 random bytes hold about 30 distinct values; fewer than 16 means a made-up pattern.
_MIN_DISTINCT_BYTES = 16


def key_problem(key: str) -> str | None:
    """Why `key` cannot protect personal data in production, or None if it can."""
    if key in PUBLIC_KEYS:
        return "is the demo or test key published with the source code"
    if not _FERNET_KEY.fullmatch(key):
        return "is not a Fernet key (URL-safe base64 of 32 bytes, 44 characters)"
    try:
        raw = base64.urlsafe_b64decode(key)
    except (ValueError, binascii.Error):
        return "is not a Fernet key (URL-safe base64 of 32 bytes, 44 characters)"
    if len(set(raw)) < _MIN_DISTINCT_BYTES:
        return "is weak: its bytes are a pattern, not random"
    return None


def key_problems(
    field_keys: list[str], index_key: str | list[str] | None = None
) -> tuple[list[str], list[str]]:
    """(errors, warnings): one sentence per bad key; two empty lists when all are fit.

    The encrypting key (the first) and the index key must be real keys. An older key only
    decrypts: a bad one is a warning, so that a deployment can still rotate away from it
    (put a real key first, run `genxi rotate_field_key`, then remove the old key).
    """
    errors, warnings = [], []
    if not field_keys:
        errors.append("GENXI_FIELD_KEY is not set.")
    for n, key in enumerate(field_keys, start=1):
        why = key_problem(key)
        if why and n == 1:
            errors.append(f"GENXI_FIELD_KEY's first key (it encrypts) {why}.")
        elif why:
            warnings.append(
                f"GENXI_FIELD_KEY's key {n} (it only decrypts) {why}: run "
                "`genxi rotate_field_key`, then remove it."
            )
    index_keys = [index_key] if isinstance(index_key, str) else list(index_key or [])
    for key in filter(None, index_keys):
        why = key_problem(key)
        if why:
            errors.append(f"GENXI_INDEX_KEY {why}.")
    return errors, warnings


KEY_HINT = (
    'Generate each key with: python -c "from cryptography.fernet import Fernet; '
    'print(Fernet.generate_key().decode())" and keep it in the secret store (docs/security.md).'
)


@checks.register(checks.Tags.security, deploy=True)
def check_personal_data_keys(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    errors, warnings = key_problems(
        list(getattr(settings, "GENXI_FIELD_KEYS", [])),
        getattr(settings, "GENXI_INDEX_KEY", None),
    )
    return [checks.Error(p, hint=KEY_HINT, id="genxi.E001") for p in errors] + [
        checks.Warning(p, hint=KEY_HINT, id="genxi.W001") for p in warnings
    ]


@checks.register(checks.Tags.security, deploy=True)
def check_tiles_under_the_policy(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Map tiles from a host the Content-Security-Policy's img-src leaves out would be blocked
    (the settings add the configured host; a deployment that replaces the policy may not)."""
    tiles = getattr(settings, "GENXI_MAP_TILES", None) or {"hosts": []}
    policy = getattr(settings, "CONTENT_SECURITY_POLICY", {}) or {}
    allowed = policy.get("DIRECTIVES", {}).get("img-src", [])
    missing = [host for host in tiles["hosts"] if host not in allowed]
    if missing:
        return [
            checks.Warning(
                f"The map tiles come from {', '.join(missing)}, which the "
                "Content-Security-Policy's img-src blocks.",
                hint="Keep the img-src the settings build from GENXI_MAP_TILES, or add the host.",
                id="genxi.W002",
            )
        ]
    return []


@checks.register(checks.Tags.compatibility, deploy=True)
def check_uploads_shared_by_the_nodes(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Uploads on this node's disk while the cache is shared (REDIS_URL: several processes,
    usually several nodes): a photo saved through one node, or an import file the worker on
    another node must read, would be missing there. GENXI_MEDIA_SHARED says MEDIA_ROOT is a
    volume every node mounts (one host, or a network file system)."""
    default = getattr(settings, "STORAGES", {}).get("default", {})
    cache = getattr(settings, "CACHES", {}).get("default", {}).get("BACKEND", "")
    shared_cache = not cache.endswith(("LocMemCache", "DummyCache"))
    if is_local(default) and shared_cache and not getattr(settings, "GENXI_MEDIA_SHARED", False):
        return [
            checks.Warning(
                "Uploaded files are kept on this node's disk (MEDIA_ROOT) while the cache is "
                "shared (REDIS_URL): the other app nodes and the worker would not find them.",
                hint="Set GENXI_S3_BUCKET (and GENXI_S3_ENDPOINT_URL, GENXI_S3_ACCESS_KEY, "
                "GENXI_S3_SECRET_KEY) to keep them in object storage, or GENXI_MEDIA_SHARED=1 "
                "if MEDIA_ROOT is a volume every node mounts (docs/deploy.md).",
                id="genxi.W003",
            )
        ]
    return []
