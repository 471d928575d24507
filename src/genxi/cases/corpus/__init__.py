"""The labelled corpus of the category suggestions: `train.jsonl` (composed from hand-written
fragments by `compose.py`), `written/<CODE>.jsonl` (whole requests written by hand, one file
per top-level category, not from the fragments) and `eval.jsonl` (written apart; never
trained on). Training uses train.jsonl plus written/*.jsonl. Labels are top-level category
codes. How they were made: docs/suggestions.md; the labelling guide:
docs/suggestions-labelling.md."""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
TRAIN = HERE / "train.jsonl"
EVAL = HERE / "eval.jsonl"
WRITTEN = HERE / "written"


def load(path: Path) -> tuple[list[str], list[str]]:
    texts: list[str] = []
    labels: list[str] = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                row = json.loads(line)
                texts.append(row["text"])
                labels.append(row["label"])
    return texts, labels


def written_files() -> list[Path]:
    return sorted(WRITTEN.glob("*.jsonl"))


def training() -> tuple[list[str], list[str]]:
    texts, labels = load(TRAIN)
    seen = set(texts)
    for path in written_files():
        for text, label in zip(*load(path), strict=True):
            if text not in seen:  # a text written twice trains once
                seen.add(text)
                texts.append(text)
                labels.append(label)
    return texts, labels


def evaluation() -> tuple[list[str], list[str]]:
    return load(EVAL)


def grams(text: str, n: int = 5) -> frozenset[str]:
    """The character n-grams of a text, spaces and punctuation kept (a text shorter than n is
    its own single gram)."""
    if len(text) <= n:
        return frozenset([text])
    return frozenset(text[i : i + n] for i in range(len(text) - n + 1))


def near_duplicates(
    texts: list[str], others: list[str], threshold: float = 0.8, n: int = 5
) -> list[int]:
    """Indices of `texts` equal to one of `others` or whose character n-gram Jaccard
    similarity to one of them is at least `threshold`."""
    exact = set(others)
    other_grams = [grams(o, n) for o in others]
    found = []
    for i, text in enumerate(texts):
        if text in exact:
            found.append(i)
            continue
        mine = grams(text, n)
        for theirs in other_grams:
            if len(mine & theirs) >= threshold * len(mine | theirs):
                found.append(i)
                break
    return found


SPLIT_EVAL = HERE / "split_eval.jsonl"


def split_rows() -> list[tuple[str, list[str]]]:
    """The two-problem evaluation set: (text, labels), two labels for two problems (first,
    second), one for one. Written apart from the corpus (docs/suggestions.md)."""
    rows: list[tuple[str, list[str]]] = []
    with SPLIT_EVAL.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                row = json.loads(line)
                rows.append((row["text"], list(row["labels"])))
    return rows
