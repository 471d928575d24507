"""The hand-written training requests (cases/corpus/written/<CODE>.jsonl): well-formed, each
file labelled with its own top-level code, trained on beside train.jsonl, and independent of
the evaluation set (no text equal or near-equal to one of eval.jsonl)."""

from collections import Counter

import pytest

from genxi.cases import corpus
from genxi.cases.categories import CATEGORIES

CODES = sorted({code.split(".")[0] for code, *_ in CATEGORIES})


def _written() -> list[tuple[str, str]]:
    rows = []
    for path in corpus.written_files():
        rows.extend(zip(*corpus.load(path), strict=True))
    return rows


@pytest.mark.parametrize("path", corpus.written_files(), ids=lambda p: p.stem)
def test_each_written_file_holds_its_own_category(path):
    assert path.stem in CODES
    texts, labels = corpus.load(path)
    assert set(labels) == {path.stem}
    assert all(text.strip() == text and text for text in texts)
    assert len(texts) == len(set(texts)), "a text written twice in one file"


def test_written_texts_are_not_in_the_evaluation_set():
    """Neither equal nor near-equal (character 5-gram Jaccard ≥ 0.8) to an evaluation text;
    only the count is reported, so that writing training data never reads the evaluation."""
    written = [text for text, _ in _written()]
    assert written
    near = corpus.near_duplicates(written, corpus.evaluation()[0], threshold=0.8)
    assert not near, f"{len(near)} written texts equal or near an evaluation text"


def test_the_near_duplicate_check_finds_what_it_should():
    others = ["小区门口的垃圾桶三天没人收了,臭得不得了"]
    texts = [
        "小区门口的垃圾桶三天没人收了,臭得不得了",  # equal
        "小区门口的垃圾桶三天没人收了,臭得不得了啊",  # one character more
        "楼上每天半夜拖椅子,吵得睡不着",  # unrelated
    ]
    assert corpus.near_duplicates(texts, others) == [0, 1]


def test_training_uses_the_written_texts_and_every_category_has_300():
    texts, labels = corpus.training()
    composed, _ = corpus.load(corpus.TRAIN)
    written = _written()
    assert len(texts) == len(composed) + len({t for t, _ in written} - set(composed))
    assert {t for t, _ in written} <= set(texts)
    per_category = Counter(labels)
    assert set(per_category) == set(CODES)
    assert min(per_category.values()) >= 300, per_category


def test_every_category_has_150_written_requests():
    per_category = Counter(label for _, label in _written())
    short = {code: per_category[code] for code in CODES if per_category[code] < 150}
    assert not short, short


def test_punctuation_width_does_not_mark_a_category():
    """The training texts write commas, exclamation and question marks as ASCII (as
    train.jsonl does): a category written by one hand with full-width ，！？ would teach the
    model the writer's keyboard instead of the request."""
    texts, labels = corpus.training()
    full_width = Counter(
        label for text, label in zip(texts, labels, strict=True) if set(text) & set("，！？")
    )
    assert not full_width, full_width
