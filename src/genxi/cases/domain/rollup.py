"""What one case adds to the daily roll-ups (docs/dashboards.md).

Pure Python. A roll-up row (day × place × category × channel) is the sum of `contribution()`
over the cases received that day there: so when a case changes, the row moves by the
difference between the case's contribution after and before, and a rebuild is the same sum
taken afresh. The counts follow `cases.selectors.metrics` (docs/metrics.md) exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

# The states whose cases are not *valid* (neither rejected nor merged).
INVALID_STATES = frozenset({"rejected", "merged"})
SATISFIED = frozenset({"satisfied", "basically"})
_MICROSECOND = timedelta(microseconds=1)

# The counts of the loop (metrics' `counts`), then the sum of handling times of resolved
# cases (microseconds), then the levels' counts over valid cases (metrics' `levels`).
COUNTS = (
    "received",
    "valid",
    "responded",
    "responded_in_time",
    "resolved",
    "resolved_in_time",
    "closed",
    "rated",
    "satisfied",
    "unsatisfied",
    "reworked",
    "returned",
    "extended",
)
LEVEL_COUNTS = (
    "to_grid",  # dispatched to a grid worker at least once
    "escalated",  # escalated to the street (上报街道)
    "grid_up",  # escalated by a grid
    "sent_down",  # sent back down by the street (退回社区)
    "grid_own",  # resolved at the grid
    "community_own",  # resolved at the grid or the community
    "street_own",  # resolved at the street
)
# Of this moment, whatever the day received: still open (not rejected, merged or closed),
# flagged (督办) and open, held by the street and open. (Overdue depends on the clock: the
# dashboards count it from the open cases' deadline index.)
NOW_COUNTS = ("open", "flagged_open", "escalated_open")
FIELDS = (*COUNTS, "handling_us", *LEVEL_COUNTS, *NOW_COUNTS)
FINAL_STATES = frozenset({"rejected", "merged", "closed"})


@dataclass(frozen=True)
class Steps:
    """What a case's history has seen, as the level metrics count it (each once)."""

    to_grid: bool = False
    escalated: bool = False
    grid_up: bool = False
    sent_down: bool = False
    grid_own: bool = False
    community_own: bool = False
    street_own: bool = False

    def after(self, action: str, level: str, to_level: str | None) -> Steps:
        """The steps once one more event (action taken at `level`) is recorded."""
        return Steps(
            to_grid=self.to_grid or to_level == "grid",
            escalated=self.escalated or action == "escalate",
            grid_up=self.grid_up or (action == "escalate" and level == "grid"),
            sent_down=self.sent_down or action == "send_down",
            grid_own=self.grid_own or (action == "resolve" and level == "grid"),
            # a step recorded before levels existed (level "") was the community's
            community_own=self.community_own
            or (action == "resolve" and level in ("grid", "community", "")),
            street_own=self.street_own or (action == "resolve" and level == "street"),
        )


def steps_of(events: Iterable[tuple[str, str, str | None]]) -> Steps:
    """The steps of a history given as (action, level, to_level) per event."""
    steps = Steps()
    for action, level, to_level in events:
        steps = steps.after(action, level, to_level)
    return steps


@dataclass(frozen=True)
class CaseFacts:
    """The fields of a case the roll-ups read."""

    state: str
    created_at: datetime
    flagged: bool = False
    level: str = "community"
    responded_at: datetime | None = None
    respond_by: datetime | None = None
    resolved_at: datetime | None = None
    resolve_by: datetime | None = None
    rating: str = ""
    reworks: int = 0
    returns: int = 0
    extensions: int = 0


def _before(a: datetime | None, b: datetime | None) -> bool:
    """`a <= b` as SQL answers it: false when either is missing."""
    return a is not None and b is not None and a <= b


def contribution(case: CaseFacts, steps: Steps) -> dict[str, int]:
    """What the case adds to its day's row."""
    valid = case.state not in INVALID_STATES
    resolved = case.resolved_at is not None
    handling = case.resolved_at - case.created_at if case.resolved_at is not None else None
    row = {
        "received": 1,
        "valid": int(valid),
        "responded": int(case.responded_at is not None),
        "responded_in_time": int(_before(case.responded_at, case.respond_by)),
        "resolved": int(resolved),
        "resolved_in_time": int(_before(case.resolved_at, case.resolve_by)),
        "closed": int(case.state == "closed"),
        "rated": int(case.rating != ""),
        "satisfied": int(case.rating in SATISFIED),
        "unsatisfied": int(case.rating == "unsatisfied"),
        "reworked": int(case.reworks > 0),
        "returned": int(case.returns > 0),
        "extended": int(case.extensions > 0),
        "handling_us": (
            handling // _MICROSECOND if handling is not None else 0  # exact, as Avg sums it
        ),
    }
    for name in LEVEL_COUNTS:
        row[name] = int(valid and getattr(steps, name))
    is_open = case.state not in FINAL_STATES
    row["open"] = int(is_open)
    row["flagged_open"] = int(is_open and case.flagged)
    row["escalated_open"] = int(is_open and case.level == "street")
    return row


def difference(after: Mapping[str, int], before: Mapping[str, int]) -> dict[str, int]:
    """after − before, field by field (zeros left out)."""
    diff = {k: after.get(k, 0) - before.get(k, 0) for k in FIELDS}
    return {k: v for k, v in diff.items() if v}


def add(total: dict[str, int], part: Mapping[str, int]) -> None:
    for k, v in part.items():
        total[k] = total.get(k, 0) + v


# The open cases by deadline (`CaseDueRollup`): what one case adds to the row of its place
# and the local day its resolution is due. "Unresolved" are the states of `Case.is_overdue`'s
# open and not yet resolved cases (those of the partial index `case_open_deadline`).
UNRESOLVED_STATES = frozenset({"submitted", "accepted", "dispatched", "in_progress"})
DUE_FIELDS = ("open", "unresolved", "flagged_open", "escalated_open")


def due_contribution(state: str, flagged: bool, level: str) -> dict[str, int]:
    """What a case in `state` adds to its deadline's row."""
    is_open = state not in FINAL_STATES
    return {
        "open": int(is_open),
        "unresolved": int(state in UNRESOLVED_STATES),
        "flagged_open": int(is_open and flagged),
        "escalated_open": int(is_open and level == "street"),
    }
