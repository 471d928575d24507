"""The waiting list, pure: who gets a place when one registers, and who moves up when a
place is given back. A registration is a (sequence number, status) pair; the sequence
number is the order of arrival within the event."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Status = Literal["registered", "waitlisted", "cancelled"]
REGISTERED: Status = "registered"
WAITLISTED: Status = "waitlisted"
CANCELLED: Status = "cancelled"


@dataclass(frozen=True)
class Entry:
    seq: int
    status: Status


def taken(entries: Sequence[Entry]) -> int:
    return sum(1 for e in entries if e.status == REGISTERED)


def admit(entries: Sequence[Entry], capacity: int) -> Status:
    """The status of a newcomer: a place while any is left, the waiting list after."""
    return REGISTERED if taken(entries) < capacity else WAITLISTED


def position(entries: Sequence[Entry], seq: int) -> int | None:
    """1-based place on the waiting list of the entry `seq`, None when it is not waiting."""
    waiting = sorted(e.seq for e in entries if e.status == WAITLISTED)
    return waiting.index(seq) + 1 if seq in waiting else None


def promote(entries: Sequence[Entry], capacity: int) -> list[int]:
    """The sequence numbers that move up from the waiting list, in order, to fill the free
    places (after a cancellation, exactly the next one; after raising the capacity, as many
    as fit)."""
    free = max(capacity - taken(entries), 0)
    waiting = sorted(e.seq for e in entries if e.status == WAITLISTED)
    return waiting[:free]
