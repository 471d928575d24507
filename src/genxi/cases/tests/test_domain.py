"""The loop, SLA arithmetic, routing pieces: plain pytest and hypothesis, no database."""

from datetime import date, datetime, timedelta

import pytest
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from genxi.cases.domain import sla
from genxi.cases.domain.handlers import Rule, pick
from genxi.cases.domain.places import AddressIndex, building_key, distance_m, normalise
from genxi.cases.domain.states import (
    FINAL,
    TRANSITIONS,
    Actor,
    Facts,
    Rating,
    State,
    TransitionError,
    available,
    check,
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
    late = Facts(rating="unsatisfied", closed_at=closed, now=closed + timedelta(days=31))
    with pytest.raises(TransitionError):
        check(State.CLOSED, "reopen", {Actor.SUPERVISOR}, FIELDS, late)
    happy = Facts(rating="satisfied", closed_at=closed, now=closed + timedelta(days=1))
    with pytest.raises(TransitionError):
        check(State.CLOSED, "reopen", {Actor.SUPERVISOR}, FIELDS, happy)


class LoopMachine(RuleBasedStateMachine):
    """Random sequences of actions by random actors: the model and the machine agree."""

    def __init__(self):
        super().__init__()
        self.state = State.SUBMITTED
        self.history = [("submit", None, State.SUBMITTED)]
        self.facts = {"rating": "", "closed_at": None, "pending": False}
        self.now = datetime(2026, 3, 2, 9, tzinfo=sla.SHANGHAI)
        self.counters = {"returns": 0, "extensions": 0, "reworks": 0}

    @rule(
        action=st.sampled_from(sorted(TRANSITIONS)),
        actors=st.sets(st.sampled_from(list(Actor)), max_size=2),
        rating=st.sampled_from(list(Rating)),
        days=st.integers(0, 40),
    )  # noqa: E501
    def act(self, action, actors, rating, days):
        self.now += timedelta(days=days)
        facts = Facts(
            rating=self.facts["rating"],
            closed_at=self.facts["closed_at"],
            pending_extension=self.facts["pending"],
            now=self.now,
        )
        t = TRANSITIONS[action]
        given = dict(FIELDS, rating=rating)
        allowed = (
            self.state in t.sources
            and bool(set(actors) & t.actors)
            and (t.guard is None or t.guard(facts) is None)
        )
        before = self.state
        try:
            after = check(self.state, action, actors, given, facts)
        except TransitionError:
            assert not allowed
            return
        assert allowed, f"{action} by {actors} from {before} should have been refused"
        if before == State.CLOSED:
            assert action == "reopen", "a closed case changes only by reopening"
        self.state = after
        self.history.append((action, before, after))
        if t.counter:
            self.counters[t.counter] += 1
        if action == "rate":
            self.facts["rating"] = rating
        if action == "close":
            self.facts["closed_at"] = self.now
        if action == "reopen":
            self.facts.update(rating="", closed_at=None)
        if action == "request_extension":
            self.facts["pending"] = True
        if action == "approve_extension":
            self.facts["pending"] = False

    @invariant()
    def history_is_a_chain(self):
        for (_, _, prev_after), (_, before, _) in zip(self.history, self.history[1:], strict=False):
            assert before == prev_after
        assert self.history[-1][2] == self.state

    @invariant()
    def final_states_offer_nothing_but_reopen(self):
        if self.state in FINAL:
            offered = set(
                available(
                    self.state,
                    ALL_ACTORS,
                    Facts(rating="unsatisfied", closed_at=self.now, now=self.now),
                )
            )
            assert offered <= {"reopen"}

    @precondition(lambda self: self.state == State.MERGED)
    @rule()
    def merged_is_final(self):
        assert available(self.state, ALL_ACTORS) == []


TestLoopMachine = LoopMachine.TestCase
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


def test_addresses_tolerate_small_differences():
    index = AddressIndex([("彩香新村25幢", 1), ("彩香新村26幢", 2), ("三元一村3幢", 3)])
    assert normalise("苏州市姑苏区 彩香新村 25 号楼") == "彩香新村25幢"
    assert building_key("彩香新村25栋2单元301室") == "彩香新村25幢"
    assert index.match("彩香新村25栋301室").grid == 1
    assert index.match("彩香新邨26幢").grid == 2  # a variant character
    assert index.match("三元一村二十幢") is None
    assert index.match("完全不相干的地方8幢") is None


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
