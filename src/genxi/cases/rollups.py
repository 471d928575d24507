"""The daily roll-ups of cases (`CaseRollup`) and their monthly sums (`CaseMonthRollup`):
kept current by the case services, in the same transaction as each case write, and rebuilt
from the cases by `genxi rollups rebuild`.

A daily row is the sum of `domain.rollup.contribution()` over the cases received on its day
in its place, category and channel; a write moves the rows by the case's contribution after
minus before (an upsert adding the difference, so two writes at once both count). The same
difference goes to the month's row of the place, top-level category and channel (a second
upsert of the same kind), so a month row is always the sum of its days' rows. The open
cases by deadline (`CaseDueRollup`) and the cases' points in the map's squares
(`CaseBinRollup`) move in the same way, in the same transaction.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Count,
    DateField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Sum,
)
from django.db.models.functions import Cast, Coalesce, Floor, TruncDate, TruncMonth
from django.utils import timezone

from genxi.core.memo import Memo

from .domain.rollup import (
    DUE_FIELDS,
    FIELDS,
    FINAL_STATES,
    INVALID_STATES,
    SATISFIED,
    UNRESOLVED_STATES,
    CaseFacts,
    Steps,
    contribution,
    difference,
    due_contribution,
    steps_of,
)
from .models import (
    Case,
    CaseBinRollup,
    CaseDueRollup,
    CaseEvent,
    CaseMonthRollup,
    CaseRollup,
    CaseState,
    Category,
)

Key = tuple[date, int, int | None, str]


def key_of(case: Case) -> Key:
    """The row a case counts in: the local day it was received, its place, category and
    channel."""
    return (
        timezone.localtime(case.created_at).date(),
        case.region_id,
        case.category_id,
        case.channel,
    )


def facts_of(case: Case) -> CaseFacts:
    return CaseFacts(
        state=case.state,
        created_at=case.created_at,
        flagged=case.flagged,
        level=case.level,
        responded_at=case.responded_at,
        respond_by=case.respond_by,
        resolved_at=case.resolved_at,
        resolve_by=case.resolve_by,
        rating=case.rating or "",
        reworks=case.reworks,
        returns=case.returns,
        extensions=case.extensions,
    )


def steps_for(case: Case) -> Steps:
    """The steps of a case's history so far (one query)."""
    rows = CaseEvent.objects.filter(case=case).order_by().values_list("action", "level", "data")
    return steps_of(
        (action, level, (data or {}).get("to_level") if isinstance(data, dict) else None)
        for action, level, data in rows
    )


def state_of(case: Case, steps: Steps) -> tuple[Key, dict[str, int]]:
    """Where the case counts and what it adds there."""
    return key_of(case), contribution(facts_of(case), steps)


# The categories' parents, kept per process (they are reference data): a case's write asks
# no query for its month row's top-level category.
tops_memo = Memo("cases.category_tops", seconds=60)


def _tops() -> dict[int, int | None]:
    return dict(Category.objects.values_list("pk", "parent_id"))


def top_of(category_id: int | None) -> int | None:
    """The top-level category a (sub)category counts under in the month rows."""
    if category_id is None:
        return None
    tops = tops_memo.get_or_build(_tops)
    if category_id not in tops:  # a category made since: read them again
        tops_memo.forget()
        tops = tops_memo.get_or_build(_tops)
    return tops.get(category_id) or category_id


Statement = tuple[str, list[Any]]


def _upsert(
    model: Any,
    key: str,
    where: dict[str, Any],
    delta: dict[str, int],
    counts: Iterable[str] = FIELDS,
) -> Statement:
    """The statement adding `delta` to `model`'s row at `key` (placed at `where`), creating
    it when new. Only the counts that change are sent and updated: the others start at a
    literal zero in a new row (no database defaults) and are left as they are in an old one
    (a shorter statement with fewer values to quote and plan, on every case write)."""
    assert set(delta) <= set(counts), set(delta) - set(counts)  # no count left unwritten
    q = connection.ops.quote_name
    table = q(model._meta.db_table)
    names = [n for n in counts if delta.get(n)]
    zeros = [n for n in counts if not delta.get(n)]
    columns = ["key", *where, *names, *zeros]
    holders = ["%s"] * (1 + len(where) + len(names)) + ["0"] * len(zeros)
    values: list[Any] = [key, *where.values(), *(delta[n] for n in names)]
    sql = f"INSERT INTO {table} ({', '.join(q(c) for c in columns)}) VALUES ({', '.join(holders)})"
    if names:
        updates = ", ".join(f"{q(n)} = {table}.{q(n)} + EXCLUDED.{q(n)}" for n in names)
        sql += f" ON CONFLICT ({q('key')}) DO UPDATE SET {updates}"
    else:  # nothing to add: a row that exists stays as it is
        sql += f" ON CONFLICT ({q('key')}) DO NOTHING"
    return sql, values


