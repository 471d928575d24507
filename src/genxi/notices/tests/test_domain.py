"""The steps of a notice, as a state machine (hypothesis): nothing is published without a
submission and an approval by someone other than the author; a return needs a reason."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from genxi.notices.domain.states import STEPS, State, TransitionError, available, check

ACTIONS = [*STEPS, "publish"]


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])  # a busy machine
@given(
    st.lists(
        st.tuples(st.sampled_from(ACTIONS), st.booleans(), st.sampled_from(["", "理由"])),
        max_size=12,
    )
)
def test_published_only_through_an_approval_not_by_the_author(moves):
    state = State.DRAFT
    for action, by_author, reason in moves:
        try:
            after = check(state, action, by_author=by_author, reason=reason)
        except TransitionError:
            assert action not in available(state, by_author=by_author) or (
                action == "return" and not reason
            )
            continue
        assert action in available(state, by_author=by_author)
        if after == State.PUBLISHED:
            assert state == State.SUBMITTED and action == "approve" and not by_author
        if action == "return":
            assert reason
        state = after


def test_a_withdrawn_notice_stays_withdrawn():
    assert available(State.WITHDRAWN, by_author=False) == []
