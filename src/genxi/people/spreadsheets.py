"""Reading the .xlsx files of imports (openpyxl). Writing is `core.spreadsheets.write_xlsx`."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

# An .xlsx is a zip of XML parts. None of Excel's parts carries a document type
# declaration; one that does is refused before openpyxl parses it (entity expansion, external
# entities), and so is a zip that would inflate beyond this size. openpyxl also parses with
# defusedxml, which is installed (pyproject.toml).
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def _check_parts(fh) -> None:
    from .services import UnreadableFile

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
    from .services import UnreadableFile

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
    from .services import UnreadableFile

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
