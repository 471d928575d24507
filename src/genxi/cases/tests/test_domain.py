"""The loop, SLA arithmetic, routing pieces: plain pytest and hypothesis, no database."""

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from genxi.cases.domain import sla
from genxi.cases.domain.handlers import Rule, pick
from genxi.cases.domain.places import building_key, distance_m
from genxi.cases.domain.states import (
    FINAL,
    Actor,
    Facts,
    Level,
    Rating,
    State,
    TransitionError,
    available,
    check,
    level_after,
    level_holds,
)
from genxi.cases.domain.text import similarity

ALL_ACTORS = frozenset(Actor)
FIELDS = {
    "reason": "原因说明",
    "master": "M",
    "handler": "H",
    "days": 3,
    "result": "已处理",
    "rating": Rating.UNSATISFIED,
    "note": "协办情况",
}


def test_happy_path():
    s = State.SUBMITTED
    for action, actor in [
        ("accept", Actor.DISPATCHER),
        ("dispatch", Actor.DISPATCHER),
        ("take", Actor.HANDLER),
        ("resolve", Actor.HANDLER),
        ("verify", Actor.DISPATCHER),
    ]:
        s = check(s, action, {actor}, FIELDS)
    assert s == State.VERIFIED
    with pytest.raises(TransitionError) as err:
        check(s, "close", {Actor.DISPATCHER}, {}, Facts())
    assert err.value.code == "no_rating"
    assert check(s, "close", {Actor.DISPATCHER}, {}, Facts(rating="satisfied")) == State.CLOSED


def test_refusals_say_why():
    with pytest.raises(TransitionError) as err:
        check(State.SUBMITTED, "take", {Actor.HANDLER}, {})
    assert err.value.code == "wrong_state"
    with pytest.raises(TransitionError) as err:
        check(State.SUBMITTED, "accept", {Actor.HANDLER}, {})
    assert err.value.code == "not_allowed"
    with pytest.raises(TransitionError) as err:
        check(State.SUBMITTED, "reject", {Actor.DISPATCHER}, {})
    assert err.value.code == "missing_fields" and err.value.params["fields"] == "reason"
    with pytest.raises(TransitionError) as err:
        check(State.VERIFIED, "rate", {Actor.REPORTER}, {"rating": "great"})
    assert err.value.code == "bad_rating"


def test_reopen_only_unsatisfied_within_30_days():
    closed = datetime(2026, 1, 1, 10, tzinfo=sla.SHANGHAI)
    ok = Facts(rating="unsatisfied", closed_at=closed, now=closed + timedelta(days=29))
    assert check(State.CLOSED, "reopen", {Actor.SUPERVISOR}, FIELDS, ok) == State.DISPATCHED
    edge = Facts(rating="unsatisfied", closed_at=closed, now=closed + timedelta(days=30))
    assert check(State.CLOSED, "reopen", {Actor.SUPERVISOR}, FIELDS, edge) == State.DISPATCHED
    late = Facts(rating="unsatisfied", closed_at=closed, now=closed + timedelta(days=31))
    with pytest.raises(TransitionError):
        check(State.CLOSED, "reopen", {Actor.SUPERVISOR}, FIELDS, late)
    happy = Facts(rating="satisfied", closed_at=closed, now=closed + timedelta(days=1))
    with pytest.raises(TransitionError):
        check(State.CLOSED, "reopen", {Actor.SUPERVISOR}, FIELDS, happy)


