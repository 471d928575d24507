"""The Content-Security-Policy header is on every kind of answer, and it allows no inline code."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

HEADER = "Content-Security-Policy"


def _directives(response) -> dict[str, list[str]]:
    policy = response[HEADER]
    return {
        part.split()[0]: part.split()[1:] for part in (p.strip() for p in policy.split(";")) if part
    }


def _assert_strict(response) -> None:
    assert HEADER in response, dict(response.headers)
    d = _directives(response)
    assert d["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval'
    assert d["style-src"] == ["'self'"]
    assert d["object-src"] == ["'none'"]
    assert d["base-uri"] == ["'self'"]
    assert d["frame-ancestors"] == ["'none'"]
    assert d["form-action"] == ["'self'"]
    assert sorted(d["img-src"]) == sorted(["'self'", "data:", "blob:"])
    assert d["default-src"] == ["'self'"]


def test_a_page_has_the_policy(client, world):
    client.force_login(world.users["street"])
    response = client.get(reverse("home"))
    assert response.status_code == 200
    _assert_strict(response)


def test_an_anonymous_public_page_has_the_policy(client, world):
    _assert_strict(client.get(reverse("public:report")))
    _assert_strict(client.get(reverse("login")))


def test_an_api_answer_has_the_policy(client, world):
    client.force_login(world.users["street"])
    response = client.get("/api/v1/residents")
    assert response.status_code == 200
    _assert_strict(response)
    _assert_strict(client.get("/api/v1/openapi.json"))


def test_the_admin_has_the_policy(client, world):
    client.force_login(world.users["street"])
    response = client.get("/admin/")
    assert response.status_code == 200
    _assert_strict(response)


def test_the_api_docs_load_swagger_from_this_site(client, world):
    """No CDN: the docs page's scripts and styles come from /static/, so the policy holds."""
    client.force_login(world.users["street"])
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    _assert_strict(response)
    body = response.content.decode()
    assert "cdn." not in body
    assert "/static/ninja/swagger-ui-bundle" in body


def test_tiles_outside_the_policy_are_reported_by_check_deploy(settings):
    from genxi.core.checks import check_tiles_under_the_policy
    from genxi.core.tiles import tile_source

    settings.GENXI_MAP_TILES = tile_source(
        {"GENXI_TILE_URL": "https://tiles.example.com/{z}/{x}/{y}.png"}
    )
    assert [m.id for m in check_tiles_under_the_policy()] == ["genxi.W002"]
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"img-src": ["https://tiles.example.com"]}}
    assert check_tiles_under_the_policy() == []
    for fine in ({}, {"GENXI_TILE_URL": "/tiles/{z}/{x}/{y}.png"}):
        settings.GENXI_MAP_TILES = tile_source(fine)
        assert check_tiles_under_the_policy() == []


def test_no_page_template_writes_what_the_policy_blocks():
    """The policy drops a style attribute or block, an inline handler (onchange=…, htmx's
    hx-on), an inline script or a javascript: link without a word on the page: a bar stays
    at its default width, a select does not submit. Templates mark elements with data-
    attributes and classes (static/genxi/genxi.js, genxi.css) instead. Each file is read
    whole (an attribute may start a line of its own). PDF templates are drawn by
    WeasyPrint, not under the policy."""
    from pathlib import Path

    import genxi

    root = Path(genxi.__file__).parent
    blocked = re.compile(
        r"(?<![\w-])(?:style|on[a-z]+)\s*="
        r"|hx-on"
        r"|<style\b"
        r"|javascript:"
        r"|<script(?![^>]*\ssrc=)[^>]*>",
        re.I,
    )
    found = []
    for path in sorted(root.glob("**/templates/**/*.html")):
        if "pdf" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        # Template comments are not sent (blanked, so line numbers hold).
        text = re.sub(
            r"\{#.*?#\}|\{% comment %\}.*?\{% endcomment %\}",
            lambda m: re.sub(r"[^\n]", " ", m.group(0)),
            text,
            flags=re.S,
        )
        for match in blocked.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            found.append(f"{path.relative_to(root)}:{line}: {match.group(0)}")
    assert found == []
