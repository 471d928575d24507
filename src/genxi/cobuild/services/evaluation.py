"""Writes of the evaluation: the street's standard (created from the default five-good
set, re-weighted into new versions) and each project's evaluation round."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from genxi.core import audit
from genxi.core.photos import clean_photo
from genxi.core.roles import Role
from genxi.core.scope import scope_for
from genxi.regions.domain.codes import ancestor_paths
from genxi.regions.models import Level, Region

from ..domain import evaluation as rules
from ..models import (
    Criterion,
    Evaluation,
    EvidencePhoto,
    Project,
    ProjectStatus,
    Score,
    Stage,
    Standard,
    StandardVersion,
)


def street_of(project: Project) -> Region:
    """The street over a project's place (the street itself for a street project)."""
    if project.community.level == Level.STREET:
        return project.community
    street = Region.objects.filter(
        level=Level.STREET, path__in=ancestor_paths(project.community.path)
    ).first()
    if street is None:
        raise ValidationError({"project": _("项目不在任何街道下。")})
    return street


def _require_street_admin(actor: Any, street: Region) -> None:
    if not scope_for(actor).role_covers({Role.STREET_ADMIN}, street.path):
        raise PermissionDenied(_("只有街道管理员可以修订评估标准。"))


def current_version(street: Region) -> StandardVersion | None:
    return (
        StandardVersion.objects.filter(standard__street=street)
        .select_related("standard")
        .order_by("-number")
        .first()
    )


def _default_version(actor: Any, street: Region) -> StandardVersion:
    """The street's first version: the default five-good set (the street edits it)."""
    standard = Standard.objects.create(street=street, name=rules.DEFAULT_NAME)
    version = StandardVersion.objects.create(standard=standard, number=1, note=_("默认“五好”标准"))
    Criterion.objects.bulk_create(
        Criterion(
            version=version,
            position=i,
            name=spec.name,
            description=spec.description,
            evidence=spec.evidence,
            weight=spec.weight,
        )
        for i, spec in enumerate(rules.DEFAULT_CRITERIA, start=1)
    )
    audit.record(actor=actor, verb="standard.create", target=standard, after={"version": 1})
    return version


def standard_reweight(
    *, actor: Any, street: Region, weights: list[int], note: str = ""
) -> StandardVersion:
    """A new version of the street's standard with new weights (the criteria's words
    carried over). Scores given under earlier versions keep their weights."""
    _require_street_admin(actor, street)
    with transaction.atomic():
        Region.objects.select_for_update().get(pk=street.pk)  # one new version at a time
        version = current_version(street) or _default_version(actor, street)
        criteria = list(version.criteria.order_by("position"))
        if len(weights) != len(criteria):
            raise ValidationError({"weights": _("请为每一项指标填写权重。")})
        try:
            rules.check_weights(weights)
        except rules.EvaluationError as exc:
            raise ValidationError({"weights": _("每项权重至少为 1,合计须为 100。")}) from exc
        new = StandardVersion.objects.create(
            standard=version.standard, number=version.number + 1, note=note.strip()[:200]
        )
        Criterion.objects.bulk_create(
            Criterion(
                version=new,
                position=c.position,
                name=c.name,
                description=c.description,
                evidence=c.evidence,
                weight=w,
            )
            for c, w in zip(criteria, weights, strict=True)
        )
        audit.record(
            actor=actor,
            verb="standard.reweight",
            target=version.standard,
            before={"version": version.number, "weights": [c.weight for c in criteria]},
            after={"version": new.number, "weights": weights},
            reason=note.strip(),
        )
    return new


def _stage_roles(stage: str) -> set[str]:
    if stage == Stage.STREET:
        return {Role.STREET_ADMIN}
    if stage == Stage.COMMUNITY:
        return {Role.COMMUNITY_WORKER, Role.STREET_ADMIN}
    return {Role.COMMUNITY_WORKER, Role.STREET_ADMIN}


def may_score(actor: Any, evaluation: Evaluation) -> bool:
    """Self-assessment: the project's staff; community review: the community's workers
    (or the street); street review: the street's admin."""
    if evaluation.stage == Stage.DONE:
        return False
    path = evaluation.project.community.path
    if evaluation.stage == Stage.STREET:
        path = street_of(evaluation.project).path
    return scope_for(actor).role_covers(_stage_roles(evaluation.stage), path)