# The loop written out by hand, state by state, from its rules (GB/T 30428 as the docs tell
# it): a report is accepted, rejected with a reason, or merged into another case; an accepted
# case is dispatched to a handler; the handler takes it or returns it with a reason, and once
# working may ask for more days (one request at a time, which a supervisor approves) and
# resolves it with a result; a dispatcher or supervisor verifies the result or sends it back
# with a reason; the reporter or a dispatcher rates it, and a rated case is closed. A closed
# case is reopened only by a supervisor, only when the rating was 不满意, only within 30
# days. Rejected and merged cases never change. A supervisor may flag (督办) any open case.
# Deliberately not derived from `TRANSITIONS`: the machine is checked against this.
D, H, SV, R = Actor.DISPATCHER, Actor.HANDLER, Actor.SUPERVISOR, Actor.REPORTER
AS, SY = Actor.ASSISTANT, Actor.SYSTEM
# Each state's actions: action -> (next state, who may, fields to give, condition on facts).
LOOP: dict[State, dict[str, tuple[State, set[Actor], set[str], str]]] = {
    State.SUBMITTED: {
        # the system: intake routing a case whose category the model is sure of
        "accept": (State.ACCEPTED, {D, SY}, set(), ""),
        "reject": (State.REJECTED, {D}, {"reason"}, ""),
        "merge": (State.MERGED, {D}, {"master"}, ""),
    },
    State.ACCEPTED: {
        # the system: a rule acting for the street (an overdue rectification notice)
        "dispatch": (State.DISPATCHED, {D, SY}, {"handler"}, ""),
    },
    State.DISPATCHED: {
        "transfer": (State.DISPATCHED, {D, SV}, {"handler"}, ""),
        "take": (State.IN_PROGRESS, {H}, set(), ""),
        "return": (State.ACCEPTED, {H}, {"reason"}, ""),
    },
    State.IN_PROGRESS: {
        "return": (State.ACCEPTED, {H}, {"reason"}, ""),
        "request_extension": (State.IN_PROGRESS, {H}, {"days", "reason"}, "no pending"),
        "approve_extension": (State.IN_PROGRESS, {SV}, set(), "pending"),
        "resolve": (State.RESOLVED, {H}, {"result"}, ""),
    },
    State.RESOLVED: {
        "verify": (State.VERIFIED, {D, SV}, set(), ""),
        "send_back": (State.DISPATCHED, {D, SV}, {"reason"}, ""),
    },
    State.VERIFIED: {
        "rate": (State.VERIFIED, {R, D}, {"rating"}, ""),
        "close": (State.CLOSED, {D, SV}, set(), "rated"),
    },
    State.CLOSED: {
        "reopen": (State.DISPATCHED, {SV}, {"reason"}, "unsatisfied within 30 days"),
    },
    State.REJECTED: {},
    State.MERGED: {},
}
for _open in (s for s in State if s not in (State.CLOSED, State.REJECTED, State.MERGED)):
    LOOP[_open]["flag"] = (_open, {SV}, set(), "")
# 吹哨报到: below the street a dispatcher (community staff) or the handler (a grid worker)
# sends an open, unresolved case up to the street with a reason; the street sends an
# undispatched case back down with a reason; an assistant reports its part while the lead
# works on it. None of these changes who may act otherwise.
for _open in (State.SUBMITTED, State.ACCEPTED, State.DISPATCHED, State.IN_PROGRESS):
    LOOP[_open]["escalate"] = (State.ACCEPTED, {D, H, SY}, {"reason"}, "below street")
LOOP[State.ACCEPTED]["send_down"] = (State.ACCEPTED, {D}, {"reason"}, "at street")
for _working in (State.DISPATCHED, State.IN_PROGRESS):
    LOOP[_working]["assist_done"] = (_working, {AS}, {"note"}, "")
# Why a condition refuses, as `check()` names it.
REFUSALS = {
    "pending": {"no_pending_extension"},
    "no pending": {"extension_pending"},
    "rated": {"no_rating"},
    "unsatisfied within 30 days": {"not_unsatisfied", "reopen_window"},
    "below street": {"already_street"},
    "at street": {"not_street"},
}
UNKNOWN = ("submit", "fly")  # a word the loop uses but no transition, and nonsense
# Days passing before each step: mostly none, often around the 30-day reopen window's edge.
DAYS = st.sampled_from([0, 0, 0, 1, 29, 30, 31, 61])
ACTIONS = sorted({a for actions in LOOP.values() for a in actions} | set(UNKNOWN))


