"""Suggest a category from a case's text: a linear model over character n-grams, jieba words
(with a dictionary of governance terms) and keyword-lexicon features, with calibrated
probabilities. Pure: training data come from the caller (`cases.suggestions`).

`APPROACHES` names the feature sets compared in `bench/suggest.py` (docs/suggestions.md);
`DEFAULT_APPROACH` is the one production trains.
"""

from __future__ import annotations

import io
import logging
import pickle
import threading
import zlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .lexicon import DOMAIN_WORDS, LEXICON

# feature set [+ "_lr": logistic regression instead of a linear SVM]
APPROACHES = (
    "chars_lr",
    "chars",
    "words_chars",
    "lexicon_chars",
    "all",
    "ensemble",
)
DEFAULT_APPROACH = "chars"

_jieba_lock = threading.Lock()
_jieba: Any = None  # a jieba Tokenizer with the domain dictionary, once loaded


def _tokenizer() -> Any:
    global _jieba
    with _jieba_lock:
        if _jieba is None:
            import jieba  # heavy: loaded on first segmentation

            jieba.setLogLevel(logging.WARNING)
            tok = jieba.Tokenizer()
            tok.initialize()
            for word in DOMAIN_WORDS:
                tok.add_word(word, freq=20000)
            _jieba = tok
    return _jieba


def words(text: str) -> list[str]:
    """jieba words of a text with the governance dictionary, punctuation and spaces dropped."""
    return [w for w in _tokenizer().lcut(text) if w.strip() and any(c.isalnum() for c in w)]


def lexicon_hits(text: str) -> list[str]:
    """One token per lexicon keyword found in the text, named by its category."""
    return [f"{code}:{kw}" for code, keywords in LEXICON.items() for kw in keywords if kw in text]


def lexicon_categories(text: str) -> list[str]:
    """The categories whose keywords the text contains (one token per hit)."""
    return [hit.split(":", 1)[0] for hit in lexicon_hits(text)]


@dataclass(frozen=True)
class Suggestion:
    code: str
    confidence: float


@dataclass
class Evaluation:
    """How a model did on a labelled set: top-1, top-3, per category, confusion counts."""

    n: int = 0
    top1: float = 0.0
    top3: float = 0.0
    per_category: dict[str, tuple[int, float, float]] = field(default_factory=dict)
    confusion: dict[tuple[str, str], int] = field(default_factory=dict)  # (true, predicted)
    misses: list[tuple[str, str, str]] = field(default_factory=list)  # text, true, predicted


def _features(approach: str) -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion

    chars = (
        "chars",
        TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=1),
    )
    words_ = (
        "words",
        TfidfVectorizer(tokenizer=words, token_pattern=None, lowercase=False, sublinear_tf=True),
    )
    lexicon = (
        "lexicon",
        TfidfVectorizer(
            analyzer=lexicon_categories, lowercase=False, sublinear_tf=True, use_idf=False
        ),
    )
    parts = {
        "chars": [chars],
        "words_chars": [words_, chars],
        "lexicon_chars": [lexicon, chars],
        "all": [words_, chars, lexicon],
    }[approach]
    # The lexicon is a hint, not a rule: its 10 columns weigh less than the n-grams.
    weights = {"lexicon": 0.4} if "lexicon" in dict(parts) else None
    return FeatureUnion(parts, transformer_weights=weights)


def _pipeline(approach: str, c: float, calibrate: bool) -> Any:
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.svm import LinearSVC

    if approach.endswith("_lr"):
        linear: Any = LogisticRegression(max_iter=3000, C=c * 10)
        approach = approach.removesuffix("_lr")
    else:
        linear = LinearSVC(C=c)
    # An SVM has no probabilities: calibration (Platt, 3 folds) gives them.
    if calibrate or not hasattr(linear, "predict_proba"):
        linear = CalibratedClassifierCV(linear, method="sigmoid", cv=3)
    return make_pipeline(_features(approach), linear)


