"""The public transparency page in a browser, on a desk and on a 390×844 phone, without
login: reached from the public start page, its chart drawn, the month picker works, the
titles masked, nothing wider than the screen."""

import pytest

from genxi.core.testing.browser import screenshot

from .conftest import secrets_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("device", ["page", "phone_page"])
def test_the_public_page_from_the_start(request, device, planted):
    w = planted
    page = request.getfixturevalue(device)
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto("/s/")
    page.click("[data-open-link]")
    page.click(f"text={w.street_a.name}")
    page.wait_for_selector("#solved-chart[data-drawn] svg")
    assert page.inner_text('[data-figure="received"]') == "18"
    assert page.inner_text('[data-figure="resolution"]') == "66.7%"
    assert page.locator("[data-solved] li").count() == 12
    body = page.inner_text("body")
    for secret in secrets_of(w):
        assert secret not in body
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], width
    screenshot(page, f"transparency-street-{device}")
    # a community, then another month (nothing then)
    page.click(f"[aria-labelledby=communities-title] >> text={w.a2.name}")
    page.wait_for_selector("#solved-chart[data-drawn]")
    assert page.inner_text('[data-figure="received"]') == "6"
    options = page.locator("#id_month option")
    assert options.count() == 12
    page.select_option("#id_month", index=1)
    page.click("#month-picker button")
    page.wait_for_selector("#solved-chart[data-drawn]")
    assert page.inner_text('[data-figure="received"]') == "0"
    screenshot(page, f"transparency-community-{device}")
    assert not errors
