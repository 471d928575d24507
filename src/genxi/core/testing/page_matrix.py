"""The page matrix: every page, export and API read of the site, for every role, on a world
seeded with one of everything inside and outside each viewer's scope (beside the write
matrix, `write_matrix.py`).

Each app declares its readable routes in `<app>/tests/pages.py`: a dict `PAGES` from the
route to a `Page` (or a list of them, for one route reached in several ways), and a
`seed(side)` that makes the app's objects in a side's place and returns them by name:

    def seed(side):
        need = services.need_create(actor=side.staff, community=side.community,
                                    title=f"{side.tag}助老服务", ...)
        return {"need": need}

    PAGES = {
        "cobuild:needs": Page(lambda s: reverse("cobuild:needs"), READERS),
        "cobuild:need": Page(lambda s: reverse("cobuild:need", args=[s.need.pk]), READERS),
        "cobuild:claim_act": Page(lambda s: ..., answers={"*": 405}),   # takes only a POST
        "GET /api/v1/cobuild/needs/{need_id}": Page(lambda s: f"/api/v1/cobuild/needs/{s.need.pk}",
                                                    READERS, kind=API),
    }

A route is a URL name ("cobuild:need") for pages, exports and Open311, and
"GET /api/v1/path/{param}" for the API's reads. `core/tests/test_no_leaks.py` walks the URL
resolver and the API's routers and fails, naming the route, when one is missing from its
app's `PAGES` (or `PAGES` names one that does not exist).

The places are those of the write matrix: street A's 彩香一村 (`in`), street A's 彩香二村
(`near`) and street B's 观景 (`out`). Every app seeds each of them, and marks what it makes
with the side's tag (`side.tag`: a word that appears nowhere else) in its name or title.
Each row of the test is one route for one role: it gets the page on the `in` side's
objects, and — when the URL names an object — on the `near` and `out` sides' too, and checks

- the status: `readers` answer 200 inside (street B's admin, `outsider`, only on a list:
  an inside object is not its own), every other signed-in role 404 (`answers` overrides
  any: "*" for every signed-in role not named), anonymous the login page (pages), 401 (API)
  or as declared (`kind=PUBLIC`, 200 by default); outside, as the write matrix does: 404,
  but the system admin answers as inside and street B's admin as street A's admin inside
  (`outside` overrides); near, the community worker, grid worker and liaison answer 404
  (`near` overrides); nothing else passes — no 500, no 403 that was not declared;
- the body (HTML, JSON decoded, XML, the cells of an xlsx): no tag of a side the role may
  not see (`SCOPES`), no resident's name where the role may not see residents, and no
  phone number, ID number or full address of anyone in clear — only masked. `shows` names,
  with the reason, the roles that may see another side's tags on this page.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from ..memo import clear_all as clear_all_memos
from .write_matrix import NEAR_ROLES, ROLES, Place, api_operations, owner
from .write_matrix import write_world as write_world  # the fixture page_world builds on

PAGE, API, PUBLIC = "page", "api", "public"
SIDES = ("in", "near", "out")
# A word per side, marked on everything seeded there; in no template, fixture or demo text.
TAGS = {"in": "白鹭洲", "near": "丹顶鹤", "out": "海鸥岛"}

# The sides whose objects each role may see at all (its scope), and whose residents.
SCOPES: dict[str, tuple[str, ...]] = {
    "system_admin": SIDES,
    "security_admin": (),
    "auditor": (),
    "street": ("in", "near"),
    "community": ("in",),
    "grid": ("in",),
    "unit": ("in",),
    "outsider": ("out",),
    "department": ("in", "near"),
    "norole": (),
    "anonymous": (),
}
RESIDENT_SCOPES: dict[str, tuple[str, ...]] = {
    "street": ("in", "near"),
    "community": ("in",),
    "grid": ("in",),
    "outsider": ("out",),
}


@dataclass(frozen=True)
class Page:
    """One way to read a route, and who may.

    `url(side)` builds the URL from a side's objects (`side.need`, `side.community`, …);
    when it is the same on every side (a list), the row gets it once. `readers` are the
    roles that get 200 on the inside object; `answers`, `outside`, `near` override a role's
    status ("*": every signed-in role not named, and anonymous too on a public page).
    `shows` maps a role ("*": every one) to the reason it may see other sides' tags here.
    `roles` limits the rows to some roles, only for a page that is the same for everyone
    and costly (say why beside it).
    """

    url: Callable[[Side], str]
    readers: tuple[str, ...] = ()
    answers: Mapping[str, int] = field(default_factory=dict)
    outside: Mapping[str, int] = field(default_factory=dict)
    near: Mapping[str, int] = field(default_factory=dict)
    kind: str = PAGE
    shows: Mapping[str, str] = field(default_factory=dict)
    variant: str = ""
    roles: tuple[str, ...] = ROLES

    def status(self, role: str, side: str = "in", detail: bool = False) -> int:
        """The status `role` gets on `side`'s object (`detail`: the URL names one)."""
        table = {"in": self.answers, "out": self.outside, "near": self.near}[side]
        if role in table:
            return table[role]
        if side == "in":
            if role == "anonymous" and self.kind != PUBLIC:
                return 401 if self.kind == API else 302
            if "*" in table:
                return table["*"]
            if role == "outsider" and detail:
                return 404  # street B's admin, on street A's object
            if role in self.readers or (role == "anonymous" and self.kind == PUBLIC):
                return 200
            return 404
        if side == "out" and role == "system_admin":
            return self.status(role, "in", detail)  # it sees the whole city
        if side == "out" and role == "outsider":
            return self.status("street", "in", detail)  # street B's admin, on street B's object
        if side == "near" and role not in NEAR_ROLES:
            return self.status(role, "in", detail)  # the near side is in the others' scope
        if "*" in table:
            return table["*"]
        inside = self.status(role, "in", detail)
        if self.kind == PUBLIC:
            return inside  # whoever has the link
        return 404 if inside == 200 else inside


