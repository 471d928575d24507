"""The weighted comprehensive assessment (综合考核), pure: a scheme's dimensions and scorer
groups with their weights, the scores a round collected, the weighted result of each cadre
and the ranking.

A dimension's score is the weighted mean of the scorer groups that scored it (self, peers,
residents, leaders, each with its weight); the total is the weighted mean of the dimension
scores. A group or dimension without any score is left out and the others' weights are
renormalised, so a missing group neither counts as zero nor blocks the round; the result
says how complete it is. The arithmetic is exact (fractions) and rounded once, at the end,
to two places, so scaling every weight by the same factor never changes a result.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

SCORE_MIN = Decimal(0)
SCORE_MAX = Decimal(100)
TWO_PLACES = Decimal("0.01")

GROUPS = ("overall", "core", "extra")  # the "1+3+2": 一个总体评价, 三项核心能力, 两项补充
SCORERS = ("self", "peer", "resident", "leader")


class SchemeError(ValueError):
    """A scheme that cannot weigh anything: no dimension, a negative weight, a nil sum."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Dimension:
    key: str
    name: str
    group: str
    weight: Decimal
    evidence: str = ""


@dataclass(frozen=True)
class Scheme:
    """What a round weighs by: its dimensions and the weight of each scorer group."""

    dimensions: tuple[Dimension, ...]
    scorers: Mapping[str, Decimal]
    version: int = 1

    def check(self) -> None:
        if not self.dimensions:
            raise SchemeError("dimensions", "no dimension")
        keys = [d.key for d in self.dimensions]
        if len(set(keys)) != len(keys):
            raise SchemeError("dimensions", "duplicate dimension")
        if any(d.weight < 0 for d in self.dimensions):
            raise SchemeError("dimensions", "negative weight")
        if sum((d.weight for d in self.dimensions), Decimal(0)) <= 0:
            raise SchemeError("dimensions", "weights sum to nothing")
        if set(self.scorers) - set(SCORERS):
            raise SchemeError("scorers", "unknown scorer")
        if any(w < 0 for w in self.scorers.values()):
            raise SchemeError("scorers", "negative weight")
        if sum(self.scorers.values(), Decimal(0)) <= 0:
            raise SchemeError("scorers", "weights sum to nothing")

    def to_json(self) -> dict[str, object]:
        return {
            "version": self.version,
            "dimensions": [
                {
                    "key": d.key,
                    "name": d.name,
                    "group": d.group,
                    "weight": str(d.weight),
                    "evidence": d.evidence,
                }
                for d in self.dimensions
            ],
            "scorers": {k: str(v) for k, v in self.scorers.items()},
        }


def scheme_from_json(data: Mapping[str, object]) -> Scheme:
    dims = data.get("dimensions") or []
    scorers = data.get("scorers") or {}
    assert isinstance(dims, list) and isinstance(scorers, dict)
    version = data.get("version", 1)
    return Scheme(
        dimensions=tuple(
            Dimension(
                key=str(d["key"]),
                name=str(d["name"]),
                group=str(d.get("group", "core")),
                weight=Decimal(str(d["weight"])),
                evidence=str(d.get("evidence", "")),
            )
            for d in dims
        ),
        scorers={str(k): Decimal(str(v)) for k, v in scorers.items()},
        version=int(version) if isinstance(version, (int, str)) else 1,
    )


# (scorer group, dimension key) → score, 0–100
Scores = Mapping[tuple[str, str], Decimal]


@dataclass(frozen=True)
class Result:
    total: Decimal | None  # None: nothing was scored
    by_dimension: Mapping[str, Decimal]
    complete: bool  # every dimension scored by every weighted scorer group


def _weighted_mean(pairs: Iterable[tuple[Fraction, Fraction]]) -> Fraction | None:
    pairs = [(w, v) for w, v in pairs if w > 0]
    weight = sum((w for w, _ in pairs), Fraction(0))
    if weight == 0:
        return None
    return sum((w * v for w, v in pairs), Fraction(0)) / weight


def _round(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        TWO_PLACES, rounding=ROUND_HALF_UP
    )


def weighted_result(scheme: Scheme, scores: Scores) -> Result:
    """One cadre's weighted result under `scheme` from the round's `scores`."""
    dim_scores: dict[str, Fraction] = {}
    complete = True
    weighted_scorers = [s for s, w in scheme.scorers.items() if w > 0]
    for dim in scheme.dimensions:
        given = [
            (Fraction(scheme.scorers[s]), Fraction(scores[(s, dim.key)]))
            for s in weighted_scorers
            if (s, dim.key) in scores
        ]
        if len(given) < len(weighted_scorers):
            complete = False
        mean = _weighted_mean(given)
        if mean is not None:
            dim_scores[dim.key] = mean
    total = _weighted_mean(
        (Fraction(d.weight), dim_scores[d.key]) for d in scheme.dimensions if d.key in dim_scores
    )
    if any(d.weight > 0 and d.key not in dim_scores for d in scheme.dimensions):
        complete = False
    return Result(
        total=_round(total) if total is not None else None,
        by_dimension={k: _round(v) for k, v in dim_scores.items()},
        complete=complete,
    )


@dataclass(frozen=True)
class Ranked:
    key: int
    total: Decimal | None
    rank: int | None  # 1 is first; equal totals share a rank (1, 1, 3); None: unscored


def rank(totals: Mapping[int, Decimal | None]) -> list[Ranked]:
    """Standard competition ranking by total, highest first; ties share a rank and are
    listed by key; the unscored come last without a rank."""
    scored = sorted(
        ((k, t) for k, t in totals.items() if t is not None), key=lambda kt: (-kt[1], kt[0])
    )
    out: list[Ranked] = []
    for i, (key, total) in enumerate(scored):
        place = out[-1].rank if out and out[-1].total == total else i + 1
        out.append(Ranked(key, total, place))
    out.extend(Ranked(k, None, None) for k in sorted(k for k, t in totals.items() if t is None))
    return out


def check_score(value: Decimal) -> bool:
    return SCORE_MIN <= value <= SCORE_MAX


def default_scheme() -> Scheme:
    """The "1+3+2" scheme of 苏锦街道, shipped as every street's default (names are
    Chinese data, as the street would type them; the street edits them)."""
    return Scheme(
        dimensions=(
            Dimension(
                "overall",
                "政治素质与综合表现",
                "overall",
                Decimal(30),
                "年度述职、党性表现、重要任务完成情况",
            ),
            Dimension("mass_work", "群众工作能力", "core", Decimal(15), "走访记录、诉求办理满意度"),
            Dimension(
                "tough_tasks", "攻坚克难能力", "core", Decimal(15), "一线攻坚任务、急难险重任务表现"
            ),
            Dimension("innovation", "改革创新能力", "core", Decimal(15), "创新做法、项目成效"),
            Dimension("integrity", "廉洁自律", "extra", Decimal(10), "廉政谈话、纪律情况"),
            Dimension(
                "front_line", "一线实绩与学习成长", "extra", Decimal(15), "培训学时、一线挂职成效"
            ),
        ),
        scorers={
            "self": Decimal(10),
            "peer": Decimal(30),
            "resident": Decimal(30),
            "leader": Decimal(30),
        },
    )
