"""Settings and URLs for the benchmarks: the real app, plus a baseline view that inserts
the same case row with no logic (no routing, no validation, no history, no audit)."""

import os

os.environ.setdefault("SECRET_KEY", "bench-" + "x" * 60)
os.environ.setdefault("GENXI_FIELD_KEY", "bench-field-key")

from genxi.config.settings.dev import *  # noqa: E402, F403

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "benchurls"
LOGGING = {"version": 1, "disable_existing_loggers": True}
MIDDLEWARE = [m for m in MIDDLEWARE if "whitenoise" not in m]  # noqa: F405
