"""The daily roll-ups of cases (`CaseRollup`): kept current by the case services, in the
same transaction as each case write, and rebuilt from the cases by `genxi rollups rebuild`.

A row is the sum of `domain.rollup.contribution()` over the cases received on its day in
its place, category and channel; a write moves the rows by the case's contribution after
minus before (an upsert adding the difference, so two writes at once both count).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Sum,
)
from django.db.models.functions import TruncDate
from django.utils import timezone

from .domain.rollup import (
    FIELDS,
    FINAL_STATES,
    INVALID_STATES,
    SATISFIED,
    CaseFacts,
    Steps,
    contribution,
    difference,
    steps_of,
)
from .models import Case, CaseEvent, CaseRollup, CaseState

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


def apply(key: Key, delta: dict[str, int]) -> None:
    """Add `delta` to the row at `key`, creating it when new (one statement)."""
    statement = upsert(key, delta)
    if statement is None:
        return
    with connection.cursor() as cursor:
        cursor.execute(*statement)


def upsert(key: Key, delta: dict[str, int]) -> tuple[str, list[Any]] | None:
    """The statement adding `delta` to the row at `key` (None: nothing to add); the intake
    runs it inside the case's own insert (core.db.insert_with_children)."""
    if not delta:
        return None
    day, region_id, category_id, channel = key
    names = list(delta)
    table = connection.ops.quote_name(CaseRollup._meta.db_table)
    q = connection.ops.quote_name
    columns = ["key", "day", "region_id", "category_id", "channel", *names]
    for name in FIELDS:  # the other counts start at zero (no database defaults)
        if name not in delta:
            columns.append(name)
    values: list[Any] = [
        CaseRollup.key_of(day, region_id, category_id, channel),
        day,
        region_id,
        category_id,
        channel,
        *(delta[n] for n in names),
        *(0 for n in FIELDS if n not in delta),
    ]
    updates = ", ".join(f"{q(n)} = {table}.{q(n)} + EXCLUDED.{q(n)}" for n in names)
    sql = (
        f"INSERT INTO {table} ({', '.join(q(c) for c in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))}) "
        f"ON CONFLICT ({q('key')}) DO UPDATE SET {updates}"
    )
    return sql, values


def move(before: tuple[Key, dict[str, int]] | None, after: tuple[Key, dict[str, int]]) -> None:
    """Move the roll-ups from a case's state `before` a write (None: new) to `after`."""
    if before is None:
        apply(after[0], after[1])
        return
    if before[0] == after[0]:
        apply(after[0], difference(after[1], before[1]))
        return
    # Two rows: in key order, so two cases moving between the same rows in opposite
    # directions wait for each other instead of deadlocking.
    moves = sorted(
        [(before[0], difference({}, before[1])), (after[0], after[1])],
        key=lambda m: CaseRollup.key_of(*m[0]),
    )
    for key, delta in moves:
        apply(key, delta)


# Rebuild ----------------------------------------------------------------------------------


def _step(**where: Any) -> Exists:
    return Exists(CaseEvent.objects.filter(case=OuterRef("pk"), **where))


def aggregated(cases: Any = None) -> Iterable[dict[str, Any]]:
    """The roll-up rows counted straight from the cases (one grouped query): the rebuild's
    source and the tests' direct count."""
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
    for found in rows:
        row: dict[str, Any] = dict(found)
        handling = row.pop("handling")
        row["handling_us"] = handling // timedelta(microseconds=1) if handling else 0
        row["day"] = row.pop("r_day")
        yield row


def rebuild(batch: int = 2000) -> int:
    """Recompute every roll-up from the cases; returns the number of rows written."""
    with transaction.atomic():
        CaseRollup.objects.all().delete()
        pending: list[CaseRollup] = []
        written = 0
        for row in aggregated():
            pending.append(
                CaseRollup(
                    key=CaseRollup.key_of(
                        row["day"], row["region_id"], row["category_id"], row["channel"]
                    ),
                    **row,
                )
            )
            if len(pending) >= batch:
                CaseRollup.objects.bulk_create(pending)
                written += len(pending)
                pending = []
        CaseRollup.objects.bulk_create(pending)
        return written + len(pending)
