"""Reading the .xlsx files of imports (openpyxl). Writing is `core.spreadsheets.write_xlsx`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from openpyxl import load_workbook
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
