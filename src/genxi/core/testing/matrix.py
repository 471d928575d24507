"""The permission matrix: one mixin per verb, each test parametrised over every role.

A test class declares its objects, its URLs and what each role gets, and inherits the mixin
of each verb that applies — a verb that does not apply is simply not inherited:

- `ViewMatrix`: the detail page (`page_detail`, a URL name) and the API detail (`api_detail`,
  a path with `{pk}`). A role that sees the object gets 200, one that does not 404 (in
  scope or not, a missing object too); anonymous the login redirect (page) or 401 (API).
- `ListMatrix`: the list page (`page_list`) and the API list (`api_list`): what a role sees
  is shown, what it does not is not, the API's count agrees with its items; anonymous
  the login redirect or 401; the roles in `list_hidden` get 404 for the list page.
- `CreateMatrix`, `ActMatrix`: the writes of `write_matrix.py` (`writes = [Write(...)]`):
  the roles allowed create (act) and it is audited, the others are refused with nothing
  written and no audit event; an object out of sight answers 404.

Every test runs for every role of the world (`ROLES`: the world's users and an anonymous
visitor) and on objects made by `make(ctx)` in three places (`SIDES`): street A's 彩香一村
("in"), street A's 彩香二村 ("near": in the street admin's scope, outside the community
worker's, grid worker's and liaison's) and street B's 观景 ("out"). `sees` says which
places each role sees; a role not named sees none. For example:

    class TestNeeds(ViewMatrix, ListMatrix):
        page_detail, page_list = "cobuild:need", "cobuild:needs"
        api_detail, api_list = "/api/v1/cobuild/needs/{pk}", "/api/v1/cobuild/needs"
        label_attr = "title"
        sees = STAFF_SIGHT | {"unit": {IN}}

        def make(self, ctx):
            return services.need_create(actor=ctx.staff, community=ctx.community, ...)

The world is built once per test module (`matrix_world`) and every test runs in a savepoint
inside it, so a matrix of hundreds of rows stays fast.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse

from ..memo import clear_all as clear_all_memos
from .world import World, build_world, make_user

ROLES = (
    "system_admin",
    "security_admin",
    "auditor",
    "street",
    "community",
    "grid",
    "unit",
    "outsider",
    "department",
    "norole",
    "anonymous",
)
IN, NEAR, OUT = "in", "near", "out"
SIDES = (IN, OUT, NEAR)
# The near side (another community of street A) differs from the inside only for the roles
# whose scope is smaller than the street: only they are run there by the write matrix.
NEAR_ROLES = ("community", "grid", "unit")
STREET_A = frozenset({IN, NEAR})
EVERYWHERE = frozenset(SIDES)
# Who sees an object of a community's grid: the system admin the whole city, street A's
# admin and department officer the street, street B's admin its own street, the community
# and grid workers their own community and grid (the inside object sits in both).
STAFF_SIGHT: dict[str, frozenset[str]] = {
    "system_admin": EVERYWHERE,
    "street": STREET_A,
    "department": STREET_A,
    "outsider": frozenset({OUT}),
    "community": frozenset({IN}),
    "grid": frozenset({IN}),
}
PAGE, API, PUBLIC = "page", "api", "public"


# What a request answers -------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """What a request answers: its status (or any of several, for rows whose exact answer
    another change decides), whether the write happens, and whether it sends to login."""

    status: int | tuple[int, ...]
    writes: bool
    to_login: bool = False

    def __str__(self) -> str:
        return f"{self.status}{' written' if self.writes else ' refused'}"


def ok(status: int) -> Answer:
    """The write happens and the request answers `status`."""
    return Answer(status, True)


def no(status: int | tuple[int, ...]) -> Answer:
    """Nothing is written and the request answers `status`."""
    return Answer(status, False)


HIDDEN = no(404)
TO_LOGIN = Answer(302, False, to_login=True)
UNAUTHORIZED = no(401)


def assert_answer(response, expected: Answer, where: str) -> None:
    statuses = expected.status if isinstance(expected.status, tuple) else (expected.status,)
    assert response.status_code in statuses, (
        f"{where} answered {response.status_code}, expected {expected}"
    )
    if expected.to_login:
        assert reverse("login") in response["Location"], f"{where} did not send to login"


# The world, once per module ----------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """Where a side's objects sit, and the people of that place (to build things as)."""

    street: Any
    community: Any
    grid: Any
    unit: Any  # the partner unit paired with the community
    staff: Any  # the street admin over it
    worker: Any  # a community worker of the community
    liaison: Any  # the liaison of `unit`
    handler: Any  # a grid worker of the grid: cases there are dispatched to them
    point: tuple[float, float]  # a point inside the grid


