"""Compose the training corpus (train.jsonl) from the hand-written fragments, reproducibly.

    python -m genxi.cases.corpus.compose     # rewrites src/genxi/cases/corpus/train.jsonl

Each text is one of five shapes: a very short request; a core clause with a place; a voice
(opener) + place + time + core + ending; a long telling (core + two details); two problems
in one (labelled by the first, the main one). Some texts get Suzhou words or typos. A fixed
seed makes the file the same on every run; duplicates are dropped.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from . import fragments as f

HERE = Path(__file__).resolve().parent
PER_CATEGORY = 400
SEED = 16


def _slots(rng: random.Random, text: str) -> str:
    road, road2 = rng.sample(f.ROADS, 2)
    return text.format(
        place=rng.choice(f.ESTATES),
        b=rng.randint(1, 40),
        u=rng.randint(1, 4),
        n=rng.randint(1, 300),
        road=road,
        road2=road2,
    )


def _noise(rng: random.Random, text: str) -> str:
    if rng.random() < 0.12:
        for plain, local in rng.sample(f.DIALECT, 3):
            text = text.replace(plain, local, 1)
    if rng.random() < 0.12:
        for right, wrong in rng.sample(f.TYPOS, 4):
            text = text.replace(right, wrong, 1)
    if rng.random() < 0.15:
        text = text.replace(",", " ").replace("。", "")
    return text


def _compose(rng: random.Random, code: str) -> str:
    subtopic = rng.choice(list(f.CORE[code]))
    core = rng.choice(f.CORE[code][subtopic])
    shape = rng.random()
    place = rng.choice(f.PLACES)
    if code in ("POL", "SUG", "AID") and rng.random() < 0.7:
        place = ""  # a question or a suggestion seldom starts with an address
    elif place and rng.random() < 0.3:
        place += ","
    if shape < 0.12:
        text = rng.choice(f.SHORT[code]) + rng.choice(["", "", "!", "。", ",快来看看", ",谁来管管"])
    elif shape < 0.35:
        text = f"{place}{core}" if rng.random() < 0.6 else core
        text += rng.choice(f.ENDINGS)
    elif shape < 0.72:
        when = rng.choice(f.TIMES)
        text = f"{rng.choice(f.OPENERS)}{place}{when}{core},{rng.choice(f.ENDINGS)}"
    elif shape < 0.92:
        one, two = rng.sample(f.DETAIL[code], 2)
        other = rng.choice(f.CORE[code][rng.choice(list(f.CORE[code]))])
        middle = f",而且{other}" if other != core and rng.random() < 0.4 else ""
        text = f"{rng.choice(f.OPENERS)}{place}{core}{middle},{one},{two},{rng.choice(f.ENDINGS)}"
    else:
        second = rng.choice([c for c in f.CORE if c != code])
        extra = rng.choice(f.SHORT[second])
        text = f"{rng.choice(f.OPENERS)}{place}{core},{rng.choice(f.DETAIL[code])},另外{extra}"
    text = _slots(rng, text).strip(",")
    return _noise(rng, text).replace(",,", ",").replace(",。", "。")


def compose() -> list[dict[str, str]]:
    rng = random.Random(SEED)
    rows: list[dict[str, str]] = []
    for code in f.CORE:
        seen: set[str] = set()
        tries = 0
        while len(seen) < PER_CATEGORY and tries < PER_CATEGORY * 20:
            tries += 1
            text = _compose(rng, code)
            if text not in seen:
                seen.add(text)
                rows.append({"text": text, "label": code})
    return rows


def main() -> None:
    rows = compose()
    with (HERE / "train.jsonl").open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(rows)} texts written to {HERE / 'train.jsonl'}")


if __name__ == "__main__":
    main()
