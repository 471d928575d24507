import base64
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.paginator import Paginator
from django.db.models import BooleanField, Expression, F, QuerySet, Value
from ninja import Field, Schema
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, PaginationBase

PAGE_SIZE = 50
# The deepest page the API serves: 100,000 pages of 50 is 5 million rows, more than any
# scope holds; beyond it the page number is refused (422) rather than sent to the database,
# where an offset past 2**63 overflowed into a 500.
API_MAX_PAGE = 100_000


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    """One page of `queryset`, and the query string without `page` for the page links."""
    page = Paginator(queryset, per_page).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return page, params.urlencode()


class ApiPagination(PageNumberPagination):
    """`?page=N` (1 to API_MAX_PAGE), 50 items a page: every API list uses it."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=API_MAX_PAGE)
        page_size: int | None = Field(None, ge=1)

    def __init__(self, page_size: int = PAGE_SIZE, **kwargs):
        super().__init__(page_size=page_size, **kwargs)


# Seek (keyset) pagination ----------------------------------------------------------------
#
# A long list (a street's cases: a million rows at city scale) is paged by where the last
# page ended, not by how many rows to skip: `?after=<cursor>` names the last row shown (its
# sort keys), and the next page is the rows after it in the order, `(k1, k2, …) < (v1, v2,
# …)`, which PostgreSQL answers by seeking in an index that matches the order. A page then
# reads its own rows whatever its depth; OFFSET read (and threw away) every row before it.
# The total is counted up to COUNT_CAP rows only: past it the page says "1,000 条以上".
# Decision 0032.

COUNT_CAP = 1000


def capped_count(queryset: QuerySet, cap: int | None = None) -> tuple[int, bool]:
    """How many rows, counting no further than `cap` (COUNT_CAP): (count, True) when there
    are more."""
    cap = cap or COUNT_CAP
    found = queryset.order_by()[: cap + 1].count()
    return (cap, True) if found > cap else (found, False)


class RowCompare(Expression):
    """`(a, b, …) < (x, y, …)` (or `>`): a row comparison, which a B-tree index on
    (a, b, …) answers by seeking. SQLite has row values too (3.15)."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, lhs: list[Any], op: str, rhs: list[Any]) -> None:
        assert op in ("<", ">") and len(lhs) == len(rhs)
        super().__init__()
        self.lhs, self.op, self.rhs = lhs, op, rhs

    def get_source_expressions(self) -> list[Any]:
        return [*self.lhs, *self.rhs]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        n = len(self.lhs)
        self.lhs, self.rhs = list(exprs[:n]), list(exprs[n:])

    def as_sql(self, compiler, connection):
        sides, params = [], []
        for side in (self.lhs, self.rhs):
            parts = []
            for expr in side:
                sql, p = compiler.compile(expr)
                parts.append(sql)
                params.extend(p)
            sides.append(f"({', '.join(parts)})")
        return f"{sides[0]} {self.op} {sides[1]}", params


