"""Plain Chinese, names not codes (issue #10): no page a person reads shows a category code,
a login where a person is meant, a repository path, "None" or a raw dict or list.

Every declared page (each app's tests/pages.py) that a role may read is fetched by that role,
in Chinese and in English, on the page matrix's world (one per module, core/testing/
page_matrix.py); its visible text — tags, scripts and styles stripped, and the attributes a
person reads (title, placeholder, aria-label, alt) kept — is scanned. Every account of the
world has a name, as the demo's do, so a login on a page is a login shown instead of a name.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from genxi.cases import services
from genxi.cases.categories import CATEGORIES
from genxi.cases.models import Category
from genxi.core.testing.page_matrix import (
    PAGE,
    PUBLIC,
    page_tables,
    page_world,  # noqa: F401  (the fixture)
    write_world,  # noqa: F401  (the fixture)
)
from genxi.core.testing.write_matrix import ROLES
from genxi.people.models import User

LANGUAGES = ("zh-hans", "en")
SHOWN_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt"}
# Logins that are also English words: in English mode "community" or "grid" in a sentence is
# the word, not the account; in Chinese mode every login is looked for.
ENGLISH_WORDS = {"community", "grid", "street", "auditor", "department", "unit", "admin"}


class VisibleText(HTMLParser):
    """The text a person sees: data outside <script>, <style> and <template>, and the
    attributes read aloud or shown on hover."""

    HIDDEN = {"script", "style", "template"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1
        for name, value in attrs:
            if name in SHOWN_ATTRIBUTES and value:
                self.parts.append(value)

    def handle_startendtag(self, tag, attrs):
        for name, value in attrs:
            if name in SHOWN_ATTRIBUTES and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    parser.close()
    return "\n".join(p.strip() for p in parser.parts if p.strip())


def token(word: str) -> str:
    """`word` as a whole token: not inside a longer word or code (ENV in ENVIRONMENT)."""
    return rf"(?<![A-Za-z0-9_.]){re.escape(word)}(?![A-Za-z0-9_]|\.\d)"


CATEGORY_CODE = re.compile(
    "|".join(token(c[0]) for c in sorted(CATEGORIES, key=lambda c: -len(c[0])))
)
REPOSITORY_PATH = re.compile(r"(?:\b(?:src|docs)/\S+\.(?:py|md|html)\b|\b\w+/\w+\.md\b)")
# Python's None, not the English "None yet." of a translated page.
NONE = re.compile(token("None") + r"(?! [a-z])")
RAW_REPR = re.compile(r"\{'|\[\{|\{\"")


def problems(text: str, logins: re.Pattern | None) -> list[str]:
    found = []
    for name, pattern in (
        ("category code", CATEGORY_CODE),
        ("login", logins),
        ("repository path", REPOSITORY_PATH),
        ('"None"', NONE),
        ("raw dict or list", RAW_REPR),
    ):
        if pattern is None:
            continue
        for m in pattern.finditer(text):
            start, end = max(0, m.start() - 30), m.end() + 30
            found.append(f"{name} {m.group(0)!r} in …{text[start:end]!r}…")
    return found


def test_the_scanner_finds_what_it_looks_for():
    html = (
        '<p title="FAC">x</p><script>var c = "SAFE";</script><td>ENV.01 垃圾清运</td>'
        "<span>ENVIRONMENT</span><p>None</p><p>{'a': 1}</p><p>见 docs/metrics.md</p>"
    )
    text = visible_text(html)
    assert "SAFE" not in text and "FAC" in text
    found = problems(text, re.compile(token("jinchang")))
    kinds = [f.split(" '")[0].split(' "')[0] for f in found]
    assert kinds == [
        "category code",
        "category code",
        "repository path",
        '"None"',
        "raw dict or list",
    ]
    assert not problems(
        "经办人 jinchang2 · 居民 ENVIRONMENT · None yet.", re.compile(token("jinchang"))
    )
    assert problems("经办人 jinchang", re.compile(token("jinchang")))


@pytest.fixture(scope="module")
def named_world(page_world, django_db_blocker):  # noqa: F811 (the fixture)
    """The page matrix's world, every account given a person's name."""
    with django_db_blocker.unblock():
        for user in User.objects.filter(display_name=""):
            user.display_name = f"测试人员{user.pk}"
            user.save(update_fields=["display_name"])
        logins = list(User.objects.values_list("username", flat=True))
        for side in page_world.objs["sides"].values():
            # Accepted and in a category: the case page offers dispatch (its handlers by
            # name), the timeline has a step, and the audit log a change of category.
            category = Category.objects.get(code="FAC.02")
            services.case_act(actor=side.staff, case=side.case, action="accept", category=category)
            side.case.refresh_from_db()
    page_world.objs["logins"] = logins
    return page_world


def _pages(role: str):
    for _app, module in page_tables():
        for route, pages in module.PAGES.items():
            for page in pages if isinstance(pages, list) else [pages]:
                if page.kind not in (PAGE, PUBLIC) or role not in page.roles:
                    continue
                yield route, page


def readable_pages(client, role: str, sides: dict):
    """(route, url, visible text) of every HTML page the role may read on its own side,
    fetched with `client` (logged in as the role)."""
    for route, page in _pages(role):
        urls = {name: page.url(sides[name]) for name in sides}
        detail = len(set(urls.values())) > 1
        if page.status(role, "in", detail) != 200:
            continue
        cache.clear()  # rate limits
        response = client.get(urls["in"])
        if response.status_code != 200 or not response.get("Content-Type", "").startswith(
            "text/html"
        ):
            continue
        yield route, urls["in"], visible_text(response.content.decode())


@pytest.fixture(autouse=True)
def _language_back():
    """An English request leaves English active in the thread: later tests start afresh."""
    yield
    translation.deactivate()


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("role", ROLES)
def test_pages_read_as_plain_chinese(client, named_world, role, language):
    world = named_world
    sides = world.objs["sides"]
    if role != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = world.objs["sessions"][role]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    logins = [u for u in world.objs["logins"] if not (language == "en" and u in ENGLISH_WORDS)]
    login_pattern = re.compile("|".join(token(u) for u in sorted(logins, key=len, reverse=True)))
    failures = []
    seen = 0
    for route, url, text in readable_pages(client, role, sides):
        seen += 1
        for problem in problems(text, login_pattern):
            failures.append(f"{route} ({url}): {problem}")
    assert seen or role in ("norole", "security_admin", "auditor", "anonymous")
    assert not failures, f"{role} in {language}:\n" + "\n".join(failures)
