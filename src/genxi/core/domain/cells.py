"""Spreadsheet cells, the pure part every importer shares: a column's letter, a cell's text."""

from __future__ import annotations

from typing import Any

# A template's example row starts with this in its first cell: the importers check it like
# any row and never write it (people.domain.sheets, regions.domain.sheet).
EXAMPLE_MARK = "示例:"


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_text(value: Any) -> str:
    """A cell as text: empty for None, `4` for 4.0, stripped."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()