class LoopMachine(RuleBasedStateMachine):
    """Random (action, part) sequences: `check()` and the hand-written LOOP above agree."""

    def __init__(self):
        super().__init__()
        self.state = State.SUBMITTED
        self.rating = ""
        self.closed_at: datetime | None = None
        self.pending = False
        self.level = Level.COMMUNITY
        self.now = datetime(2026, 3, 2, 9, tzinfo=sla.SHANGHAI)

    def facts(self) -> Facts:
        return Facts(
            rating=self.rating,
            closed_at=self.closed_at,
            pending_extension=self.pending,
            now=self.now,
            level=self.level,
        )

    def condition_holds(self, condition: str) -> bool:
        return {
            "": True,
            "pending": self.pending,
            "no pending": not self.pending,
            "rated": bool(self.rating),
            "unsatisfied within 30 days": self.rating == "unsatisfied"
            and self.closed_at is not None
            and self.now - self.closed_at <= timedelta(days=30),
            "below street": self.level != Level.STREET,
            "at street": self.level == Level.STREET,
        }[condition]

    def expect(self, action: str, actors: set[Actor], given: dict) -> tuple[State | None, set]:
        """The model's answer: (next state, no reasons) or (None, the reasons it may give)."""
        if action in UNKNOWN:
            return None, {"unknown_action"}
        if action not in LOOP[self.state]:
            return None, {"wrong_state"}
        target, parts, needs, condition = LOOP[self.state][action]
        if not actors & parts:
            return None, {"not_allowed"}
        if any(given.get(name) in (None, "") for name in needs):
            return None, {"missing_fields"}
        if action == "rate" and given["rating"] not in {"satisfied", "basically", "unsatisfied"}:
            return None, {"bad_rating"}
        if not self.condition_holds(condition):
            return None, REFUSALS[condition]
        return target, set()

    def step(self, action, actors, given, days):
        self.now += timedelta(days=days)
        before = self.state
        expected, why = self.expect(action, actors, given)
        try:
            after = check(self.state, action, actors, given, self.facts())
        except TransitionError as exc:
            assert expected is None, f"{action} by {actors} from {before} was refused: {exc.code}"
            assert exc.code in why
            return
        assert expected is not None, f"{action} by {actors} from {before} should be refused"
        assert after == expected
        if before in FINAL:
            assert (before, action) == (State.CLOSED, "reopen"), "final states stay final"
        self.state = after
        if action == "rate":
            self.rating = given["rating"]
        elif action == "close":
            self.closed_at = self.now
        elif action == "reopen":
            self.rating, self.closed_at = "", None
        elif action == "request_extension":
            self.pending = True
        elif action == "approve_extension":
            self.pending = False
        self.level = level_after(action, self.level)

    @rule(
        action=st.sampled_from(ACTIONS),
        actors=st.sets(st.sampled_from(list(Actor)), max_size=2),
        given=st.one_of(
            st.just(FIELDS),
            st.dictionaries(
                st.sampled_from(sorted(FIELDS)),
                st.sampled_from(["", "x", "great", *Rating]),
            ),
        ),
        days=DAYS,
    )
    def anything(self, action, actors, given, days):
        """Any action by any parts with any fields: mostly refusals."""
        self.step(action, actors, given, days)

    @rule(data=st.data(), rating=st.sampled_from(list(Rating)), days=DAYS)
    def along_the_loop(self, data, rating, days):
        """An action the model says this state offers, by one of its parts: goes deep."""
        offered = sorted(LOOP[self.state])
        if not offered:
            return
        action = data.draw(st.sampled_from(offered))
        part = data.draw(st.sampled_from(sorted(LOOP[self.state][action][1])))
        self.step(action, {part}, dict(FIELDS, rating=rating), days)

    @rule(rating=st.sampled_from(list(Rating)), days=DAYS)
    def forward(self, rating, days):
        """The next step of the happy path (then reopen), so runs reach the far states."""
        action = {
            State.SUBMITTED: "accept",
            State.ACCEPTED: "dispatch",
            State.DISPATCHED: "take",
            State.IN_PROGRESS: "resolve",
            State.RESOLVED: "verify",
            State.VERIFIED: "close" if self.rating else "rate",
            State.CLOSED: "reopen",
        }.get(self.state)
        if action:
            part = sorted(LOOP[self.state][action][1])[0]
            self.step(action, {part}, dict(FIELDS, rating=rating), days)

    @invariant()
    def available_matches_the_model(self):
        for part in Actor:
            expected = {
                action
                for action, (_, parts, _, condition) in LOOP[self.state].items()
                if part in parts and self.condition_holds(condition)
            }
            assert set(available(self.state, {part}, self.facts())) == expected

    @invariant()
    def final_states_offer_nothing_but_reopen(self):
        if self.state in FINAL:
            facts = Facts(rating="unsatisfied", closed_at=self.now, now=self.now)
            assert set(available(self.state, ALL_ACTORS, facts)) <= {"reopen"}


TestLoopMachine = LoopMachine.TestCase


# Levels (吹哨报到) ----------------------------------------------------------------------------

HANDOVER_ACTIONS = ["dispatch", "transfer", "escalate", "send_down", "return", "take", "resolve"]


@given(
    level=st.sampled_from(list(Level)),
    action=st.sampled_from(HANDOVER_ACTIONS),
    to_grid=st.booleans(),
)
def test_levels_move_one_step_along_the_chain(level, action, to_grid):
    """Escalating always reaches the street and sending down the community; nothing else
    moves a street case; below the street a dispatch lands on the grid exactly when the
    handler works one, and a return goes back up to the community."""
    after = level_after(action, level, to_grid=to_grid)
    if action == "escalate":
        assert after == Level.STREET
    elif action == "send_down":
        assert after == Level.COMMUNITY
    elif level == Level.STREET:
        assert after == Level.STREET
    elif action in ("dispatch", "transfer"):
        assert after == (Level.GRID if to_grid else Level.COMMUNITY)
    elif action == "return":
        assert after == Level.COMMUNITY
    else:
        assert after == level


