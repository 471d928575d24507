"""The matching engine: optimal on small instances (against brute force), never below greedy
on larger ones, capacities and quantities always hold, explicit scores respected."""

import itertools
import json
import random
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from genxi.cobuild.domain.matching import MatchingError, Need, Pair, Resource, greedy, solve
from genxi.cobuild.domain.problem import solve_problem


def brute_force(needs, resources, pairs) -> float:
    """Try every integral allocation of every pair (tiny instances only)."""
    quantity = {n.id: n.quantity for n in needs}
    capacity = {r.id: r.capacity for r in resources}
    ranges = [range(min(quantity[p.need], capacity[p.resource]) + 1) for p in pairs]
    best = 0.0
    for amounts in itertools.product(*ranges):
        used_n, used_r = dict.fromkeys(quantity, 0), dict.fromkeys(capacity, 0)
        for p, a in zip(pairs, amounts, strict=True):
            used_n[p.need] += a
            used_r[p.resource] += a
        if all(used_n[k] <= quantity[k] for k in quantity) and all(
            used_r[k] <= capacity[k] for k in capacity
        ):
            best = max(best, sum(p.score * a for p, a in zip(pairs, amounts, strict=True)))
    return best


def _holds(result, needs, resources, pairs):
    allowed = {(p.need, p.resource) for p in pairs if p.score > 0}
    for n in needs:
        assert sum(a.quantity for a in result.assignments if a.need == n.id) <= n.quantity
    for r in resources:
        assert sum(a.quantity for a in result.assignments if a.resource == r.id) <= r.capacity
    for a in result.assignments:
        assert (a.need, a.resource) in allowed and a.quantity > 0


@st.composite
def instances(draw, max_needs=3, max_resources=3, max_amount=3, max_pairs=5):
    needs = [
        Need(f"n{i}", draw(st.integers(0, max_amount)))
        for i in range(draw(st.integers(1, max_needs)))
    ]
    resources = [
        Resource(f"r{j}", draw(st.integers(0, max_amount)))
        for j in range(draw(st.integers(1, max_resources)))
    ]
    combos = [(n.id, r.id) for n in needs for r in resources]
    chosen = draw(
        st.lists(st.sampled_from(combos), unique=True, max_size=min(max_pairs, len(combos)))
    )
    pairs = [Pair(n, r, draw(st.floats(0.01, 1.0))) for n, r in chosen]
    return needs, resources, pairs


@settings(max_examples=150, deadline=None)
@given(instances())
def test_optimal_on_small_instances(instance):
    needs, resources, pairs = instance
    result = solve(needs, resources, pairs)
    _holds(result, needs, resources, pairs)
    assert result.total == pytest.approx(brute_force(needs, resources, pairs), abs=1e-4)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000))
def test_never_below_greedy_on_larger_instances(seed):
    rng = random.Random(seed)
    needs = [Need(f"n{i}", rng.randint(0, 20)) for i in range(60)]
    resources = [Resource(f"r{j}", rng.randint(0, 30)) for j in range(40)]
    pairs = [
        Pair(n.id, r.id, round(rng.random(), 3)) for n in needs for r in rng.sample(resources, 6)
    ]
    best, quick = solve(needs, resources, pairs), greedy(needs, resources, pairs)
    _holds(best, needs, resources, pairs)
    _holds(quick, needs, resources, pairs)
    assert best.total >= quick.total - 1e-6


def test_greedy_can_be_beaten():
    """The classic case where taking the best pair first loses."""
    needs = [Need("a", 1), Need("b", 1)]
    resources = [Resource("x", 1), Resource("y", 1)]
    pairs = [Pair("a", "x", 1.0), Pair("a", "y", 0.9), Pair("b", "x", 0.9)]
    assert greedy(needs, resources, pairs).total == pytest.approx(1.0)
    assert solve(needs, resources, pairs).total == pytest.approx(1.8)


def test_explicit_scores_replace_the_scorer():
    problem = {
        "needs": [{"id": "n1", "quantity": 2, "category": "legal", "text": "法律咨询"}],
        "resources": [
            {"id": "r1", "capacity": 5, "categories": ["medical"]},
            {"id": "r2", "capacity": 5, "categories": ["legal"]},
        ],
        "scores": [{"need": "n1", "resource": "r1", "score": 0.9}],
    }
    result = solve_problem(problem).as_dict()
    assert result == {
        "assignments": [{"need": "n1", "resource": "r1", "quantity": 2, "score": 0.9}],
        "total": 1.8,
    }


def test_scorer_respects_category_radius_time_and_explains():
    problem = {
        "needs": [
            {
                "id": "n1",
                "quantity": 10,
                "category": "volunteers",
                "text": "周末助老志愿服务",
                "lat": 31.32,
                "lon": 120.59,
                "start": "2026-12-05",
                "end": "2026-12-06",
            }
        ],
        "resources": [
            {
                "id": "near",
                "capacity": 6,
                "categories": ["volunteers"],
                "text": "助老志愿者",
                "lat": 31.321,
                "lon": 120.59,
                "radius_m": 3000,
                "start": "2026-12-01",
                "end": "2026-12-31",
            },
            {
                "id": "far",
                "capacity": 10,
                "categories": ["volunteers"],
                "lat": 31.5,
                "lon": 120.9,
                "radius_m": 1000,
            },
            {
                "id": "later",
                "capacity": 10,
                "categories": ["volunteers"],
                "start": "2027-01-01",
                "end": "2027-01-31",
            },
            {"id": "other", "capacity": 10, "categories": ["funds"]},
        ],
    }
    result = solve_problem(problem)
    assert [(a.resource, a.quantity) for a in result.assignments] == [("near", 6)]
    parts = result.assignments[0].parts
    assert set(parts) == {"category", "text", "distance", "time"} and parts["text"] > 0


