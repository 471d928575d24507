"""The roll-up through the party tree (domain/rollup.py): a property test that each
organisation's total equals the direct sum over its subtree, whatever the tree."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from genxi.partylife.domain.rollup import Figures, descendants, roll_up, study_minutes

figures = st.builds(
    Figures,
    members=st.integers(0, 50),
    sessions_held=st.integers(0, 20),
    present=st.integers(0, 100),
    recorded=st.integers(0, 100),
    study_minutes=st.integers(0, 10_000),
    reflections=st.integers(0, 30),
    practice_outputs=st.integers(0, 5),
)


@st.composite
def trees(draw):
    """A forest of up to 30 organisations: each one's parent is an earlier one, or none."""
    n = draw(st.integers(1, 30))
    parents = {0: None}
    for node in range(1, n):
        parents[node] = draw(st.one_of(st.none(), st.integers(0, node - 1)))
    own = {node: draw(figures) for node in parents if draw(st.booleans())}
    return parents, own


@given(trees())
def test_rollups_equal_the_direct_sums_over_each_subtree(tree):
    parents, own = tree
    totals = roll_up(parents, own)
    for node in parents:
        direct = Figures()
        for other in descendants(parents, node):
            direct = direct + own.get(other, Figures())
        assert totals[node] == direct


@given(trees())
def test_the_roots_hold_everything(tree):
    parents, own = tree
    totals = roll_up(parents, own)
    everything = sum((own.get(n, Figures()) for n in parents), Figures())
    roots = sum((totals[n] for n, p in parents.items() if p is None), Figures())
    assert roots == everything


def test_a_parent_out_of_sight_makes_a_root():
    totals = roll_up({2: 1, 3: 2}, {2: Figures(members=1), 3: Figures(members=2)})
    assert totals == {2: Figures(members=3), 3: Figures(members=2)}


def test_a_cycle_is_refused():
    with pytest.raises(ValueError):
        roll_up({1: 2, 2: 1}, {})


def test_rates_and_hours():
    assert Figures().attendance_rate is None
    assert Figures(present=2, recorded=3).attendance_rate == 66.7
    assert Figures(study_minutes=135).study_hours == 2.2
    assert study_minutes([90, 60], [30]) == 180