def evaluation_start(*, actor: Any, project: Project, period: str) -> Evaluation:
    """Open the project's evaluation for a round under the street's current standard
    version (the default five-good set if the street has none yet)."""
    if not period.strip():
        raise ValidationError({"period": _("请填写评估轮次,如:2026年度。")})
    if not scope_for(actor).role_covers(
        {Role.COMMUNITY_WORKER, Role.STREET_ADMIN}, project.community.path
    ):
        raise PermissionDenied(_("只有本社区或街道的工作人员可以这样做。"))
    if project.status in (ProjectStatus.PROPOSED, ProjectStatus.DECLINED):
        raise ValidationError({"period": _("提议尚未批准的微项目不参加评估。")})
    street = street_of(project)
    with transaction.atomic():
        Region.objects.select_for_update().get(pk=street.pk)
        version = current_version(street) or _default_version(actor, street)
        if Evaluation.objects.filter(project=project, period=period.strip()).exists():
            raise ValidationError({"period": _("该项目本轮已在评估。")})
        evaluation = Evaluation.objects.create(
            project=project, version=version, period=period.strip()
        )
        audit.record(
            actor=actor,
            verb="evaluation.start",
            target=evaluation,
            after={"period": evaluation.period, "version": version.number},
        )
    return evaluation


@dataclass(frozen=True)
class ScoreIn:
    criterion_id: int
    score: int
    evidence: str = ""
    figure: str = ""
    rating: Decimal | None = None


def evaluation_score(
    *,
    actor: Any,
    evaluation: Evaluation,
    scores: list[ScoreIn],
    photos: dict[int, list[UploadedFile[Any]]] | None = None,
) -> Evaluation:
    """Give the current stage's scores, one per criterion with its evidence, and move the
    evaluation on (self → community → street → 已评定); the stage's weighted total is
    kept. Every criterion needs a 1–5 score; the evidence is what backs it."""
    cleaned = {cid: [clean_photo(p) for p in ps] for cid, ps in (photos or {}).items()}
    with transaction.atomic():
        evaluation = (
            Evaluation.objects.select_for_update()
            .select_related("project__community")
            .get(pk=evaluation.pk)
        )
        if evaluation.stage == Stage.DONE:
            raise ValidationError({"stage": _("本轮评估已完成。")})
        if not may_score(actor, evaluation):
            raise PermissionDenied(_("这一环节不由您评分。"))
        criteria = {c.pk: c for c in Criterion.objects.filter(version=evaluation.version_id)}
        given = {s.criterion_id: s for s in scores}
        errors = {}
        for cid in criteria:
            s = given.get(cid)
            if s is None:
                errors[f"score_{cid}"] = _("请为这一项打分(1–5)。")
                continue
            try:
                rules.check_score(s.score)
            except rules.EvaluationError:
                errors[f"score_{cid}"] = _("得分须在 1 到 5 之间。")
            if s.rating is not None and not Decimal(1) <= s.rating <= Decimal(5):
                errors[f"rating_{cid}"] = _("居民评价须在 1 到 5 之间。")
        if set(given) - set(criteria) or set(cleaned) - set(criteria):
            errors["stage"] = _("指标不属于本轮评估所用的标准版本。")
        if errors:
            raise ValidationError(errors)
        stage = evaluation.stage
        Score.objects.bulk_create(
            Score(
                evaluation=evaluation,
                criterion_id=cid,
                stage=stage,
                score=given[cid].score,
                evidence=given[cid].evidence.strip(),
                figure=given[cid].figure.strip()[:100],
                rating=given[cid].rating,
                by=actor,
            )
            for cid in criteria
        )
        for cid, items in cleaned.items():
            for image, thumb, width, height in items:
                EvidencePhoto.objects.create(
                    evaluation=evaluation,
                    criterion_id=cid,
                    image=image,
                    thumbnail=thumb,
                    width=width,
                    height=height,
                )
        total = rules.weighted_total([(criteria[c].weight, given[c].score) for c in criteria])
        evaluation.total = total
        evaluation.stage = rules.next_stage(stage, evaluation.project.tier)
        evaluation.save(update_fields=["total", "stage", "updated_at"])
        audit.record(
            actor=actor,
            verb=f"evaluation.{stage}",
            target=evaluation,
            after={
                "stage": stage,
                "total": str(total),
                "scores": {criteria[c].name: given[c].score for c in criteria},
            },
        )
    return evaluation