@given(
    gaps=st.lists(st.tuples(st.integers(0, 10_000), st.sampled_from(list(Level))), max_size=8),
    tail=st.integers(0, 10_000),
)
def test_level_holds_add_up_to_the_whole_time(gaps, tail):
    """The time each level held a case adds up to the time from receipt to the end, and a
    level that never held it for a moment is not named."""
    start = datetime(2026, 3, 2, 9, tzinfo=sla.SHANGHAI)
    moves, when = [], start
    for minutes, to in gaps:
        when += timedelta(minutes=minutes)
        moves.append((when, str(to)))
    end = when + timedelta(minutes=tail)
    held = level_holds(start, moves, end)
    assert sum(held.values(), timedelta()) == end - start
    assert all(v > timedelta() for v in held.values())


def test_escalation_refusals_say_why():
    street = Facts(level=Level.STREET)
    with pytest.raises(TransitionError) as err:
        check(State.ACCEPTED, "escalate", {Actor.DISPATCHER}, FIELDS, street)
    assert err.value.code == "already_street"
    with pytest.raises(TransitionError) as err:
        check(State.ACCEPTED, "send_down", {Actor.DISPATCHER}, FIELDS, Facts())
    assert err.value.code == "not_street"
    with pytest.raises(TransitionError) as err:
        check(State.DISPATCHED, "assist_done", {Actor.ASSISTANT}, {"note": ""})
    assert err.value.code == "missing_fields"
    assert check(State.IN_PROGRESS, "escalate", {Actor.HANDLER}, FIELDS) == State.ACCEPTED
    assert check(State.ACCEPTED, "send_down", {Actor.DISPATCHER}, FIELDS, street) == (
        State.ACCEPTED
    )


TestLoopMachine.settings = hsettings(max_examples=200, stateful_step_count=40, deadline=None)


# SLA --------------------------------------------------------------------------------------

CAL = sla.WorkCalendar(
    holidays=frozenset({date(2026, 10, 1), date(2026, 10, 2), date(2026, 10, 5)}),
    workdays=frozenset({date(2026, 10, 10)}),  # a Saturday worked
)


def at(*args):
    return datetime(*args, tzinfo=sla.SHANGHAI)


def test_hours_skip_nights_weekends_and_holidays():
    assert CAL.add_hours(at(2026, 9, 28, 9), 4) == at(2026, 9, 28, 13)
    assert CAL.add_hours(at(2026, 9, 28, 16), 4) == at(2026, 9, 29, 11)
    # Wednesday 30 Sep 16:30 + 4 h: 1 h that day, then 1, 2 Oct are holidays, 3-4 weekend,
    # 5 Oct holiday: the remaining 3 h fall on Tuesday 6 Oct.
    assert CAL.add_hours(at(2026, 9, 30, 16, 30), 4) == at(2026, 10, 6, 11, 30)
    assert CAL.add_hours(at(2026, 10, 10, 8), 1) == at(2026, 10, 10, 9, 30)  # make-up day


def test_days_and_hours_between():
    assert CAL.add_days(at(2026, 9, 29, 10), 2) == at(2026, 10, 6, 17, 30)
    assert CAL.working_hours_between(at(2026, 9, 28, 9), at(2026, 9, 29, 9)) == 9.0
    d = sla.deadlines(CAL, at(2026, 9, 28, 9), response_hours=4, resolve_days=3, urgency="urgent")
    assert d.respond_by == at(2026, 9, 28, 11) and d.resolve_by < at(2026, 9, 30, 9)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        CAL.add_hours(datetime(2026, 1, 1), 1)


# Places and handlers ----------------------------------------------------------------------


def test_addresses_come_down_to_their_building():
    assert building_key("苏州市姑苏区 彩香新村 25 号楼") == "彩香新村25幢"
    assert building_key("彩香新村25栋2单元301室") == "彩香新村25幢"


def test_distance_and_similarity():
    assert 100 < distance_m(31.32, 120.59, 31.321, 120.59) < 115
    assert similarity("楼道堆放杂物", "楼道里堆放了杂物") > 0.3
    assert similarity("楼道堆放杂物", "路灯不亮") == 0


def test_most_specific_rule_wins():
    rules = [
        Rule(1, "", "/a/", "street-default"),
        Rule(2, "PROP", "/a/", "property"),
        Rule(3, "", "/a/b/", "community-default"),
        Rule(4, "PROP.01", "/a/", "lift-company"),
    ]
    assert pick(rules, "PROP.02", "/a/x/") == rules[1]
    assert pick(rules, "PROP.01", "/a/x/") == rules[3]
    assert pick(rules, "PROP.01", "/a/b/c/") == rules[2]
    assert pick(rules, "ENV", "/z/") is None
