"""Hostile input: no page, export, API read or write answers a server error, whatever it is
sent (issue #8: "some inputs give a 500"). Built on the page matrix (`page_matrix.py`) and
the write matrix (`write_matrix.py`): every route an app declares there is fuzzed here,
as a role that may use it, on the `in` side's objects.

- `read_fuzz(apps)`: every readable route of the apps (its `tests/pages.py` `PAGES`), as a
  reader, gets each query parameter it reads — those named in its view's source, in the
  GET forms and links of its page, in the API's schema, and `page` — with each hostile
  value (`HOSTILE`), once alone and once repeated beside a sane one, then a few mixtures
  drawn by hypothesis.
- `write_fuzz(apps)`: every write of the apps (its `tests/test_write_matrix.py` `WRITES`),
  as a role it succeeds for, is posted with each of its fields — those of its data and of
  the form on its page — set to each hostile value (and a file that is no image for a
  file field), then emptied; each request runs in a savepoint rolled back after it.

A row fails naming every request that answered 5xx or raised, with the exception and
where it was raised; each must answer a 4xx naming the field instead.
"""

from __future__ import annotations

import importlib
import json
import os
import re
import traceback
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import resolve
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .matrix import Ctx, sign_in
from .page_matrix import API, PUBLIC, SIDES, Page, page_tables

# What a hostile visitor sends as a parameter's value.
HOSTILE: tuple[Any, ...] = (
    "",
    "-1",
    "abc",
    "1e400",
    "9223372036854775807",
    "2026-13",
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "NONEXISTENT",
    "x" * 5000,
    "白鹭洲😀\u202e\u200b𠀀",
    "a\x00b",
    "<script>alert(1)</script>",
    "%",
)
# What a hostile client sends as a JSON field of the API.
HOSTILE_JSON: tuple[Any, ...] = (
    None,
    -1,
    0,
    2**31,
    2**63,
    -(2**63) - 1,
    1.5,
    1e308,
    True,
    [],
    {},
    [1, 2],
    {"a": 1},
    "",
    "x" * 5000,
    "a\x00b",
    "2026-13-45",
    "0000-00-00",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-14:00",
    "NONEXISTENT",
)
NOT_AN_IMAGE = b"%PDF-1.4 this is not an image\x00\xff"
# The roles tried, in order, for a route: the first that may use it.
PREFERRED = (
    "street",
    "community",
    "grid",
    "unit",
    "department",
    "system_admin",
    "outsider",
    "security_admin",
    "auditor",
    "norole",
)
MIXTURES = 6  # hypothesis's examples per route, beyond the one-at-a-time pass

_SOURCE_NAMES = re.compile(
    r"""(?:GET|query_params|params)(?:\.get|\.getlist|\.__getitem__|\[)\(?\s*["']([\w.-]+)["']"""
    r"""|_param\(\s*request\s*,\s*["']([\w.-]+)["']"""
)
_FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
_NAME = re.compile(r"""\bname=["']([^"']+)["']""")
_FILE_INPUT = re.compile(r"""<input\b[^>]*type=["']file["'][^>]*>""", re.I)
_HREF_QUERY = re.compile(r"""href=["'][^"'#]*\?([^"'#]+)["']""")
_SKIP_FIELDS = {"csrfmiddlewaretoken"}


# Bookkeeping -------------------------------------------------------------------------------


class Failures(list):
    """The requests of a row that answered 5xx or raised."""

    def send(self, what: str, call) -> Any:
        cache.clear()  # rate limits and idempotency keys of earlier requests
        try:
            with transaction.atomic():
                response = call()
                transaction.set_rollback(True)
        except Exception as exc:  # noqa: BLE001 - every server error is what we look for
            frames = traceback.extract_tb(exc.__traceback__)
            ours = [f for f in frames if "/genxi/" in f.filename and "/testing/" not in f.filename]
            at = ours[-1] if ours else frames[-1]
            where = f"{at.filename.split('/src/')[-1]}:{at.lineno}"
            self.append(f"{what}: raised {type(exc).__name__}: {str(exc)[:200]} at {where}")
            return None
        if response.status_code >= 500:
            self.append(f"{what}: answered {response.status_code}")
        return response

    def check(self, route: str) -> None:
        unique = list(dict.fromkeys(self))
        if unique and os.environ.get("GENXI_FUZZ_LOG"):  # to follow a long run as it goes
            with open(os.environ["GENXI_FUZZ_LOG"], "a", encoding="utf-8") as log:
                log.write("\n".join([f"== {route}", *unique, ""]))
        assert not unique, f"{route}: {len(unique)} server errors:\n" + "\n".join(unique[:40])


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:30]}…({len(text)} chars)"


