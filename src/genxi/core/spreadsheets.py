"""Spreadsheets for every app: the one .xlsx writer (every export, template and test file is
written here) and the reader of uploads (`read_rows`, `count_rows`).

Text from users (a case's description, an imported name) may start with `=`, `+`, `-`, `@`,
a tab or a carriage return; a spreadsheet program would run it as a formula
(`=cmd|' /C calc'!A0`, `=HYPERLINK(...)`). Such a cell is stored as text (string type)
with Excel's quote prefix, so it stays text even when someone edits it. Characters that
XML cannot carry (NUL, \\x01 ...) are dropped rather than failing the export.
"""

from __future__ import annotations

import csv
import io
import numbers
import re
import zipfile
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

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


# How many rows of a template's data sheet offer the drop-down lists.
CHOICE_ROWS = 2000


def write_xlsx(
    title: str,
    header: list[Any],
    rows: Iterable[Iterable[Any]],
    notes: Iterable[str] = (),
    choices: dict[int, list[str]] | None = None,
    text_columns: Iterable[int] = (),
) -> bytes:
    """One sheet with a bold header row, then an optional 说明 sheet of notes.

    `choices` maps a column (0-based) to the values its cells offer as a drop-down list
    (rows 2 to CHOICE_ROWS; another value is refused by Excel and WPS). The lists live on a
    hidden 选项 sheet, so they may be longer than a list typed into the rule (255 characters).
    `text_columns` (0-based) are formatted as text, so that an 18-digit ID number typed in
    stays digits instead of becoming 3.20508E+17."""
    wb = new_workbook()
    writer = add_sheet(wb, title, header)
    ws = writer.sheet
    for row in rows:
        writer.append(row)
    for index in text_columns:
        column = ws.column_dimensions[get_column_letter(index + 1)]
        column.number_format = "@"
        column.width = 22
    notes = list(notes)
    if notes:
        info = SheetWriter(wb.create_sheet("说明"))
        for line in notes:
            info.append([line])
        info.sheet.column_dimensions["A"].width = 100
    if choices:
        _add_choices(wb, ws, choices)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def new_workbook() -> Workbook:
    """An empty workbook, for a document of several sheets (`add_sheet` each, then
    `workbook_bytes`): the monthly report's."""
    wb = Workbook()
    first = wb.active
    if first is not None:
        wb.remove(first)
    return wb


def add_sheet(wb: Workbook, title: str, header: list[Any], width: int = 18) -> SheetWriter:
    """A sheet with a bold, shaded header row; its rows go through the returned writer."""
    ws = wb.create_sheet(
        ILLEGAL_CHARACTERS_RE.sub("", str(title)).translate(_SHEET_TITLE)[:31] or "Sheet"
    )
    writer = SheetWriter(ws)
    writer.append([str(h) for h in header])
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for cell in ws[1]:
        cell.font = bold
        cell.fill = fill
    for index, _ in enumerate(header, start=1):
        ws.column_dimensions[ws.cell(row=1, column=index).column_letter].width = width
    return writer


def workbook_bytes(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_csv(
    header: list[str], rows: Iterable[Iterable[Any]], comments: Iterable[str] = ()
) -> str:
    """A CSV text (UTF-8 with the mark Excel reads, `# ` comment lines first): text that a
    spreadsheet program would run as a formula is quoted with a leading apostrophe, as in
    the .xlsx files; numbers stay numbers. The open data's CSV."""
    out = io.StringIO()
    out.write("\ufeff")
    for line in comments:
        out.write(f"# {line}\n")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([f"'{v}" if is_formula_like(v) else v for v in row])
    return out.getvalue()


def _add_choices(wb: Workbook, ws: Any, choices: dict[int, list[str]]) -> None:
    lists = wb.create_sheet("选项")
    lists.sheet_state = "hidden"
    writer = SheetWriter(lists)
    longest = max(len(v) for v in choices.values())
    columns = sorted(choices)
    for index in range(longest):
        writer.append([choices[c][index] if index < len(choices[c]) else None for c in columns])
    for position, column in enumerate(columns, start=1):
        values = choices[column]
        if not values:
            continue
        source = get_column_letter(position)
        rule = DataValidation(
            type="list",
            formula1=f"{quote_sheetname(lists.title)}!${source}$1:${source}${len(values)}",
            allow_blank=True,
            showErrorMessage=True,
        )
        rule.error = "请从下拉列表中选择"
        rule.errorTitle = "不是可选值"
        letter = get_column_letter(column + 1)
        rule.add(f"{letter}2:{letter}{CHOICE_ROWS}")
        ws.add_data_validation(rule)
        ws.column_dimensions[letter].width = max(18, min(40, max(len(v) for v in values) * 2))


# Characters a sheet title may not hold.
_SHEET_TITLE = str.maketrans(dict.fromkeys("[]:*?/\\", "_"))


def xlsx_response(name: str, content: bytes) -> HttpResponse:
    """An Excel download (the file name may be Chinese)."""
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


# Reading ------------------------------------------------------------------------------------


class UnreadableFile(Exception):
    """Not an .xlsx this reader accepts (not a zip, a DTD, too large unpacked, a bad part)."""


# An .xlsx is a zip of XML parts. None of Excel's parts carries a document type
# declaration; one that does is refused before openpyxl parses it (entity expansion, external
# entities), and so is a zip that would inflate beyond this size. openpyxl also parses with
# defusedxml, which is installed (pyproject.toml).
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def _check_parts(fh) -> None:
    fh.seek(0)
    with zipfile.ZipFile(fh) as archive:
        parts = archive.infolist()
        if sum(p.file_size for p in parts) > MAX_UNPACKED_BYTES:
            raise UnreadableFile("too large when unpacked")
        for part in parts:
            if part.filename.endswith((".xml", ".rels", ".vml")) and _declares_dtd(archive, part):
                raise UnreadableFile(f"{part.filename} declares a DTD")
    fh.seek(0)


def _declares_dtd(archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> bool:
    tail = b""
    with archive.open(part) as stream:
        while chunk := stream.read(1 << 20):
            if _DTD.search(tail + chunk):
                return True
            tail = chunk[-16:]
    return False


def _open(fh):
    try:
        _check_parts(fh)
        return load_workbook(fh, read_only=True, data_only=True)
    except UnreadableFile:
        raise
    except (InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise UnreadableFile from exc
    except Exception as exc:  # zipfile.BadZipFile and friends: not an xlsx at all
        raise UnreadableFile from exc


def count_rows(upload) -> int:
    """Data rows in the first sheet (header excluded); -1 if the file cannot be read."""
    try:
        upload.seek(0)
        wb = _open(upload)
        count = max((wb.worksheets[0].max_row or 1) - 1, 0)
        wb.close()
        return count
    except Exception:  # UnreadableFile, or a part that fails to parse: the run says which
        return -1
    finally:
        upload.seek(0)


def read_rows(fh) -> tuple[list[Any], Iterator[tuple[int, list[Any]]]]:
    """The header and an iterator of (Excel row number, cell values). A sheet is parsed as
    it is read: any parse error on the way is an UnreadableFile."""
    wb = _open(fh)
    try:
        sheet = wb.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = list(next(rows, []) or [])
    except Exception as exc:
        wb.close()
        raise UnreadableFile from exc
    header = ["" if h is None else str(h).strip() for h in header]

    def body():
        try:
            for number, row in enumerate(rows, start=2):
                yield number, list(row)
        except Exception as exc:
            raise UnreadableFile from exc
        finally:
            wb.close()

    return header, body()
