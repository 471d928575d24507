"""Production settings: everything secret comes from the environment, and the checks are strict."""

import os

from django.core.exceptions import ImproperlyConfigured

from genxi.core.checks import key_problems

from .base import *  # noqa: F403
from .base import GENXI_FIELD_KEYS, LOGGING, SECRET_KEY, STORAGES, env_bool

DEBUG = False
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be set to a random string of 50+ characters.")
if not GENXI_FIELD_KEYS:
    raise ImproperlyConfigured("GENXI_FIELD_KEY must be set to encrypt personal data.")

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# One JSON line per log record, and one per request (core/logs.py, docs/deploy.md).
if os.environ.get("GENXI_LOG_FORMAT", "json") == "json":
    LOGGING["handlers"]["console"]["formatter"] = "json"
LOGGING["loggers"]["genxi.request"]["level"] = os.environ.get("GENXI_REQUEST_LOG_LEVEL", "INFO")

GENXI_REQUIRE_2FA = True
GENXI_FORCE_PASSWORD_CHANGE = True

STORAGES = {
    "default": STORAGES["default"],  # disk, or the bucket (base.py)
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Personal-data keys: real, random Fernet keys, or no start (genxi.core.checks; also reported by
# `genxi check --deploy`). Last in this file, so that every key setting is known here.
_key_errors, _ = key_problems(GENXI_FIELD_KEYS, globals().get("GENXI_INDEX_KEY"))
if _key_errors:
    raise ImproperlyConfigured(" ".join(_key_errors))
