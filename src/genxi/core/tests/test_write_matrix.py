"""The guard of the write matrix: every page that takes a POST and every API operation
that writes is declared in the write matrix of the app that owns it, and every app has
one (core/testing/write_matrix.py). The core's own pages are account pages."""

import importlib

from django.apps import apps

from genxi.core.testing.write_matrix import NotAWrite, assert_declared, write_routes

# The core's pages that take a POST act on the signed-in account itself, not on data in
# a scope; their tests are in test_auth.py (and Django's own for the language switch).
NOT_WRITES = [
    NotAWrite("login", "signing in: lockout and second factor in test_auth.py"),
    NotAWrite("logout", "signing out ends one's own session (audited in test_audit.py)"),
    NotAWrite("password_change", "one's own password: policy in test_auth.py"),
    NotAWrite("two_factor", "one's own TOTP device: test_auth.py"),
    NotAWrite("set_language", "the language of one's own session (Django's view)"),
]


def _genxi_apps() -> list[str]:
    return sorted(a.name for a in apps.get_app_configs() if a.name.startswith("genxi."))


def test_the_core_declares_its_pages():
    assert_declared("genxi.core", NOT_WRITES)


def test_every_app_has_a_write_matrix():
    """A new app must say what it writes (even nothing), so the guard can hold it to it."""
    missing = []
    for app in _genxi_apps():
        if app == "genxi.core":
            continue
        try:
            module = importlib.import_module(f"{app}.tests.test_write_matrix")
        except ModuleNotFoundError:
            missing.append(app)
            continue
        assert isinstance(module.WRITES, list), app
    assert not missing, f"apps without tests/test_write_matrix.py: {missing}"


def test_every_write_belongs_to_an_app():
    owners = set(write_routes().values())
    assert owners <= set(_genxi_apps()), owners - set(_genxi_apps())


def test_the_guard_sees_pages_and_api_operations():
    """An empty table misses the request loop's pages, API operations and Open311's POST."""
    from genxi.core.testing.write_matrix import undeclared

    missing, stale = undeclared("genxi.cases", [NotAWrite("nowhere", "")])
    assert {"cases:act", "cases:new", "public:report", "open311:requests"} <= missing
    assert {"POST /api/v1/cases", "POST /api/v1/cases/{code}/dispatch"} <= missing
    assert stale == {"nowhere"}
