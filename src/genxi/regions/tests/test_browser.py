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


@pytest.mark.parametrize("device", ["page", "phone_page"])
def test_the_map_reads_as_a_map_framed_on_the_viewers_grid(request, device, world):
    """No tiles configured: the base layer (the river, roads, estates with their names) is
    drawn under the grids, and a grid worker's map opens on their grid, big enough to tap."""
    from genxi.demo import basemap
    from genxi.regions import services

    services.basemap_replace(actor=None, features=basemap.features(), source="demo")
    page = request.getfixturevalue(device)
    login(page, "grid")
    page.goto("/regions/map/")
    page.wait_for_selector("#map[data-loaded][data-basemap]")
    assert page.get_attribute("#map", "data-loaded") == "1"
    # The base layer sits in its own pane under the grids' pane.
    panes = page.evaluate(
        """() => ['basemap', 'overlay'].map((p) => {
            const el = document.querySelector('.leaflet-' + p + '-pane');
            return [Number(getComputedStyle(el).zIndex), el.querySelectorAll('path').length];
        })"""
    )
    (base_z, base_paths), (grid_z, grid_paths) = panes
    assert base_z < grid_z and base_paths > 50 and grid_paths == 1
    labels = page.locator(".map-label")
    texts = set(labels.all_inner_texts())
    assert {"京杭运河", "上塘河", "彩香一村花园", "金门路", world.grid_a1.name} <= texts
    assert page.locator(".grid-label", has_text=world.grid_a1.name).is_visible()
    assert page.locator(".estate-label span", has_text="彩香一村花园").is_visible()
    # Framed on the grid: all of it on screen, and far from a few pixels.
    frame = page.locator("#map").bounding_box()
    grid = page.locator("path.leaflet-interactive").first.bounding_box()
    assert frame["x"] <= grid["x"] and grid["x"] + grid["width"] <= frame["x"] + frame["width"]
    assert frame["y"] <= grid["y"] and grid["y"] + grid["height"] <= frame["y"] + frame["height"]
    assert min(grid["width"], grid["height"]) > 150  # at zoom 17, the closest a map opens
    assert frame["height"] > 500  # the map takes the screen below the header, phone too
    screenshot(page, f"map-base-layer-{device}")


def test_a_street_map_opens_on_the_street_with_community_names(page, world):
    from genxi.demo import basemap
    from genxi.regions import services

    services.basemap_replace(actor=None, features=basemap.features(), source="demo")
    login(page, "street")
    page.goto("/regions/map/")
    page.wait_for_selector("#map[data-loaded][data-basemap]")
    frame = page.locator("#map").bounding_box()
    for path in page.locator("path.leaflet-interactive").all():
        box = path.bounding_box()
        assert frame["x"] <= box["x"] and box["x"] + box["width"] <= frame["x"] + frame["width"]
        assert box["width"] > 40 and box["height"] > 40
    # The grid page's small map frames the grid too.
    page.goto(f"/regions/{world.grid_a1.pk}/")
    page.wait_for_selector("#map[data-loaded][data-basemap]")
    assert page.locator("#map.map-small").count() == 1
    focus = page.locator("path.leaflet-interactive").nth(0).bounding_box()
    assert focus["width"] > 60
    screenshot(page, "map-grid-page")
