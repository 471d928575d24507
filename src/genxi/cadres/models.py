"""Cadre development (干部培养): the street's and communities' cadres and their posts, the
training programmes (courses, attendance, certificates), front-line postings, the weighted
assessment (schemes, rounds, scores, results) and commendations.

Cadre data is personal: every model is seen only by the organisation office over its place
(`Perm.MANAGE_CADRES`), and a cadre's own rows by the cadre's linked account
(`CadreQuerySet.visible_to`). No other role, the system admin included, sees any of it."""

from __future__ import annotations

from typing import Any, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from genxi.core.models import TimeStampedModel
from genxi.core.pii import EncryptedTextField, PIIMixin
from genxi.core.roles import Perm
from genxi.core.scope import ScopedQuerySet, path_q, scope_for


class Gender(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class CadreQuerySet(ScopedQuerySet):
    """The organisation office sees the cadres (and their rows) over its place; a cadre sees
    his own (the lookup `self_lookup` leads to the cadre's account)."""

    def visible_to(self, user: Any) -> Self:
        scope = scope_for(user)
        mine = Q(pk__in=[])
        if scope.user_id is not None:
            mine = Q(**{getattr(self.model, "self_lookup", "user_id"): scope.user_id})
        if not scope.has(Perm.MANAGE_CADRES):
            return self.filter(mine)
        lookup = getattr(self.model, "scope_path", "unit__path")
        return self.filter(path_q(lookup, scope.paths) | mine)


class Cadre(PIIMixin, TimeStampedModel):
    """One of the street's or a community's staff, followed by the organisation office."""

    unit = models.ForeignKey(
        "regions.Region",
        verbose_name=_("所在单位"),
        on_delete=models.PROTECT,
        related_name="cadres",
        help_text=_("街道或社区"),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("关联账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cadre",
    )
    name = models.CharField(_("姓名"), max_length=30)
    gender = models.CharField(_("性别"), max_length=8, choices=Gender.choices)
    birth_year = models.PositiveSmallIntegerField(_("出生年份"))
    phone = EncryptedTextField(_("手机号"), kind="phone")
    post = models.CharField(_("现任职务"), max_length=60)
    active = models.BooleanField(_("在岗"), default=True)

    objects = CadreQuerySet.as_manager()
    scope_path = "unit__path"
    self_lookup = "user_id"

    class Meta:
        verbose_name = _("干部")
        verbose_name_plural = _("干部")
        ordering = ["unit__path", "name", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("cadres:cadre", args=[self.pk])


class CadrePost(models.Model):
    """A post the cadre held, from `starts` until `ends` (open: the current one)."""

    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="posts")
    post = models.CharField(_("职务"), max_length=60)
    unit = models.ForeignKey(
        "regions.Region", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+"
    )
    starts = models.DateField(_("任职时间"))
    ends = models.DateField(_("离任时间"), null=True, blank=True)

    objects = CadreQuerySet.as_manager()
    scope_path = "cadre__unit__path"
    self_lookup = "cadre__user_id"

    class Meta:
        verbose_name = _("任职经历")
        verbose_name_plural = _("任职经历")
        ordering = ["-starts", "-id"]

    def __str__(self) -> str:
        return f"{self.cadre} · {self.post}"


class Programme(TimeStampedModel):
    """A training programme a street runs: its courses, who attended, the certificates."""

    street = models.ForeignKey(
        "regions.Region", verbose_name=_("街道"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("培训项目"), max_length=80)
    organiser = models.CharField(_("主办单位"), max_length=60, blank=True)
    starts = models.DateField(_("开始日期"))
    ends = models.DateField(_("结束日期"))
    description = models.TextField(_("简介"), blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_perm = Perm.MANAGE_CADRES
    scope_path = "street__path"

    class Meta:
        verbose_name = _("培训项目")
        verbose_name_plural = _("培训项目")
        ordering = ["-starts", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("cadres:programme", args=[self.pk])


class Course(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="courses")
    title = models.CharField(_("课程"), max_length=80)
    day = models.DateField(_("日期"))
    hours = models.DecimalField(_("学时"), max_digits=5, decimal_places=1)
    teacher = models.CharField(_("授课人"), max_length=40, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_perm = Perm.MANAGE_CADRES
    scope_path = "programme__street__path"

    class Meta:
        verbose_name = _("课程")
        verbose_name_plural = _("课程")
        ordering = ["day", "id"]

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    """A cadre attended a course (a row is a presence)."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="attendances")
    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="attendances")

    objects = CadreQuerySet.as_manager()
    scope_path = "cadre__unit__path"
    self_lookup = "cadre__user_id"

    class Meta:
        verbose_name = _("出勤")
        verbose_name_plural = _("出勤")
        constraints = [
            models.UniqueConstraint(fields=["course", "cadre"], name="unique_attendance")
        ]

    def __str__(self) -> str:
        return f"{self.cadre} · {self.course}"


class Certificate(TimeStampedModel):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="certificates")
    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="certificates")
    title = models.CharField(_("证书名称"), max_length=80)
    issued_on = models.DateField(_("颁发日期"))
    file = models.FileField(_("证书文件"), upload_to="cadres/certificates/%Y/")

    objects = CadreQuerySet.as_manager()
    scope_path = "cadre__unit__path"
    self_lookup = "cadre__user_id"

    class Meta:
        verbose_name = _("培训证书")
        verbose_name_plural = _("培训证书")
        ordering = ["-issued_on", "-id"]

    def __str__(self) -> str:
        return self.title


class PostingKind(models.TextChoices):
    COMMUNITY = "community", _("社区")
    GRID = "grid", _("网格")
    PROJECT = "project", _("共建项目")
    CASE_TEAM = "case_team", _("诉求专班")


class Posting(TimeStampedModel):
    """A front-line posting (一线历练): where, for how long, and what was done."""

    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="postings")
    kind = models.CharField(_("挂职类型"), max_length=16, choices=PostingKind.choices)
    place = models.ForeignKey(
        "regions.Region",
        verbose_name=_("社区或网格"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    project = models.ForeignKey(
        "cobuild.Project",
        verbose_name=_("共建项目"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("诉求"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    starts = models.DateField(_("开始日期"))
    ends = models.DateField(_("结束日期"), null=True, blank=True)
    role = models.CharField(_("担任"), max_length=60, blank=True)
    achievements = models.TextField(_("工作实绩"), blank=True)

    objects = CadreQuerySet.as_manager()
    scope_path = "cadre__unit__path"
    self_lookup = "cadre__user_id"

    class Meta:
        verbose_name = _("一线挂职")
        verbose_name_plural = _("一线挂职")
        ordering = ["-starts", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends__isnull=True) | Q(ends__gte=models.F("starts")),
                name="posting_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.cadre} · {self.get_kind_display()}"

    def target_label(self) -> str:
        if self.project_id:
            return str(self.project)
        if self.case_id:
            return str(self.case)
        if self.place_id:
            return self.place.full_name if self.place else ""
        return ""


class CommendationLevel(models.TextChoices):
    STREET = "street", _("街道级")
    DISTRICT = "district", _("区级")
    CITY = "city", _("市级")
    PROVINCE = "province", _("省级")
    NATIONAL = "national", _("国家级")


class Commendation(TimeStampedModel):
    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="commendations")
    title = models.CharField(_("表彰名称"), max_length=80)
    level = models.CharField(_("级别"), max_length=16, choices=CommendationLevel.choices)
    awarded_on = models.DateField(_("表彰日期"))
    issuer = models.CharField(_("授予单位"), max_length=60, blank=True)

    objects = CadreQuerySet.as_manager()
    scope_path = "cadre__unit__path"
    self_lookup = "cadre__user_id"

    class Meta:
        verbose_name = _("表彰")
        verbose_name_plural = _("表彰")
        ordering = ["-awarded_on", "-id"]

    def __str__(self) -> str:
        return self.title


class Scheme(TimeStampedModel):
    """A street's assessment scheme: dimensions and scorer weights (domain/assessment.py,
    as JSON), and its version, raised by every edit."""

    street = models.OneToOneField(
        "regions.Region", verbose_name=_("街道"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("方案名称"), max_length=60)
    dimensions = models.JSONField(_("考核维度"), default=list)
    scorers = models.JSONField(_("评分主体权重"), default=dict)
    version = models.PositiveIntegerField(_("版本"), default=1)

    objects = ScopedQuerySet.as_manager()
    scope_perm = Perm.MANAGE_CADRES
    scope_path = "street__path"

    class Meta:
        verbose_name = _("考核方案")
        verbose_name_plural = _("考核方案")

    def __str__(self) -> str:
        return self.name


class RoundStatus(models.TextChoices):
    PLANNED = "planned", _("计划中")
    OPEN = "open", _("评分中")
    CLOSED = "closed", _("已结束")


class AssessmentRound(TimeStampedModel):
    """An assessment round: planned, open for scoring (the scheme's version frozen into
    `snapshot`), closed (results computed and ranked, for good)."""

    street = models.ForeignKey(
        "regions.Region", verbose_name=_("街道"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("考核名称"), max_length=80)
    period = models.CharField(_("考核期"), max_length=40)
    status = models.CharField(
        _("状态"), max_length=16, choices=RoundStatus.choices, default=RoundStatus.PLANNED
    )
    snapshot = models.JSONField(_("方案快照"), null=True, blank=True)
    scheme_version = models.PositiveIntegerField(_("方案版本"), null=True, blank=True)
    cadres = models.ManyToManyField(Cadre, verbose_name=_("参评干部"), related_name="rounds")
    opened_at = models.DateTimeField(_("开始评分"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_perm = Perm.MANAGE_CADRES
    scope_path = "street__path"

    class Meta:
        verbose_name = _("考核轮次")
        verbose_name_plural = _("考核轮次")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("cadres:round", args=[self.pk])


class ScorerKind(models.TextChoices):
    SELF = "self", _("自评")
    PEER = "peer", _("同事互评")
    RESIDENT = "resident", _("群众评价")
    LEADER = "leader", _("领导评价")


class Score(models.Model):
    """One scorer group's score of one cadre on one dimension in a round (0–100), with
    what it rests on."""

    round = models.ForeignKey(AssessmentRound, on_delete=models.CASCADE, related_name="scores")
    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="scores")
    scorer = models.CharField(_("评分主体"), max_length=16, choices=ScorerKind.choices)
    dimension = models.CharField(_("维度"), max_length=40)
    value = models.DecimalField(_("分数"), max_digits=5, decimal_places=2)
    evidence = models.CharField(_("依据"), max_length=200, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()
    scope_perm = Perm.MANAGE_CADRES
    scope_path = "round__street__path"

    class Meta:
        verbose_name = _("评分")
        verbose_name_plural = _("评分")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "cadre", "scorer", "dimension"], name="unique_score"
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0) & Q(value__lte=100), name="score_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cadre} · {self.get_scorer_display()} · {self.value}"


class Result(models.Model):
    """A cadre's result in a closed round, written once when it closes."""

    round = models.ForeignKey(AssessmentRound, on_delete=models.CASCADE, related_name="results")
    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="results")
    total = models.DecimalField(_("综合得分"), max_digits=5, decimal_places=2, null=True)
    rank = models.PositiveIntegerField(_("排名"), null=True)
    by_dimension = models.JSONField(_("各维度得分"), default=dict)
    complete = models.BooleanField(_("评分完整"), default=True)

    objects = CadreQuerySet.as_manager()
    scope_path = "round__street__path"
    self_lookup = "cadre__user_id"

    class Meta:
        verbose_name = _("考核结果")
        verbose_name_plural = _("考核结果")
        ordering = ["round", "rank", "cadre__name"]
        constraints = [models.UniqueConstraint(fields=["round", "cadre"], name="unique_result")]

    def __str__(self) -> str:
        return f"{self.round} · {self.cadre}"
