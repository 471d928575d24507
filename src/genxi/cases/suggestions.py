"""Category suggestions: the model in use, the suggestions it makes, and its retraining.

- Requests only *load* a model: the newest adopted `SuggestionModel`, kept per process and
  rechecked every few seconds (`model_memo`). No request trains (decision 0004).
- Training runs in the background worker (`cases.tasks.retrain_suggestions`), when
  RETRAIN_AFTER new training examples (dispatchers' corrections, closed cases) have arrived,
  or on `genxi suggestions_train`. It learns from the corpus in the repo
  (`cases/corpus/train.jsonl`) plus the training examples in the database, evaluates on the
  evaluation set (`cases/corpus/eval.jsonl`), and the new model replaces the one in use only
  if it is not worse there (top-1 and top-3 both at least the current model's, measured now).
- When a dispatcher chooses a case's category, the suggestion the model in use makes for it
  is recorded (`CaseSuggestion`, with the model version): accepted or corrected.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db.models import Count, Max, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from genxi.core.memo import Memo

from . import corpus
from .domain import split
from .domain.classifier import DEFAULT_APPROACH, CategoryClassifier, Suggestion
from .models import Case, CaseSuggestion, Category, SuggestionModel, TrainingExample
from .selectors import categories_by_code

log = logging.getLogger(__name__)

MAX_EXAMPLES = 20_000  # the most recent training examples from the database
KEEP_MODELS = 3  # adopted models whose blob is kept (each a few MB)
CORRECTION_WEIGHT = 3.0  # a dispatcher's correction counts as much as three corpus texts
RECHECK_SECONDS = 5.0  # how long a process trusts its model before asking for a newer one
# The adopted model, loaded once per process and version (decision 0019).
model_memo = Memo("cases.suggestions", seconds=RECHECK_SECONDS)


def retrain_after() -> int:
    """New training examples before the worker trains again (GENXI_SUGGEST_RETRAIN_AFTER)."""
    return int(getattr(settings, "GENXI_SUGGEST_RETRAIN_AFTER", 20))


def auto_route_threshold() -> float:
    """The confidence above which a suggestion may be routed without a dispatcher."""
    return float(getattr(settings, "GENXI_SUGGEST_AUTO_ROUTE", 0.85))


def auto_routable(found: Sequence[Suggestion]) -> bool:
    return bool(found) and found[0].confidence >= auto_route_threshold()


def auto_route_at_intake() -> bool:
    """Whether intake routes a confident case itself (GENXI_SUGGEST_AUTO_ROUTE_AT_INTAKE)."""
    return bool(getattr(settings, "GENXI_SUGGEST_AUTO_ROUTE_AT_INTAKE", True))


@dataclass(frozen=True)
class Current:
    version: int | None
    model: CategoryClassifier | None


NONE = Current(None, None)


def current_version() -> int | None:
    version: int | None = (
        SuggestionModel.objects.filter(adopted=True).order_by("-id").values_list("id", flat=True)
    ).first()
    return version


def current() -> Current:
    """The model in use, loaded (not trained) once per process and version."""

    def build() -> Current:
        row = SuggestionModel.objects.filter(adopted=True).order_by("-id").first()
        if row is None or not row.blob:
            return NONE  # (adopted rows keep their blob until KEEP_MODELS newer exist)
        return Current(row.pk, CategoryClassifier.loads(bytes(row.blob)))

    found: Current = model_memo.get_or_build(build, key="classifier", version_of=current_version)
    return found


def suggest(text: str, top: int = 3) -> tuple[int | None, list[Suggestion]]:
    """The model version and its suggestions (none while no model has been trained)."""
    now = current()
    if now.model is None:
        return None, []
    return now.version, now.model.suggest(text, top)


@dataclass(frozen=True)
class AutoRoute:
    """Intake's own choice for a case no person categorised: the model's first candidate."""

    version: int | None
    suggestion: Suggestion
    category: Category


def auto_route(text: str) -> AutoRoute | None:
    """The category intake gives a case by itself, if the setting allows and the model's
    first candidate is at least GENXI_SUGGEST_AUTO_ROUTE confident; else None (a dispatcher
    picks). The category comes from the process's copy of the categories (no query;
    `selectors.categories_by_code`, dropped when a category is saved)."""
    if not auto_route_at_intake():
        return None
    version, found = suggest(text, top=1)
    if not auto_routable(found):
        return None
    category = categories_by_code().get(found[0].code)
    if category is None or not category.active:
        return None
    return AutoRoute(version, found[0], category)


def two_problems(text: str) -> split.Split | None:
    """The request's two problems by the model in use (cases.domain.split), or None."""
    now = current()
    if now.model is None:
        return None
    model = now.model
    return split.two_problems(text, model.suggest_many)


