"""Plain Chinese on the demo's own data, as each demo login reads it (issue #10): the pages a
person reaches from the start page by following links — the menu, the lists, a few of each
list's objects — in Chinese and in English, scanned as `test_page_text.py` scans the declared
pages (no category code, no demo login where a person is meant, no repository path, no
"None", no raw dict or list).

The demo (`genxi load_demo`) is loaded once for the module, in a transaction rolled back at
its end. Each route is visited once per login (the first link to it).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve
from django.utils import translation

from genxi.core.memo import clear_all as clear_all_memos
from genxi.core.tests.test_page_text import ENGLISH_WORDS, problems, token, visible_text
from genxi.demo.loader import DEMO_USERS, DemoLoader
from genxi.people.models import User

# The demo's logins, and the two handlers its routing rules send cases to (demo/cases.py):
# the property company's liaison and the market-supervision officer.
LOGINS = [username for username, *_rest in DEMO_USERS] + ["wuye", "scjg"]
PER_ROUTE = 1  # objects of one route visited per login
MOST = 60  # pages per login and language
# Not pages a person reads as prose: the admin (its own tables of codes), exports, the API.
SKIPPED_PREFIXES = ("/admin/", "/api/", "/static/", "/media/", "/open311/")


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def links(html: str) -> list[str]:
    parser = Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        href = urldefrag(href)[0]
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue
        if parts.path.startswith(SKIPPED_PREFIXES) or "export" in parts.path:
            continue
        found.append(href)
    return found


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    clear_all_memos()
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            DemoLoader().run()
            # Every account's login: the seven above and the demo's handlers (gw…, …).
            logins = list(User.objects.values_list("username", flat=True))
            sessions = {}
            for username in LOGINS:
                client = Client()
                client.force_login(User.objects.get(username=username))
                sessions[username] = client.cookies[settings.SESSION_COOKIE_NAME].value
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    yield sessions, logins
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)
    clear_all_memos()


def crawl(client, start: str = "/"):
    """(url, html) of the pages reached from `start`, breadth first."""
    queue, seen, per_route = [start], set(), {}
    while queue and len(seen) < MOST:
        url = queue.pop(0)
        if url in seen:
            continue
        path = urlsplit(url).path
        try:
            match = resolve(path)
        except Resolver404:
            continue
        route = match.view_name
        if per_route.get(route, 0) >= PER_ROUTE:
            continue
        seen.add(url)
        cache.clear()  # rate limits
        response = client.get(url)
        if response.status_code != 200 or not response.get("Content-Type", "").startswith(
            "text/html"
        ):
            continue
        per_route[route] = per_route.get(route, 0) + 1
        html = response.content.decode()
        yield url, html
        queue += [link for link in links(html) if link not in seen]


@pytest.fixture(autouse=True)
def _language_back():
    """An English request leaves English active in the thread: later tests start afresh."""
    yield
    translation.deactivate()


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("login", LOGINS)
def test_demo_pages_read_as_plain_chinese(client, demo, login, language):
    sessions, every_login = demo
    client.cookies[settings.SESSION_COOKIE_NAME] = sessions[login]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    names = [u for u in every_login if not (language == "en" and u in ENGLISH_WORDS)]
    logins = re.compile("|".join(token(u) for u in sorted(names, key=len, reverse=True)))
    failures, pages = [], 0
    for url, html in crawl(client):
        pages += 1
        failures += [f"{url}: {p}" for p in problems(visible_text(html), logins)]
    assert pages > 1
    assert not failures, f"{login} in {language}, {pages} pages:\n" + "\n".join(failures[:60])