@dataclass
class Ctx:
    """One row of the matrix: the world, the role acting, the side, and what `make` built.
    The side's place — `ctx.community`, `ctx.grid`, `ctx.unit`, `ctx.staff`, … — is
    street A's 彩香一村 ("in"), street B's 观景 ("out"), or street A's 彩香二村 ("near")."""

    world: World
    role: str
    side: str
    target: Any = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def inside(self) -> bool:
        return self.side == IN

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or "world" not in self.__dict__:
            raise AttributeError(name)
        return getattr(self.world.objs["places"][self.side], name)


@pytest.fixture(scope="module")
def matrix_world(django_db_setup, django_db_blocker, app_db_role):
    """The world of `world.py`, a department officer over street A, and what street B
    needs to mirror street A (a grid worker, a community worker and a liaison of its
    paired unit), built once per test module inside a transaction that is rolled back at
    its end; each test runs in a savepoint inside it. The app role's grants (PostgreSQL)
    are made before that transaction opens, so its rollback cannot take them back."""
    from genxi.cases.categories import ensure as ensure_categories
    from genxi.cases.models import Category
    from genxi.core.roles import Role

    # A memo filled by an earlier module (the locator's grids, say) holds rows that were
    # rolled back with that module's world: the autouse `_fresh_caches` runs only per test.
    clear_all_memos()
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            ensure_categories(Category)
            world = build_world()
            world.objs["places"] = _places(world)
            # The one role the world has no user for: a department officer over street A.
            world.users["department"] = make_user(
                "department", Role.DEPARTMENT_OFFICER, region=world.street_a
            )
            assert set(world.users) | {"anonymous"} == set(ROLES), "a role without a row"
            world.objs["sessions"] = _sessions(world)
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    yield world
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)
    clear_all_memos()


def _places(world: World) -> dict[str, Place]:
    from genxi.core.roles import Role

    unit_a2 = world.unit(world.street_a, "U-A-M2", "丙共建单位", pair_with=[world.a2])
    users = world.users
    return {
        IN: Place(
            world.street_a,
            world.a1,
            world.grid_a1,
            world.objs["unit_a"],
            users["street"],
            users["community"],
            users["unit"],
            users["grid"],
            (31.321, 120.591),
        ),
        NEAR: Place(
            world.street_a,
            world.a2,
            world.grid_a2,
            unit_a2,
            users["street"],
            make_user("communitya2", Role.COMMUNITY_WORKER, region=world.a2),
            make_user("unitliaisona2", Role.UNIT_LIAISON, unit=unit_a2),
            make_user("grida2", Role.GRID_WORKER, region=world.grid_a2),
            (31.323, 120.591),
        ),
        OUT: Place(
            world.street_b,
            world.b1,
            world.grid_b1,
            world.objs["unit_b"],
            users["outsider"],
            make_user("communityb", Role.COMMUNITY_WORKER, region=world.b1),
            make_user("unitliaisonb", Role.UNIT_LIAISON, unit=world.objs["unit_b"]),
            make_user("gridb", Role.GRID_WORKER, region=world.grid_b1),
            (31.337, 120.573),
        ),
    }


def _sessions(world: World) -> dict[str, str]:
    """One signed-in session per role, made once: each row then only sets its cookie."""
    from django.test import Client

    sessions = {}
    for role, user in world.users.items():
        client = Client()
        client.force_login(user)
        sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return sessions


def sign_in(client, world: World, role: str) -> None:
    """Make `client` the role's browser (anonymous: nobody's)."""
    cache.clear()  # rate limits and idempotency keys of earlier rows
    if role != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = world.objs["sessions"][role]


# The mixins --------------------------------------------------------------------------------


