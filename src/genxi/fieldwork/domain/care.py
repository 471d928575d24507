"""Care rounds for the vulnerable: when a resident's next round is due, and who is warned
when it is missed.

A resident with a care tag is due a round every `every_days` days after the last one (or
after being tagged, for the first). The round may be made on any day up to its due date;
from the morning after, it is missed: that morning the grid's workers are warned, and the
morning after that the community's staff as well."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta

GRID, COMMUNITY = "grid", "community"

# A round every 7 days for the elderly living alone, unless a community sets otherwise;
# the other tags have no rounds until their community sets a frequency.
DEFAULT_EVERY_DAYS: Mapping[str, int] = {"elderly_alone": 7}


def every_days(tags: Iterable[str], rules: Mapping[str, int]) -> int | None:
    """The shortest frequency among the resident's tags (0 in `rules` turns a tag off);
    None when no tag asks for rounds."""
    found = [rules[t] for t in tags if rules.get(t)]
    return min(found) if found else None


def due_date(last: date | None, since: date, every: int) -> date:
    """The day by which the next round must be made."""
    return (last or since) + timedelta(days=every)


def days_missed(due: date, today: date) -> int:
    """How many days the round is late (0: not missed)."""
    return max((today - due).days, 0)


def warn_levels(due: date, today: date) -> list[str]:
    """Who should have been warned about a round due on `due`, as of `today` (morning)."""
    late = days_missed(due, today)
    if late >= 2:
        return [GRID, COMMUNITY]
    if late == 1:
        return [GRID]
    return []
