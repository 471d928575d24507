"""项目清单 and 服务清单: projects run together, and recurring services with their slots."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from genxi.core.models import TimeStampedModel
from genxi.core.scope import ScopedQuerySet, path_q
from genxi.orgs.models import Pairing

from .lists import Claim, Kind, Need


class ProjectStatus(models.TextChoices):
    PLANNING = "planning", _("筹备中")
    ACTIVE = "active", _("实施中")
    DONE = "done", _("已完成")


class Project(TimeStampedModel):
    """A project run together: goal, budget, the needs it answers; units join by claiming."""

    community = models.ForeignKey(
        "regions.Region",
        verbose_name=_("牵头社区"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    title = models.CharField(_("项目名称"), max_length=100)
    goal = models.TextField(_("项目目标"))
    budget = models.PositiveIntegerField(_("预算(元)"), default=0)
    start = models.DateField(_("开始日期"), null=True, blank=True)
    end = models.DateField(_("结束日期"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=ProjectStatus.choices, default=ProjectStatus.PLANNING
    )
    needs = models.ManyToManyField(Need, verbose_name=_("对应需求"), blank=True, related_name="+")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("项目")
        verbose_name_plural = _("项目清单")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

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
