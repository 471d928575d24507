"""Chinese text: jieba segmentation (dictionary loaded once per process) and similarity."""

from __future__ import annotations

import logging
import re
import threading
from functools import lru_cache
from typing import Any

_lock = threading.Lock()
_jieba: Any = None  # the jieba module (no types), once loaded
_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)


def _load() -> Any:
    global _jieba
    with _lock:
        if _jieba is None:
            import jieba  # heavy (jieba): loaded on first segmentation

            jieba.setLogLevel(logging.WARNING)
            jieba.initialize()
            _jieba = jieba
    return _jieba


@lru_cache(maxsize=4096)
def tokens(text: str) -> tuple[str, ...]:
    """Words of a short text, punctuation dropped."""
    jieba = _load()
    return tuple(w for w in jieba.lcut(text) if w.strip() and not _PUNCT.fullmatch(w))


def char_ngrams(text: str, n: int = 2) -> set[str]:
    clean = _PUNCT.sub("", text)
    if len(clean) < n:
        return {clean} if clean else set()
    return {clean[i : i + n] for i in range(len(clean) - n + 1)}


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of character bigrams, 0..1: robust for short complaint texts."""
    x, y = char_ngrams(a), char_ngrams(b)
    if not x or not y:
        return 0.0
    return len(x & y) / len(x | y)
