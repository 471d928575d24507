"""Evaluation of service projects against the street's standard (为民服务"五好"标准):
the standard and its versions, their weighted criteria, each project's evaluation round
and the scores given at each stage, with their evidence (decision 0023)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from genxi.core.scope import ScopedQuerySet, path_q
from genxi.regions.domain.codes import ancestor_paths

from .projects import Project


class Standard(models.Model):
    """A street's standard for judging its service projects. The street edits it; each
    edit of the weights makes a new `StandardVersion`."""

    street = models.ForeignKey(
        "regions.Region", verbose_name=_("街道"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("标准名称"), max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("评估标准")
        verbose_name_plural = _("评估标准")
        ordering = ["street", "id"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def scope_q(cls, scope) -> Q:
        """A street's standard is read by everyone working in the street."""
        q = Q(pk__in=[])
        for path in scope.paths:
            q |= Q(street__path__in=ancestor_paths(path))
        return q | path_q("street__path", scope.paths)


class StandardVersion(models.Model):
    """One version of a standard: its criteria and weights never change once scores are
    given under it."""

    standard = models.ForeignKey(
        Standard, verbose_name=_("标准"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("版本"))
    note = models.CharField(_("修订说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("标准版本")
        verbose_name_plural = _("标准版本")
        ordering = ["standard", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "number"], name="unique_standard_version")
        ]

    def __str__(self) -> str:
        return f"{self.standard} · v{self.number}"

    @classmethod
    def scope_q(cls, scope) -> Q:
        return Q(standard__in=Standard.objects.filter(Standard.scope_q(scope)))


class Criterion(models.Model):
    version = models.ForeignKey(
        StandardVersion,
        verbose_name=_("标准版本"),
        on_delete=models.CASCADE,
        related_name="criteria",
    )
    position = models.PositiveSmallIntegerField(_("序号"))
    name = models.CharField(_("指标"), max_length=50)
    description = models.CharField(_("说明"), max_length=300)
    evidence = models.CharField(_("佐证材料"), max_length=200, blank=True)
    weight = models.PositiveSmallIntegerField(_("权重(%)"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("评估指标")
        verbose_name_plural = _("评估指标")
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "position"], name="unique_criterion_position"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def scope_q(cls, scope) -> Q:
        return Q(version__in=StandardVersion.objects.filter(StandardVersion.scope_q(scope)))


class Stage(models.TextChoices):
    SELF = "self", _("自评")
    COMMUNITY = "community", _("社区评审")
    STREET = "street", _("街道评审")
    DONE = "done", _("已评定")


class Evaluation(models.Model):
    """A project's evaluation in one round (e.g. 2026年度) under one standard version:
    self-assessment → community review → street review → 已评定. `total` is the last
    stage's weighted total (out of 100)."""

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="evaluations"
    )
    version = models.ForeignKey(
        StandardVersion, verbose_name=_("标准版本"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField(_("评估轮次"), max_length=20)
    stage = models.CharField(_("环节"), max_length=16, choices=Stage.choices, default=Stage.SELF)
    total = models.DecimalField(_("总分"), max_digits=4, decimal_places=1, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("项目评估")
        verbose_name_plural = _("项目评估")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["project", "period"], name="unique_evaluation_round")
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.period}"

    def get_absolute_url(self) -> str:
        return reverse("cobuild:evaluation", args=[self.pk])

    @classmethod
    def scope_q(cls, scope) -> Q:
        return Q(project__in=Project.objects.filter(Project.scope_q(scope)))


class Score(models.Model):
    """One criterion's score (1–5) at one stage, with its evidence: what was done, a
    figure, residents' average rating."""

    evaluation = models.ForeignKey(
        Evaluation, verbose_name=_("评估"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("指标"), on_delete=models.PROTECT, related_name="+"
    )
    stage = models.CharField(_("环节"), max_length=16, choices=Stage.choices)
    score = models.PositiveSmallIntegerField(_("得分(1–5)"))
    evidence = models.TextField(_("佐证说明"), blank=True)
    figure = models.CharField(_("数据"), max_length=100, blank=True)
    rating = models.DecimalField(
        _("居民评价(1–5)"), max_digits=3, decimal_places=2, null=True, blank=True
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评分人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("评分")
        verbose_name_plural = _("评分")
        ordering = ["evaluation", "criterion__position", "stage"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "criterion", "stage"], name="unique_score_per_stage"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=1) & Q(score__lte=5), name="score_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion} {self.score}"

    @classmethod
    def scope_q(cls, scope) -> Q:
        return Q(evaluation__in=Evaluation.objects.filter(Evaluation.scope_q(scope)))


class EvidencePhoto(models.Model):
    """A photo or scanned file backing a criterion's score (through core/photos.py)."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="photos")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    image = models.ImageField(upload_to="cobuild/evidence/%Y/%m/")
    thumbnail = models.ImageField(upload_to="cobuild/evidence/thumbs/%Y/%m/")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("佐证照片")
        verbose_name_plural = _("佐证照片")
        ordering = ["evaluation", "id"]

    def __str__(self) -> str:
        return f"{self.evaluation} #{self.pk}"

    @classmethod
    def scope_q(cls, scope) -> Q:
        return Q(evaluation__in=Evaluation.objects.filter(Evaluation.scope_q(scope)))
