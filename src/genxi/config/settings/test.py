"""Settings for the test suite; DATABASE_URL chooses SQLite or PostgreSQL."""

import copy
import os
from pathlib import Path

# SQLite in files, not memory: the browser tests' live server answers requests in several
# threads, and Django would share one in-memory connection between them.
_VAR = Path(os.environ.get("GENXI_HOME", Path(__file__).resolve().parents[4])) / "var"
if os.environ.get("DATABASE_URL", "sqlite:///:memory:") == "sqlite:///:memory:":
    os.environ["DATABASE_URL"] = f"sqlite:///{_VAR / 'test-base.sqlite3'}"

from .base import *  # noqa: E402, F403
from .base import DATABASES, VAR_DIR  # noqa: E402

DATABASE_MIGRATE_URL = ""  # the test database is created and migrated by one role
SECRET_KEY = "test-secret-key-not-for-production-8c7d6e5f4a3b2c1d0e9f"
GENXI_FIELD_KEYS = ["test-field-key-current", "test-field-key-old"]
GENXI_INDEX_KEY = "test-index-key-not-for-production"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
GENXI_IMPORT_BACKGROUND_ROWS = 50
GENXI_AUDIT_STRICT_VERBS = True  # an unregistered audit verb raises (core/audit_verbs.py)
# Intake's own routing of confident cases (on in production): a test's cases stay submitted
# for the step it takes; the tests of the routing turn it on (cases/tests/test_split.py).
GENXI_SUGGEST_AUTO_ROUTE_AT_INTAKE = False
# Uploads in memory, whatever GENXI_S3_* says; the object-storage tests put them in a bucket
# of their own (core/testing/s3.py).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"].pop("init_command", None)
    VAR_DIR.mkdir(exist_ok=True)
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
# The replica (core/replica.py) mirrors the test database, so that the replica's code paths
# run in every suite; with DATABASE_REPLICA_URL set (a real standby of DATABASE_URL's
# server) it reads the test database as streamed to that standby.
if "replica" not in DATABASES:
    DATABASES["replica"] = copy.deepcopy(DATABASES["default"])
    # A test that allows the replica opens a transaction on it too: on SQLite a second
    # BEGIN IMMEDIATE would wait for the default's. The replica only reads.
    DATABASES["replica"].get("OPTIONS", {}).pop("transaction_mode", None)
DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
GENXI_SMS_SENDER = "genxi.core.sms.senders.FakeSender"  # records the texts (core/sms/)
