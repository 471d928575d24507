"""The writes of the permission matrix (`matrix.py`): the `Write` record that
`CreateMatrix` and `ActMatrix` run, and the guard that every write is declared.

Each app declares its writes — every page that takes a POST, every API operation that is
not a GET, Open311's POST — in `<app>/tests/test_write_matrix.py` as a list `WRITES` of
`Write`, and runs them with the mixins of the matrix (a write whose name holds `.create`
is a create, the others are acts):

    WRITES = [
        Write(
            "need.create",
            route="cobuild:need_new",
            make=lambda ctx: ctx.community,             # what the write is aimed at
            url=lambda ctx: reverse("cobuild:need_new"),
            data=lambda ctx: {"community": ctx.target.pk, "title": "…", …},
            watch=counts(Need),                         # what a write changes
            inside={"street": ok(302), "community": ok(302), "system_admin": no(302)},
        ),
    ]
    class TestWrites(CreateMatrix, ActMatrix):
        writes = WRITES

The test runs every role of the world (and an anonymous visitor) × every write × a target
in street A's 彩香一村 (`side="in"`) and one in street B (`side="out"`); the community
worker, grid worker and liaison also on one in street A's other community 彩香二村
(`side="near"`: outside their scope, inside their street admin's). It checks the status
and that the state `watch` reads, and the number of audit events, change exactly when the
answer says the write happens — a refused write leaves both untouched; a create's
count must rise.

Expected answers are given for the target in scope (`inside`); roles not named answer as
if the object did not exist for them (404; anonymous: the login redirect on pages, 401 on
the API). Outside, every role answers 404 except the system admin (who sees the whole
city: it answers as inside) and `outsider` — the street admin of street B, for whom the
outside target is in scope: it answers as the street admin of A does inside. Near, the
three roles answer 404. `outside` and `near` override any of these.

`core/tests/test_write_matrix.py` and each app's `test_every_write_is_declared` walk the
URL resolver and the API's routers and fail when a write is not declared in its app's
table, so a new page or operation must be added.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .matrix import (
    API,
    HIDDEN,
    NEAR_ROLES,
    PAGE,
    PUBLIC,
    ROLES,
    SIDES,
    TO_LOGIN,
    UNAUTHORIZED,
    Answer,
    Ctx,
    Place,
    assert_answer,
    no,
    ok,
    sign_in,
)
from .world import World


def _nothing(ctx: Ctx) -> dict:
    return {}


@dataclass(frozen=True)
class Write:
    """One write operation and who may do it.

    `route` names what the guard looks for: a URL name ("cases:act") for pages and Open311,
    "METHOD /api/v1/path/{param}" for the API. `kind` is "page" (login required), "api"
    (token or session) or "public" (no login needed). "*" in `inside` or `outside` stands
    for every signed-in role not named (and for anonymous too on public writes).
    `xfail` maps (role, side) — or (role, "*") — to the reason a row is known to fail,
    naming the item of issue #8 that fixes it.
    """

    name: str
    route: str
    make: Callable[[Ctx], Any]
    url: Callable[[Ctx], str]
    watch: Callable[[Ctx], Any]
    inside: Mapping[str, Answer]
    outside: Mapping[str, Answer] = field(default_factory=dict)
    near: Mapping[str, Answer] = field(default_factory=dict)
    data: Callable[[Ctx], dict] = _nothing
    kind: str = PAGE
    method: str = "POST"
    xfail: Mapping[tuple[str, str], str] = field(default_factory=dict)

    @property
    def creates(self) -> bool:
        """Whether the write makes a new row (its name says `.create`): `CreateMatrix` runs
        it and checks the count it watches rises; `ActMatrix` runs the others."""
        return ".create" in self.name

    @property
    def is_api(self) -> bool:
        return self.route.split(" ", 1)[0] in ("POST", "PUT", "PATCH", "DELETE")

    def answer(self, role: str, side: str) -> Answer:
        table = {"in": self.inside, "out": self.outside, "near": self.near}[side]
        if role in table:
            return table[role]
        if side == "out" and role == "system_admin":
            return self.answer(role, "in")  # it sees the whole city
        if side == "out" and role == "outsider":
            return self.answer("street", "in")  # street B's admin, on street B's object
        if role == "anonymous" and self.kind != PUBLIC:
            return UNAUTHORIZED if self.kind == API else TO_LOGIN
        if "*" in table:
            return table["*"]
        if side != "in" and "*" in self.inside and self.kind == PUBLIC:
            return self.inside["*"]
        return HIDDEN


# What a write changes --------------------------------------------------------------------


def counts(*models) -> Callable[[Ctx], tuple]:
    """Watch the number of rows of `models`."""

    def read(ctx: Ctx) -> tuple:
        return tuple(m.objects.count() for m in models)

    return read


def fields(*names: str, also: Callable[[Ctx], Any] | None = None) -> Callable[[Ctx], tuple]:
    """Watch the target's `names` as stored (and whatever `also` reads)."""

    def read(ctx: Ctx) -> tuple:
        row = type(ctx.target).objects.filter(pk=ctx.target.pk).values(*names).first()
        return (row, also(ctx) if also else None)

    return read


@pytest.fixture(scope="module")
def write_world(matrix_world):  # the fixture of matrix.py, registered in conftest.py
    """The matrix's world under the name the write tables used first."""
    return matrix_world


def _send(client, write: Write, url: str, data: dict):
    method = getattr(client, write.method.lower())
    if write.is_api:
        return method(url, data, content_type="application/json")
    return method(url, data)


