"""The residents' Excel export names each one's grid in full (网格) beside its code (网格代码,
kept for sheets made to be imported again), and the residents' importer reads it back."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from genxi.people.importers import IMPORTERS


def test_the_export_names_the_grid_in_full_beside_its_code(client, world):
    world.resident(world.grid_a1, "王秀英")
    world.resident(world.grid_a2, "赵志强")
    client.force_login(world.users["street"])
    answer = client.get(reverse("people:residents") + "?format=xlsx")
    assert answer.status_code == 200
    rows = list(load_workbook(io.BytesIO(answer.content)).worksheets[0].values)
    header = list(rows[0])
    code, grid = header.index("网格代码"), header.index("网格")
    assert grid == code + 1
    by_name = {row[header.index("姓名")]: row for row in rows[1:]}
    assert by_name["王秀英"][code] == world.grid_a1.code
    assert by_name["王秀英"][grid] == world.grid_a1.full_name
    assert by_name["赵志强"][grid] == world.grid_a2.full_name
    assert " · " in world.grid_a2.full_name  # the community and the grid


def test_the_importer_finds_its_grid_column_in_the_exports_header():
    columns = IMPORTERS["residents"].columns
    grid = next(c for c in columns if c.key == "grid")
    # 网格 (the full name, which the importer parses) is read before the older 网格代码.
    assert (grid.title, *grid.aliases)[:2] == ("网格", "网格代码")
