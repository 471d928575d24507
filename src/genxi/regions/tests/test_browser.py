"""The grid map and the organisation tree in a real browser."""

import pytest

from genxi.core.testing.browser import login, open_menu, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_street_admin_sees_its_grids_on_the_map(page, world):
    login(page, "street")
    open_menu(page, "网格地图")
    page.wait_for_selector("#map[data-loaded]")
    assert page.get_attribute("#map", "data-loaded") == "3"
    assert page.locator("path.leaflet-interactive").count() == 3
    screenshot(page, "grid-map")
    page.locator("path.leaflet-interactive").first.click(force=True)
    page.wait_for_url("**/regions/*/")
    assert "网格" in page.inner_text("h1")


def test_language_switch(page, world):
    login(page, "street")
    assert page.locator("nav >> text=组织架构").count() == 1
    page.click("button[value=en]")
    page.wait_for_selector("nav >> text=Organisation")
    assert page.locator("nav >> text=Residents").count() == 1
    screenshot(page, "home-english")
    page.click("button[value=zh-hans]")
    page.wait_for_selector("nav .dropdown-toggle >> text=组织")


def test_a_grid_name_is_shown_as_text_on_the_map(page, world):
    """A grid renamed to HTML shows its name as text in the tooltip; no script runs."""
    name = '<img src=x onerror="window.__xss=1">'
    world.grid_a1.name = name
    world.grid_a1.save(update_fields=["name"])
    login(page, "community")
    page.goto("/regions/map/")
    page.wait_for_selector("#map[data-loaded]")
    for path in page.locator("path.leaflet-interactive").all():
        path.hover(force=True)
        page.wait_for_timeout(100)
    tooltips = page.locator(".leaflet-tooltip")
    texts = [tooltips.nth(i).inner_text() for i in range(tooltips.count())]
    assert any(name in t for t in texts), texts
    assert page.locator(".leaflet-tooltip img").count() == 0
    assert page.evaluate("typeof window.__xss") == "undefined"
