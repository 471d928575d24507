"""The pure rules of inspections: what an answer means, when a rectification notice is due,
what its number reads, which notice states lead where, and when a notice is escalated.

No Django here: the services and selectors call these with plain values."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum


class Result(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    NA = "na"


class NoticeState(StrEnum):
    OPEN = "open"  # issued, waiting for the re-inspection
    CLOSED = "closed"  # fixed: the re-inspection passed
    ESCALATED = "escalated"  # not fixed by the deadline: a case in the request loop


# action → (the states it leaves, the state it reaches)
TRANSITIONS: dict[str, tuple[frozenset[NoticeState], NoticeState]] = {
    "close": (frozenset({NoticeState.OPEN}), NoticeState.CLOSED),
    "escalate": (frozenset({NoticeState.OPEN}), NoticeState.ESCALATED),
}


class NoticeTransitionError(ValueError):
    pass


def next_state(state: str, action: str) -> NoticeState:
    """The state a notice in `state` reaches by `action`, or NoticeTransitionError."""
    if action not in TRANSITIONS:
        raise NoticeTransitionError(f"unknown action {action!r}")
    sources, target = TRANSITIONS[action]
    if NoticeState(state) not in sources:
        raise NoticeTransitionError(f"{action} is not allowed from {state}")
    return target


def is_due_for_escalation(state: str, due_at: datetime, now: datetime) -> bool:
    """An open notice is escalated from the moment its deadline is reached (inclusive)."""
    return NoticeState(state) == NoticeState.OPEN and now >= due_at


def notice_number(street_name: str, year: int, seq: int) -> str:
    """The printed number of a notice: "黄桥街道整改〔2026〕3号"."""
    if seq < 1:
        raise ValueError("a notice's sequence starts at 1")
    return f"{street_name}整改〔{year}〕{seq}号"


@dataclass(frozen=True)
class Finding:
    """One answered item: its result, and whether it was put right on the spot."""

    result: str
    fixed_on_spot: bool = False


def failures(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.result == Result.FAIL]


def needs_notice(findings: Iterable[Finding]) -> bool:
    """A notice is due when an item failed and was not put right on the spot."""
    return any(f.result == Result.FAIL and not f.fixed_on_spot for f in findings)


def pass_rate(passed: int, failed: int) -> float | None:
    """Passed over the items answered pass or fail (not-applicable left out); None if none."""
    answered = passed + failed
    if answered == 0:
        return None
    return passed / answered


class Overall(StrEnum):
    GOOD = "good"  # at most one problem per two targets
    FAIR = "fair"  # up to one problem per target
    POOR = "poor"  # more


def overall(targets_done: int, problems: int) -> Overall:
    """The round's overall verdict from its figures (总体情况较好 / 一般 / 问题较多)."""
    if problems * 2 <= targets_done:
        return Overall.GOOD
    if problems <= targets_done:
        return Overall.FAIR
    return Overall.POOR


def gaps(numbers: Sequence[int]) -> list[int]:
    """The sequence numbers missing from 1..max(numbers) (for checks and tests)."""
    present = set(numbers)
    return [n for n in range(1, max(present, default=0) + 1) if n not in present]


def round_phase(closed: bool, starts_on: date, ends_on: date, today: date) -> str:
    """Where a round stands: "done" once its street closed it, else by its dates —
    "planned" before its first day, "running" up to its last, "overdue" after it (to be
    closed)."""
    if closed:
        return "done"
    if today < starts_on:
        return "planned"
    return "running" if today <= ends_on else "overdue"
