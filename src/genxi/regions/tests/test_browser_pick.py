"""Point maps under GCJ-02 tiles (高德, 腾讯) in a real browser: what the map shows is in the
tiles' datum, what the form sends is WGS-84 (static/genxi/datum.js, pick.js)."""

import pytest

from genxi.core.testing.browser import wait_until
from genxi.core.tiles import tile_source
from genxi.regions.domain.datum import gcj02_to_wgs84, wgs84_to_gcj02

from .test_maps import GAODE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

POINTS = [(31.3089, 120.5953), (31.2304, 121.4737), (39.9042, 116.4074), (22.5431, 114.0579)]


def _offline(page):
    page.route("https://**/*", lambda route: route.abort())  # the tiles: no network here


def test_the_browser_converts_points_as_the_server_does(page, world):
    _offline(page)
    page.goto("/s/report/")
    for lat, lon in POINTS:
        there = page.evaluate(f"genxiDatum.toTiles({lat}, {lon}, 'gcj02')")
        assert there == pytest.approx(list(wgs84_to_gcj02(lat, lon)), abs=1e-9)
        back = page.evaluate(f"genxiDatum.fromTiles({there[0]}, {there[1]}, 'gcj02')")
        assert back == pytest.approx(list(gcj02_to_wgs84(*there)), abs=1e-9)
        assert back == pytest.approx([lat, lon], abs=1e-7)
        assert page.evaluate(f"genxiDatum.toTiles({lat}, {lon}, 'wgs84')") == [lat, lon]


def _picked(page) -> tuple[float, float]:
    """Click the middle of the report form's map; the WGS-84 point the form would send."""
    page.goto("/s/report/")
    page.wait_for_selector("#pick-map[data-loaded]")
    box = page.locator("#pick-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    return float(page.input_value("#id_lat")), float(page.input_value("#id_lon"))


def test_a_point_picked_on_gcj02_tiles_is_stored_in_wgs84(page, world, settings):
    """The grids are drawn shifted onto the tiles, so the same spot on the map is the same
    place on the ground: the form sends the same WGS-84 point with either datum (within a
    few metres: the map frames the shifted grids a pixel apart), though the two datums
    differ here by about 500 m."""
    _offline(page)
    plain = _picked(page)
    settings.GENXI_MAP_TILES = tile_source(GAODE)
    shifted = _picked(page)
    assert page.locator("#map-config").count() == 1
    assert "gcj02" in page.locator("#map-config").inner_text()
    raw = wgs84_to_gcj02(*plain)
    assert abs(raw[0] - plain[0]) + abs(raw[1] - plain[1]) > 0.003  # the datums differ
    assert shifted == pytest.approx(plain, abs=1e-4)  # ~10 m: the stored point stays


def test_gps_is_stored_as_read_and_shown_where_the_tiles_draw_it(
    chromium, live_server, world, settings
):
    settings.GENXI_MAP_TILES = tile_source(GAODE)
    lat, lon = 31.3089, 120.5953
    context = chromium.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        geolocation={"latitude": lat, "longitude": lon},
        permissions=["geolocation"],
    )
    page = context.new_page()
    _offline(page)
    page.goto("/s/report/")
    page.click("#use-gps")
    wait_until(page, "document.getElementById('id_lat').value !== ''")
    assert float(page.input_value("#id_lat")) == pytest.approx(lat, abs=1e-6)
    assert float(page.input_value("#id_lon")) == pytest.approx(lon, abs=1e-6)
    context.close()
