"""Category suggestions: trained only by the background worker, never on a request; a model
is replaced only by one not worse on the evaluation set; a correction reaches the next model;
every recorded suggestion names its model version; the evaluation figures are computed here
from the repo's files and may not fall below the figure recorded in docs/suggestions.md."""

import re
from pathlib import Path
from unittest import mock

import pytest
from django.urls import reverse

from genxi.cases import corpus, services, suggestions, tasks
from genxi.cases.categories import CATEGORIES
from genxi.cases.domain.classifier import CategoryClassifier
from genxi.cases.models import CaseSuggestion, Category, SuggestionModel, TrainingExample

from .conftest import corpus_model

DOCS = Path(__file__).resolve().parents[4] / "docs" / "suggestions.md"
API = "/api/v1/cases/suggest"


def _new(world, text):
    return services.case_create(
        actor=world.users["community"], channel="phone", text=text, lat=31.321, lon=120.591
    )


class _Recorder:
    """Stands for the task: records that it was enqueued."""

    def __init__(self, calls):
        self.calls = calls

    def enqueue(self, *args, **kwargs):
        self.calls.append((args, kwargs))


def _no_training(*args, **kwargs):
    raise AssertionError("a request trained a model")


def test_no_request_trains(
    client, loop, suggester, monkeypatch, settings, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(suggestions, "train", _no_training)
    monkeypatch.setattr(CategoryClassifier, "train", _no_training)
    enqueued = []
    monkeypatch.setattr(tasks, "retrain_suggestions", _Recorder(enqueued))
    settings.GENXI_SUGGEST_RETRAIN_AFTER = 1
    client.force_login(loop.users["community"])
    # The API, the case page, the intake panel: suggestions from the stored model.
    answer = client.post(API, {"text": "楼道里有人给电瓶车充电"}, content_type="application/json")
    assert answer.status_code == 200
    assert answer.json()["model_version"] == suggester.pk
    assert answer.json()["category"] == "SAFE"
    confident = answer.json()["candidates"][0]["confidence"] >= settings.GENXI_SUGGEST_AUTO_ROUTE
    assert answer.json()["auto_route"] == confident
    case = _new(loop, "小区门口的垃圾桶三天没人收了")
    page = client.get(reverse("cases:detail", args=[case.code]))
    assert page.status_code == 200
    panel = client.get(reverse("cases:duplicates"), {"text": "电梯坏了好几天了"})
    assert panel.status_code == 200
    # A dispatcher's choice stores an example and asks the worker; it does not train.
    env = Category.objects.get(code="ENV.01")
    with django_capture_on_commit_callbacks(execute=True):
        services.case_act(actor=loop.users["community"], case=case, action="accept", category=env)
    assert TrainingExample.objects.filter(case=case, source="dispatcher").exists()
    assert enqueued, "the retraining is left to the background worker"


def test_each_choice_records_the_suggestion_and_its_model_version(loop, suggester):
    case = _new(loop, "电梯坏了好几天了,天天爬楼太累")
    fac = Category.objects.get(code="FAC.04")
    services.case_act(actor=loop.users["community"], case=case, action="accept", category=fac)
    record = CaseSuggestion.objects.get(case=case)
    assert record.model_version == suggester.pk and record.suggested == "FAC"
    assert record.accepted and 0 < record.confidence <= 1


def test_accepted_and_corrected_per_month_and_category(loop, suggester):
    fac, pol = Category.objects.get(code="FAC.04"), Category.objects.get(code="POL")
    for text, chosen in [("电梯坏了好几天了", fac), ("电梯又停了", fac), ("楼道灯不亮", pol)]:
        case = _new(loop, text)
        services.case_act(
            actor=loop.users["community"], case=case, action="accept", category=chosen
        )
    by_category = {row["category"]: row for row in suggestions.accuracy_by_month()}
    assert (by_category["FAC"]["accepted"], by_category["FAC"]["corrected"]) == (2, 0)
    assert (by_category["POL"]["accepted"], by_category["POL"]["corrected"]) == (0, 1)


def test_a_correction_reaches_the_next_model(loop, suggester):
    text = "幸福里的共享充电宝机器吞了我的押金不退"
    version, before = suggestions.suggest(text)
    assert version == suggester.pk
    target = "POL" if before[0].code != "POL" else "MKT"
    chosen = Category.objects.get(code=target)
    case = _new(loop, text)
    services.case_act(actor=loop.users["community"], case=case, action="accept", category=chosen)
    corrected = CaseSuggestion.objects.get(case=case)
    assert corrected.suggested == before[0].code and not corrected.accepted
    tasks.retrain_suggestions.enqueue(force=True)  # as the worker runs it
    newest = SuggestionModel.objects.order_by("-id").first()
    assert newest.adopted, newest.note
    assert newest.examples_upto >= TrainingExample.objects.get(case=case).pk
    version, after = suggestions.suggest(text)
    assert version == newest.pk and after[0].code == target
    suggester.refresh_from_db()
    assert suggester.blob  # the previous model is kept, to go back to by hand


def test_never_swapped_for_a_worse_model(loop, suggester):
    texts, labels = corpus.training()

    def worse(*args, **kwargs):  # a model trained on a tenth of the corpus
        return CategoryClassifier().train(texts[::10], labels[::10])

    saved = suggestions.retrain(force=True, trainer=worse)
    assert not saved.adopted and not saved.blob and "worse" in saved.note
    assert saved.top1 < suggester.top1
    assert suggestions.current_version() == suggester.pk
    assert suggestions.suggest("电梯坏了")[0] == suggester.pk


def test_the_suggestion_answers_while_a_retrain_runs(client, loop, suggester):
    client.force_login(loop.users["community"])
    suggestions.suggest("暖一暖")  # the model in use, loaded in this process as it serves
    during, work = [], []
    real_loads = CategoryClassifier.loads

    def slow_trainer(texts, labels, weights):
        # While the worker trains, a request is answered by the model in use, at once: it
        # neither trains nor loads a model, nor waits for the one being trained.
        with (
            mock.patch.object(CategoryClassifier, "loads", side_effect=real_loads) as loads,
            mock.patch.object(CategoryClassifier, "train") as train,
        ):
            answer = client.post(API, {"text": "路灯坏了一个星期"}, content_type="application/json")
        during.append((answer.status_code, answer.json()))
        work.extend([loads.call_count, train.call_count])
        return real_loads(corpus_model()[0])

    suggestions.retrain(force=True, trainer=slow_trainer)
    status, body = during[0]
    assert status == 200 and body["model_version"] == suggester.pk
    assert body["category"] == "FAC" and work == [0, 0]
    newest = SuggestionModel.objects.order_by("-id").first()
    assert newest.adopted  # as good as the one in use: not worse
    after = client.post(API, {"text": "路灯坏了一个星期"}, content_type="application/json")
    assert after.json()["model_version"] == newest.pk


def test_retraining_is_due_after_enough_new_examples(
    loop, suggester, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.GENXI_SUGGEST_RETRAIN_AFTER = 3
    enqueued = []
    monkeypatch.setattr(tasks, "retrain_suggestions", _Recorder(enqueued))
    env = Category.objects.get(code="ENV")
    TrainingExample.objects.bulk_create(
        [
            TrainingExample(text=f"垃圾没人收{i}", category=env, source="dispatcher")
            for i in range(2)
        ]
    )
    assert not suggestions.due()
    assert suggestions.retrain() is None  # not due: the worker does nothing
    with django_capture_on_commit_callbacks(execute=True):
        TrainingExample.objects.create(text="垃圾没人收3", category=env, source="dispatcher")
        services.retrain_soon()
    assert suggestions.due() and len(enqueued) == 1


def test_evaluation_figures_are_not_below_the_recorded_ones():
    """Computed from the repo's corpus with the production approach; docs/suggestions.md
    records the figures measured when the model was chosen."""
    _, top1, top3, _ = corpus_model()
    recorded = re.search(r"recorded top-1: ([0-9.]+), top-3: ([0-9.]+)", DOCS.read_text())
    assert recorded, "docs/suggestions.md records the evaluation figures"
    floor1, floor3 = float(recorded[1]), float(recorded[2])
    print(f"evaluation set: top-1 {top1:.3f} (recorded {floor1}), top-3 {top3:.3f} ({floor3})")
    assert round(top1, 3) >= floor1 and round(top3, 3) >= floor3


@pytest.mark.parametrize("path", [corpus.TRAIN, corpus.EVAL])
def test_the_corpus_is_labelled_with_top_level_codes(path):
    texts, labels = corpus.load(path)
    codes = {code.split(".")[0] for code, *_ in CATEGORIES}
    assert set(labels) == codes and len(texts) == len(set(texts))


def test_the_evaluation_set_is_never_trained_on():
    assert not set(corpus.training()[0]) & set(corpus.evaluation()[0])


def test_the_compact_model_answers_as_scikit_learn():
    model = CategoryClassifier.loads(corpus_model()[0])
    texts = corpus.evaluation()[0][:40]
    fast, slow = model.probabilities(texts), model.probabilities(texts, compact=False)
    for a, b in zip(fast, slow, strict=True):
        assert max(abs(x - y) for x, y in zip(a, b, strict=True)) < 1e-9


def test_one_text_answers_as_scikit_learn():
    """The one-text path (`_OneText`: the row without scikit-learn's sparse transform),
    taken for each single text, gives the probabilities of the whole pipeline; it survives
    a save and a load, and is not stored with the model."""
    model = CategoryClassifier.loads(corpus_model()[0])
    texts = [*corpus.evaluation()[0][:60], "  两个  空格\t和换行\n都有 ", "ABC abc", "※"]
    for text in texts:
        one = model.probabilities([text])[0]
        whole = model.probabilities([text], compact=False)[0]
        assert max(abs(x - y) for x, y in zip(one, whole, strict=True)) < 1e-9, text
    assert all(form is not None for form in model._one_texts())
    again = CategoryClassifier.loads(model.dumps())
    assert "_one" not in again.__dict__
    assert again.probabilities([texts[0]]) == model.probabilities([texts[0]])


def test_the_auto_route_threshold_keeps_its_precision(settings):
    """Above GENXI_SUGGEST_AUTO_ROUTE the first candidate is right at least 97% of the time
    on the evaluation set (docs/suggestions.md has the coverage beside it)."""
    model = CategoryClassifier.loads(corpus_model()[0])
    texts, labels = corpus.evaluation()
    above = [
        found[0].code == truth
        for text, truth in zip(texts, labels, strict=True)
        if (found := model.suggest(text, 1))[0].confidence >= settings.GENXI_SUGGEST_AUTO_ROUTE
    ]
    precision, coverage = sum(above) / len(above), len(above) / len(texts)
    print(f"auto-route ≥{settings.GENXI_SUGGEST_AUTO_ROUTE}: {precision:.3f}, {coverage:.3f}")
    assert precision >= 0.97 and coverage >= 0.5
