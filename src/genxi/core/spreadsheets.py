"""The one .xlsx writer: every export, template and test file is written here.

Text from users (a case's description, an imported name) may start with `=`, `+`, `-`, `@`,
a tab or a carriage return; a spreadsheet program would run it as a formula
(`=cmd|' /C calc'!A0`, `=HYPERLINK(...)`). Such a cell is stored as text (string type)
with Excel's quote prefix, so it stays text even when someone edits it. Characters that
XML cannot carry (NUL, \\x01 ...) are dropped rather than failing the export.
"""

from __future__ import annotations

import io
import numbers
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font, PatternFill

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What makes a spreadsheet program read a cell as a formula (or a DDE command).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


class SheetWriter:
    """Appends rows to a sheet, every text cell as plain text."""

    def __init__(self, sheet) -> None:
        self.sheet = sheet

    def append(self, values: Iterable[Any]) -> None:
        values = [self._clean(v) for v in values]
        self.sheet.append(values)
        row = self.sheet.max_row
        for column, value in enumerate(values, start=1):
            if is_formula_like(value):
                cell = self.sheet.cell(row=row, column=column)
                cell.data_type = "s"
                cell.quotePrefix = True

    @staticmethod
    def _clean(value: Any) -> Any:
        if isinstance(value, str):
            return ILLEGAL_CHARACTERS_RE.sub("", value)
        if value is None or isinstance(value, numbers.Number):
            return value
        if hasattr(value, "isoformat"):  # dates and times
            return value
        return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def write_xlsx(
    title: str, header: list[Any], rows: Iterable[Iterable[Any]], notes: Iterable[str] = ()
) -> bytes:
    """One sheet with a bold header row, then an optional 说明 sheet of notes."""
    wb = Workbook()
    ws = wb.active
    ws.title = ILLEGAL_CHARACTERS_RE.sub("", str(title)).translate(_SHEET_TITLE)[:31] or "Sheet"
    writer = SheetWriter(ws)
    writer.append([str(h) for h in header])
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for cell in ws[1]:
        cell.font = bold
        cell.fill = fill
    for row in rows:
        writer.append(row)
    for index, _ in enumerate(header, start=1):
        ws.column_dimensions[ws.cell(row=1, column=index).column_letter].width = 18
    notes = list(notes)
    if notes:
        info = SheetWriter(wb.create_sheet("说明"))
        for line in notes:
            info.append([line])
        info.sheet.column_dimensions["A"].width = 100
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# Characters a sheet title may not hold.
_SHEET_TITLE = str.maketrans(dict.fromkeys("[]:*?/\\", "_"))


def xlsx_response(name: str, content: bytes) -> HttpResponse:
    """An Excel download (the file name may be Chinese)."""
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