class Side:
    """A side's place (`street`, `community`, `grid`, `unit`, `staff`, `worker`, `liaison`,
    `handler`, `point`), its tag, and the objects each app's `seed` made there."""

    def __init__(self, name: str, place: Place, world) -> None:
        self.name, self.place, self.world = name, place, world
        self.tag = TAGS[name]
        self.things: dict[str, Any] = {}

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or "things" not in self.__dict__:
            raise AttributeError(name)
        if name in self.things:
            return self.things[name]
        return getattr(self.place, name)


# The routes of the site -----------------------------------------------------------------


def page_routes() -> dict[str, str]:
    """URL name → view module, for every URL pattern but the admin's and the API's
    operations (walked by `api_read_routes`)."""
    found: dict[str, str] = {}

    def walk(patterns, namespace: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = p.namespace or ""
                if ns == "admin":
                    continue
                walk(p.url_patterns, f"{namespace}{ns}:" if ns else namespace)
            elif isinstance(p, URLPattern):
                module = getattr(p.callback, "__module__", "")
                if module == "ninja.operation":
                    continue
                if namespace == "api:":
                    module = "genxi.core"  # the API's schema, docs and root: the core's
                found[f"{namespace}{p.name or p.lookup_str}"] = module

    walk(get_resolver().url_patterns, "")
    return found


def api_read_routes() -> dict[str, str]:
    """ "GET /api/v1/path" → router module, for every API operation that reads."""
    return api_operations(reads=True)


def read_routes() -> dict[str, str]:
    """Every route a GET reaches (the admin aside) → the app that owns its view."""
    routes = page_routes() | api_read_routes()
    return {route: owner(module) for route, module in routes.items()}


def undeclared(app: str, pages: Mapping[str, Any]) -> tuple[set[str], set[str]]:
    mine = {route for route, app_of in read_routes().items() if app_of == app}
    return mine - set(pages), set(pages) - mine


# The world, seeded once per module -----------------------------------------------------


@pytest.fixture(scope="module")
def page_world(write_world, django_db_blocker):
    """The write matrix's world (rolled back at the module's end), with every app's `seed`
    run on each side, in the apps' order; `world.objs["sides"]` holds the sides and
    `world.objs["secrets"]` every personal number and address in clear."""
    clear_all_memos()  # seeded from the module's world, not an earlier test's memos
    with django_db_blocker.unblock():
        places = write_world.objs["places"]
        sides = {name: Side(name, places[name], write_world) for name in SIDES}
        for _app, module in page_tables():
            seed = getattr(module, "seed", None)
            for side in sides.values() if seed else ():
                side.things.update(seed(side) or {})
        write_world.objs["sides"] = sides
        write_world.objs["secrets"] = _secrets()
    return write_world


def _secrets() -> dict[str, str]:
    """Every resident's, pioneer's, unit's and reporter's number and full address, in clear."""
    from genxi.cases.models import Case
    from genxi.inspections.models import Target
    from genxi.orgs.models import PartnerUnit
    from genxi.people.models import Pioneer, Resident

    found = {}
    for c in Case.objects.all():
        found |= {
            c.reporter_contact: f"{c.code}'s reporter's phone",
            c.address: f"{c.code}'s address",
        }
    for r in Resident.objects.all():
        found |= {r.phone: f"{r.name}'s phone", r.id_number: f"{r.name}'s ID number"}
        found[r.address] = f"{r.name}'s address"
    for p in Pioneer.objects.all():
        found[p.phone] = f"{p.name}'s phone"
    for u in PartnerUnit.objects.all():
        found[u.contact_phone] = f"{u.name}'s phone"
    for t in Target.objects.all():
        found[t.responsible_phone] = f"{t.name}'s responsible person's phone"
    return {k: v for k, v in found.items() if k}


def page_tables() -> list[tuple[str, Any]]:
    """(app, its `tests/pages.py` module) for every genxi app that has one, in order."""
    import importlib

    from django.apps import apps

    tables = []
    for config in apps.get_app_configs():
        if not config.name.startswith("genxi."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tests.pages")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.tests.pages":
                raise
            continue
        tables.append((config.name, module))
    return tables


# One row ----------------------------------------------------------------------------------


def text_of(response) -> str:
    """What a response shows: HTML and XML as they are, JSON decoded (its Chinese is
    escaped), a workbook's cells, a PDF's text; nothing for an image."""
    content_type = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if content_type.startswith("image/"):
        return ""
    if "spreadsheetml" in content_type:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(
            str(cell)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        )
    if content_type.startswith("application/pdf"):
        from genxi.core import pdf

        return pdf.text(body)  # the text a printed notice carries
    text = body.decode()
    if "json" in content_type and text:
        text = json.dumps(json.loads(text), ensure_ascii=False)
    return text


def check(client, world, route: str, page: Page, role: str) -> None:
    """Get the page as `role` on each side and check its status and what it shows."""
    sides = world.objs["sides"]
    if role != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = world.objs["sessions"][role]
    urls = {name: page.url(sides[name]) for name in SIDES}
    detail = len(set(urls.values())) > 1
    runs = SIDES if detail else ("in",)
    for side in runs:
        cache.clear()  # rate limits of earlier rows
        url = urls[side]
        response = client.get(url)
        where = f"{route} ({url}) as {role}"
        if side != "in":
            where += f" on the {side} side's object"
        expected = page.status(role, side, detail)
        assert response.status_code == expected, (
            f"{where} answered {response.status_code}, expected {expected}: declare it in "
            f"the app's tests/pages.py if that is right"
        )
        if expected == 302 and role == "anonymous" and page.kind != PUBLIC:
            assert reverse("login") in response["Location"], f"{where} did not send to login"
        body = text_of(response)
        for secret, what in world.objs["secrets"].items():
            assert secret not in body, f"{where} shows {what} in clear"
        if role in page.shows or "*" in page.shows:
            continue
        for other in SIDES:
            if other not in SCOPES[role]:
                assert TAGS[other] not in body, f"{where} shows the {other} side's objects"
            elif other not in RESIDENT_SCOPES.get(role, ()):
                resident = f"{TAGS[other]}居民"
                assert resident not in body, f"{where} shows the {other} side's residents"


def page_matrix():
    """The parametrised test of every app's table: every route × every role."""
    params = []
    for _app, module in page_tables():
        for route, pages in module.PAGES.items():
            for page in pages if isinstance(pages, list) else [pages]:
                name = f"{route}{'~' + page.variant if page.variant else ''}"
                for role in page.roles:
                    params.append(pytest.param(route, page, role, id=f"{name}-{role}"))

    @pytest.mark.django_db
    @pytest.mark.parametrize(("route", "page", "role"), params)
    def test_page(client, page_world, route, page, role):
        check(client, page_world, route, page, role)

    return test_page
