"""The pure rules: notice states, escalation at the deadline, numbers, the verdict."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from genxi.inspections.domain.rules import (
    Finding,
    NoticeState,
    NoticeTransitionError,
    Overall,
    gaps,
    is_due_for_escalation,
    needs_notice,
    next_state,
    notice_number,
    overall,
    pass_rate,
)

DUE = datetime(2026, 5, 1, tzinfo=UTC)


# A shared machine can be slow to draw even these small inputs.
RELAXED = settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)


@RELAXED
@given(st.lists(st.sampled_from(["close", "escalate", "reopen"]), max_size=6))
def test_a_notice_leaves_open_once_and_never_comes_back(actions):
    state = NoticeState.OPEN
    for action in actions:
        try:
            new = next_state(state, action)
        except NoticeTransitionError:
            continue
        assert state == NoticeState.OPEN and new != NoticeState.OPEN
        state = new


def test_escalation_is_due_exactly_at_the_deadline():
    assert not is_due_for_escalation("open", DUE, DUE - timedelta(microseconds=1))
    assert is_due_for_escalation("open", DUE, DUE)
    assert not is_due_for_escalation("closed", DUE, DUE + timedelta(days=1))


def test_notice_number_reads_as_printed():
    assert notice_number("黄桥街道", 2026, 3) == "黄桥街道整改〔2026〕3号"
    with pytest.raises(ValueError):
        notice_number("黄桥街道", 2026, 0)


@RELAXED
@given(st.lists(st.tuples(st.sampled_from(["pass", "fail", "na"]), st.booleans())))
def test_a_notice_is_due_only_for_a_failure_not_fixed_on_the_spot(pairs):
    findings = [Finding(r, f) for r, f in pairs]
    assert needs_notice(findings) == any(r == "fail" and not f for r, f in pairs)


def test_pass_rate_and_verdict():
    assert pass_rate(0, 0) is None and pass_rate(3, 1) == 0.75
    assert overall(5, 2) == Overall.GOOD and overall(5, 4) == Overall.FAIR
    assert overall(2, 5) == Overall.POOR


def test_gaps():
    assert gaps([1, 2, 4]) == [3] and gaps([]) == []


def test_a_rounds_phase_follows_its_dates_until_it_is_closed():
    from datetime import date

    from genxi.inspections.domain.rules import round_phase

    starts, ends = date(2026, 11, 22), date(2026, 11, 25)
    cases = {
        date(2026, 11, 21): "planned",
        starts: "running",
        ends: "running",
        date(2026, 11, 26): "overdue",
    }
    for today, phase in cases.items():
        assert round_phase(False, starts, ends, today) == phase, today
        assert round_phase(True, starts, ends, today) == "done"