def _role_for_page(page: Page) -> str | None:
    if page.kind == PUBLIC:
        return "anonymous"
    for role in PREFERRED:
        if role in page.roles and page.status(role, "in") == 200:
            return role
    return None


def _names_in_html(body: str, *, method: str) -> tuple[set[str], set[str]]:
    """The field names of the page's forms of `method` (GET forms have none or
    method="get") and of its file inputs."""
    names, files = set(), set()
    for attrs, inner in _FORM.findall(body):
        m = re.search(r"""method=["']?(\w+)""", attrs, re.I)
        if (m.group(1).lower() if m else "get") != method:
            continue
        names |= set(_NAME.findall(inner))
        for tag in _FILE_INPUT.findall(inner):
            files |= set(_NAME.findall(tag))
    if method == "get":
        for query in _HREF_QUERY.findall(body):
            names |= {k for k, _ in parse_qsl(query.replace("&amp;", "&"), keep_blank_values=True)}
    return names - _SKIP_FIELDS, files


def _names_in_source(url: str) -> set[str]:
    """The query parameters the view's module reads by name."""
    try:
        match = resolve(urlsplit(url).path)
    except Exception:  # noqa: BLE001 - a URL outside the resolver reads nothing we can see
        return set()
    module = importlib.import_module(getattr(match.func, "__module__", "builtins"))
    try:
        import inspect

        source = inspect.getsource(module)
    except (OSError, TypeError):
        return set()
    return {a or b for a, b in _SOURCE_NAMES.findall(source)}


def _api_query_names(url: str) -> set[str]:
    """The query parameters the API's schema declares for the operation at `url`."""
    from genxi.config.api import api

    schema = api.get_openapi_schema()
    path = urlsplit(url).path
    names: set[str] = set()
    for template, operations in schema["paths"].items():
        pattern = re.sub(r"\{[^}]+\}", "[^/]+", template.rstrip("/"))
        if not re.fullmatch(pattern + "/?", path):
            continue
        for parameter in operations.get("get", {}).get("parameters", []):
            if parameter.get("in") == "query":
                names.add(parameter["name"])
    return names


def _objects_elsewhere(world) -> tuple[Any, ...]:
    """Ids of the other street's objects, and ids that name nothing."""
    out = world.objs["places"]["out"]
    return (str(out.community.pk), str(out.grid.pk), out.community.code, "2147483648")


# Reads -------------------------------------------------------------------------------------


def _read_rows(apps: Iterable[str]) -> list:
    rows = []
    wanted = set(apps)
    for app, module in page_tables():
        if app not in wanted:
            continue
        for route, pages in module.PAGES.items():
            page = (pages if isinstance(pages, list) else [pages])[0]
            role = _role_for_page(page)
            if role is None:
                continue  # no role reads it (a POST-only route): the write fuzz covers it
            rows.append(pytest.param(route, page, role, id=f"{route}-{role}"))
    return rows


def fuzz_read(client, world, route: str, page: Page, role: str) -> None:
    sides = world.objs["sides"]
    url = page.url(sides["in"])
    sign_in(client, world, role)
    failures = Failures()
    base, _, query = url.partition("?")
    fixed = dict(parse_qsl(query, keep_blank_values=True))
    first = failures.send(f"GET {url}", lambda: client.get(url))
    names = {"page"} | _names_in_source(url)
    if page.kind == API:
        names |= _api_query_names(url)
    elif first is not None and "html" in first.get("Content-Type", ""):
        names |= _names_in_html(first.content.decode(errors="replace"), method="get")[0]
    names = sorted(n for n in names if n)
    hostile = HOSTILE + _objects_elsewhere(world)
    for name in names:
        for value in hostile:
            params = fixed | {name: value}
            what = f"GET {base} {name}={_short(value)}"
            failures.send(what, lambda p=params: client.get(base, p))
        params = fixed | {name: ["1", "abc", "\x00", ""]}
        failures.send(f"GET {base} {name} repeated", lambda p=params: client.get(base, p))

    @settings(
        max_examples=MIXTURES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        st.dictionaries(
            st.sampled_from(names),
            st.one_of(st.sampled_from(hostile), st.text(max_size=40)),
            min_size=1,
            max_size=4,
        )
    )
    def mixture(params):
        query = fixed | params
        shown = {k: _short(v) for k, v in params.items()}
        failures.send(f"GET {base} {shown}", lambda: client.get(base, query))

    mixture()
    failures.check(route)


