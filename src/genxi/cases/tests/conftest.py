import functools

import pytest
from django.db.models import Max

from genxi.cases.categories import ensure as ensure_categories
from genxi.cases.models import Category, TrainingExample
from genxi.core.roles import Role
from genxi.core.testing.world import make_user
from genxi.people.models import Membership, PioneerKind


@pytest.fixture
def loop(world):
    """The world plus what the loop needs: a grid worker with a login on grid_a1, a unit
    liaison as a second handler, and a few training examples."""
    ensure_categories(Category)  # a transactional test before may have flushed them
    worker = world.users["grid"]
    world.pioneer(world.grid_a1, "P-GW", "网格员甲", kind=PioneerKind.GRID_WORKER, user=worker)
    liaison = world.users["unit"]
    examples = {
        "ENV.02": ["楼道里堆满了杂物", "楼梯间堆放旧家具", "走廊堆了很多纸箱"],
        "FAC.02": ["路灯坏了晚上很黑", "小区路灯不亮", "声控灯坏了"],
        "PROP.01": ["物业不修门禁", "物业服务太差了", "保洁不打扫"],
    }
    for code, texts in examples.items():
        category = Category.objects.get(code=code)
        TrainingExample.objects.bulk_create(
            [TrainingExample(text=t, category=category, source="seed") for t in texts]
        )
    world.objs.update(worker=worker, liaison=liaison)
    second = make_user("community2", Role.COMMUNITY_WORKER, region=world.a2)
    world.users["community2"] = second
    assert Membership.objects.filter(user=liaison).exists()
    return world


@functools.cache
def corpus_model() -> tuple[bytes, float, float, int]:
    """The production approach trained on the repo's corpus (once per test session): its
    blob and its top-1 and top-3 on the evaluation set."""
    from genxi.cases import corpus, suggestions

    texts, labels = corpus.training()
    model = suggestions.train(texts, labels, [1.0] * len(texts))
    figures = model.evaluate(*corpus.evaluation())
    return model.dumps(), figures.top1, figures.top3, len(texts)


@pytest.fixture
def suggester(db):
    """A trained model in use, as after the worker's first training."""
    from genxi.cases.domain.classifier import DEFAULT_APPROACH
    from genxi.cases.models import SuggestionModel

    blob, top1, top3, n = corpus_model()
    return SuggestionModel.objects.create(
        approach=DEFAULT_APPROACH,
        trained_on=n,
        examples_upto=TrainingExample.objects.aggregate(m=Max("id"))["m"] or 0,
        top1=top1,
        top3=top3,
        adopted=True,
        blob=blob,
        note="test: the corpus model",
    )


@pytest.fixture
def escalation(loop):
    """The loop plus the street's departments and units (吹哨报到): a market-supervision
    officer over street A (市场监管所), a property company of street A with its liaison,
    a department officer of street B; every one named."""
    officer = make_user("officer", Role.DEPARTMENT_OFFICER, region=loop.street_a)
    property_unit = loop.unit(loop.street_a, "U-A-WY", "彩香物业公司")
    keeper = make_user("wuye", Role.UNIT_LIAISON, unit=property_unit)
    elsewhere = make_user("officerb", Role.DEPARTMENT_OFFICER, region=loop.street_b)
    names = {
        officer: "市场监管所",
        keeper: "物业王经理",
        elsewhere: "虎丘城管中队",
        loop.users["unit"]: "甲单位李联络",
        loop.users["street"]: "街道张主任",
        loop.users["community"]: "社区刘书记",
        loop.users["grid"]: "网格员陈",
    }
    for user, name in names.items():
        user.display_name = name
        user.save(update_fields=["display_name"])
    loop.users.update(officer=officer, keeper=keeper, officer_b=elsewhere)
    loop.objs.update(property_unit=property_unit)
    return loop
