"""The metrics page on a 390×844 phone: the levels' and the hand-overs' tables become one
block per row, each figure beside its name, so nobody scrolls a table sideways — in Chinese
and in English, whose headings are longer."""

import pytest
from django.conf import settings

from genxi.cases import services
from genxi.core.testing.browser import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(page, selector: str) -> bool:
    return page.evaluate(
        "s => { const t = document.querySelector(s);"
        " return t.scrollWidth <= t.parentElement.clientWidth; }",
        selector,
    )


def test_the_levels_tables_stack_on_a_phone(phone_page, page, loop):
    for i in range(3):
        case = services.case_create(
            actor=loop.users["street"],
            channel="phone",
            text=f"第{i + 1}件:彩香新村5幢楼道里堆满了纸板和旧家具",
            region=loop.grid_a1,
        )
        services.case_act(actor=loop.users["community"], case=case, action="accept")
    login(phone_page, "street")
    phone_page.goto("/cases/metrics/")
    for language in ("zh-hans", "en"):
        if language == "en":
            cookie = {"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": phone_page.url}
            phone_page.context.add_cookies([cookie])  # as the menu's language button sets it
            phone_page.goto("/cases/metrics/")
            assert phone_page.locator("html").get_attribute("lang") == "en"
        levels = phone_page.locator("#level-metrics")
        assert not levels.locator("thead").is_visible()
        assert _fits(phone_page, "#level-metrics"), language
        label = phone_page.evaluate(  # the figure's name, shown before it
            "() => getComputedStyle("
            "document.querySelector('#level-metrics tbody td:nth-child(2)'), '::before').content"
        )
        assert ("接办件数" if language == "zh-hans" else "Received") in label
        assert phone_page.evaluate("document.documentElement.scrollWidth") <= 391
        screenshot(phone_page, f"metrics-phone-{language}")

    login(page, "street")
    page.goto("/cases/metrics/")
    assert page.locator("#level-metrics thead").is_visible()  # a table on a desk
