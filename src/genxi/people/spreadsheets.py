"""Reading and writing .xlsx files (openpyxl), shared by imports, templates and exports."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException


def _open(fh):
    from .services import UnreadableFile

    try:
        return load_workbook(fh, read_only=True, data_only=True)
    except (InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise UnreadableFile from exc
    except Exception as exc:  # zipfile.BadZipFile and friends: not an xlsx at all
        raise UnreadableFile from exc


def count_rows(upload) -> int:
    """Data rows in the first sheet (header excluded); -1 if the file cannot be read."""
    from .services import UnreadableFile

    try:
        upload.seek(0)
        wb = _open(upload)
        count = max((wb.worksheets[0].max_row or 1) - 1, 0)
        wb.close()
        return count
    except UnreadableFile:
        return -1
    finally:
        upload.seek(0)


def read_rows(fh) -> tuple[list[Any], Iterator[tuple[int, list[Any]]]]:
    """The header and an iterator of (Excel row number, cell values)."""
    wb = _open(fh)
    sheet = wb.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = list(next(rows, []) or [])
    header = ["" if h is None else str(h).strip() for h in header]

    def body():
        for number, row in enumerate(rows, start=2):
            yield number, list(row)
        wb.close()

    return header, body()


def workbook_bytes(title: str, header: list[str], rows: Iterable[list[Any]], notes=()) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.append(header)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for cell in ws[1]:
        cell.font = bold
        cell.fill = fill
    for row in rows:
        ws.append(list(row))
    for index, _ in enumerate(header, start=1):
        ws.column_dimensions[ws.cell(row=1, column=index).column_letter].width = 18
    if notes:
        info = wb.create_sheet("说明")
        for line in notes:
            info.append([line])
        info.column_dimensions["A"].width = 100
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(name: str, content: bytes):
    """An Excel download (the file name may be Chinese)."""
    from urllib.parse import quote

    from django.http import HttpResponse

    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
