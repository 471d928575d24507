"""The closed loop of a resident's request (GB/T 30428): states, transitions, guards.

Pure Python. `check()` says whether an action may happen and what state follows; the
service layer locks the case, calls it, and writes the history.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any


class State(StrEnum):
    SUBMITTED = "submitted"  # 已上报
    ACCEPTED = "accepted"  # 已受理
    REJECTED = "rejected"  # 不予受理
    MERGED = "merged"  # 已合并
    DISPATCHED = "dispatched"  # 已派遣
    IN_PROGRESS = "in_progress"  # 处置中
    RESOLVED = "resolved"  # 已办结
    VERIFIED = "verified"  # 已核查
    CLOSED = "closed"  # 已结案


FINAL = frozenset({State.REJECTED, State.MERGED, State.CLOSED})
OPEN = frozenset(State) - FINAL


class Actor(StrEnum):
    """The part a person plays for one case (derived from their roles and the case)."""

    DISPATCHER = "dispatcher"  # community worker or street admin over the case's place
    HANDLER = "handler"  # the person the case is dispatched to
    SUPERVISOR = "supervisor"  # street admin over the case's place
    REPORTER = "reporter"  # the resident, through the tracking code
    ASSISTANT = "assistant"  # 协办: a unit or department assisting the lead, not yet done
    SYSTEM = "system"


class Level(StrEnum):
    """The level that holds a case (吹哨报到): a grid (dispatched to its grid worker), the
    community (accepting, dispatching to its own staff), or the street (escalated: it
    dispatches to departments and units). Departments and units hold it for the street."""

    GRID = "grid"  # 网格
    COMMUNITY = "community"  # 社区
    STREET = "street"  # 街道


# Where each hand-over sends a case: escalate goes up to the street, send_down back to the
# community; a grid worker's return goes back up to the community; a department's return
# stays with the street (the chain it came down, one level up).
HANDOVERS = frozenset(
    {"dispatch", "transfer", "escalate", "send_down", "return", "resolve", "send_back", "reopen"}
)


def level_holds(
    start: datetime, moves: Iterable[tuple[datetime, str]], end: datetime
) -> dict[Level, timedelta]:
    """How long each level held a case received at `start` (by the community) until `end`,
    given its moves (when, to which level) in order."""
    held: dict[Level, timedelta] = {}
    level, since = Level.COMMUNITY, start
    for when, to in [*moves, (end, "")]:
        if when > since:
            held[level] = held.get(level, timedelta()) + (when - since)
            since = when
        if to:
            level = Level(to)
    return held


def level_after(action: str, level: Level, *, to_grid: bool = False) -> Level:
    """The level holding a case after `action` (`to_grid`: the new handler works a grid)."""
    if action == "escalate":
        return Level.STREET
    if action == "send_down":
        return Level.COMMUNITY
    if level == Level.STREET:
        return level
    if action in ("dispatch", "transfer"):
        return Level.GRID if to_grid else Level.COMMUNITY
    if action == "return":
        return Level.COMMUNITY
    return level


class Rating(StrEnum):
    SATISFIED = "satisfied"  # 满意
    BASICALLY = "basically"  # 基本满意
    UNSATISFIED = "unsatisfied"  # 不满意


REOPEN_WINDOW = timedelta(days=30)


@dataclass(frozen=True)
class Facts:
    """What the guards need to know about a case, besides its state."""

    rating: str = ""
    closed_at: datetime | None = None
    pending_extension: bool = False
    now: datetime | None = None
    level: str = Level.COMMUNITY


class TransitionError(Exception):
    """An action that may not happen now. `code` names why; `params` fill the message."""

    def __init__(self, code: str, **params: str) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[State]
    target: State | None  # None: the state does not change
    actors: frozenset[Actor]
    required: tuple[str, ...] = ()
    counter: str | None = None  # which count the action adds to
    guard: Callable[[Facts], str | None] | None = field(default=None, compare=False)


def _needs_rating(facts: Facts) -> str | None:
    return None if facts.rating else "no_rating"


def _reopenable(facts: Facts) -> str | None:
    if facts.rating != Rating.UNSATISFIED:
        return "not_unsatisfied"
    if facts.closed_at is None or facts.now is None or facts.now - facts.closed_at > REOPEN_WINDOW:
        return "reopen_window"
    return None


def _has_pending_extension(facts: Facts) -> str | None:
    return None if facts.pending_extension else "no_pending_extension"


def _no_pending_extension(facts: Facts) -> str | None:
    return "extension_pending" if facts.pending_extension else None


def _below_street(facts: Facts) -> str | None:
    return "already_street" if facts.level == Level.STREET else None


def _at_street(facts: Facts) -> str | None:
    return None if facts.level == Level.STREET else "not_street"


def _t(
    action: str,
    sources: Iterable[State],
    target: State | None,
    actors: Iterable[Actor],
    required: Iterable[str] = (),
    counter: str | None = None,
    guard: Callable[[Facts], str | None] | None = None,
) -> Transition:
    return Transition(
        action,
        frozenset(sources),
        target,
        frozenset(actors),
        tuple(required),
        counter,
        guard,
    )


S, A = State, Actor
TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        # SYSTEM: intake routing a case whose category the model is sure of (services).
        _t("accept", [S.SUBMITTED], S.ACCEPTED, [A.DISPATCHER, A.SYSTEM]),
        _t("reject", [S.SUBMITTED], S.REJECTED, [A.DISPATCHER], ["reason"]),
        _t("merge", [S.SUBMITTED], S.MERGED, [A.DISPATCHER], ["master"]),
        # SYSTEM: a rule acting for the street (an overdue rectification notice goes up
        # and to the department on its round), never a person.
        _t("dispatch", [S.ACCEPTED], S.DISPATCHED, [A.DISPATCHER, A.SYSTEM], ["handler"]),
        _t("transfer", [S.DISPATCHED], S.DISPATCHED, [A.DISPATCHER, A.SUPERVISOR], ["handler"]),
        _t("take", [S.DISPATCHED], S.IN_PROGRESS, [A.HANDLER]),
        _t(
            "return",
            [S.DISPATCHED, S.IN_PROGRESS],
            S.ACCEPTED,
            [A.HANDLER],
            ["reason"],
            counter="returns",
        ),
        _t(
            "request_extension",
            [S.IN_PROGRESS],
            None,
            [A.HANDLER],
            ["days", "reason"],
            guard=_no_pending_extension,
        ),
        _t(
            "approve_extension",
            [S.IN_PROGRESS],
            None,
            [A.SUPERVISOR],
            counter="extensions",
            guard=_has_pending_extension,
        ),
        _t("resolve", [S.IN_PROGRESS], S.RESOLVED, [A.HANDLER], ["result"]),
        _t("verify", [S.RESOLVED], S.VERIFIED, [A.DISPATCHER, A.SUPERVISOR]),
        _t(
            "send_back",
            [S.RESOLVED],
            S.DISPATCHED,
            [A.DISPATCHER, A.SUPERVISOR],
            ["reason"],
            counter="reworks",
        ),
        _t("rate", [S.VERIFIED], None, [A.REPORTER, A.DISPATCHER], ["rating"]),
        _t("close", [S.VERIFIED], S.CLOSED, [A.DISPATCHER, A.SUPERVISOR], guard=_needs_rating),
        _t("reopen", [S.CLOSED], S.DISPATCHED, [A.SUPERVISOR], ["reason"], guard=_reopenable),
        _t("flag", OPEN, None, [A.SUPERVISOR]),
        # 吹哨报到: a community (or its grid worker) sends up what it cannot solve; the
        # street sends back down what is the community's own; an assistant reports its part.
        _t(
            "escalate",
            [S.SUBMITTED, S.ACCEPTED, S.DISPATCHED, S.IN_PROGRESS],
            S.ACCEPTED,
            [A.DISPATCHER, A.HANDLER, A.SYSTEM],
            ["reason"],
            counter="escalations",
            guard=_below_street,
        ),
        _t("send_down", [S.ACCEPTED], S.ACCEPTED, [A.DISPATCHER], ["reason"], guard=_at_street),
        _t("assist_done", [S.DISPATCHED, S.IN_PROGRESS], None, [A.ASSISTANT], ["note"]),
    ]
}


def check(
    state: State,
    action: str,
    actors: set[Actor] | frozenset[Actor],
    given: Mapping[str, Any],
    facts: Facts = Facts(),
) -> State:
    """Return the state after `action`, or raise TransitionError saying why it cannot happen."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise TransitionError("unknown_action", action=action)
    if state not in transition.sources:
        raise TransitionError("wrong_state", action=action, state=str(state))
    if not (set(actors) & transition.actors):
        raise TransitionError("not_allowed", action=action)
    missing = [name for name in transition.required if given.get(name) in (None, "", [])]
    if missing:
        raise TransitionError("missing_fields", fields=",".join(missing))
    if action == "rate" and given["rating"] not in set(Rating):
        raise TransitionError("bad_rating", rating=str(given["rating"]))
    if transition.guard is not None:
        reason = transition.guard(facts)
        if reason:
            raise TransitionError(reason, action=action)
    return transition.target or state


def available(
    state: State, actors: set[Actor] | frozenset[Actor], facts: Facts = Facts()
) -> list[str]:
    """The actions these actors may take now (ignoring fields they still have to give)."""
    result = []
    for t in TRANSITIONS.values():
        permitted = state in t.sources and set(actors) & t.actors
        if permitted and (t.guard is None or not t.guard(facts)):
            result.append(t.action)
    return result
