"""Small-count suppression (domain/suppression.py): no suppressed cell can be worked out
from what is published — checked by linear algebra on the published equations."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from genxi.transparency.domain.suppression import suppress


def determined(cells, rows, columns, hidden, totals):
    """The hidden cells whose value the published totals fix (a unit vector in the row
    space of the totals' equations over the hidden cells)."""
    if not totals or not hidden:
        return set()
    unknowns = sorted(hidden, key=repr)
    index = {x: i for i, x in enumerate(unknowns)}
    equations = []
    for r in rows:
        equations.append([1 if x[0] == r else 0 for x in unknowns])
    for c in columns:
        equations.append([1 if x[1] == c else 0 for x in unknowns])
    a = np.array(equations, dtype=float)
    rank = np.linalg.matrix_rank(a)
    found = set()
    for x in unknowns:
        e = np.zeros(len(unknowns))
        e[index[x]] = 1
        if np.linalg.matrix_rank(np.vstack([a, e])) == rank:
            found.add(x)
    return found


tables = st.integers(1, 6).flatmap(
    lambda n_rows: st.integers(1, 6).flatmap(
        lambda n_cols: st.lists(
            st.integers(0, 30) | st.integers(0, 6),
            min_size=n_rows * n_cols,
            max_size=n_rows * n_cols,
        ).map(lambda v: (n_rows, n_cols, v))
    )
)


@settings(max_examples=300, deadline=None)
@given(tables, st.integers(1, 10))
def test_no_suppressed_cell_is_determined(table, threshold):
    n_rows, n_cols, values = table
    rows, columns = list(range(n_rows)), [f"c{i}" for i in range(n_cols)]
    cells = {
        (r, c): values[i * n_cols + j] for i, r in enumerate(rows) for j, c in enumerate(columns)
    }
    out = suppress(cells, rows, columns, threshold)
    assert out.primary == {x for x, v in cells.items() if 0 < v < threshold}
    assert out.primary <= out.cells
    assert not determined(cells, rows, columns, out.cells, out.totals)
    if not out.primary:
        assert out.cells == frozenset() and out.totals


def test_a_lone_small_cell_takes_a_rectangle_with_it():
    cells = {
        ("a", "x"): 3,
        ("a", "y"): 10,
        ("b", "x"): 7,
        ("b", "y"): 8,
        ("c", "x"): 20,
        ("c", "y"): 30,
    }
    out = suppress(cells, ["a", "b", "c"], ["x", "y"], 5)
    assert out.primary == {("a", "x")}
    assert out.cells == {("a", "x"), ("a", "y"), ("b", "x"), ("b", "y")}
    assert out.totals


def test_one_column_withholds_the_totals():
    out = suppress({("a", "x"): 2, ("b", "x"): 9}, ["a", "b"], ["x"], 5)
    assert out.cells == {("a", "x")} and not out.totals