def _month_key(key: Key) -> tuple[str, dict[str, Any]]:
    day, region_id, category_id, channel = key
    month, top = day.replace(day=1), top_of(category_id)
    return (
        CaseMonthRollup.key_of(month, region_id, top, channel),
        {"month": month, "region_id": region_id, "category_id": top, "channel": channel},
    )


def apply(key: Key, delta: dict[str, int]) -> None:
    """Add `delta` to the day's row at `key` and to its month's row, creating them when new
    (one statement each)."""
    move_all([(key, delta)])


def move_all(moves: list[tuple[Key, dict[str, int]]]) -> None:
    """Add each delta to its day's row, then to its month's row (`statements`)."""
    with connection.cursor() as cursor:
        for sql, values in statements(moves):
            cursor.execute(sql, values)


def statements(moves: list[tuple[Key, dict[str, int]]]) -> list[Statement]:
    """The upserts adding each delta to its day's row, then to its month's row: the day rows
    in key order, then the month rows in key order (so writes at once lock rows in one
    order and wait for each other instead of deadlocking). The intake runs them inside the
    case's own insert (core.db.insert_with_children)."""
    found: list[Statement] = []
    days = sorted(
        ((CaseRollup.key_of(*key), key, delta) for key, delta in moves if delta),
        key=lambda m: m[0],
    )
    for day_key, (day, region_id, category_id, channel), delta in days:
        where = {"day": day, "region_id": region_id, "category_id": category_id}
        found.append(_upsert(CaseRollup, day_key, {**where, "channel": channel}, delta))
    months: dict[str, tuple[dict[str, Any], dict[str, int]]] = {}
    for _day_key, key, delta in days:
        month_key, where = _month_key(key)
        total = months.setdefault(month_key, (where, {}))[1]
        for name, n in delta.items():
            total[name] = total.get(name, 0) + n
    for month_key in sorted(months):
        where, total = months[month_key]
        total = {k: v for k, v in total.items() if v}
        if total:
            found.append(_upsert(CaseMonthRollup, month_key, where, total))
    return found


def move(before: tuple[Key, dict[str, int]] | None, after: tuple[Key, dict[str, int]]) -> None:
    """Move the roll-ups from a case's state `before` a write (None: new) to `after`."""
    if before is None:
        move_all([after])
    elif before[0] == after[0]:
        move_all([(after[0], difference(after[1], before[1]))])
    else:
        move_all([(before[0], difference({}, before[1])), (after[0], after[1])])


# The open cases by deadline ---------------------------------------------------------------

DueKey = tuple[int, date | None]


def due_of(case: Case) -> tuple[DueKey, dict[str, int]]:
    """The deadline row a case counts in (its place, the local day its resolution is due)
    and what it adds there."""
    due = timezone.localtime(case.resolve_by).date() if case.resolve_by else None
    return (case.region_id, due), due_contribution(case.state, case.flagged, case.level)


