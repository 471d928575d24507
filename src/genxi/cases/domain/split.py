"""Two problems in one request: where a request could be cut into two, and whether the two
parts are about different things. Pure: the suggestion model comes from the caller.

A request is cut only where a resident moves on: at the end of a sentence (。!?;) or at a
connector that opens a new matter (另外, 还有, 顺便…). Each cut gives a first part (everything
before) and a second part (everything after, the connector dropped). The request holds two
problems when, at some cut, both parts are confidently suggested different top-level
categories; of those cuts, the one whose weaker part is the most confident wins.
Measured on `cases/corpus/split_eval.jsonl` (docs/suggestions.md).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

# Words with which a resident turns to another matter. Longest first (a regex alternation
# takes the first that matches).
CONNECTORS = (
    "还有一件事",
    "还有一个事",
    "还有一个问题",
    "还有个事",
    "还有个问题",
    "另外还有",
    "还要反映",
    "再反映一下",
    "顺便说一下",
    "顺便问一下",
    "顺便反映",
    "顺便问",
    "顺便说",
    "另一件事",
    "另一个",
    "再一个",
    "再有",
    "再说",
    "此外",
    "另外",
    "还有",
    "顺便",
    "同时",
    "以及",
    "第二",
    "二是",
)
MIN_CONFIDENCE = 0.6  # each part's first candidate, for the two to count as two problems
MIN_PART = 5  # characters: a case needs at least this much text (services.case_create)
MAX_CUTS = 6  # cuts tried at most (two suggestions each, ~0.6 ms apiece)

# Sentence ends and clause marks, ASCII and full-width (\u3002 。, \uff01 !, \uff1f ?,
# \uff1b ;, \uff0c ,, \u3001 、, \uff1a :).
_SENTENCE_END = "\u3002\uff01\uff1f\uff1b!?;\n"
_CLAUSE = ",\uff0c\u3001" + _SENTENCE_END
_CONNECTOR = re.compile(
    r"(?:(?<=["
    + re.escape(_CLAUSE)
    + r"\s])|^)(?:"
    + "|".join(map(re.escape, CONNECTORS))
    + r")[,\uff0c:\uff1a]?"
)
_LEADING = re.compile(
    r"^(?:" + "|".join(map(re.escape, CONNECTORS)) + r")[,\uff0c:\uff1a]?"
)  # a connector the second part opens with
_SENTENCE = re.compile(r"(?<=[" + re.escape(_SENTENCE_END) + r"])")
_TRIM = _CLAUSE + ":\uff1a~ \t"


class Candidate(Protocol):
    """A suggestion (domain.classifier.Suggestion): a top-level code and its confidence."""

    @property
    def code(self) -> str: ...

    @property
    def confidence(self) -> float: ...


Suggest = Callable[[str], Sequence[Candidate]]
# The model's candidates for several texts at once (CategoryClassifier.suggest_many: one
# matrix product for all the parts of a request).
SuggestMany = Callable[[Sequence[str]], Sequence[Sequence[Candidate]]]


def each(suggest: Suggest) -> SuggestMany:
    """A one-text suggestion as a several-texts one."""
    return lambda texts: [suggest(text) for text in texts]


@dataclass(frozen=True)
class Part:
    text: str
    candidates: tuple[Candidate, ...]

    @property
    def code(self) -> str:
        return self.candidates[0].code

    @property
    def confidence(self) -> float:
        return self.candidates[0].confidence


@dataclass(frozen=True)
class Split:
    """Two parts of a request, cut at `end` (the first part is text[:end]) and `start` (the
    second is text[start:]), both trimmed (`parts_at`)."""

    first: Part
    second: Part
    end: int
    start: int

    @property
    def parts(self) -> tuple[Part, Part]:
        return (self.first, self.second)


def parts_at(text: str, end: int, start: int) -> tuple[str, str]:
    """The two parts of `text` cut at `end` and `start`: trimmed of punctuation, the second
    without a connector it opens with."""
    first = text[:end].strip(_TRIM)
    second = _LEADING.sub("", text[start:].strip(_TRIM)).strip(_TRIM)
    return first, second


def cuts(text: str) -> list[tuple[int, int, str, str]]:
    """The places a request may be cut, as (end, start, first, second), connectors before
    sentence ends; the second part without its connector. Parts shorter than MIN_PART are
    left out."""
    found: list[tuple[int, int]] = []  # (end of the first part, start of the second)
    for match in _CONNECTOR.finditer(text):
        if match.start() > 0:
            found.append((match.start(), match.end()))
    for match in _SENTENCE.finditer(text):
        if 0 < match.start() < len(text):
            found.append((match.start(), match.start()))
    seen: set[tuple[str, str]] = set()
    result: list[tuple[int, int, str, str]] = []
    for end, start in found:
        first, second = parts_at(text, end, start)
        if len(first) < MIN_PART or len(second) < MIN_PART or (first, second) in seen:
            continue
        seen.add((first, second))
        result.append((end, start, first, second))
    return result[:MAX_CUTS]


def two_problems(
    text: str, suggest: SuggestMany, min_confidence: float = MIN_CONFIDENCE
) -> Split | None:
    """The request's two problems, or None if it reads as one (or no model answers). The
    model is asked once, for the parts of every cut."""
    found = cuts(text)
    if not found:
        return None
    answers = suggest([part for _, _, first, second in found for part in (first, second)])
    best: tuple[float, Split] | None = None
    for i, (end, start, first, second) in enumerate(found):
        one, two = tuple(answers[2 * i]), tuple(answers[2 * i + 1])
        if not one or not two or one[0].code == two[0].code:
            continue
        weaker = min(one[0].confidence, two[0].confidence)
        if weaker < min_confidence:
            continue
        if best is None or weaker > best[0]:
            best = (weaker, Split(Part(first, one), Part(second, two), end, start))
    return best[1] if best else None


@dataclass(frozen=True)
class Score:
    """Precision and recall of the detector on labelled requests."""

    true_pos: int
    false_pos: int
    false_neg: int
    true_neg: int
    right_pair: int  # true positives whose two parts got the two labelled categories

    @property
    def precision(self) -> float:
        found = self.true_pos + self.false_pos
        return self.true_pos / found if found else 0.0

    @property
    def recall(self) -> float:
        there = self.true_pos + self.false_neg
        return self.true_pos / there if there else 0.0


def score(
    rows: Sequence[tuple[str, Sequence[str]]],
    suggest: SuggestMany,
    min_confidence: float = MIN_CONFIDENCE,
) -> Score:
    """Score the detector on (text, labels) rows: two labels mean two problems."""
    tp = fp = fn = tn = pair = 0
    for text, labels in rows:
        found = two_problems(text, suggest, min_confidence)
        two = len(labels) > 1
        if found and two:
            tp += 1
            pair += [found.first.code, found.second.code] == list(labels[:2])
        elif found:
            fp += 1
        elif two:
            fn += 1
        else:
            tn += 1
    return Score(tp, fp, fn, tn, pair)
