"""Evaluation against the street's standard: the default five-good set, the round
self → community → street, totals, rankings, and versioning: re-weighting makes a new
version and leaves scores given under the old one unchanged."""

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from hypothesis import given
from hypothesis import strategies as st

from genxi.cobuild import selectors, services
from genxi.cobuild.domain import evaluation as rules
from genxi.cobuild.models import Criterion, Evaluation, Score, Stage, Tier


@given(st.lists(st.tuples(st.integers(1, 100), st.integers(1, 5)), min_size=1, max_size=8))
def test_total_lies_between_20_and_100(pairs):
    total = rules.weighted_total(pairs)
    assert Decimal(20) <= total <= Decimal(100)


def test_default_set_is_five_criteria_adding_to_100():
    assert len(rules.DEFAULT_CRITERIA) == 5
    rules.check_weights([c.weight for c in rules.DEFAULT_CRITERIA])
    assert rules.weighted_total([(c.weight, 5) for c in rules.DEFAULT_CRITERIA]) == 100


def _project(world, community=None, title="助老食堂"):
    return services.project_create(
        actor=world.users["street"], community=community or world.a1, title=title, goal="助老"
    )


def _scores(evaluation, value=4):
    return [
        services.ScoreIn(
            criterion_id=c.pk, score=value, evidence="台账齐全", figure="服务 320 人次"
        )
        for c in Criterion.objects.filter(version=evaluation.version)
    ]


def _score_through(world, evaluation, values=(4, 4, 5), who=("community", "community", "street")):
    for role, value in zip(who, values, strict=True):
        evaluation = services.evaluation_score(
            actor=world.users[role], evaluation=evaluation, scores=_scores(evaluation, value)
        )
    return evaluation


def test_round_from_self_assessment_to_street_review(world):
    project = _project(world)
    evaluation = services.evaluation_start(
        actor=world.users["community"], project=project, period="2026年度"
    )
    assert evaluation.stage == Stage.SELF and evaluation.version.number == 1
    assert [c.name for c in evaluation.version.criteria.all()][0] == "需求对接好"
    evaluation = services.evaluation_score(
        actor=world.users["community"], evaluation=evaluation, scores=_scores(evaluation, 4)
    )
    assert (evaluation.stage, evaluation.total) == (Stage.COMMUNITY, Decimal("80.0"))
    evaluation = services.evaluation_score(
        actor=world.users["community"], evaluation=evaluation, scores=_scores(evaluation, 3)
    )
    assert evaluation.stage == Stage.STREET
    with pytest.raises(PermissionDenied):  # the street reviews, not the community
        services.evaluation_score(
            actor=world.users["community"], evaluation=evaluation, scores=_scores(evaluation)
        )
    evaluation = services.evaluation_score(
        actor=world.users["street"], evaluation=evaluation, scores=_scores(evaluation, 5)
    )
    assert (evaluation.stage, evaluation.total) == (Stage.DONE, Decimal("100.0"))
    assert Score.objects.filter(evaluation=evaluation).count() == 15


def test_a_missing_or_bad_score_names_its_criterion(world):
    evaluation = services.evaluation_start(
        actor=world.users["community"], project=_project(world), period="2026年度"
    )
    scores = _scores(evaluation)
    bad = services.ScoreIn(criterion_id=scores[1].criterion_id, score=6)
    with pytest.raises(ValidationError) as exc:
        services.evaluation_score(
            actor=world.users["community"], evaluation=evaluation, scores=[bad, *scores[2:]]
        )
    assert set(exc.value.message_dict) == {
        f"score_{scores[0].criterion_id}",
        f"score_{scores[1].criterion_id}",
    }
    assert not Score.objects.exists()


def test_reweighting_leaves_scores_given_unchanged(world):
    project = _project(world)
    old = _score_through(
        world,
        services.evaluation_start(actor=world.users["community"], project=project, period="2025"),
        values=(4, 4, 3),
    )
    before = (old.total, list(old.scores.values_list("criterion__weight", "score")))
    new_version = services.standard_reweight(
        actor=world.users["street"], street=world.street_a, weights=[40, 15, 15, 15, 15]
    )
    assert new_version.number == 2
    old.refresh_from_db()
    assert (old.total, list(old.scores.values_list("criterion__weight", "score"))) == before
    assert old.version.number == 1 and old.total == Decimal("60.0")
    later = services.evaluation_start(
        actor=world.users["community"], project=project, period="2026"
    )
    assert later.version == new_version
    assert [c.weight for c in later.version.criteria.all()] == [40, 15, 15, 15, 15]


def test_only_the_street_reweights_and_weights_add_up(world):
    with pytest.raises(PermissionDenied):
        services.standard_reweight(
            actor=world.users["community"], street=world.street_a, weights=[20] * 5
        )
    with pytest.raises(ValidationError) as exc:
        services.standard_reweight(
            actor=world.users["street"], street=world.street_a, weights=[30] * 5
        )
    assert "weights" in exc.value.message_dict


def test_rankings_per_tier_and_community(world):
    street = services.project_create(
        actor=world.users["street"],
        community=world.street_a,
        tier=Tier.STREET,
        title="海棠连心千家万户",
        goal="为民服务",
    )
    good, fair = _project(world, title="助老食堂"), _project(world, world.a2, "儿童之家")
    for project, values in ((good, (5, 5, 5)), (fair, (3, 3, 3))):
        _score_through(
            world,
            services.evaluation_start(actor=world.users["street"], project=project, period="2026"),
            values,
            who=("street", "street", "street"),
        )
    street_eval = services.evaluation_start(
        actor=world.users["street"], project=street, period="2026"
    )
    street_eval = services.evaluation_score(
        actor=world.users["street"], evaluation=street_eval, scores=_scores(street_eval, 4)
    )
    assert street_eval.stage == Stage.STREET  # a street project skips the community review
    ranking = selectors.ranking(user=world.users["street"], period="2026", tier=Tier.COMMUNITY)
    assert [e.project.title for e in ranking] == ["助老食堂", "儿童之家"]
    by_community = selectors.ranking_by_community(user=world.users["street"], period="2026")
    assert [(r["community"], r["projects"]) for r in by_community] == [
        ("彩香一村社区", 1),
        ("彩香二村社区", 1),
    ]
    # The community worker ranks what it sees.
    mine = selectors.ranking(user=world.users["community"], period="2026")
    assert [e.project.title for e in mine] == ["助老食堂"]
    assert Evaluation.objects.count() == 3


def test_stats_count_projects_per_tier(world):
    services.project_create(
        actor=world.users["street"],
        community=world.street_a,
        tier=Tier.STREET,
        title="街道",
        goal="x",
    )
    _project(world)
    services.micro_propose(actor=world.users["grid"], community=world.a1, title="待决定", goal="x")
    micro = services.micro_propose(
        actor=world.users["grid"], community=world.a1, title="已批准", goal="x"
    )
    services.project_step(actor=world.users["community"], project=micro, action="approve", budget=0)
    out = StringIO()
    call_command("stats", "--json", stdout=out)
    data = json.loads(out.getvalue())["streets"]
    assert data["金阊街道"]["service_projects"] == {"street": 1, "community": 1, "micro": 1}
    assert data["虎丘街道"]["service_projects"] == {"street": 0, "community": 0, "micro": 0}