def check(client, world: World, write: Write, role: str, side: str, grows: bool = False) -> None:
    """Run one row of the matrix (`grows`: a create, whose watched count must rise)."""
    from genxi.core.models import AuditEvent

    ctx = Ctx(world=world, role=role, side=side)
    ctx.target = write.make(ctx)
    url, data = write.url(ctx), write.data(ctx)
    sign_in(client, world, role)
    before, events = write.watch(ctx), AuditEvent.objects.count()
    response = _send(client, write, url, data)
    after, events_after = write.watch(ctx), AuditEvent.objects.count()
    expected = write.answer(role, side)
    where = f"{write.name} as {role} on the {side}side target: {write.method} {url}"
    assert_answer(response, expected, where)
    if expected.writes:
        assert after != before, f"{where} answered {response.status_code} but wrote nothing"
        if grows:
            assert _total(after) > _total(before), f"{where} created nothing: {before}, {after}"
        assert events_after > events, f"{where} wrote no audit event"
    else:
        assert after == before, f"{where} was refused but changed {before} to {after}"
        assert events_after == events, f"{where} was refused but wrote an audit event"


def _total(watched: Any) -> int:
    """The rows a `counts` watch (or a single count) reads, added up."""
    return watched if isinstance(watched, int) else sum(watched)


# The guard: every write is declared ------------------------------------------------------


def _accepts_post(callback) -> bool:
    """Whether a view may take a POST: a class-based view with `post`, or a function view
    whose source (decorators included) reads `request.POST` or the request's method, or
    is decorated to take a POST."""
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        return hasattr(view_class, "post") or hasattr(view_class, "put")
    func = inspect.unwrap(callback)
    try:
        source = inspect.getsource(func)
    except (OSError, TypeError):
        return True  # cannot tell: must be declared
    closure = [c.cell_contents for c in (callback.__closure__ or ()) if _safe(c)]
    methods = [m for c in closure if isinstance(c, (list, tuple)) for m in c]
    signs = ("request.POST", "request.method", "require_POST", '"POST"')
    return any(sign in source for sign in signs) or "POST" in methods


def _safe(cell) -> bool:
    try:
        cell.cell_contents  # noqa: B018
    except ValueError:
        return False
    return True


def page_routes(skip: tuple[str, ...] = ("admin", "api")) -> dict[str, str]:
    """URL name → view module, for every page that takes a POST (namespaces in `skip`
    are left out: the admin has its own matrix; the API is walked by `api_routes`)."""
    found: dict[str, str] = {}

    def walk(patterns, namespace: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = p.namespace or ""
                if ns in skip:
                    continue
                walk(p.url_patterns, f"{namespace}{ns}:" if ns else namespace)
            elif isinstance(p, URLPattern) and _accepts_post(p.callback):
                name = f"{namespace}{p.name or p.lookup_str}"
                found[name] = inspect.unwrap(p.callback).__module__

    walk(get_resolver().url_patterns, "")
    return found


def api_operations(reads: bool = False) -> dict[str, str]:
    """ "METHOD /api/v1/path" → router module, for every API operation that writes (or,
    with `reads`, every one that is a GET)."""
    from genxi.config.api import api

    root = "/" + reverse("api:api-root").strip("/")
    found: dict[str, str] = {}
    for prefix, router in api._routers:
        for path, view in router.path_operations.items():
            for operation in view.operations:
                for method in operation.methods:
                    if (method == "GET") != reads or method in ("HEAD", "OPTIONS"):
                        continue
                    full = "/".join(s.strip("/") for s in (root, prefix, path) if s.strip("/"))
                    found[f"{method} /{full}"] = operation.view_func.__module__
    return found


def api_routes() -> dict[str, str]:
    """ "METHOD /api/v1/path" → router module, for every API operation that is not a read."""
    return api_operations()


@dataclass(frozen=True)
class NotAWrite:
    """A route the guard finds that is not a business write, with the reason (the tests
    that cover it instead)."""

    route: str
    reason: str


def owner(module: str) -> str:
    """The genxi app a view's module belongs to; Django's own views (login, logout,
    language) belong to the core, which mounts them."""
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "genxi" and len(parts) > 1 else "genxi.core"


def write_routes() -> dict[str, str]:
    """Every write route of the site (the admin aside) → the app that owns its view."""
    return {route: owner(module) for route, module in (page_routes() | api_routes()).items()}


def undeclared(app: str, declared) -> tuple[set[str], set[str]]:
    """The write routes of `app` missing from its table, and the table's routes that are
    not (or no longer) write routes of the app."""
    mine = {route for route, app_of in write_routes().items() if app_of == app}
    named = {d.route for d in declared}
    return mine - named, named - mine


def assert_declared(app: str, *tables) -> None:
    """Fail when a page that takes a POST, or an API operation that writes, is missing
    from the app's tables (or a table names a route that does not exist)."""
    missing, stale = undeclared(app, [d for table in tables for d in table])
    assert not missing, f"{app}: writes not in its write matrix: {sorted(missing)}"
    assert not stale, f"{app}: the write matrix names routes that are not writes: {sorted(stale)}"


# What the write tables import from here (the world and the answers live in matrix.py).
__all__ = [
    "API",
    "HIDDEN",
    "NEAR_ROLES",
    "PAGE",
    "PUBLIC",
    "ROLES",
    "SIDES",
    "TO_LOGIN",
    "UNAUTHORIZED",
    "Answer",
    "Ctx",
    "NotAWrite",
    "Place",
    "Write",
    "assert_declared",
    "check",
    "counts",
    "fields",
    "no",
    "ok",
    "undeclared",
    "write_routes",
    "write_world",
]
