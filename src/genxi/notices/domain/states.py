"""The steps of a notice: draft → submitted → published (by a second person) or returned
with a reason (→ submitted again); published → withdrawn. A published notice past its last
day reads as expired (not a stored state: the date decides). Pure Python."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class State(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"


class TransitionError(Exception):
    """Why a step may not be taken (the message is a key, the service words it)."""


@dataclass(frozen=True)
class Step:
    sources: frozenset[State]
    target: State
    needs_reason: bool = False
    not_by_author: bool = False


STEPS: dict[str, Step] = {
    "submit": Step(frozenset({State.DRAFT, State.RETURNED}), State.SUBMITTED),
    "approve": Step(frozenset({State.SUBMITTED}), State.PUBLISHED, not_by_author=True),
    "return": Step(frozenset({State.SUBMITTED}), State.RETURNED, needs_reason=True),
    "withdraw": Step(
        frozenset({State.DRAFT, State.SUBMITTED, State.RETURNED, State.PUBLISHED}),
        State.WITHDRAWN,
    ),
}

EDITABLE = frozenset({State.DRAFT, State.RETURNED})


def check(state: State, action: str, *, by_author: bool, reason: str = "") -> State:
    """The state after `action`, or a TransitionError saying why not."""
    step = STEPS.get(action)
    if step is None:
        raise TransitionError("unknown")
    if state not in step.sources:
        raise TransitionError("state")
    if step.not_by_author and by_author:
        raise TransitionError("author")
    if step.needs_reason and not reason.strip():
        raise TransitionError("reason")
    return step.target


def available(state: State, *, by_author: bool) -> list[str]:
    """The steps the viewer may take now (a reason is asked for on the page)."""
    return [
        name
        for name, step in STEPS.items()
        if state in step.sources and not (step.not_by_author and by_author)
    ]
