"""The maps' configuration (tile source, datum, CSP) and the base layer (docs/maps.md)."""

import json
import os
import subprocess
import sys

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from genxi.core.models import AuditEvent
from genxi.core.tiles import TileConfigError, tile_source
from genxi.demo import basemap as demo_basemap
from genxi.demo import geography as geo
from genxi.regions import services
from genxi.regions.domain.basemap import BasemapError, parse_features
from genxi.regions.domain.datum import wgs84_to_gcj02
from genxi.regions.models import BaseFeature

TIANDITU = {"GENXI_MAP_TILES": "tianditu", "GENXI_TIANDITU_KEY": "k123"}
GAODE = {
    "GENXI_TILE_URL": "https://webrd0{s}.is.autonavi.com/appmaptile?style=8&x={x}&y={y}&z={z}",
    "GENXI_TILE_SUBDOMAINS": "1234",
    "GENXI_TILE_ATTRIBUTION": "© 高德地图",
    "GENXI_MAP_DATUM": "gcj02",
}


# The tile source ---------------------------------------------------------------------------


def test_no_tiles_by_default():
    assert tile_source({}) == {"kind": "none", "datum": "wgs84", "layers": [], "hosts": []}


def test_tianditu_draws_streets_then_names_with_its_key_and_attribution():
    source = tile_source(TIANDITU)
    assert source["datum"] == "wgs84"  # CGCS2000
    vec, cva = source["layers"]
    assert "vec_w/wmts" in vec["url"] and "LAYER=vec" in vec["url"] and "tk=k123" in vec["url"]
    assert "cva_w/wmts" in cva["url"] and "LAYER=cva" in cva["url"]
    assert "天地图" in vec["attribution"]
    assert vec["subdomains"] == "01234567"
    assert source["hosts"] == ["https://*.tianditu.gov.cn"]
    with pytest.raises(TileConfigError):
        tile_source({"GENXI_MAP_TILES": "tianditu"})  # no key


def test_an_xyz_source_names_its_host_and_datum():
    source = tile_source(GAODE)
    assert source["kind"] == "xyz" and source["datum"] == "gcj02"
    assert source["hosts"] == ["https://*.is.autonavi.com"]
    assert source["layers"][0]["attribution"] == "© 高德地图"
    assert tile_source({"GENXI_TILE_URL": "/tiles/{z}/{x}/{y}.png"})["hosts"] == []
    assert tile_source({**GAODE, "GENXI_MAP_DATUM": "cgcs2000"})["datum"] == "wgs84"
    for bad in ({"GENXI_MAP_TILES": "bing"}, {**GAODE, "GENXI_MAP_DATUM": "bd09"}):
        with pytest.raises(TileConfigError):
            tile_source(bad)


def _img_src(env: dict[str, str]) -> list[str]:
    """The settings' CSP img-src when the process starts with `env`."""
    code = (
        "from genxi.config.settings import base;"
        "print(' '.join(base.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("GENXI_TILE", "GENXI_MAP"))}
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, **env, "PYTHONPATH": "src"},
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.split()


def test_the_policy_allows_the_tile_host_only_when_configured():
    assert _img_src({}) == ["'self'", "data:", "blob:"]
    assert _img_src(TIANDITU) == ["'self'", "data:", "blob:", "https://*.tianditu.gov.cn"]
    assert _img_src(GAODE) == ["'self'", "data:", "blob:", "https://*.is.autonavi.com"]


# The pages ---------------------------------------------------------------------------------


def _config(response) -> dict:
    body = response.content.decode()
    tag = '<script id="map-config" type="application/json">'
    start = body.index(tag) + len(tag)
    return json.loads(body[start : body.index("</script>", start)])


@pytest.mark.django_db
def test_the_map_page_carries_the_configured_tiles(client, world, settings):
    client.force_login(world.users["street"])
    config = _config(client.get(reverse("regions:map")))
    assert config == {"kind": "none", "datum": "wgs84", "layers": []}
    settings.GENXI_MAP_TILES = tile_source(TIANDITU)
    config = _config(client.get(reverse("regions:map")))
    assert config["kind"] == "tianditu" and len(config["layers"]) == 2
    assert "hosts" not in config


@pytest.mark.django_db
def test_a_grid_page_frames_its_grid(client, world):
    client.force_login(world.users["grid"])
    body = client.get(reverse("regions:detail", args=[world.grid_a1.pk])).content.decode()
    assert f'data-focus="{world.grid_a1.code}"' in body
    assert 'id="map-config"' in body


@pytest.mark.django_db
def test_gcj02_tiles_get_shifted_shapes(client, world, settings):
    client.force_login(world.users["grid"])
    plain = client.get(reverse("regions:geojson")).json()["features"][0]["geometry"]
    settings.GENXI_MAP_TILES = tile_source(GAODE)
    shifted = client.get(reverse("regions:geojson")).json()["features"][0]["geometry"]
    lon, lat = plain["coordinates"][0][0]
    expected_lat, expected_lon = wgs84_to_gcj02(lat, lon)
    assert shifted["coordinates"][0][0] == pytest.approx([expected_lon, expected_lat], abs=1e-7)
    services.basemap_replace(actor=None, features=demo_basemap.features(), source="demo")
    base = client.get(reverse("regions:basemap")).json()["features"]
    stored = BaseFeature.objects.get(name="京杭运河").geometry["coordinates"][0][0][0]
    canal = next(f for f in base if f["properties"]["name"] == "京杭运河")
    assert canal["geometry"]["coordinates"][0][0][0] != stored


