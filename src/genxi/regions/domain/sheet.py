"""The gazetteer's Excel sheet, the pure part: its columns, and rows turned into records
or errors that name the row, the column and the reason (worded by the caller). A row whose
小区 begins with EXAMPLE_MARK is the template's example: checked, never a record."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from genxi.core.domain.cells import EXAMPLE_MARK, column_letter
from genxi.core.domain.cells import cell_text as _text

from .addresses import clean, parse_building_list

ESTATE, BUILDINGS, GRID, ALIASES = "小区", "楼栋", "网格", "其他叫法"
COLUMNS = (ESTATE, BUILDINGS, GRID, ALIASES)
REQUIRED = (ESTATE, BUILDINGS, GRID)
MAX_ROWS = 5000


@dataclass(frozen=True)
class SheetError:
    row: int
    column: str  # Excel column letter
    title: str
    code: str  # missing_column, required, buildings, grid, conflict, too_many, empty
    value: str = ""


@dataclass(frozen=True)
class Record:
    row: int
    estate: str
    buildings: tuple[str, ...]
    grid: Any
    aliases: tuple[str, ...] = ()


@dataclass
class Parsed:
    records: list[Record] = field(default_factory=list)
    errors: list[SheetError] = field(default_factory=list)


def split_aliases(text: str) -> tuple[str, ...]:
    parts = [p.strip() for p in text.replace(",", ",").replace("、", ",").split(",")]
    return tuple(dict.fromkeys(p for p in parts if p))


def read_sheet(
    header: list[Any], rows: Iterable[tuple[int, list[Any]]], grids: Mapping[str, Any]
) -> Parsed:
    """Check every row of a gazetteer sheet. `grids` maps what a row may write in the 网格
    column (a grid's name or code) to the grid; a building named twice for two grids is an
    error on the second row."""
    out = Parsed()
    titles = [_text(h) for h in header]
    where = {title: titles.index(title) for title in COLUMNS if title in titles}
    for title in REQUIRED:
        if title not in where:
            out.errors.append(SheetError(1, column_letter(len(titles)), title, "missing_column"))
    if out.errors:
        return out
    seen: dict[tuple[str, str], tuple[int, Any]] = {}
    for number, cells in rows:
        if len(out.records) + len(out.errors) >= MAX_ROWS:
            out.errors.append(SheetError(number, "A", "", "too_many"))
            break

        def cell(title: str, cells: Sequence[Any] = cells) -> str:
            index = where.get(title)
            return _text(cells[index]) if index is not None and index < len(cells) else ""

        values = {title: cell(title) for title in COLUMNS}
        if not any(values.values()):
            continue
        errors = []
        for title in REQUIRED:
            if not values[title]:
                errors.append(SheetError(number, column_letter(where[title]), title, "required"))
        buildings: list[str] = []
        if values[BUILDINGS]:
            try:
                buildings = parse_building_list(values[BUILDINGS])
            except ValueError:
                errors.append(
                    SheetError(
                        number,
                        column_letter(where[BUILDINGS]),
                        BUILDINGS,
                        "buildings",
                        values[BUILDINGS],
                    )
                )
        grid = grids.get(values[GRID]) or grids.get(clean(values[GRID]))
        if values[GRID] and grid is None:
            errors.append(
                SheetError(number, column_letter(where[GRID]), GRID, "grid", values[GRID])
            )
        if errors:
            out.errors.extend(errors)
            continue
        estate = values[ESTATE]
        if estate.startswith(EXAMPLE_MARK):
            continue
        for building in buildings:
            first = seen.setdefault((clean(estate), building), (number, grid))
            if first[1] != grid:
                out.errors.append(
                    SheetError(
                        number,
                        column_letter(where[BUILDINGS]),
                        BUILDINGS,
                        "conflict",
                        f"{building}|{first[0]}",
                    )
                )
                break
        else:
            out.records.append(
                Record(number, estate, tuple(buildings), grid, split_aliases(values[ALIASES]))
            )
    if not out.errors and not out.records:
        out.errors.append(SheetError(2, "A", ESTATE, "empty"))
    return out


def ranges(numbers: Iterable[str]) -> str:
    """['1', '2', '3', '5', 'A座'] → '1-3、5、A座': the buildings as staff write them."""
    digits = sorted({int(n) for n in numbers if n.isdigit()})
    others = sorted({n for n in numbers if not n.isdigit()})
    parts: list[str] = []
    start: int | None = None
    prev: int | None = None
    for n in digits:
        if start is None or prev is None:
            start = prev = n
        elif n == prev + 1:
            prev = n
        else:
            parts.append(f"{start}-{prev}" if prev != start else str(start))
            start = prev = n
    if start is not None:
        parts.append(f"{start}-{prev}" if prev != start else str(start))
    return "、".join(parts + others)
