"""The labelled corpus of the category suggestions: `train.jsonl` (composed from hand-written
fragments by `compose.py`) and `eval.jsonl` (written apart; never trained on). Labels are
top-level category codes. How they were made: docs/suggestions.md; the labelling guide:
docs/suggestions-labelling.md."""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
TRAIN = HERE / "train.jsonl"
EVAL = HERE / "eval.jsonl"


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


def training() -> tuple[list[str], list[str]]:
    return load(TRAIN)


def evaluation() -> tuple[list[str], list[str]]:
    return load(EVAL)


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