# The base layer ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_base_layer_is_public_geography_to_staff(client, world):
    services.basemap_replace(actor=None, features=demo_basemap.features(), source="demo")
    url = reverse("regions:basemap")
    assert client.get(url).status_code == 302  # anonymous: the login page
    client.force_login(world.users["grid"])
    features = client.get(url).json()["features"]
    kinds = {f["properties"]["kind"] for f in features}
    assert kinds == {"river", "green", "estate", "road"}
    names = {f["properties"]["name"] for f in features}
    assert {"京杭运河", "上塘河", "彩香一村花园", "金门路", "观景新村"} <= names
    # Bottom first: areas, then estates, then roads (side roads under main roads).
    order = [f["properties"]["kind"] for f in features]
    assert order.index("estate") < order.index("road")
    assert max(i for i, k in enumerate(order) if k == "estate") < order.index("road")


@pytest.mark.django_db
def test_an_import_replaces_its_source_and_is_audited(world):
    services.basemap_replace(actor=None, features=demo_basemap.features(), source="demo")
    road = {
        "type": "Feature",
        "properties": {"kind": "road", "name": "新路", "rank": 2},
        "geometry": {"type": "LineString", "coordinates": [[120.59, 31.32], [120.6, 31.32]]},
    }
    features = parse_features({"type": "FeatureCollection", "features": [road]})
    assert services.basemap_replace(actor=None, features=features, source="gis.geojson") == 1
    assert services.basemap_replace(actor=None, features=features, source="gis.geojson") == 1
    assert BaseFeature.objects.filter(source="gis.geojson").count() == 1
    assert BaseFeature.objects.filter(source="demo").count() > 50
    assert AuditEvent.objects.filter(verb="basemap.import").count() == 3
    with pytest.raises(PermissionDenied):
        services.basemap_replace(actor=world.users["street"], features=features, source="x")


@pytest.mark.parametrize(
    "feature",
    [
        {"properties": {"kind": "road"}, "geometry": {"type": "Polygon", "coordinates": []}},
        {"properties": {"kind": "shop"}, "geometry": {"type": "Point", "coordinates": [1, 2]}},
        {
            "properties": {"kind": "estate"},
            "geometry": {"type": "Polygon", "coordinates": [[[300, 31], [1, 2], [300, 31]]]},
        },
        {"properties": {"kind": "road"}, "geometry": {"type": "LineString", "coordinates": "x"}},
    ],
)
def test_an_import_refuses_what_is_not_a_base_feature(feature):
    with pytest.raises(BasemapError, match="feature 1"):
        parse_features({"type": "FeatureCollection", "features": [{"type": "Feature", **feature}]})


def test_the_demo_base_layer_follows_the_demo_geography():
    features = demo_basemap.features()
    assert features == demo_basemap.features()  # deterministic
    estates = {f.name: f for f in features if f.kind == "estate"}
    assert {"彩香一村花园", "彩香新村", "彩香二村", "彩香坊"} <= set(estates)
    # Each estate lies inside its community's block.
    corner = geo.community_blocks(geo.STREETS[0][3], len(geo.STREETS[0][4]))[0]
    ring = estates["彩香一村花园"].geometry["coordinates"][0]
    assert all(corner[1] < lon < corner[1] + geo.BLOCK_LON for lon, _ in ring)
    assert all(corner[0] < lat < corner[0] + geo.BLOCK_LAT for _, lat in ring)
    # The roads run in the strips between blocks, never across a grid of 金阊.
    cells = [
        cell["coordinates"][0]
        for lat, lon in geo.community_blocks(geo.STREETS[0][3], len(geo.STREETS[0][4]))
        for cell in [
            geo.rectangle(lat, lon, lat + geo.BLOCK_LAT - geo.GAP, lon + geo.BLOCK_LON - geo.GAP)
        ]
    ]
    for road in (f for f in features if f.kind == "road"):
        coords = road.geometry["coordinates"]
        runs = [coords] if road.geometry["type"] == "LineString" else coords
        for lon, lat in (p for run in runs for p in run):
            assert not any(c[0][0] < lon < c[2][0] and c[0][1] < lat < c[2][1] for c in cells), (
                road.name
            )


@pytest.mark.django_db
def test_the_import_command_reads_a_geojson_file(tmp_path):
    from django.core.management import CommandError, call_command

    river = {
        "type": "Feature",
        "properties": {"kind": "river", "name": "外城河"},
        "geometry": {"type": "LineString", "coordinates": [[120.61, 31.30], [120.61, 31.34]]},
    }
    path = tmp_path / "rivers.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [river]}))
    call_command("basemap_import", str(path))
    assert BaseFeature.objects.get(source="rivers.geojson").name == "外城河"
    path.write_text('{"type": "FeatureCollection", "features": [{"properties": {}}]}')
    with pytest.raises(CommandError, match="feature 1"):
        call_command("basemap_import", str(path))
    assert BaseFeature.objects.filter(source="rivers.geojson").count() == 1