def due_statements(
    before: tuple[DueKey, dict[str, int]] | None, after: tuple[DueKey, dict[str, int]]
) -> list[Statement]:
    """The upserts moving the deadline rows from a case's state `before` a write (None:
    new) to `after`, in key order (after the day and month rows: writes at once lock rows
    in one order)."""
    moves: dict[DueKey, dict[str, int]] = {}
    if before is not None:
        moves[before[0]] = {k: -v for k, v in before[1].items()}
    total = moves.setdefault(after[0], dict.fromkeys(DUE_FIELDS, 0))
    for name, n in after[1].items():
        total[name] = total.get(name, 0) + n
    found: list[Statement] = []
    for (region_id, due), delta in sorted(moves.items(), key=lambda m: CaseDueRollup.key_of(*m[0])):
        if not any(delta.values()):
            continue
        where = {"region_id": region_id, "due": due}
        found.append(
            _upsert(CaseDueRollup, CaseDueRollup.key_of(region_id, due), where, delta, DUE_FIELDS)
        )
    return found


def move_due(
    before: tuple[DueKey, dict[str, int]] | None, after: tuple[DueKey, dict[str, int]]
) -> None:
    with connection.cursor() as cursor:
        for sql, values in due_statements(before, after):
            cursor.execute(sql, values)


# The cases' points in the map's squares ---------------------------------------------------

# A square of about BIN_METRES a side: its latitude step is BIN_METRES in degrees, its
# longitude step the same metres at one fixed latitude (settings.GENXI_MAP_BIN_LAT, the
# city's centre), so that every case falls in one square whatever dashboard reads it.
BIN_METRES = 100
DEGREE_METRES = 111_320

BinKey = tuple[date, int, int | None, int, int]
BinDelta = tuple[int, float, float]  # cases, the sums of their latitudes and longitudes


def bin_steps() -> tuple[float, float]:
    """The squares' steps in degrees: (latitude, longitude)."""
    step_lat = BIN_METRES / DEGREE_METRES
    return step_lat, step_lat / math.cos(math.radians(settings.GENXI_MAP_BIN_LAT))


def bin_of(case: Case) -> tuple[BinKey, BinDelta] | None:
    """The square row a case counts in (the local day it was received, its place, its
    category, its square) and what it adds there; None for a case without a point."""
    if case.lat is None or case.lon is None:
        return None
    step_lat, step_lon = bin_steps()
    lat, lon = float(case.lat), float(case.lon)
    key = (
        timezone.localtime(case.created_at).date(),
        case.region_id,
        case.category_id,
        math.floor(lat / step_lat),
        math.floor(lon / step_lon),
    )
    return key, (1, lat, lon)


def bin_statements(
    before: tuple[BinKey, BinDelta] | None, after: tuple[BinKey, BinDelta] | None
) -> list[Statement]:
    """The upserts moving the square rows from a case's state `before` a write (None: new
    or without a point) to `after` (None: without a point), in key order, none where
    nothing changes (after the day, month and deadline rows: writes at once lock rows in
    one order)."""
    moves: dict[BinKey, list[float]] = {}
    for side, sign in ((before, -1), (after, 1)):
        if side is None:
            continue
        key, delta = side
        total = moves.setdefault(key, [0, 0.0, 0.0])
        for k, v in enumerate(delta):
            total[k] += sign * v
    table = connection.ops.quote_name(CaseBinRollup._meta.db_table)
    q = connection.ops.quote_name
    names = ["n", "lat_sum", "lon_sum"]
    columns = ["key", "day", "region_id", "category_id", "i", "j", *names]
    updates = ", ".join(f"{q(n)} = {table}.{q(n)} + EXCLUDED.{q(n)}" for n in names)
    sql = (
        f"INSERT INTO {table} ({', '.join(q(c) for c in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))}) "
        f"ON CONFLICT ({q('key')}) DO UPDATE SET {updates}"
    )
    found: list[Statement] = []
    for key, (n, lat, lon) in sorted(moves.items(), key=lambda m: CaseBinRollup.key_of(*m[0])):
        if not (n or lat or lon):
            continue
        found.append((sql, [CaseBinRollup.key_of(*key), *key, int(n), lat, lon]))
    return found


def move_bins(
    before: tuple[BinKey, BinDelta] | None, after: tuple[BinKey, BinDelta] | None
) -> None:
    with connection.cursor() as cursor:
        for sql, values in bin_statements(before, after):
            cursor.execute(sql, values)


# Rebuild ----------------------------------------------------------------------------------


def _step(**where: Any) -> Exists:
    return Exists(CaseEvent.objects.filter(case=OuterRef("pk"), **where))