class _Compact:
    """Platt-calibrated linear models (a fitted CalibratedClassifierCV of linear SVMs) as one
    matrix product: the same probabilities as scikit-learn's `predict_proba`, without its
    per-class Python loop (about 10 ms a suggestion on the shared machine, here < 1 ms)."""

    def __init__(self, calibrated: Any) -> None:
        import numpy as np

        classes = [str(c) for c in calibrated.classes_]
        if len(classes) < 3:
            raise ValueError("the compact form is for three classes or more")
        weights, intercepts, slopes, offsets = [], [], [], []
        for fold in calibrated.calibrated_classifiers_:
            if [str(c) for c in fold.estimator.classes_] != classes:
                raise ValueError("a fold did not see every class")
            weights.append(fold.estimator.coef_)
            intercepts.append(fold.estimator.intercept_)
            slopes.append([c.a_ for c in fold.calibrators])
            offsets.append([c.b_ for c in fold.calibrators])
        self.folds, self.n = len(weights), len(classes)
        self.w: Any = np.vstack(weights).T  # features × (folds · classes)
        self.b: Any = np.concatenate(intercepts)
        self.a: Any = np.asarray(slopes, dtype=float).ravel()
        self.c: Any = np.asarray(offsets, dtype=float).ravel()

    def predict_proba(self, features: Any) -> Any:
        import numpy as np

        return self.from_decision(np.asarray(features @ self.w) + self.b)

    def predict_one(self, columns: Any, values: Any) -> Any:
        """`predict_proba` of one row given as its non-zero columns and their values."""
        return self.from_decision((values @ self.w[columns] + self.b).reshape(1, -1))

    def from_decision(self, decision: Any) -> Any:
        import numpy as np

        probs = 1.0 / (1.0 + np.exp(self.a * decision + self.c))
        probs = probs.reshape(decision.shape[0], self.folds, self.n)
        total = probs.sum(axis=2, keepdims=True)
        uniform = np.full_like(probs, 1.0 / self.n)
        probs = np.divide(probs, total, out=uniform, where=total != 0)
        return probs.mean(axis=1)


class _OneText:
    """A fitted TfidfVectorizer's row for one text, as its columns and values, without the
    sparse matrices and checks of `transform` (which were most of an intake's suggestion):
    the vectorizer's own analyzer, then the counts, the sublinear tf, the idf and the l2
    norm as scikit-learn computes them. A test compares the two on the training corpus."""

    def __init__(self, vectorizer: Any) -> None:
        if vectorizer.norm != "l2" or vectorizer.binary:
            raise ValueError("the one-text form is for l2-normed counts")
        self.analyze = vectorizer.build_analyzer()
        self.vocabulary: dict[str, int] = vectorizer.vocabulary_
        self.idf: Any = vectorizer.idf_ if vectorizer.use_idf else None
        self.sublinear = bool(vectorizer.sublinear_tf)

    def row(self, text: str) -> tuple[Any, Any]:
        import numpy as np

        vocabulary = self.vocabulary
        counts = Counter(vocabulary[t] for t in self.analyze(text) if t in vocabulary)
        columns = np.fromiter(counts.keys(), dtype=np.intp, count=len(counts))
        values = np.fromiter(counts.values(), dtype=float, count=len(counts))
        if self.sublinear:
            values = np.log(values) + 1.0
        if self.idf is not None:
            values = values * self.idf[columns]
        norm = float(np.sqrt(values @ values))
        if norm:
            values = values / norm
        return columns, values


def _one_text(features: Any) -> _OneText | None:
    """The one-text form of a FeatureUnion of a single unweighted TfidfVectorizer."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    parts = getattr(features, "transformer_list", None)
    if not parts or len(parts) != 1 or features.transformer_weights:
        return None
    vectorizer = parts[0][1]
    if not isinstance(vectorizer, TfidfVectorizer):
        return None
    try:
        return _OneText(vectorizer)
    except ValueError:
        return None


def _compact(pipeline: Any) -> tuple[Any, _Compact] | None:
    """The pipeline's features and its calibrated model in compact form, if it has one."""
    from sklearn.calibration import CalibratedClassifierCV

    last = pipeline.steps[-1][1]
    if not isinstance(last, CalibratedClassifierCV) or not hasattr(
        last.calibrated_classifiers_[0].estimator, "coef_"
    ):
        return None
    try:
        return pipeline.steps[0][1], _Compact(last)
    except ValueError:
        return None


