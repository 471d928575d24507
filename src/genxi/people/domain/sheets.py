"""Excel import, the pure part: column layouts and row validation.

Each import kind is a list of columns.

A row whose first cell begins with EXAMPLE_MARK ("示例:") is the template's example: it is
checked like any row (so a template that would not pass is caught) but counted in
`Outcome.examples`, never among the records to write.

`validate_rows` turns raw cell values into clean records, or errors that name the row, the
column and the reason. Lookups that need the database (grids, units) are passed in as
plain dicts so that this module stays pure.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from genxi.core.domain.cells import EXAMPLE_MARK, column_letter
from genxi.core.domain.cells import cell_text as _text
from genxi.core.domain.phones import is_valid_mobile

from .idcard import is_valid_id_number


class CellError(ValueError):
    """A cell's value is wrong. `code` names the reason; the caller words it in the user's
    language (this module has no messages of its own, to stay free of Django)."""

    def __init__(self, code: str, **params: Any):
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Column:
    key: str
    title: str  # the header in the template (Chinese, as community staff write it)
    required: bool = True
    example: str = ""
    # Turns the cell text into a clean value, or raises CellError with the reason.
    parse: Callable[[str, Mapping[str, Any]], Any] | None = None
    help: str = ""  # what the 说明 sheet says about the column
    aliases: tuple[str, ...] = ()  # older headers still read (网格代码 for 网格)


# In the grid lookups: a name that more than one grid in the scope answers to.
AMBIGUOUS = "ambiguous"


@dataclass
class RowError:
    row: int
    column: str  # Excel column letter
    title: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class Outcome:
    records: list[dict[str, Any]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    examples: list[dict[str, Any]] = field(default_factory=list)  # the template's example


def parse_phone(value: str, ctx: Mapping[str, Any]) -> str:
    if not is_valid_mobile(value):
        raise CellError("phone")
    return value


def parse_id_number(value: str, ctx: Mapping[str, Any]) -> str:
    value = value.upper()
    if not is_valid_id_number(value):
        raise CellError("id_number")
    return value


def grid_lookup(grids: Iterable[tuple[Any, str, str, str]]) -> dict[str, Any]:
    """What a grid cell may say, for (id, code, community name, grid name) of the grids in
    scope: the drop-down's "社区 · 网格" label, the 15-digit code, or the grid's own name
    where only one grid in scope has it (else AMBIGUOUS)."""
    found: dict[str, Any] = {}
    names: dict[str, list[Any]] = {}
    for pk, code, community, name in grids:
        found[code] = pk
        found[grid_label(community, name)] = pk
        names.setdefault(name, []).append(pk)
    for name, pks in names.items():
        found.setdefault(name, pks[0] if len(pks) == 1 else AMBIGUOUS)
    return found


def grid_label(community: str, grid: str) -> str:
    return f"{community} · {grid}"


def parse_grid(value: str, ctx: Mapping[str, Any]) -> Any:
    grids = ctx["grids"]
    value = " · ".join(p.strip() for p in value.replace("・", "·").replace("•", "·").split("·"))
    if value not in grids:
        raise CellError("grid", value=value)
    if grids[value] == AMBIGUOUS:
        raise CellError("grid_ambiguous", value=value)
    return grids[value]


def parse_choice(choices_key: str) -> Callable[[str, Mapping[str, Any]], str]:
    def parse(value: str, ctx: Mapping[str, Any]) -> str:
        choices: Mapping[str, str] = ctx[choices_key]
        if value in choices:
            return choices[value]
        if value in choices.values():
            return value
        raise CellError("choice", choices="、".join(choices))

    return parse


def parse_list(choices_key: str | None = None) -> Callable[[str, Mapping[str, Any]], list[str]]:
    def parse(value: str, ctx: Mapping[str, Any]) -> list[str]:
        items = [p.strip() for p in value.replace(",", ",").replace("、", ",").split(",")]
        items = [p for p in items if p]
        if choices_key is None:
            return items
        choices: Mapping[str, str] = ctx[choices_key]
        out = []
        for item in items:
            if item in choices:
                out.append(choices[item])
            elif item in choices.values():
                out.append(item)
            else:
                raise CellError("choice_item", item=item, choices="、".join(choices))
        return out

    return parse


def parse_bool(value: str, ctx: Mapping[str, Any]) -> bool:
    if value in {"是", "在岗", "1", "Y", "y", "yes", "true", "TRUE"}:
        return True
    if value in {"否", "离岗", "0", "N", "n", "no", "false", "FALSE"}:
        return False
    raise CellError("bool")


def validate_rows(
    columns: list[Column],
    header: list[Any],
    rows: Iterable[tuple[int, list[Any]]],
    ctx: Mapping[str, Any],
    unique_keys: Iterable[str] = (),
    on_progress: Callable[[int], None] | None = None,
) -> Outcome:
    """Check every row; collect every error. `rows` yields (Excel row number, cells)."""
    outcome = Outcome()
    titles = [_text(h) for h in header]
    positions: dict[str, int] = {}
    for col in columns:
        for title in (col.title, *col.aliases):
            if title in titles:
                positions[col.key] = titles.index(title)
                break
        else:
            if not col.required:
                continue
            outcome.errors.append(
                RowError(1, column_letter(len(titles)), col.title, "missing_column")
            )
    if outcome.errors:
        return outcome
    seen: dict[str, dict[str, int]] = {key: {} for key in unique_keys}
    count = 0
    for row_number, cells in rows:
        count += 1
        if on_progress and count % 200 == 0:
            on_progress(count)
        if all(_text(c) == "" for c in cells):
            continue
        record: dict[str, Any] = {"_row": row_number}
        example = bool(cells) and _text(cells[0]).startswith(EXAMPLE_MARK)
        for col in columns:
            pos = positions.get(col.key)
            raw = _text(cells[pos]) if pos is not None and pos < len(cells) else ""
            if example and pos == 0:
                raw = raw.removeprefix(EXAMPLE_MARK).strip()
            letter = column_letter(pos if pos is not None else 0)
            if not raw:
                if col.required:
                    outcome.errors.append(RowError(row_number, letter, col.title, "required"))
                record[col.key] = None
                continue
            try:
                record[col.key] = col.parse(raw, ctx) if col.parse else raw
            except CellError as exc:
                outcome.errors.append(RowError(row_number, letter, col.title, exc.code, exc.params))
                continue
            if col.key in seen and not example:
                first = seen[col.key].setdefault(str(record[col.key]), row_number)
                if first != row_number:
                    outcome.errors.append(
                        RowError(row_number, letter, col.title, "duplicate", {"first": first})
                    )
        if example:
            outcome.examples.append(record)
        else:
            outcome.records.append(record)
    if on_progress:
        on_progress(count)
    return outcome