# Recording what was suggested -------------------------------------------------------------


def record(case: Case, chosen: Category) -> CaseSuggestion:
    """The suggestion of the model in use for the case, beside the dispatcher's choice."""
    version, found = suggest(case.text, top=1)
    return CaseSuggestion.objects.create(
        case=case,
        suggested=found[0].code if found else "",
        confidence=found[0].confidence if found else None,
        model_version=version,
        chosen=chosen,
    )


def accuracy_by_month(
    since: datetime | None = None, cases: QuerySet[Case] | None = None
) -> list[dict[str, Any]]:
    """Accepted vs corrected suggestions per month and top-level category (of the
    dispatcher's choice), for the metrics: [{"month", "category", "accepted", "corrected",
    "auto"}]. Only suggestions made count (none is recorded before the first model); `cases`
    limits them to those cases (the viewer's scope). Intake's own choices (auto-routed) are
    not a dispatcher's judgement: counted apart, as `auto`. One query."""
    rows = CaseSuggestion.objects.exclude(suggested="")
    if since is not None:
        rows = rows.filter(created_at__gte=since)
    if cases is not None:
        rows = rows.filter(case__in=cases.values("pk"))
    counts: dict[tuple[date, str], list[int]] = {}
    for month, code, suggested, auto, n in (
        rows.annotate(month=TruncMonth("created_at"))
        .values_list("month", "chosen__code", "suggested", "auto_routed")
        .annotate(n=Count("id"))
        .order_by()
    ):
        top = code.split(".")[0]
        cell = counts.setdefault(
            (month.date() if isinstance(month, datetime) else month, top), [0, 0, 0]
        )
        cell[2 if auto else 0 if suggested == top else 1] += n
    return [
        {"month": month, "category": code, "accepted": a, "corrected": c, "auto": auto}
        for (month, code), (a, c, auto) in sorted(counts.items())
    ]


@dataclass(frozen=True)
class Accuracy:
    """One row of the metrics page's 类别建议准确率: `category` a top-level code ("" for
    the month's total); `rate` None when no suggestion was made."""

    category: str
    made: int
    accepted: int
    auto_routed: int = 0  # routed at intake by the model itself, not in `made`

    @property
    def corrected(self) -> int:
        return self.made - self.accepted

    @property
    def rate(self) -> float | None:
        return round(self.accepted / self.made, 4) if self.made else None

    @property
    def percent(self) -> float | None:
        return round(self.accepted * 100 / self.made, 1) if self.made else None


def month_starts(months: int, now: datetime | None = None) -> list[date]:
    """The first days of the last `months` months (local time), newest first."""
    today = timezone.localtime(now).date()
    year, month = today.year, today.month
    found = []
    for _ in range(months):
        found.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return found