def encode_cursor(values: list[Any]) -> str:
    """A row's sort keys as a URL-safe token (bool, int, str, datetime)."""

    def one(v: Any) -> Any:
        if isinstance(v, datetime):
            return {"d": v.isoformat()}
        if isinstance(v, bool | int | str):
            return v
        raise TypeError(f"cannot put {type(v).__name__} in a cursor")

    raw = json.dumps([one(v) for v in values], separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(token: str, size: int) -> list[Any] | None:
    """The values of `encode_cursor`, or None for anything else (a cursor is not trusted:
    it only bounds a query the scope restricts anyway)."""
    try:
        raw = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        values = [datetime.fromisoformat(v["d"]) if isinstance(v, dict) else v for v in raw]
    except (ValueError, TypeError, KeyError, UnicodeDecodeError):
        return None
    ok = isinstance(values, list) and len(values) == size
    if not ok or not all(isinstance(v, bool | int | str | datetime) for v in values):
        return None
    return values


def order_keys(queryset: QuerySet) -> list[str]:
    """The sort keys of a queryset ordered all one way, descending: ["pinned", "created_at",
    "id"] for `order_by("-pinned", "-created_at", "-id")`. The last must be unique."""
    keys = []
    for term in queryset.query.order_by:
        if not isinstance(term, str) or not term.startswith("-"):
            raise ValueError(f"seek pagination needs descending field names, not {term!r}")
        keys.append(term[1:])
    if not keys or keys[-1] not in ("id", "pk"):
        raise ValueError("seek pagination needs the primary key last, to break ties")
    return keys


def _key_fields(queryset: QuerySet) -> list[Any]:
    return [F(k).resolve_expression(queryset.query).output_field for k in order_keys(queryset)]


def read_cursor(queryset: QuerySet, token: str) -> list[Any] | None:
    """The cursor's values if they fit the queryset's sort keys (a boolean for a boolean, an
    aware datetime for a datetime, a 64-bit integer for an integer), else None: a forged
    cursor reaches the database only as values of the right types."""
    fields = _key_fields(queryset)
    values = decode_cursor(token, len(fields))
    if values is None:
        return None
    for value, field in zip(values, fields, strict=True):
        kind = field.get_internal_type()
        if kind == "BooleanField":
            ok = isinstance(value, bool)
        elif kind == "DateTimeField":
            ok = isinstance(value, datetime) and value.tzinfo is not None
        elif kind.endswith("AutoField") or kind.endswith("IntegerField"):
            ok = isinstance(value, int) and not isinstance(value, bool) and abs(value) < 2**63
        else:
            ok = isinstance(value, str) and "\x00" not in value and len(value) < 1000
        if not ok:
            return None
    return values


def seek(queryset: QuerySet, cursor: list[Any], *, after: bool = True) -> QuerySet:
    """The rows after (or before) the row whose sort keys are `cursor`, in the queryset's
    order (reversed for `before`: the caller flips the page back)."""
    keys = order_keys(queryset)
    lhs = [F(k) for k in keys]
    resolved = [f.resolve_expression(queryset.query) for f in lhs]
    rhs = [Value(v, output_field=r.output_field) for v, r in zip(cursor, resolved, strict=True)]
    rows = queryset.filter(RowCompare(lhs, "<" if after else ">", rhs))
    return rows if after else rows.order_by(*keys)


@dataclass
class SeekPage:
    """One page of a seek-paginated list, as the template `includes/seek_pagination.html`
    and the API read it."""

    object_list: list[Any]
    count: int
    count_capped: bool
    next_cursor: str | None
    previous_cursor: str | None
    query: str  # the query string without page, after and before, for the links

    def __iter__(self) -> Iterator[Any]:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None

    @property
    def has_previous(self) -> bool:
        return self.previous_cursor is not None


def _cursor_of(row: Any, keys: list[str]) -> str:
    return encode_cursor([getattr(row, k) for k in keys])


def seek_page(
    queryset: QuerySet,
    *,
    after: str = "",
    before: str = "",
    page: int | None = None,
    per_page: int = PAGE_SIZE,
    query: str = "",
    count: bool = True,
) -> SeekPage:
    """A page of `queryset` (ordered by descending keys, the primary key last): the first,
    the one after or before a cursor, or the `page`-th by offset (the old `?page=N` links;
    its neighbours are then linked by cursor). An unreadable cursor gives the first page."""
    keys = order_keys(queryset)
    if count:
        total, capped = capped_count(queryset)
    else:
        total, capped = 0, True
    before_values = read_cursor(queryset, before) if before else None
    after_values = read_cursor(queryset, after) if after and before_values is None else None
    if before_values is not None:
        rows = list(seek(queryset, before_values, after=False)[: per_page + 1])
        more_before = len(rows) > per_page
        rows = rows[:per_page][::-1]
        more_after = True
    else:
        offset = 0
        if after_values is not None:
            queryset = seek(queryset, after_values)
        elif page and page > 1:
            offset = (page - 1) * per_page
        rows = list(queryset[offset : offset + per_page + 1])
        more_after = len(rows) > per_page
        rows = rows[:per_page]
        more_before = after_values is not None or offset > 0
    return SeekPage(
        object_list=rows,
        count=total,
        count_capped=capped,
        next_cursor=_cursor_of(rows[-1], keys) if rows and more_after else None,
        previous_cursor=_cursor_of(rows[0], keys) if rows and more_before else None,
        query=query,
    )


def seek_paginate(request, queryset, per_page: int | None = None) -> tuple[SeekPage, str]:
    """`paginate` for the long lists: one page by cursor (`after`, `before`) or by `page`,
    and the query string without them for the links."""
    params = request.GET.copy()
    for name in ("page", "after", "before"):
        params.pop(name, None)
    query = params.urlencode()
    try:
        number = int(request.GET.get("page", "") or 1)
    except ValueError:
        number = 1
    page = seek_page(
        queryset,
        after=request.GET.get("after", ""),
        before=request.GET.get("before", ""),
        page=max(1, min(number, API_MAX_PAGE)),
        per_page=per_page or PAGE_SIZE,
        query=query,
    )
    return page, query


# The API counts as far as the pages do: counting 10,000 of a street's cases took 93 ms of
# the 117 ms of SQL of its first page at 10 M cases; a client pages by `next`, and a
# dashboard's figures come from the roll-ups (decision 0040).
API_COUNT_CAP = COUNT_CAP


class ApiSeekPagination(PaginationBase):
    """The API's long lists: `?page=N` as before, or `?after=<next>` / `?before=<previous>`
    from the answer's cursors, which seek instead of skipping rows (use them past the first
    pages). `count` is exact up to API_COUNT_CAP; beyond, it is the cap and `count_capped`
    is true."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=API_MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=100)
        after: str = Field("", max_length=200)
        before: str = Field("", max_length=200)

    class Output(Schema):
        items: list[Any]
        count: int
        count_capped: bool
        next: str | None
        previous: str | None

    def __init__(self, page_size: int = PAGE_SIZE, **kwargs: Any) -> None:
        self.page_size = page_size
        super().__init__(**kwargs)

    def paginate_queryset(self, queryset: QuerySet, pagination: Any, request, **params: Any):
        for token in (pagination.after, pagination.before):
            if token and read_cursor(queryset, token) is None:
                raise HttpError(422, "unreadable cursor: pass `next` or `previous` as it came")
        count, capped = capped_count(queryset, API_COUNT_CAP)
        page = seek_page(
            queryset,
            after=pagination.after,
            before=pagination.before,
            page=pagination.page,
            per_page=pagination.page_size or self.page_size,
            count=False,
        )
        return {
            "items": page.object_list,
            "count": count,
            "count_capped": capped,
            "next": page.next_cursor,
            "previous": page.previous_cursor,
        }