class Matrix:
    """The base of the mixins: each mixin's test is parametrised by the class's declarations
    through `params_<test name>`, with ids that name the case (`page-street-in`)."""

    sees: ClassVar[Mapping[str, Iterable[str]]] = {}
    # (surface, role, side) → why the row is known to fail (a strict xfail);
    # "*" stands for any surface or side.
    known: ClassVar[Mapping[tuple[str, str, str], str]] = {}

    def make(self, ctx: Ctx) -> Any:
        """Build the object of the row on `ctx`'s side (`ctx.community`, `ctx.grid`, …)."""
        raise NotImplementedError(f"{type(self).__name__} must say how to make its object")

    def pytest_generate_tests(self, metafunc) -> None:
        params = getattr(self, f"params_{metafunc.function.__name__}", None)
        if params is not None:
            names, rows = params()
            assert rows, f"{type(self).__name__}.{metafunc.function.__name__}: no rows"
            metafunc.parametrize(names, rows)

    def sides_seen(self, role: str) -> frozenset[str]:
        unknown = set(self.sees) - set(ROLES)
        assert not unknown, f"{type(self).__name__}.sees names no role of the world: {unknown}"
        return frozenset(self.sees.get(role, ()))

    def row(self, surface: str, role: str, side: str, *, id: str) -> Any:
        reason = next(
            (
                why
                for (s, r, d), why in self.known.items()
                if s in ("*", surface) and r in ("*", role) and d in ("*", side)
            ),
            None,
        )
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        return pytest.param(surface, role, side, id=id, marks=marks)

    def build(self, world: World, role: str, side: str) -> Ctx:
        ctx = Ctx(world=world, role=role, side=side)
        ctx.target = self.make(ctx)
        return ctx


def _surfaces(cls: type, page: str | None, api: str | None, verb: str) -> list[str]:
    surfaces = [s for s, url in ((PAGE, page), (API, api)) if url]
    assert surfaces, f"{cls.__name__}: {verb} needs a page or an API URL (or drop the mixin)"
    return surfaces


class ViewMatrix(Matrix):
    """One object, one role, one side: the detail page and the API detail."""

    page_detail: ClassVar[str | None] = None  # URL name taking the object's key
    api_detail: ClassVar[str | None] = None  # path with {pk}
    key_attr: ClassVar[str] = "pk"  # the attribute the URLs take (cases: "code")

    def params_test_view(self):
        rows = [
            self.row(surface, role, side, id=f"{surface}-{role}-{side}")
            for surface in _surfaces(type(self), self.page_detail, self.api_detail, "view")
            for role in ROLES
            for side in (*SIDES, "missing")
        ]
        return ("surface", "role", "side"), rows

    def view_answer(self, surface: str, role: str, side: str) -> Answer:
        if role == "anonymous":
            return TO_LOGIN if surface == PAGE else UNAUTHORIZED
        return no(200) if side in self.sides_seen(role) else HIDDEN

    @pytest.mark.django_db
    def test_view(self, client, matrix_world, surface, role, side):
        if side == "missing":
            key = 10**9 if self.key_attr == "pk" else "NOSUCHKEY"
        else:
            key = getattr(self.build(matrix_world, role, side).target, self.key_attr)
        if surface == PAGE:
            url = reverse(self.page_detail, args=[key])
        else:
            url = self.api_detail.format(pk=key)
        sign_in(client, matrix_world, role)
        expected = self.view_answer(surface, role, side)
        assert_answer(client.get(url), expected, f"GET {url} as {role} ({side})")


