"""The guard of the write matrix: every page that takes a POST and every API operation
that writes is declared in the write matrix of the app that owns it, and every app has
one (core/testing/write_matrix.py). The core's own pages are account pages."""

import importlib
import secrets
from datetime import timedelta

from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from genxi.core.models import ApiToken, SavedFilter
from genxi.core.testing.matrix import ActMatrix, CreateMatrix
from genxi.core.testing.write_matrix import (
    NotAWrite,
    Write,
    assert_declared,
    counts,
    fields,
    no,
    ok,
    write_routes,
)

# The core's pages that take a POST act on the signed-in account itself, not on data in
# a scope; their tests are in test_auth.py (and Django's own for the language switch).
NOT_WRITES = [
    NotAWrite("login", "signing in: lockout and second factor in test_auth.py"),
    NotAWrite("logout", "signing out ends one's own session (audited in test_audit.py)"),
    NotAWrite("password_change", "one's own password: policy in test_auth.py"),
    NotAWrite("two_factor", "one's own TOTP device: test_auth.py"),
    NotAWrite("set_language", "the language of one's own session (Django's view)"),
]


def _token(ctx):
    """The role's own token inside; another user's outside and near (and for anonymous).

    Made directly: admin roles get no tokens from the service, yet must not revoke others'."""
    users = ctx.world.users
    mine = ctx.inside and ctx.role != "anonymous"
    owner = users[ctx.role] if mine else users["community" if ctx.role == "street" else "street"]
    raw = "gx_" + secrets.token_urlsafe(32)
    return ApiToken.objects.create(
        user=owner,
        name="矩阵",
        prefix=raw[:10],
        digest=ApiToken.hash(raw),
        expires_at=timezone.now() + timedelta(days=30),
    )


# Another's token: only the security admin may revoke it; to anyone else it does not exist.
# (The matrix would otherwise expect the system admin and street B's admin to answer
# outside as they do inside.)
OTHERS_TOKEN = {
    "*": no(404),
    "system_admin": no(404),
    "outsider": no(404),
    "security_admin": ok(302),
}
WRITES = [
    Write(
        "api_token.revoke",
        route="api_token_revoke",
        make=_token,
        url=lambda ctx: reverse("api_token_revoke", args=[ctx.target.pk]),
        watch=fields("revoked_at"),
        inside={"*": ok(302)},
        outside=OTHERS_TOKEN,
        near=OTHERS_TOKEN,
    )
]


def _saved_filter(ctx):
    """The role's own saved filter inside; another person's outside and near."""
    users = ctx.world.users
    mine = ctx.inside and ctx.role != "anonymous"
    owner = users[ctx.role] if mine else users["community" if ctx.role == "street" else "street"]
    return SavedFilter.objects.create(
        owner=owner, page="cases:queue", name=f"超期{ctx.side}", query="queue=overdue"
    )


# Saving a filter is one's own business: every signed-in person may, anywhere. Deleting
# one: only one's own; another's does not exist (404), for every role.
ANYONE = {"*": ok(302)}
NOT_MINE = {"*": no(404), "system_admin": no(404), "outsider": no(404)}
WRITES += [
    Write(
        "saved_filter.create",
        route="saved_filter_new",
        make=lambda ctx: None,
        url=lambda ctx: reverse("saved_filter_new"),
        data=lambda ctx: {"page": "cases:queue", "name": "我的超期", "query": "queue=overdue"},
        watch=counts(SavedFilter),
        inside=ANYONE,
        outside=ANYONE,
        near=ANYONE,
    ),
    Write(
        "saved_filter.delete",
        route="saved_filter_delete",
        make=_saved_filter,
        url=lambda ctx: reverse("saved_filter_delete", args=[ctx.target.pk]),
        watch=counts(SavedFilter),
        inside=ANYONE,
        outside=NOT_MINE,
        near=NOT_MINE,
    ),
]


class TestWrites(CreateMatrix, ActMatrix):
    writes = WRITES


def _genxi_apps() -> list[str]:
    return sorted(a.name for a in apps.get_app_configs() if a.name.startswith("genxi."))


def test_the_core_declares_its_pages():
    assert_declared("genxi.core", WRITES, NOT_WRITES)


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
