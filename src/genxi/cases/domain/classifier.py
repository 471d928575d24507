"""Suggest a category from a case's text: TF-IDF over jieba words and character n-grams,
and a linear model. Trained from the cases in the database and dispatchers' corrections.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .text import tokens


def _words(text: str) -> list[str]:
    return list(tokens(text))


@dataclass(frozen=True)
class Suggestion:
    code: str
    confidence: float


class CategoryClassifier:
    def __init__(self) -> None:
        self._pipeline: Any = None  # a scikit-learn Pipeline (no types), once trained
        self.classes: list[str] = []
        self.trained_on = 0

    @property
    def ready(self) -> bool:
        return self._pipeline is not None

    def train(self, texts: Sequence[str], labels: Sequence[str]) -> CategoryClassifier:
        # scikit-learn is heavy: loaded when a model is first trained, not at startup.
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import FeatureUnion, make_pipeline

        if len(set(labels)) < 2:
            raise ValueError("need examples of at least two categories")
        features = FeatureUnion(
            [
                (
                    "words",
                    TfidfVectorizer(
                        tokenizer=_words, token_pattern=None, lowercase=False, sublinear_tf=True
                    ),
                ),
                (
                    "chars",
                    TfidfVectorizer(
                        analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True, min_df=1
                    ),
                ),
            ]
        )
        pipeline = make_pipeline(features, LogisticRegression(max_iter=2000, C=8.0))
        pipeline.fit(list(texts), list(labels))
        self._pipeline = pipeline
        self.classes = list(pipeline.classes_)
        self.trained_on = len(texts)
        return self

    def suggest(self, text: str, top: int = 3) -> list[Suggestion]:
        if not self.ready or not text.strip():
            return []
        probs = self._pipeline.predict_proba([text])[0]
        ranked = sorted(zip(self.classes, probs, strict=True), key=lambda p: -p[1])[:top]
        return [Suggestion(code, round(float(p), 4)) for code, p in ranked]

    def accuracy(self, texts: Sequence[str], labels: Sequence[str]) -> float:
        if not texts:
            return 0.0
        predicted: list[str] = list(self._pipeline.predict(list(texts)))
        return sum(p == t for p, t in zip(predicted, labels, strict=True)) / len(texts)