def accuracy_table(
    cases: QuerySet[Case], months: int = 6, now: datetime | None = None
) -> list[tuple[date, Accuracy, list[Accuracy]]]:
    """Per month of the last `months` (newest first): the month's total and its categories,
    counted over the suggestions for `cases`. A month without any has a total of 0."""
    starts = month_starts(months, now)
    oldest = starts[-1]
    since = timezone.make_aware(datetime(oldest.year, oldest.month, 1))
    by_month: dict[date, list[Accuracy]] = {}
    for row in accuracy_by_month(since=since, cases=cases):
        made = row["accepted"] + row["corrected"]
        by_month.setdefault(row["month"], []).append(
            Accuracy(row["category"], made, row["accepted"], row["auto"])
        )
    table = []
    for start in starts:
        rows = by_month.get(start, [])
        total = Accuracy(
            "",
            sum(r.made for r in rows),
            sum(r.accepted for r in rows),
            sum(r.auto_routed for r in rows),
        )
        table.append((start, total, rows))
    return table


# Training (the background worker only) ------------------------------------------------------


def due() -> bool:
    """Enough training examples newer than the last training (adopted or not)?"""
    last = SuggestionModel.objects.order_by("-id").values_list("examples_upto", flat=True).first()
    newer = TrainingExample.objects.filter(pk__gt=last or 0).count()
    return newer >= retrain_after()


def train(
    texts: Sequence[str], labels: Sequence[str], weights: Sequence[float]
) -> CategoryClassifier:
    """The trainer (slow: seconds). Tests patch it to show who calls it."""
    return CategoryClassifier(DEFAULT_APPROACH).train(texts, labels, weights)


def training_data() -> tuple[list[str], list[str], list[float], int]:
    """The corpus plus the database's examples (corrections weigh more), and the newest id."""
    texts, labels = corpus.training()
    weights = [1.0] * len(texts)
    upto = TrainingExample.objects.aggregate(top=Max("id"))["top"] or 0
    rows = (
        TrainingExample.objects.filter(pk__lte=upto)
        .order_by("-id")
        .values_list("text", "category__code", "source")[:MAX_EXAMPLES]
    )
    for text, code, source in rows:
        texts.append(text)
        labels.append(code.split(".")[0])  # suggest top-level codes
        weights.append(CORRECTION_WEIGHT if source == "dispatcher" else 1.0)
    return texts, labels, weights, upto


def retrain(*, force: bool = False, trainer: Callable[..., CategoryClassifier] | None = None):
    """Train a candidate; adopt it if it is not worse on the evaluation set than the model in
    use. Answers the new `SuggestionModel` row (adopted or not), or None if not due."""
    if not force and not due():
        return None
    texts, labels, weights, upto = training_data()
    candidate = (trainer or train)(texts, labels, weights)
    eval_texts, eval_labels = corpus.evaluation()
    new = candidate.evaluate(eval_texts, eval_labels)
    row = SuggestionModel.objects.filter(adopted=True).order_by("-id").first()
    adopted, note = True, "first model"
    if row is not None and row.blob:
        old = CategoryClassifier.loads(bytes(row.blob)).evaluate(eval_texts, eval_labels)
        adopted = new.top1 >= old.top1 and new.top3 >= old.top3
        note = (
            f"v{row.pk}: top-1 {old.top1:.3f}, top-3 {old.top3:.3f}; "
            f"this: {new.top1:.3f}, {new.top3:.3f}"
        )
    saved = SuggestionModel.objects.create(
        approach=candidate.approach,
        trained_on=len(texts),
        examples_upto=upto,
        evaluated_on=new.n,
        top1=new.top1,
        top3=new.top3,
        adopted=adopted,
        note=("adopted, " if adopted else "kept the current model, worse: ") + note,
        blob=candidate.dumps() if adopted else b"",
    )
    log.info("suggestion model %s: %s", saved.pk, saved.note)
    if adopted:
        model_memo.forget("classifier")
        # Keep the blobs of the last KEEP_MODELS adopted models (to go back by hand), no more.
        older = SuggestionModel.objects.filter(adopted=True).order_by("-id")[KEEP_MODELS:]
        SuggestionModel.objects.filter(pk__in=list(older.values_list("pk", flat=True))).update(
            blob=b""
        )
    return saved
