"""Precision and recall of findings against planted things (tests and the benchmark).

A finding matches a planted thing when at least half of the planted cases are among the
finding's cases and at least half of the finding's cases belong to planted things of that
kind (so one that swallows a whole estate of background cases is not a hit).
"""

from __future__ import annotations

from dataclasses import dataclass

from .data import Finding, IntArray


@dataclass(frozen=True)
class Score:
    found: int
    planted: int
    true_findings: int
    recalled: int

    @property
    def precision(self) -> float:
        return self.true_findings / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.recalled / self.planted if self.planted else 1.0


def score(findings: list[Finding], planted: list[IntArray], *, purity: float = 0.5) -> Score:
    sets = [frozenset(int(i) for i in p) for p in planted]
    every = frozenset().union(*sets) if sets else frozenset()
    recalled = 0
    for s in sets:
        if any(2 * len(s & frozenset(f.case_ids)) >= len(s) for f in findings):
            recalled += 1
    true = 0
    for f in findings:
        ids = frozenset(f.case_ids)
        if len(ids & every) >= purity * len(ids) and any(2 * len(s & ids) >= len(s) for s in sets):
            true += 1
    return Score(found=len(findings), planted=len(sets), true_findings=true, recalled=recalled)