def aggregated(cases: Any = None, *, in_day_order: bool = False) -> Iterable[dict[str, Any]]:
    """The roll-up rows counted straight from the cases (one grouped query): the rebuild's
    source (by day and place, `in_day_order`) and the tests' direct count."""
    qs = Case.objects.all() if cases is None else cases
    valid = ~Q(state__in=sorted(INVALID_STATES))
    is_open = ~Q(state__in=sorted(FINAL_STATES))
    duration = ExpressionWrapper(F("resolved_at") - F("created_at"), output_field=DurationField())
    steps = {
        "s_to_grid": _step(data__to_level="grid"),
        "s_escalated": _step(action="escalate"),
        "s_grid_up": _step(action="escalate", level="grid"),
        "s_sent_down": _step(action="send_down"),
        "s_grid_own": _step(action="resolve", level="grid"),
        "s_community_own": _step(action="resolve", level__in=["grid", "community", ""]),
        "s_street_own": _step(action="resolve", level="street"),
    }
    rows = (
        qs.order_by()
        .annotate(
            r_day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()),
            **{k: ExpressionWrapper(v, output_field=BooleanField()) for k, v in steps.items()},
        )
        .values("r_day", "region_id", "category_id", "channel")
        .annotate(
            received=Count("id"),
            valid=Count("id", filter=valid),
            responded=Count("id", filter=Q(responded_at__isnull=False)),
            responded_in_time=Count("id", filter=Q(responded_at__lte=F("respond_by"))),
            resolved=Count("id", filter=Q(resolved_at__isnull=False)),
            resolved_in_time=Count("id", filter=Q(resolved_at__lte=F("resolve_by"))),
            closed=Count("id", filter=Q(state=CaseState.CLOSED)),
            rated=Count("id", filter=~Q(rating="")),
            satisfied=Count("id", filter=Q(rating__in=sorted(SATISFIED))),
            unsatisfied=Count("id", filter=Q(rating="unsatisfied")),
            reworked=Count("id", filter=Q(reworks__gt=0)),
            returned=Count("id", filter=Q(returns__gt=0)),
            extended=Count("id", filter=Q(extensions__gt=0)),
            handling=Sum(duration, filter=Q(resolved_at__isnull=False)),
            open=Count("id", filter=is_open),
            flagged_open=Count("id", filter=is_open & Q(flagged=True)),
            escalated_open=Count("id", filter=is_open & Q(level="street")),
            **{
                name.removeprefix("s_"): Count("id", filter=valid & Q(**{name: True}))
                for name in steps
            },
        )
    )
    if in_day_order:
        rows = rows.order_by("r_day", "region_id")
    for found in rows:
        row: dict[str, Any] = dict(found)
        handling = row.pop("handling")
        row["handling_us"] = handling // timedelta(microseconds=1) if handling else 0
        row["day"] = row.pop("r_day")
        yield row


def _replace_all(model: Any, rows: Iterable[Any], batch: int) -> int:
    """Empty `model`'s table and write `rows` (unsaved instances, in the order given) in
    batches of `batch`; returns the number written. Inside the caller's transaction."""
    model.objects.all().delete()
    pending: list[Any] = []
    written = 0
    for row in rows:
        pending.append(row)
        if len(pending) >= batch:
            model.objects.bulk_create(pending)
            written += len(pending)
            pending = []
    model.objects.bulk_create(pending)
    return written + len(pending)


def rebuild(batch: int = 2000) -> int:
    """Recompute every roll-up from the cases, the daily rows then the month rows; returns
    the number of daily rows written."""
    with transaction.atomic():
        # Written in day order, as the live writes lay them down (a day's rows are made
        # that day): a period's rows then sit on few pages (docs/dashboards.md).
        written = _replace_all(
            CaseRollup,
            (
                CaseRollup(
                    key=CaseRollup.key_of(
                        row["day"], row["region_id"], row["category_id"], row["channel"]
                    ),
                    **row,
                )
                for row in aggregated(in_day_order=True)
            ),
            batch,
        )
        rebuild_months(batch)
        rebuild_due(batch)
        rebuild_bins(batch)
        return written


