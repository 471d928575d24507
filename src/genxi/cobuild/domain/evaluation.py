"""Judging a service project against a standard (为民服务"五好"标准): weighted criteria,
1–5 scores, and the evaluation round self-assessment → community review → street review.

A standard's criteria and weights belong to one version; re-weighting makes a new
version, so a total once given never changes (decision 0023)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

SELF, COMMUNITY, STREET, DONE = "self", "community", "street", "done"
STAGES = (SELF, COMMUNITY, STREET)
MIN_SCORE, MAX_SCORE = 1, 5
WEIGHT_TOTAL = 100


@dataclass(frozen=True)
class CriterionSpec:
    name: str
    description: str
    weight: int
    evidence: str  # what backs the score up


# The street edits these (docs/services.md); they are only the first version's.
DEFAULT_NAME = "为民服务“五好”标准"
DEFAULT_CRITERIA: tuple[CriterionSpec, ...] = (
    CriterionSpec(
        "需求对接好",
        "项目来自居民需求清单、走访或居民提议,服务对象明确,有调研记录。",
        20,
        "需求清单、走访记录、提议材料",
    ),
    CriterionSpec(
        "资源整合好",
        "共建单位、志愿者、资金和场地等资源投入到位,认领与交付有记录。",
        20,
        "认领与交付记录、支出台账",
    ),
    CriterionSpec(
        "服务实施好",
        "按节点推进,服务人次和覆盖面达到计划,过程规范、资料齐全。",
        25,
        "项目节点、服务人次、活动照片",
    ),
    CriterionSpec(
        "群众评价好",
        "居民满意度高,意见建议得到回应。",
        20,
        "居民评价(满意度)、回访记录",
    ),
    CriterionSpec(
        "长效机制好",
        "形成可持续、可复制的做法,有制度或品牌,结项总结清楚。",
        15,
        "结项总结、制度文件、宣传报道",
    ),
)


class EvaluationError(Exception):
    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.field = field


def check_weights(weights: Sequence[int]) -> None:
    """Five criteria, each weighing at least 1, adding up to 100."""
    if any(w < 1 for w in weights):
        raise EvaluationError("weight", "weights")
    if sum(weights) != WEIGHT_TOTAL:
        raise EvaluationError("sum", "weights")


def check_score(score: int) -> None:
    if not MIN_SCORE <= score <= MAX_SCORE:
        raise EvaluationError("score", "score")


def weighted_total(pairs: Sequence[tuple[int, int]]) -> Decimal:
    """(weight, score) pairs → a total out of 100: each criterion's share of its weight
    (score 5 = the full weight), rounded to one decimal."""
    weights = sum(w for w, _ in pairs)
    if weights <= 0:
        return Decimal("0.0")
    raw = Decimal(sum(w * s for w, s in pairs)) * 100 / (weights * MAX_SCORE)
    return raw.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def next_stage(stage: str, tier: str) -> str:
    """The stage after `stage`; a street project has no community review."""
    if stage == SELF:
        return STREET if tier == "street" else COMMUNITY
    if stage == COMMUNITY:
        return STREET
    if stage == STREET:
        return DONE
    raise EvaluationError("stage", "stage")


def grade(total: Decimal) -> str:
    """优秀 ≥ 90, 良好 ≥ 75, 合格 ≥ 60, else 待改进 (the key; the page says the words)."""
    if total >= 90:
        return "excellent"
    if total >= 75:
        return "good"
    if total >= 60:
        return "pass"
    return "improve"
