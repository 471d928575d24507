"""The case roll-ups rebuilt in SQL, set-wise (`INSERT … SELECT … GROUP BY`): the same rows
as `cases.rollups.rebuild()`, which goes through Python and cannot carry millions of rows.
The counts mirror `rollups.aggregated()`, `months_of_days()`, `due_aggregated()` and
`bins_aggregated()` field for field; the city test checks them against those."""

from __future__ import annotations

from typing import Any

from genxi.cases.domain.rollup import FINAL_STATES, INVALID_STATES, SATISFIED, UNRESOLVED_STATES


def _list(values: Any) -> str:
    return ", ".join(f"'{v}'" for v in sorted(values))


VALID = f"c.state NOT IN ({_list(INVALID_STATES)})"
OPEN = f"c.state NOT IN ({_list(FINAL_STATES)})"
# What each case's history has seen (`rollups._step`), from one pass over the events
# joined by hash (an EXISTS per case and step took 6 s for 20,000 cases).
STEPS = {
    "to_grid": "e.data -> 'to_level' = '\"grid\"'::jsonb",
    "escalated": "e.action = 'escalate'",
    "grid_up": "e.action = 'escalate' AND e.level = 'grid'",
    "sent_down": "e.action = 'send_down'",
    "grid_own": "e.action = 'resolve' AND e.level = 'grid'",
    "community_own": "e.action = 'resolve' AND e.level IN ('grid', 'community', '')",
    "street_own": "e.action = 'resolve' AND e.level = 'street'",
}
EVENTS = (
    "LEFT JOIN (SELECT e.case_id, "
    + ", ".join(f"bool_or({where}) AS {name}" for name, where in STEPS.items())
    + " FROM cases_caseevent e GROUP BY e.case_id) AS s ON s.case_id = c.id"
)
DAY_COUNTS = {
    "received": "count(*)",
    "valid": f"count(*) FILTER (WHERE {VALID})",
    "responded": "count(*) FILTER (WHERE c.responded_at IS NOT NULL)",
    "responded_in_time": "count(*) FILTER (WHERE c.responded_at <= c.respond_by)",
    "resolved": "count(*) FILTER (WHERE c.resolved_at IS NOT NULL)",
    "resolved_in_time": "count(*) FILTER (WHERE c.resolved_at <= c.resolve_by)",
    "closed": "count(*) FILTER (WHERE c.state = 'closed')",
    "rated": "count(*) FILTER (WHERE c.rating <> '')",
    "satisfied": f"count(*) FILTER (WHERE c.rating IN ({_list(SATISFIED)}))",
    "unsatisfied": "count(*) FILTER (WHERE c.rating = 'unsatisfied')",
    "reworked": "count(*) FILTER (WHERE c.reworks > 0)",
    "returned": "count(*) FILTER (WHERE c.returns > 0)",
    "extended": "count(*) FILTER (WHERE c.extensions > 0)",
    "handling_us": "coalesce((extract(epoch FROM sum(c.resolved_at - c.created_at) "
    "FILTER (WHERE c.resolved_at IS NOT NULL)) * 1000000)::bigint, 0)",
    **{name: f"count(*) FILTER (WHERE {VALID} AND s.{name})" for name in STEPS},
    "open": f"count(*) FILTER (WHERE {OPEN})",
    "flagged_open": f"count(*) FILTER (WHERE {OPEN} AND c.flagged)",
    "escalated_open": f"count(*) FILTER (WHERE {OPEN} AND c.level = 'street')",
}


def day_rollups(tz: str) -> str:
    day = f"(c.created_at AT TIME ZONE '{tz}')::date"
    names = ", ".join(DAY_COUNTS)
    return f"""
        INSERT INTO cases_caserollup (key, day, region_id, category_id, channel, {names})
        SELECT d || '|' || region_id || '|' || coalesce(category_id::text, '') || '|' || channel,
               d, region_id, category_id, channel, {names}
        FROM (
            SELECT {day} AS d, c.region_id, c.category_id, c.channel,
                   {", ".join(f"{sql} AS {name}" for name, sql in DAY_COUNTS.items())}
            FROM cases_case c {EVENTS}
            GROUP BY 1, 2, 3, 4
        ) AS rows
        ORDER BY d, region_id  -- laid out by day, as the live writes lay them (rollups.py)
    """


def month_rollups() -> str:
    names = list(DAY_COUNTS)
    return f"""
        INSERT INTO cases_casemonthrollup (key, month, region_id, category_id, channel,
                                           {", ".join(names)})
        SELECT m || '|' || region_id || '|' || coalesce(top::text, '') || '|' || channel,
               m, region_id, top, channel, {", ".join(names)}
        FROM (
            SELECT date_trunc('month', r.day)::date AS m, r.region_id,
                   coalesce(cat.parent_id, r.category_id) AS top, r.channel,
                   {", ".join(f"sum(r.{n}) AS {n}" for n in names)}
            FROM cases_caserollup r LEFT JOIN cases_category cat ON cat.id = r.category_id
            GROUP BY 1, 2, 3, 4
        ) AS rows
        ORDER BY m, region_id
    """


def due_rollups(tz: str) -> str:
    return f"""
        INSERT INTO cases_caseduerollup (key, region_id, due, open, unresolved, flagged_open,
                                         escalated_open)
        SELECT region_id || '|' || coalesce(due::text, ''), region_id, due, open, unresolved,
               flagged_open, escalated_open
        FROM (
            SELECT c.region_id, (c.resolve_by AT TIME ZONE '{tz}')::date AS due,
                   count(*) AS open,
                   count(*) FILTER (WHERE c.state IN ({_list(UNRESOLVED_STATES)})) AS unresolved,
                   count(*) FILTER (WHERE c.flagged) AS flagged_open,
                   count(*) FILTER (WHERE c.level = 'street') AS escalated_open
            FROM cases_case c WHERE {OPEN}
            GROUP BY 1, 2
        ) AS rows
    """


def bin_rollups(tz: str, steps: tuple[float, float]) -> str:
    """The map's squares (`rollups.bin_of`): the steps as double precision, so `floor`
    divides as Python does."""
    step_lat, step_lon = steps
    return f"""
        INSERT INTO cases_casebinrollup (key, day, region_id, category_id, i, j, n, lat_sum,
                                         lon_sum)
        SELECT d || '|' || region_id || '|' || coalesce(category_id::text, '') || '|' || i
               || '|' || j, d, region_id, category_id, i, j, n, lat_sum, lon_sum
        FROM (
            SELECT (c.created_at AT TIME ZONE '{tz}')::date AS d, c.region_id, c.category_id,
                   floor(c.lat / {step_lat!r}::float8)::integer AS i,
                   floor(c.lon / {step_lon!r}::float8)::integer AS j,
                   count(*) AS n, sum(c.lat) AS lat_sum, sum(c.lon) AS lon_sum
            FROM cases_case c WHERE c.lat IS NOT NULL AND c.lon IS NOT NULL
            GROUP BY 1, 2, 3, 4, 5
        ) AS rows
        ORDER BY d, region_id  -- laid out by day, as the live writes lay them (rollups.py)
    """