def months_of_days() -> Iterable[dict[str, Any]]:
    """The month rows summed from the daily rows (one grouped query)."""
    rows = (
        CaseRollup.objects.order_by()
        .annotate(
            r_month=TruncMonth("day", output_field=DateField()),
            top=Coalesce("category__parent_id", "category_id"),
        )
        .values("r_month", "region_id", "top", "channel")
        .annotate(**{name: Sum(name) for name in FIELDS})
        .order_by("r_month", "region_id")  # laid out by month (`rebuild`)
    )
    for found in rows:
        row: dict[str, Any] = dict(found)
        row["month"] = row.pop("r_month")
        row["category_id"] = row.pop("top")
        yield row


def rebuild_months(batch: int = 2000) -> int:
    """Recompute the month rows from the daily rows; returns the number written."""
    with transaction.atomic():
        return _replace_all(
            CaseMonthRollup,
            (
                CaseMonthRollup(
                    key=CaseMonthRollup.key_of(
                        row["month"], row["region_id"], row["category_id"], row["channel"]
                    ),
                    **row,
                )
                for row in months_of_days()
            ),
            batch,
        )


def due_aggregated(cases: Any = None) -> Iterable[dict[str, Any]]:
    """The deadline rows counted straight from the open cases (one grouped query): the
    rebuild's source and the tests' direct count."""
    qs = Case.objects.all() if cases is None else cases
    is_open = ~Q(state__in=sorted(FINAL_STATES))
    rows = (
        qs.filter(is_open)
        .order_by()
        .annotate(r_due=TruncDate("resolve_by", tzinfo=timezone.get_current_timezone()))
        .values("region_id", "r_due")
        .annotate(
            open=Count("id"),
            unresolved=Count("id", filter=Q(state__in=sorted(UNRESOLVED_STATES))),
            flagged_open=Count("id", filter=Q(flagged=True)),
            escalated_open=Count("id", filter=Q(level="street")),
        )
    )
    for found in rows:
        row: dict[str, Any] = dict(found)
        row["due"] = row.pop("r_due")
        yield row


def rebuild_due(batch: int = 2000) -> int:
    """Recompute the open cases' deadline rows from the cases; returns the number written."""
    with transaction.atomic():
        CaseDueRollup.objects.all().delete()
        rows = [
            CaseDueRollup(key=CaseDueRollup.key_of(row["region_id"], row["due"]), **row)
            for row in due_aggregated()
        ]
        CaseDueRollup.objects.bulk_create(rows, batch_size=batch)
        return len(rows)


def bins_aggregated(cases: Any = None, *, in_day_order: bool = False) -> Iterable[dict[str, Any]]:
    """The square rows counted straight from the cases with a point (one grouped query):
    the rebuild's source (by day and place, `in_day_order`) and the tests' direct count."""
    qs = Case.objects.all() if cases is None else cases
    step_lat, step_lon = bin_steps()
    rows = (
        qs.filter(lat__isnull=False, lon__isnull=False)
        .order_by()
        .annotate(
            r_day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()),
            r_i=Cast(Floor(F("lat") / step_lat), IntegerField()),
            r_j=Cast(Floor(F("lon") / step_lon), IntegerField()),
        )
        .values("r_day", "region_id", "category_id", "r_i", "r_j")
        .annotate(n=Count("id"), lat_sum=Sum("lat"), lon_sum=Sum("lon"))
    )
    if in_day_order:
        rows = rows.order_by("r_day", "region_id")
    for found in rows:
        row: dict[str, Any] = dict(found)
        row["day"] = row.pop("r_day")
        row["i"], row["j"] = int(row.pop("r_i")), int(row.pop("r_j"))
        yield row


def rebuild_bins(batch: int = 2000) -> int:
    """Recompute the square rows from the cases, in day order (as `rebuild`); returns the
    number written."""
    with transaction.atomic():
        return _replace_all(
            CaseBinRollup,
            (
                CaseBinRollup(
                    key=CaseBinRollup.key_of(
                        row["day"], row["region_id"], row["category_id"], row["i"], row["j"]
                    ),
                    **row,
                )
                for row in bins_aggregated(in_day_order=True)
            ),
            batch,
        )
