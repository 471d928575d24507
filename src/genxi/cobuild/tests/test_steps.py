"""The steps of a claim and of a joint meeting (cobuild.domain.steps): pure, so the rules
are checked for every state and action, not only the ones a page happens to post."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from genxi.cobuild.domain.steps import (
    CLAIM_FINAL,
    CLAIM_TRANSITIONS,
    STEP_KEYS,
    ClaimAction,
    ClaimState,
    IllegalStep,
    MeetingAction,
    MeetingState,
    StepMark,
    claim_actions,
    claim_next,
    meeting_allows,
    meeting_started,
    meeting_steps,
)
from genxi.cobuild.models import ClaimStatus, MeetingStatus

states = st.sampled_from(list(ClaimState))
actions = st.sampled_from(list(ClaimAction))


def test_the_model_s_states_are_the_domain_s():
    assert set(ClaimStatus.values) == {s.value for s in ClaimState}
    assert set(MeetingStatus.values) == {s.value for s in MeetingState}


@given(states, actions)
def test_a_step_is_taken_only_where_the_table_has_it(state, action):
    if (state, action) in CLAIM_TRANSITIONS:
        assert claim_next(state, action) == CLAIM_TRANSITIONS[(state, action)]
        assert action in claim_actions(state)
    else:
        with pytest.raises(IllegalStep):
            claim_next(state, action)
        assert action not in claim_actions(state)


@given(st.lists(actions, max_size=8), st.sampled_from([ClaimState.PENDING, ClaimState.PROPOSED]))
def test_any_run_of_actions_ends_in_a_reachable_state_and_final_states_stay(run, start):
    state = start
    for action in run:
        try:
            after = claim_next(state, action)
        except IllegalStep:
            continue
        assert state not in CLAIM_FINAL  # nothing leaves a final state
        state = after
    assert state in {start, ClaimState.APPROVED, *CLAIM_FINAL}


def test_a_proposal_is_the_unit_s_to_answer_and_a_claim_the_community_s():
    assert claim_actions(ClaimState.PROPOSED) == {ClaimAction.CONFIRM, ClaimAction.DECLINE}
    assert claim_actions(ClaimState.PENDING) == {ClaimAction.APPROVE, ClaimAction.REJECT}
    # Both sides agreed: a confirmed proposal is approved, never waits for an approval.
    assert claim_next("proposed", "confirm") == ClaimState.APPROVED
    assert claim_next("proposed", "decline") == ClaimState.DECLINED
    with pytest.raises(IllegalStep):
        claim_next("proposed", "approve")  # the community does not approve its own proposal
    with pytest.raises(IllegalStep):
        claim_next("nonsense", "approve")


NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


def test_a_meeting_is_started_from_its_start_time():
    assert meeting_started(NOW, NOW) and meeting_started(NOW - timedelta(minutes=1), NOW)
    assert not meeting_started(NOW + timedelta(minutes=1), NOW)


@given(st.sampled_from(list(MeetingState)), st.booleans())
def test_minutes_and_resolutions_go_together_and_only_once_started(state, started):
    allowed = meeting_allows(state, started)
    at_meeting = {MeetingAction.RECORD, MeetingAction.RESOLUTION}
    held_or_under_way = state == MeetingState.HELD or (state == MeetingState.SCHEDULED and started)
    assert (at_meeting <= allowed) == held_or_under_way
    assert not (at_meeting & allowed) or at_meeting <= allowed  # never one without the other
    if state == MeetingState.CANCELLED:
        assert not allowed
    if state == MeetingState.HELD:  # held: no more preparing, no calling it off
        assert allowed == at_meeting
    if state == MeetingState.SCHEDULED and not started:
        assert not (at_meeting & allowed) and MeetingAction.AGENDA in allowed


def _marks(*args):
    return [s.mark for s in meeting_steps(*args)]


def test_the_stepper_shows_where_the_meeting_is():
    D, C, T = StepMark.DONE, StepMark.CURRENT, StepMark.TODO
    assert [s.key for s in meeting_steps("scheduled", False, 0, 0)] == list(STEP_KEYS)
    assert _marks("scheduled", False, 0, 0) == [C, T, T, T, T]
    assert _marks("scheduled", True, 0, 0) == [D, D, C, T, T]  # minutes and attendance next
    assert _marks("scheduled", True, 1, 1) == [D, D, C, D, T]  # resolved before the minutes
    assert _marks("held", True, 0, 0) == [D, D, D, C, T]
    assert _marks("held", True, 2, 1) == [D, D, D, D, C]  # action items being carried out
    assert _marks("held", True, 2, 0) == [D, D, D, D, D]
    assert _marks("cancelled", False, 0, 0) == [T] * 5


@given(st.sampled_from(list(MeetingState)), st.booleans(), st.integers(0, 5), st.integers(0, 5))
def test_at_most_one_step_is_current(state, started, resolutions, unfinished):
    marks = _marks(state, started, resolutions, min(unfinished, resolutions))
    assert marks.count(StepMark.CURRENT) <= 1
    if StepMark.CURRENT in marks:  # everything before the current step is done
        assert all(m == StepMark.DONE for m in marks[: marks.index(StepMark.CURRENT)])
