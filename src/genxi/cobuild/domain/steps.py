"""The steps of a claim and of a joint meeting: which action may happen in which state.

Pure Python. The services lock the row, ask `claim_next()` / `meeting_allows()`, and write;
the pages ask the same functions which buttons to show, so a page never offers a step the
service would refuse.

A claim (认领) starts in one of two ways: a unit's liaison claims (待审核, the community
approves or rejects), or a community's staff propose a suggested match to the unit
(待单位确认, the unit's liaison confirms or declines). Both sides having agreed, the claim
is approved; the unit (or the community) then records the delivery.

A meeting (联席会) is prepared until it starts (agenda, invitations), is held from its start
time on (minutes, attendance, resolutions), and its resolutions are then carried out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class ClaimState(StrEnum):
    PROPOSED = "proposed"  # 待单位确认: the community proposed a match to the unit
    PENDING = "pending"  # 待审核: the unit claimed, the community reviews
    APPROVED = "approved"  # 已通过
    REJECTED = "rejected"  # 未通过 (by the community, with a reason)
    DECLINED = "declined"  # 单位已谢绝 (by the unit, with a reason)
    DELIVERED = "delivered"  # 已交付


class ClaimAction(StrEnum):
    APPROVE = "approve"  # the community, on a unit's claim
    REJECT = "reject"  # the community, on a unit's claim
    CONFIRM = "confirm"  # the unit, on the community's proposal
    DECLINE = "decline"  # the unit, on the community's proposal
    DELIVER = "deliver"  # the unit or the community, once approved


CLAIM_TRANSITIONS: dict[tuple[ClaimState, ClaimAction], ClaimState] = {
    (ClaimState.PENDING, ClaimAction.APPROVE): ClaimState.APPROVED,
    (ClaimState.PENDING, ClaimAction.REJECT): ClaimState.REJECTED,
    (ClaimState.PROPOSED, ClaimAction.CONFIRM): ClaimState.APPROVED,
    (ClaimState.PROPOSED, ClaimAction.DECLINE): ClaimState.DECLINED,
    (ClaimState.APPROVED, ClaimAction.DELIVER): ClaimState.DELIVERED,
}
CLAIM_FINAL = frozenset({ClaimState.REJECTED, ClaimState.DECLINED, ClaimState.DELIVERED})
# The actions that need a reason the other side reads.
NEEDS_REASON = frozenset({ClaimAction.REJECT, ClaimAction.DECLINE})


class IllegalStep(Exception):
    """The action may not happen in this state."""


def claim_next(state: str, action: str) -> ClaimState:
    """The state after `action`, or IllegalStep."""
    try:
        return CLAIM_TRANSITIONS[(ClaimState(state), ClaimAction(action))]
    except (KeyError, ValueError) as exc:
        raise IllegalStep(f"{action} is not allowed on a {state} claim") from exc


def claim_actions(state: str) -> frozenset[ClaimAction]:
    return frozenset(a for (s, a) in CLAIM_TRANSITIONS if s == state)


# Meetings ----------------------------------------------------------------------------------


class MeetingState(StrEnum):
    SCHEDULED = "scheduled"  # 已安排
    HELD = "held"  # 已召开 (minutes and attendance saved)
    CANCELLED = "cancelled"  # 已取消


class MeetingAction(StrEnum):
    AGENDA = "agenda"  # add an item to the agenda
    INVITE = "invite"  # invite a residents' representative
    OPINION = "opinion"  # link a resident's opinion heard before the meeting
    CANCEL = "cancel"  # call the meeting off
    RECORD = "record"  # save the minutes and attendance (again, to correct them)
    RESOLUTION = "resolution"  # record a resolution (an action item)


def meeting_allows(state: str, started: bool) -> frozenset[MeetingAction]:
    """What may be done to a meeting in `state`, before or after its start time.

    Until the minutes are saved (已安排): the agenda, invitations, residents' opinions and
    calling it off; from its start time on, also the minutes with attendance and the
    resolutions — the meeting is being held. Once held (已召开), the minutes and attendance
    can be corrected and resolutions added. A cancelled meeting takes nothing."""
    preparing = {
        MeetingAction.AGENDA,
        MeetingAction.INVITE,
        MeetingAction.OPINION,
        MeetingAction.CANCEL,
    }
    at_meeting = {MeetingAction.RECORD, MeetingAction.RESOLUTION}
    match MeetingState(state):
        case MeetingState.SCHEDULED:
            return frozenset(preparing | at_meeting if started else preparing)
        case MeetingState.HELD:
            return frozenset(at_meeting)
        case _:
            return frozenset()


def meeting_started(starts_at: datetime, now: datetime) -> bool:
    return starts_at <= now


class StepMark(StrEnum):
    DONE = "done"
    CURRENT = "current"
    TODO = "todo"


@dataclass(frozen=True)
class Step:
    key: str  # prepare, convene, record, resolve, follow
    mark: StepMark


STEP_KEYS = ("prepare", "convene", "record", "resolve", "follow")


def meeting_steps(state: str, started: bool, resolutions: int, unfinished: int) -> tuple[Step, ...]:
    """The stepper of a meeting's page: 筹备 → 召开 → 纪要与签到 → 决议 → 落实. A step is
    done by what happened (started, minutes saved, a resolution recorded, every action item
    finished); the first step not done is the current one. A cancelled meeting has none."""
    if MeetingState(state) == MeetingState.CANCELLED:
        return tuple(Step(k, StepMark.TODO) for k in STEP_KEYS)
    held = MeetingState(state) == MeetingState.HELD
    done = {
        "prepare": started or held,
        "convene": started or held,
        "record": held,
        "resolve": resolutions > 0,
        "follow": resolutions > 0 and unfinished == 0 and held,
    }
    steps = []
    current_given = False
    for key in STEP_KEYS:
        if done[key]:
            steps.append(Step(key, StepMark.DONE))
        elif not current_given:
            steps.append(Step(key, StepMark.CURRENT))
            current_given = True
        else:
            steps.append(Step(key, StepMark.TODO))
    return tuple(steps)
