import os

import pytest
from django.conf import settings
from django.utils import translation

from genxi.core.audit_verbs import register as register_verb
from genxi.core.memo import clear_all as clear_all_memos
from genxi.core.replica import PROBE as REPLICA_PROBE
from genxi.core.testing.world import build_world

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by
# browser tests around it are synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# The suite's own audit events are all named test.<something>.
register_verb("test.*", "测试事件")


@pytest.fixture
def world(db):
    return build_world()


# Browser fixtures (one Chromium per test session), for every app's test_browser.py.
from genxi.core.testing.browser import (  # noqa: E402, F401
    chromium,
    page,
    phone_page,
    playwright_driver,
)


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Each test starts with no memo (locator, router, calendar, tokens…) kept from an
    earlier test's data: every `core.memo.Memo` is emptied; nor the read replica's last
    measured lag (core/replica.py)."""
    clear_all_memos()
    REPLICA_PROBE.reset()
    yield


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's language (Chinese): a request in English earlier in
    the same process leaves its language active in the thread, and a later test's gettext
    would read English."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


# On PostgreSQL, tests run as the app's database role (no DDL, audit log insert-only).
from genxi.core.testing.dbrole import _app_role_first, _as_app_role, app_db_role  # noqa: E402, F401

# The permission matrix's world, built once per test module (core/testing/matrix.py).
from genxi.core.testing.matrix import matrix_world  # noqa: E402, F401

# A bucket in moto's S3 server on the loopback, as the default storage (core/testing/s3.py).
from genxi.core.testing.s3 import s3_bucket, s3_server  # noqa: E402, F401


@pytest.fixture(scope="session", autouse=True)
def _replica_alias_closed_before_teardown(django_db_setup):
    """The test settings' `replica` alias mirrors the test database with a connection of its
    own; closed before the test databases are dropped, which a session still open refuses
    ("is being accessed by other users")."""
    yield
    from django.db import connections

    if "replica" in settings.DATABASES:
        connections["replica"].close()
