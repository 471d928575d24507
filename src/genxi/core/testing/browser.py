"""Browser-test fixtures: Debian's /usr/bin/chromium driven by Playwright, screenshots saved.

Use in a test module:  `pytestmark = pytest.mark.browser` and the fixtures `page`,
`phone_page` and `login` (import them into the module or a conftest).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from genxi.core.navigation import MENU

from .world import PASSWORD

CHROMIUM = os.environ.get("GENXI_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(os.environ.get("GENXI_SCREENSHOTS", "var/screenshots"))


@pytest.fixture(scope="session")
def playwright_driver():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (see .ci/run)")
    from playwright.sync_api import sync_playwright  # only browser tests need it

    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def chromium(playwright_driver):
    browser = playwright_driver.chromium.launch(executable_path=CHROMIUM, args=ARGS)
    yield browser
    browser.close()


PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}


def phone_browser(playwright_driver, live_server, profile: Path):
    """A phone's browser with a profile on disk (`profile`): closed and launched again with
    the same profile, it keeps what a real phone keeps (IndexedDB, the service worker and
    its caches), and forgets the session cookie, as a browser does when it is closed."""
    context = playwright_driver.chromium.launch_persistent_context(
        str(profile),
        executable_path=CHROMIUM,
        args=ARGS,
        base_url=live_server.url,
        locale="zh-CN",
        **PHONE,
    )
    context.set_default_timeout(15_000)
    return context


def _page(chromium, live_server, **context_args):
    context = chromium.new_context(base_url=live_server.url, locale="zh-CN", **context_args)
    context.set_default_timeout(15_000)
    return context, context.new_page()


def _close(context) -> None:
    # Let the last requests finish before the test's database is flushed.
    for open_page in context.pages:
        open_page.wait_for_load_state("networkidle")
    context.close()


@pytest.fixture
def page(chromium, live_server):
    context, page = _page(chromium, live_server, viewport={"width": 1366, "height": 900})
    yield page
    _close(context)


@pytest.fixture
def phone_page(chromium, live_server):
    context, page = _page(chromium, live_server, **PHONE)
    yield page
    _close(context)


def login(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_url("**/")


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def open_menu(page, label: str) -> None:
    """Go to a menu entry as a person would: open the collapsed menu on a phone, then the
    entry's drop-down group (core/navigation.py), then click it."""
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible() and not page.locator("#mainnav.show").count():
        toggler.click()
        page.wait_for_selector("#mainnav.show")
    group = next((str(i.group) for i in MENU if str(i.label) == label and i.group), "")
    if group:
        page.click(f"nav .dropdown-toggle >> text={group}")
    page.click(f"nav >> text={label} >> visible=true")


def wait_until(page, expression: str, arg=None, timeout: float = 15.0) -> None:
    """Wait until `expression` (a JavaScript expression or function, as `page.evaluate`
    takes it) is true in the page. Not `page.wait_for_function`: when its first answer is
    false it polls by evaluating the string inside the page, which the pages' CSP forbids
    (script-src 'self', no 'unsafe-eval'); `evaluate` goes through the browser's protocol."""
    from playwright.sync_api import Error

    deadline = time.monotonic() + timeout
    while True:
        try:
            if page.evaluate(expression, arg) if arg is not None else page.evaluate(expression):
                return
        except Error as error:  # the page navigated meanwhile: ask the next one
            if "context was destroyed" not in str(error):
                raise
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout} s: {expression}")
        time.sleep(0.05)
