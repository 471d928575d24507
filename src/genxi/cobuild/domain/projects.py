"""The life of a project: tiers and the steps from proposal to done.

A street project (街道项目) and a community sub-project (社区子项目) are set up by staff and
start 筹备中. A micro-project (微项目) starts as a proposal (待决定) from a resident or a
pioneer; the community decides: approve (with a budget) → 筹备中, or decline (with a
reason) → 未采纳, which is final. From 筹备中 every tier runs the same way:
筹备中 → 实施中 → 已完成 (and back from 实施中 to 筹备中 when it stalls).
"""

from __future__ import annotations

from dataclasses import dataclass

STREET, COMMUNITY, MICRO = "street", "community", "micro"
TIERS = (STREET, COMMUNITY, MICRO)

PROPOSED, DECLINED = "proposed", "declined"
PLANNING, ACTIVE, DONE = "planning", "active", "done"
STATES = (PROPOSED, DECLINED, PLANNING, ACTIVE, DONE)
FINAL = frozenset({DECLINED, DONE})
RUNNING = (PLANNING, ACTIVE, DONE)


@dataclass(frozen=True)
class Step:
    sources: frozenset[str]
    target: str
    needs: tuple[str, ...] = ()  # what the step requires: "budget", "reason", "summary"


STEPS: dict[str, Step] = {
    "approve": Step(frozenset({PROPOSED}), PLANNING, ("budget",)),
    "decline": Step(frozenset({PROPOSED}), DECLINED, ("reason",)),
    "start": Step(frozenset({PLANNING}), ACTIVE),
    "pause": Step(frozenset({ACTIVE}), PLANNING),
    "finish": Step(frozenset({ACTIVE}), DONE, ("summary",)),
}


class StepError(Exception):
    """A step that is not allowed; `field` names what is missing, if that is why."""

    def __init__(self, message: str, field: str = "status"):
        super().__init__(message)
        self.field = field


def check(
    state: str, action: str, *, budget: int | None = None, reason: str = "", summary: str = ""
) -> str:
    """The state after `action`, or StepError saying why not."""
    step = STEPS.get(action)
    if step is None:
        raise StepError("unknown")
    if state not in step.sources:
        raise StepError("state")
    if "budget" in step.needs and (budget is None or budget < 0):
        raise StepError("budget", "budget")
    if "reason" in step.needs and not reason.strip():
        raise StepError("reason", "reason")
    if "summary" in step.needs and not summary.strip():
        raise StepError("summary", "summary")
    return step.target


def available(state: str) -> list[str]:
    """The steps that may be taken from `state`, in the order a page offers them."""
    return [name for name, step in STEPS.items() if state in step.sources]


def first_state(tier: str, proposed: bool) -> str:
    """Where a new project starts: a micro-project proposal waits for the decision."""
    if tier not in TIERS:
        raise StepError("tier", "tier")
    return PROPOSED if tier == MICRO and proposed else PLANNING


def parent_tier_ok(tier: str, parent_tier: str | None) -> bool:
    """A community sub-project may sit under a street project; a micro-project may sit
    under a street or community project; a street project has no parent."""
    if parent_tier is None:
        return True
    if tier == STREET:
        return False
    if tier == COMMUNITY:
        return parent_tier == STREET
    return parent_tier in (STREET, COMMUNITY)


def progress_of(milestones_done: int, milestones: int) -> int:
    """Per cent of milestones done (0 with none)."""
    if milestones <= 0:
        return 0
    return round(100 * milestones_done / milestones)
