"""WGS-84 ⇄ GCJ-02 on known points (the published reference pairs) and by property."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from genxi.regions.domain.datum import gcj02_to_wgs84, out_of_china, shift_geometry, wgs84_to_gcj02

# (WGS-84, GCJ-02) pairs published with the open-source ports of the formula (eviltransform).
KNOWN = [
    ((31.1774276, 121.5272106), (31.17530398364597, 121.531541859215)),  # 上海
    ((22.543847, 113.912316), (22.540796131694766, 113.9171764808363)),  # 深圳
    ((39.911954, 116.377817), (39.91334545536069, 116.38404722455657)),  # 北京
]


def metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat = math.radians((a[0] + b[0]) / 2)
    dy = (a[0] - b[0]) * 111_320
    dx = (a[1] - b[1]) * 111_320 * math.cos(lat)
    return math.hypot(dx, dy)


@pytest.mark.parametrize(("wgs", "gcj"), KNOWN)
def test_known_points_forward(wgs, gcj):
    assert wgs84_to_gcj02(*wgs) == pytest.approx(gcj, abs=1e-9)


@pytest.mark.parametrize(("wgs", "gcj"), KNOWN)
def test_known_points_back_within_half_a_metre(wgs, gcj):
    assert metres(gcj02_to_wgs84(*gcj), wgs) < 0.01  # a centimetre; the bar is 0.5 m


def test_suzhou_is_shifted_by_hundreds_of_metres():
    """金阊: GCJ-02 tiles draw a WGS-84 point about half a kilometre away (south-east)."""
    wgs = (31.3205, 120.5905)
    gcj = wgs84_to_gcj02(*wgs)
    assert 300 < metres(wgs, gcj) < 700
    assert gcj[0] < wgs[0] and gcj[1] > wgs[1]


@pytest.mark.parametrize("point", [(48.8566, 2.3522), (40.7128, -74.006), (-33.87, 151.21)])
def test_outside_china_nothing_moves(point):
    assert out_of_china(*point)
    assert wgs84_to_gcj02(*point) == point
    assert gcj02_to_wgs84(*point) == point


@given(
    st.floats(min_value=18.0, max_value=53.0, allow_nan=False),
    st.floats(min_value=74.0, max_value=134.0, allow_nan=False),
)
def test_round_trip_within_half_a_metre(lat, lon):
    assert metres(gcj02_to_wgs84(*wgs84_to_gcj02(lat, lon)), (lat, lon)) < 0.5


def test_a_geometry_is_shifted_point_by_point():
    ring = [[120.59, 31.32], [120.6, 31.32], [120.6, 31.33], [120.59, 31.32]]
    polygon = {"type": "Polygon", "coordinates": [ring]}
    assert shift_geometry(polygon, "wgs84") is polygon
    shifted = shift_geometry(polygon, "gcj02")
    lat, lon = wgs84_to_gcj02(31.32, 120.59)
    assert shifted["coordinates"][0][0] == [round(lon, 7), round(lat, 7)]
    assert len(shifted["coordinates"][0]) == 4
    line = shift_geometry({"type": "LineString", "coordinates": ring[:2]}, "gcj02")
    assert line["coordinates"][1][0] > 120.6
