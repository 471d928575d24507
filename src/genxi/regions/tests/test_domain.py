"""The locator and region codes, without a database."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from genxi.demo.geography import grid_cells, rectangle
from genxi.regions.domain.codes import (
    ancestor_paths,
    child_path,
    code_of,
    grid_code,
    is_division_code,
    is_grid_code,
    parent_path,
    path_codes,
    path_segment,
)
from genxi.regions.domain.locator import GridShape, Locator, OutsideAllGrids


def test_codes():
    assert is_division_code("320508012000")
    assert not is_division_code("32050801200")
    assert grid_code("320508012001", 7) == "320508012001007"
    assert is_grid_code("320508012001007", "320508012001")
    assert not is_grid_code("320508012002007", "320508012001")
    with pytest.raises(ValueError):
        grid_code("320508012001", 1000)
    assert child_path("/320500000000/", "320508000000") == "/320500000000/320508000000/"


def test_path_operations():
    grid = "/320500000000/320508000000/320508012001007/"
    assert child_path(None, "320500000000") == child_path("", "320500000000") == "/320500000000/"
    assert child_path("/", "320500000000") == "/320500000000/"
    assert parent_path(grid) == "/320500000000/320508000000/"
    assert parent_path("/320500000000/") == "/"
    assert child_path(parent_path(grid), code_of(grid)) == grid
    assert path_codes(grid) == ["320500000000", "320508000000", "320508012001007"]
    assert code_of(grid) == "320508012001007"
    assert ancestor_paths(grid) == ["/320500000000/", "/320500000000/320508000000/", grid]
    assert path_segment("320508000000") in grid and path_segment("32050800000") not in grid


def test_locator_finds_the_containing_grid():
    loc = Locator(
        [
            GridShape("west", rectangle(31.0, 120.0, 31.1, 120.1)),
            GridShape("east", rectangle(31.0, 120.1, 31.1, 120.2)),
        ]
    )
    assert loc.locate(31.05, 120.05) == "west"
    assert loc.locate(31.05, 120.15) == "east"
    with pytest.raises(OutsideAllGrids) as err:
        loc.locate(32.0, 121.0)
    assert "outside every grid" in str(err.value)
    with pytest.raises(ValueError):
        loc.locate(123.0, 120.0)


@given(st.integers(min_value=1, max_value=20), st.floats(0, 1), st.floats(0, 1))
def test_cells_do_not_overlap_and_every_inner_point_has_one_grid(n, fy, fx):
    cells = grid_cells((31.0, 120.0), n)
    loc = Locator([GridShape(i, c) for i, c in enumerate(cells)])
    target = cells[int(fy * (n - 1))]
    ring = target["coordinates"][0]
    lat = ring[0][1] + (ring[2][1] - ring[0][1]) * (0.1 + 0.8 * fx)
    lon = ring[0][0] + (ring[2][0] - ring[0][0]) * 0.5
    hits = [i for i, c in enumerate(cells) if _inside(c, lat, lon)]
    assert hits == [cells.index(target)]
    assert loc.locate(lat, lon) == cells.index(target)


def _inside(cell, lat, lon):
    ring = cell["coordinates"][0]
    return ring[0][1] <= lat <= ring[2][1] and ring[0][0] <= lon <= ring[2][0]