class ListMatrix(Matrix):
    """An object on every side, one role: the list page and the API list show what the role
    sees and nothing else."""

    page_list: ClassVar[str | None] = None  # URL name of the list page
    api_list: ClassVar[str | None] = None  # path
    label_attr: ClassVar[str] = "name"  # what identifies the object on the list page
    id_field: ClassVar[str] = "id"  # … and in the API's items
    # Roles without the permission to see any: the list page answers them 404 (the API's
    # list answers 200 with nothing in it). Default: the roles that carry no `view_data`.
    list_hidden: ClassVar[frozenset[str]] = frozenset({"norole", "security_admin", "auditor"})

    def params_test_list(self):
        rows = [
            self.row(surface, role, "*", id=f"{surface}-{role}")
            for surface in _surfaces(type(self), self.page_list, self.api_list, "list")
            for role in ROLES
        ]
        return ("surface", "role", "side"), rows

    def label(self, obj: Any) -> str:
        return str(getattr(obj, self.label_attr))

    @pytest.mark.django_db
    def test_list(self, client, matrix_world, surface, role, side):
        made = {s: self.build(matrix_world, role, s).target for s in SIDES}
        url = reverse(self.page_list) if surface == PAGE else self.api_list
        sign_in(client, matrix_world, role)
        response = client.get(url)
        where = f"GET {url} as {role}"
        if role == "anonymous":
            assert_answer(response, TO_LOGIN if surface == PAGE else UNAUTHORIZED, where)
            return
        if role in self.list_hidden:
            assert not self.sides_seen(role), f"{role} is in list_hidden but sees something"
            if surface == PAGE:
                assert_answer(response, HIDDEN, where)
                return
        assert_answer(response, no(200), where)
        expected = {s for s in SIDES if s in self.sides_seen(role)}
        if surface == PAGE:
            labels = {s: self.label(o) for s, o in made.items()}
            assert len(set(labels.values())) == len(SIDES), f"labels must differ: {labels}"
            body = response.content.decode()
            shown = {s for s, label in labels.items() if label in body}
        else:
            data = response.json()
            ids = [item[self.id_field] for item in data["items"]]
            assert data["count"] == len(ids), f"{where}: count {data['count']}, {len(ids)} items"
            key = "pk" if self.id_field == "id" else self.id_field
            shown = {s for s, o in made.items() if getattr(o, key) in ids}
        assert shown == expected, f"{where} showed {sorted(shown)}, expected {sorted(expected)}"


class _WriteMatrix(Matrix):
    """The writes of `write_matrix.py`, as a class: `writes = [Write(...), ...]`."""

    writes: ClassVar[list[Any]] = []

    def _write_rows(self, creating: bool):
        mine = [w for w in self.writes if w.creates == creating]
        others = [w for w in self.writes if w.creates != creating]
        other_mixin = ActMatrix if creating else CreateMatrix
        assert not others or isinstance(self, other_mixin), (
            f"{type(self).__name__}: {[w.name for w in others]} need {other_mixin.__name__}"
        )
        rows = []
        for write in mine:
            for role in ROLES:
                for side in SIDES if role in NEAR_ROLES else SIDES[:2]:
                    reason = write.xfail.get((role, side)) or write.xfail.get((role, "*"))
                    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
                    row_id = f"{write.name}-{role}-{side}"
                    rows.append(pytest.param(write, role, side, id=row_id, marks=marks))
        return ("write", "role", "side"), rows


class CreateMatrix(_WriteMatrix):
    """A POST that makes a new row (a write whose name holds `.create`): the roles allowed
    create it, audited; the others are refused with nothing written."""

    def params_test_create(self):
        return self._write_rows(creating=True)

    @pytest.mark.django_db
    def test_create(self, client, matrix_world, write, role, side):
        from .write_matrix import check

        check(client, matrix_world, write, role, side, grows=True)


class ActMatrix(_WriteMatrix):
    """A state-changing action on an object (every other write): the roles allowed succeed,
    audited; an object out of sight answers 404; the others are refused; a refusal writes
    nothing."""

    def params_test_act(self):
        return self._write_rows(creating=False)

    @pytest.mark.django_db
    def test_act(self, client, matrix_world, write, role, side):
        from .write_matrix import check

        check(client, matrix_world, write, role, side)


def sight(base: Mapping[str, Iterable[str]] = STAFF_SIGHT, **roles: Iterable[str]) -> dict:
    """A `sees` table: `base` with the roles given changed (`sight(unit={IN})`)."""
    return {r: frozenset(s) for r, s in base.items()} | {r: frozenset(s) for r, s in roles.items()}


__all__ = [
    "API",
    "EVERYWHERE",
    "HIDDEN",
    "IN",
    "NEAR",
    "NEAR_ROLES",
    "OUT",
    "PAGE",
    "PUBLIC",
    "ROLES",
    "SIDES",
    "STAFF_SIGHT",
    "STREET_A",
    "TO_LOGIN",
    "UNAUTHORIZED",
    "ActMatrix",
    "Answer",
    "CreateMatrix",
    "Ctx",
    "ListMatrix",
    "Matrix",
    "Place",
    "ViewMatrix",
    "matrix_world",
    "no",
    "ok",
    "sight",
    "sign_in",
]