def read_fuzz(apps: Iterable[str]):
    """The parametrised test: every readable route of `apps`, with hostile parameters."""
    rows = _read_rows(apps)

    @pytest.mark.django_db
    @pytest.mark.parametrize(("route", "page", "role"), rows)
    def test_hostile_query(client, page_world, route, page, role):
        fuzz_read(client, page_world, route, page, role)

    return test_hostile_query


# Writes ------------------------------------------------------------------------------------


def write_tables(apps: Iterable[str]) -> list[tuple[str, list]]:
    found = []
    for app in apps:
        module = importlib.import_module(f"{app}.tests.test_write_matrix")
        found.append((app, list(getattr(module, "WRITES", []))))
    return found


def _role_for_write(write) -> str | None:
    for role in PREFERRED:
        if write.answer(role, "in").writes:
            return role
    if "*" in write.inside and write.inside["*"].writes:
        return "anonymous"
    return None


def _write_rows(apps: Iterable[str]) -> list:
    rows = []
    for _app, writes in write_tables(apps):
        for write in writes:
            role = _role_for_write(write)
            if role is not None:
                rows.append(pytest.param(write, role, id=f"{write.name}-{role}"))
    return rows


def _form_of(client, url: str, files: set[str], data: dict) -> set[str]:
    """The fields of the POST form on the write's page (a GET of its URL), if it has one."""
    try:
        with transaction.atomic():
            response = client.get(url)
            transaction.set_rollback(True)
    except Exception:  # noqa: BLE001 - a page that cannot be read shows no form
        return set()
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return set()
    names, file_names = _names_in_html(response.content.decode(errors="replace"), method="post")
    files |= file_names
    return names


def fuzz_write(client, world, write, role: str) -> None:
    ctx = Ctx(world=world, role=role, side="in")
    ctx.target = write.make(ctx)
    url, data = write.url(ctx), write.data(ctx)
    sign_in(client, world, role)
    failures = Failures()
    files = {k for k, v in data.items() if hasattr(v, "read")}
    names = set(data) | (set() if write.is_api else _form_of(client, url, files, data))
    method = getattr(client, write.method.lower())

    def post(payload: dict):
        if write.is_api:
            return lambda: method(url, json.dumps(payload), content_type="application/json")
        return lambda: method(url, _rewound(payload))

    hostile = HOSTILE_JSON if write.is_api else HOSTILE + _objects_elsewhere(world)
    for name in sorted(names):
        values: tuple[Any, ...] = hostile
        if name in files:
            values = (
                SimpleUploadedFile("x.jpg", NOT_AN_IMAGE, "image/jpeg"),
                SimpleUploadedFile("x.png", b"", "image/png"),
                SimpleUploadedFile("x.xlsx", NOT_AN_IMAGE, "application/vnd.ms-excel"),
                "not a file",
            )
        for value in values:
            payload = data | {name: value}
            failures.send(f"{write.method} {url} {name}={_short(value)}", post(payload))
        if not write.is_api:
            payload = data | {name: ["1", "abc", "\x00"]}
            failures.send(f"{write.method} {url} {name} repeated", post(payload))
        payload = {k: v for k, v in data.items() if k != name}
        failures.send(f"{write.method} {url} without {name}", post(payload))
    failures.send(f"{write.method} {url} empty", post({}))
    if not write.is_api:
        everything = dict.fromkeys(names, "a\x00b")
        failures.send(f"{write.method} {url} NUL everywhere", post(everything))
    else:
        failures.send(
            f"{write.method} {url} not JSON",
            lambda: method(url, "{not json", content_type="application/json"),
        )
        failures.send(
            f"{write.method} {url} a JSON list",
            lambda: method(url, "[1]", content_type="application/json"),
        )
    failures.check(write.name)


def _rewound(payload: dict) -> dict:
    for value in payload.values():
        if hasattr(value, "seek"):
            value.seek(0)
    return payload


def write_fuzz(apps: Iterable[str]):
    """The parametrised test: every write of `apps`, with hostile fields."""
    rows = _write_rows(apps)

    @pytest.mark.django_db
    @pytest.mark.parametrize(("write", "role"), rows)
    def test_hostile_write(client, write_world, write, role):
        fuzz_write(client, write_world, write, role)

    return test_hostile_write


__all__ = ["HOSTILE", "HOSTILE_JSON", "SIDES", "read_fuzz", "write_fuzz"]
