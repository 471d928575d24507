"""项目清单 and 服务清单: projects run together, and recurring services with their slots."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from genxi.core.models import TimeStampedModel
from genxi.core.pii import EncryptedTextField, PIIMixin
from genxi.core.scope import ScopedQuerySet, path_q
from genxi.orgs.models import Pairing

from .lists import Claim, Kind, Need


class ProjectStatus(models.TextChoices):
    PROPOSED = "proposed", _("待决定")
    DECLINED = "declined", _("未采纳")
    PLANNING = "planning", _("筹备中")
    ACTIVE = "active", _("实施中")
    DONE = "done", _("已完成")


class Tier(models.TextChoices):
    """One concept, three tiers (decision 0022): a street project, a community sub-project
    under it, a micro-project proposed by residents or pioneers."""

    STREET = "street", _("街道项目")
    COMMUNITY = "community", _("社区子项目")
    MICRO = "micro", _("微项目")


class Project(PIIMixin, TimeStampedModel):
    """A project run together (项目清单) and a service project (为民服务项目) at once: goal,
    budget and spending, the needs it answers, milestones, beneficiaries, photos and a
    closing summary. Units join by claiming; micro-projects start as proposals."""

    community = models.ForeignKey(
        "regions.Region",
        verbose_name=_("牵头街道或社区"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    tier = models.CharField(
        _("层级"), max_length=16, choices=Tier.choices, default=Tier.COMMUNITY, db_index=True
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("所属上级项目"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("负责人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    title = models.CharField(_("项目名称"), max_length=100)
    goal = models.TextField(_("项目目标"))
    budget = models.PositiveIntegerField(_("预算(元)"), default=0)
    beneficiaries = models.PositiveIntegerField(_("受益人数"), default=0)
    progress = models.PositiveSmallIntegerField(_("进度(%)"), default=0)
    start = models.DateField(_("开始日期"), null=True, blank=True)
    end = models.DateField(_("结束日期"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=ProjectStatus.choices, default=ProjectStatus.PLANNING
    )
    summary = models.TextField(_("结项总结"), blank=True)
    needs = models.ManyToManyField(Need, verbose_name=_("对应需求"), blank=True, related_name="+")
    # A micro-project's proposal and the community's decision.
    proposer_name = models.CharField(_("提议人"), max_length=50, blank=True)
    proposer_phone = EncryptedTextField(_("提议人电话"), kind="phone")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提议的先锋"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decline_reason = models.TextField(_("未采纳原因"), blank=True)
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("项目")
        verbose_name_plural = _("项目清单")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="project_progress_le_100"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("cobuild:project", args=[self.pk])

    @classmethod
    def scope_q(cls, scope) -> Q:
        """Staff see their area's projects; a liaison sees those of its paired communities
        that still take part, and those its unit already contributes to."""
        q = path_q("community__path", scope.paths)
        if scope.unit_ids:
            paired = Pairing.objects.filter(unit_id__in=scope.unit_ids).values("community")
            q |= Q(community__in=paired) & ~Q(status=ProjectStatus.DONE)
            q |= Q(pk__in=_claimed_by(scope.unit_ids, "project"))
        return q


class Spending(models.Model):
    """An amount spent on a project (支出), in yuan, with what it bought."""

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="spendings"
    )
    date = models.DateField(_("日期"))
    item = models.CharField(_("用途"), max_length=100)
    amount = models.PositiveIntegerField(_("金额(元)"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("项目支出")
        verbose_name_plural = _("项目支出")
        ordering = ["project", "date", "id"]

    def __str__(self) -> str:
        return f"{self.item} · {self.amount}"

    @classmethod
    def scope_q(cls, scope) -> Q:
        return Q(project__in=Project.objects.filter(Project.scope_q(scope)))


class Milestone(models.Model):
    """A dated step of a project; the project's progress is the share of milestones done."""

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(_("节点"), max_length=100)
    due = models.DateField(_("计划日期"))
    done_on = models.DateField(_("完成日期"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("项目节点")
        verbose_name_plural = _("项目节点")
        ordering = ["project", "due", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def done(self) -> bool:
        return self.done_on is not None

    @classmethod
    def scope_q(cls, scope) -> Q:
        return Q(project__in=Project.objects.filter(Project.scope_q(scope)))


class ProjectPhoto(models.Model):
    """A photo of a project (stripped of EXIF, with a thumbnail; see core/photos.py)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to="cobuild/projects/%Y/%m/")
    thumbnail = models.ImageField(upload_to="cobuild/projects/thumbs/%Y/%m/")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("项目照片")
        verbose_name_plural = _("项目照片")
        ordering = ["project", "id"]

    def __str__(self) -> str:
        return f"{self.project} #{self.pk}"

    @classmethod
    def scope_q(cls, scope) -> Q:
        return Q(project__in=Project.objects.filter(Project.scope_q(scope)))


def _claimed_by(unit_ids, field: str):
    return Claim.objects.filter(unit_id__in=unit_ids, **{f"{field}__isnull": False}).values(field)


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("周一")
    TUESDAY = 1, _("周二")
    WEDNESDAY = 2, _("周三")
    THURSDAY = 3, _("周四")
    FRIDAY = 4, _("周五")
    SATURDAY = 5, _("周六")
    SUNDAY = 6, _("周日")


class ServiceOffer(TimeStampedModel):
    """A recurring service residents can count on, e.g. free legal advice every Tuesday
    afternoon at the community centre. Its slots are staffed by units through claims."""

    community = models.ForeignKey(
        "regions.Region", verbose_name=_("社区"), on_delete=models.PROTECT, related_name="services"
    )
    unit = models.ForeignKey(
        "orgs.PartnerUnit",
        verbose_name=_("提供单位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="services",
    )
    title = models.CharField(_("服务名称"), max_length=100)
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    description = models.TextField(_("说明"), blank=True)
    place = models.CharField(_("地点"), max_length=100)
    weekday = models.PositiveSmallIntegerField(_("每周"), choices=Weekday.choices)
    start_time = models.TimeField(_("开始时间"))
    end_time = models.TimeField(_("结束时间"))
    capacity = models.PositiveIntegerField(_("每场可服务人数"), default=10)
    active = models.BooleanField(_("有效"), default=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("服务")
        verbose_name_plural = _("服务清单")
        ordering = ["community", "weekday", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")), name="service_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def scope_q(cls, scope) -> Q:
        q = path_q("community__path", scope.paths)
        if scope.unit_ids:
            paired = Pairing.objects.filter(unit_id__in=scope.unit_ids).values("community")
            q |= Q(community__in=paired) | Q(unit_id__in=scope.unit_ids)
        return q


class ServiceSlot(models.Model):
    """One date of a service. `unit` is the unit whose claim on it was approved."""

    service = models.ForeignKey(
        ServiceOffer, verbose_name=_("服务"), on_delete=models.CASCADE, related_name="slots"
    )
    date = models.DateField(_("日期"))
    unit = models.ForeignKey(
        "orgs.PartnerUnit",
        verbose_name=_("承接单位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cancelled = models.BooleanField(_("已取消"), default=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("服务场次")
        verbose_name_plural = _("服务场次")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["service", "date"], name="unique_service_date")
        ]

    def __str__(self) -> str:
        return f"{self.service} · {self.date:%Y-%m-%d}"

    @classmethod
    def scope_q(cls, scope) -> Q:
        return Q(service__in=ServiceOffer.objects.filter(ServiceOffer.scope_q(scope)))