class CategoryClassifier:
    def __init__(self, approach: str = DEFAULT_APPROACH, *, c: float = 1.0) -> None:
        if approach not in APPROACHES:
            raise ValueError(f"unknown approach {approach!r}")
        self.approach = approach
        self.c = c
        self._pipelines: list[Any] = []  # scikit-learn Pipelines (no types), once trained
        self._fast: list[tuple[Any, _Compact] | None] = []  # the same, compact where it can
        self.classes: list[str] = []
        self.trained_on = 0

    @property
    def ready(self) -> bool:
        return bool(self._pipelines)

    def train(
        self,
        texts: Sequence[str],
        labels: Sequence[str],
        weights: Sequence[float] | None = None,
        *,
        calibrate: bool = True,
    ) -> CategoryClassifier:
        if len(set(labels)) < 2:
            raise ValueError("need examples of at least two categories")
        counts = Counter(labels)
        # Calibration cross-validates in 3 folds: it needs 3 examples of every category.
        calibrate = calibrate and min(counts.values()) >= 3
        parts = ["words_chars", "lexicon_chars"] if self.approach == "ensemble" else [self.approach]
        pipelines = []
        for part in parts:
            pipeline = _pipeline(part, self.c, calibrate)
            last = pipeline.steps[-1][0]
            fit_params = {f"{last}__sample_weight": list(weights)} if weights else {}
            pipeline.fit(list(texts), list(labels), **fit_params)
            pipelines.append(pipeline)
        self._pipelines = pipelines
        self._fast = [_compact(p) for p in pipelines]
        self.classes = [str(c) for c in pipelines[0].classes_]
        self.trained_on = len(texts)
        return self

    def _one_texts(self) -> list[_OneText | None]:
        """The one-text forms of the compact pipelines' features, made once per process
        (not stored with the model: `__getstate__`)."""
        found = self.__dict__.get("_one")
        if found is None:
            fast = getattr(self, "_fast", None) or [None] * len(self._pipelines)
            found = [_one_text(quick[0]) if quick is not None else None for quick in fast]
            self.__dict__["_one"] = found
        return found

    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "_one"}

    def probabilities(self, texts: Sequence[str], *, compact: bool = True) -> list[list[float]]:
        total: Any = None
        # A model stored before the compact form existed has none.
        fast = getattr(self, "_fast", None) if compact else None
        fast = fast or [None] * len(self._pipelines)
        ones = self._one_texts() if compact and len(texts) == 1 else [None] * len(fast)
        for pipeline, quick, one in zip(self._pipelines, fast, ones, strict=True):
            if quick is not None and one is not None:
                probs = quick[1].predict_one(*one.row(texts[0]))
            elif quick is not None:
                features, model = quick
                probs = model.predict_proba(features.transform(list(texts)))
            else:
                probs = pipeline.predict_proba(list(texts))
            total = probs if total is None else total + probs
        return [[float(p) / len(self._pipelines) for p in row] for row in total]

    def suggest(self, text: str, top: int = 3) -> list[Suggestion]:
        if not self.ready or not text.strip():
            return []
        probs = self.probabilities([text])[0]
        ranked = sorted(zip(self.classes, probs, strict=True), key=lambda p: -p[1])[:top]
        return [Suggestion(code, round(p, 4)) for code, p in ranked]

    def suggest_many(self, texts: Sequence[str], top: int = 3) -> list[list[Suggestion]]:
        """`suggest` for several texts in one matrix product (the parts of a request)."""
        if not self.ready or not texts:
            return [[] for _ in texts]
        answers = []
        for text, probs in zip(texts, self.probabilities(texts), strict=True):
            ranked = sorted(zip(self.classes, probs, strict=True), key=lambda p: -p[1])[:top]
            answers.append([Suggestion(c, round(p, 4)) for c, p in ranked] if text.strip() else [])
        return answers

    def accuracy(self, texts: Sequence[str], labels: Sequence[str]) -> float:
        return self.evaluate(texts, labels).top1

    def evaluate(self, texts: Sequence[str], labels: Sequence[str]) -> Evaluation:
        if not texts:
            return Evaluation()
        rows = self.probabilities(texts)
        result = Evaluation(n=len(texts))
        hits1 = hits3 = 0
        per: dict[str, list[int]] = {}
        for text, truth, probs in zip(texts, labels, rows, strict=True):
            ranked = [
                c for c, _ in sorted(zip(self.classes, probs, strict=True), key=lambda p: -p[1])
            ]
            first, three = ranked[0] == truth, truth in ranked[:3]
            hits1 += first
            hits3 += three
            counts = per.setdefault(truth, [0, 0, 0])
            counts[0] += 1
            counts[1] += first
            counts[2] += three
            result.confusion[(truth, ranked[0])] = result.confusion.get((truth, ranked[0]), 0) + 1
            if not first:
                result.misses.append((text, truth, ranked[0]))
        result.top1 = hits1 / len(texts)
        result.top3 = hits3 / len(texts)
        result.per_category = {
            code: (n, one / n, three / n) for code, (n, one, three) in sorted(per.items())
        }
        return result

    # Storage: the background worker saves a trained model; the web processes load it.

    def dumps(self) -> bytes:
        buffer = io.BytesIO()
        pickle.dump(self, buffer, protocol=pickle.HIGHEST_PROTOCOL)
        return zlib.compress(buffer.getvalue(), 6)

    @staticmethod
    def loads(blob: bytes) -> CategoryClassifier:
        # Only ever a blob this module wrote (cases.SuggestionModel, written by the worker).
        model = pickle.loads(zlib.decompress(blob))  # noqa: S301
        if not isinstance(model, CategoryClassifier):
            raise TypeError("not a CategoryClassifier")
        return model