@pytest.mark.parametrize(
    ("problem", "message"),
    [
        ({"needs": []}, '"needs" and "resources"'),
        ({"needs": [{"id": "n", "quantity": 1.5}], "resources": []}, "needs[0].quantity"),
        ({"needs": [{"quantity": 1}], "resources": []}, "needs[0]: id"),
        (
            {
                "needs": [{"id": "n", "quantity": 1}],
                "resources": [],
                "scores": [{"need": "n", "resource": "x", "score": 1}],
            },
            "unknown resource",
        ),
        ({"needs": [{"id": "n", "quantity": 1, "start": "tomorrow"}], "resources": []}, "ISO date"),
    ],
)
def test_bad_problems_say_what_is_wrong(problem, message):
    with pytest.raises(MatchingError) as err:
        solve_problem(problem)
    assert message in str(err.value)


def test_command(tmp_path):
    path = tmp_path / "problem.json"
    path.write_text(
        json.dumps(
            {
                "needs": [{"id": "a", "quantity": 1}, {"id": "b", "quantity": 1}],
                "resources": [{"id": "x", "capacity": 1}, {"id": "y", "capacity": 1}],
                "scores": [
                    {"need": "a", "resource": "x", "score": 1.0},
                    {"need": "a", "resource": "y", "score": 0.9},
                    {"need": "b", "resource": "x", "score": 0.9},
                ],
            }
        )
    )
    out = StringIO()
    call_command("match", "--input", str(path), stdout=out)
    answer = json.loads(out.getvalue())
    assert answer["total"] == pytest.approx(1.8)
    assert sorted((a["need"], a["resource"]) for a in answer["assignments"]) == [
        ("a", "y"),
        ("b", "x"),
    ]
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(CommandError):
        call_command("match", "--input", str(bad))


def _random_infos(rng, n_needs, n_resources):
    from datetime import date, timedelta

    from genxi.cobuild.domain.scoring import NeedInfo, ResourceInfo

    kinds = ["volunteers", "legal", "venue"]

    def place():  # some without a place at all
        if rng.random() < 0.15:
            return None, None
        return 31.30 + rng.random() * 0.03, 120.57 + rng.random() * 0.03

    def window():
        if rng.random() < 0.2:
            return None, None
        first = date(2026, 1, 1) + timedelta(days=rng.randint(0, 200))
        return first, first + timedelta(days=rng.randint(5, 60))

    needs = [
        NeedInfo(f"n{i}", rng.randint(1, 9), rng.choice(kinds), "助老志愿", *place(), *window())
        for i in range(n_needs)
    ]
    resources = [
        ResourceInfo(
            f"r{j}",
            rng.randint(0, 12),
            frozenset(rng.sample(kinds, rng.randint(1, 2))),
            "志愿服务",
            *place(),
            rng.choice([None, 400.0, 900.0, 1500.0]),
            *window(),
        )
        for j in range(n_resources)
    ]
    return needs, resources


@pytest.mark.parametrize("seed", range(5))
def test_tree_candidates_equal_every_pair_checked(seed):
    """The k-d tree finds exactly the pairs a check of every (need, resource) pair finds."""
    import math

    from genxi.cobuild.domain.scoring import score_matrix

    needs, resources = _random_infos(random.Random(seed), 60, 40)

    def workable(n, r):
        if r.capacity <= 0 or n.category not in r.categories:
            return False
        if r.radius_m and None not in (r.lat, r.lon, n.lat, n.lon):
            p1, p2 = math.radians(n.lat), math.radians(r.lat)
            a = (
                math.sin((p2 - p1) / 2) ** 2
                + math.cos(p1) * math.cos(p2) * math.sin(math.radians(r.lon - n.lon) / 2) ** 2
            )
            if 2 * 6_371_000 * math.asin(math.sqrt(a)) > r.radius_m:
                return False
        if None not in (n.start, n.end, r.start, r.end):
            return min(n.end, r.end) >= max(n.start, r.start)
        return True

    expected = {(n.id, r.id) for n in needs for r in resources if workable(n, r)}
    scored = score_matrix(needs, resources)
    found = [
        (needs[a].id, resources[b].id)
        for a, b in zip(scored.need_index, scored.resource_index, strict=True)
    ]
    assert len(found) == len(set(found)) and set(found) == expected
    assert expected  # the instance is not empty


@pytest.mark.parametrize("seed", range(5))
def test_columnar_solve_and_greedy_equal_the_pair_versions(seed):
    from genxi.cobuild.domain.scoring import score_matrix

    infos_n, infos_r = _random_infos(random.Random(100 + seed), 80, 50)
    scored = score_matrix(infos_n, infos_r)
    pairs = scored.to_pairs()
    needs = [Need(n.id, n.quantity) for n in infos_n]
    resources = [Resource(r.id, r.capacity) for r in infos_r]
    assert scored.solve().total == pytest.approx(solve(needs, resources, pairs).total)
    assert scored.greedy().total == pytest.approx(greedy(needs, resources, pairs).total)
    _holds(scored.solve(), needs, resources, pairs)
    turned_down = {(pairs[0].need, pairs[0].resource)}
    assert len(scored.without(turned_down)) == len(scored) - 1
