"""The weighted assessment, pure: against a hand computation, and its properties."""

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from genxi.cadres.domain.assessment import (
    Dimension,
    Scheme,
    SchemeError,
    default_scheme,
    rank,
    weighted_result,
)

D = Decimal


def small_scheme():
    return Scheme(
        dimensions=(
            Dimension("overall", "总体", "overall", D(50)),
            Dimension("a", "能力一", "core", D(30)),
            Dimension("b", "补充", "extra", D(20)),
        ),
        scorers={"self": D(10), "peer": D(30), "resident": D(20), "leader": D(40)},
    )


def test_against_a_hand_computation():
    scheme = small_scheme()
    scores = {
        ("self", "overall"): D(90), ("peer", "overall"): D(80),
        ("resident", "overall"): D(70), ("leader", "overall"): D(85),
        ("self", "a"): D(100), ("peer", "a"): D(60),
        ("resident", "a"): D(75), ("leader", "a"): D(90),
        ("self", "b"): D(95), ("peer", "b"): D(88),
        ("resident", "b"): D(92), ("leader", "b"): D(70),
    }  # fmt: skip
    # overall: (10·90 + 30·80 + 20·70 + 40·85) / 100 = (900+2400+1400+3400)/100 = 81
    # a:       (10·100 + 30·60 + 20·75 + 40·90) / 100 = (1000+1800+1500+3600)/100 = 79
    # b:       (10·95 + 30·88 + 20·92 + 40·70) / 100 = (950+2640+1840+2800)/100 = 82.3
    # total:   (50·81 + 30·79 + 20·82.3) / 100 = (4050+2370+1646)/100 = 80.66
    result = weighted_result(scheme, scores)
    assert result.by_dimension == {"overall": D("81.00"), "a": D("79.00"), "b": D("82.30")}
    assert result.total == D("80.66") and result.complete


def test_a_missing_scorer_group_is_left_out_not_counted_as_zero():
    scheme = small_scheme()
    scores = {("peer", "overall"): D(80), ("leader", "overall"): D(90)}
    # overall: (30·80 + 40·90) / 70 = 6000/70 = 85.714…; the other dimensions unscored
    result = weighted_result(scheme, scores)
    assert result.total == D("85.71") and not result.complete


def test_nothing_scored_has_no_total():
    assert weighted_result(small_scheme(), {}).total is None


def test_the_default_is_one_three_two_and_weighs_100():
    scheme = default_scheme()
    groups = [d.group for d in scheme.dimensions]
    assert (groups.count("overall"), groups.count("core"), groups.count("extra")) == (1, 3, 2)
    assert sum(d.weight for d in scheme.dimensions) == 100
    assert sum(scheme.scorers.values()) == 100
    scheme.check()


def test_a_scheme_that_weighs_nothing_is_refused():
    bad = Scheme(dimensions=(Dimension("a", "甲", "core", D(0)),), scorers={"peer": D(1)})
    try:
        bad.check()
    except SchemeError as exc:
        assert exc.field == "dimensions"
    else:
        raise AssertionError("accepted")


def test_ranks_share_ties_and_unscored_come_last():
    ranked = rank({1: D(80), 2: D(90), 3: D(80), 4: None, 5: D(70)})
    assert [(r.key, r.rank) for r in ranked] == [(2, 1), (1, 2), (3, 2), (5, 4), (4, None)]


scores_st = st.decimals(min_value=0, max_value=100, places=2)
weights_st = st.decimals(min_value=1, max_value=100, places=1)
factor_st = st.decimals(min_value=D("0.1"), max_value=1000, places=1)
# A shared machine can be slow to draw a scheme; the property does not depend on speed.
patient = settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)


@st.composite
def cases(draw):
    n = draw(st.integers(min_value=1, max_value=6))
    dims = tuple(Dimension(f"d{i}", f"维度{i}", "core", draw(weights_st)) for i in range(n))
    kinds = ("self", "peer", "resident", "leader")
    scorers = {k: draw(weights_st) for k in kinds}
    scores = {(k, d.key): draw(scores_st) for d in dims for k in kinds}
    return Scheme(dimensions=dims, scorers=scorers), scores


@patient
@given(cases(), factor_st)
def test_scaling_every_weight_changes_nothing(case, factor):
    scheme, scores = case
    scaled = Scheme(
        dimensions=tuple(
            Dimension(d.key, d.name, d.group, d.weight * factor) for d in scheme.dimensions
        ),
        scorers={k: w * factor for k, w in scheme.scorers.items()},
    )
    assert weighted_result(scaled, scores) == weighted_result(scheme, scores)


@patient
@given(cases())
def test_the_result_lies_between_the_lowest_and_highest_score(case):
    scheme, scores = case
    total = weighted_result(scheme, scores).total
    assert min(scores.values()) - D("0.01") <= total <= max(scores.values()) + D("0.01")


@patient
@given(cases(), scores_st)
def test_equal_scores_everywhere_give_that_score(case, value):
    scheme, scores = case
    same = dict.fromkeys(scores, value)
    assert weighted_result(scheme, same).total == value.quantize(D("0.01"))


@patient
@given(st.dictionaries(st.integers(0, 50), st.one_of(st.none(), scores_st), max_size=20))
def test_a_ranking_is_ordered_and_counts_those_ahead(totals):
    ranked = rank(totals)
    scored = [r for r in ranked if r.total is not None]
    assert [r.total for r in scored] == sorted((r.total for r in scored), reverse=True)
    for r in scored:
        assert r.rank == 1 + sum(1 for o in scored if o.total > r.total)
    assert len(ranked) == len(totals)
