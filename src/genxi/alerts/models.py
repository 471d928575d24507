"""Early warnings (未诉先办): what the daily scan found, and the month's focus problem.

An `EarlyWarning` belongs to a community (a hotspot, a recurrence, a grid's surge: the
community most of its cases are in) or to a street (a category's surge across the street);
the staff over it turn it into a proactive case (`case`) or dismiss it with a reason.
`FocusProblem` is a street's 每月一题: proposed from the month's cases, confirmed by the
street's admin."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from genxi.core.models import TimeStampedModel, UnicodeJSONEncoder
from genxi.core.scope import ScopedQuerySet


class Kind(models.TextChoices):
    HOTSPOT = "hotspot", _("热点聚集")
    RECURRENCE = "recurrence", _("反复发生")
    SURGE = "surge", _("数量突增")


class WarningState(models.TextChoices):
    OPEN = "open", _("待处置")
    ACTED = "acted", _("已转主动办理")
    DISMISSED = "dismissed", _("已忽略")


class EarlyWarningQuerySet(ScopedQuerySet):
    def open(self) -> EarlyWarningQuerySet:
        return self.filter(state=WarningState.OPEN)


class EarlyWarning(TimeStampedModel):
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    key = models.CharField(max_length=120, editable=False, db_index=True)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("社区/街道"), on_delete=models.PROTECT, related_name="+"
    )
    grid = models.ForeignKey(
        "regions.Region",
        verbose_name=_("网格"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    category = models.ForeignKey(
        "cases.Category",
        verbose_name=_("类别"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    place_key = models.CharField(_("楼栋"), max_length=100, blank=True)
    first_day = models.DateField(_("起始日期"))
    last_day = models.DateField(_("截至日期"))
    window_days = models.PositiveIntegerField(_("统计天数"))
    observed = models.PositiveIntegerField(_("件数"))
    expected = models.FloatField(_("预期件数"), null=True, blank=True)
    score = models.FloatField(_("显著度"))
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    lon = models.FloatField(_("经度"), null=True, blank=True)
    radius_m = models.FloatField(_("范围(米)"), default=0)
    cases = models.ManyToManyField(
        "cases.Case", verbose_name=_("相关诉求"), related_name="early_warnings"
    )
    state = models.CharField(
        _("状态"),
        max_length=16,
        choices=WarningState.choices,
        default=WarningState.OPEN,
        db_index=True,
    )
    reason = models.TextField(_("忽略理由"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处置人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("处置时间"), null=True, blank=True)
    # cases with a larger id came after the decision (de-duplication, domain/dedup.py)
    decided_after_case = models.BigIntegerField(default=0, editable=False)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("主动办理的诉求"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="from_warnings",
    )
    seen_on = models.DateField(_("最近一次发现"))

    objects = EarlyWarningQuerySet.as_manager()
    scope_path = "region__path"

    class Meta:
        verbose_name = _("预警")
        verbose_name_plural = _("预警")
        ordering = ["-seen_on", "-score", "-id"]
        indexes = [models.Index(fields=["state", "-seen_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.subject}"

    @property
    def subject(self) -> str:
        what = (
            self.category.full_label if self.category_id and self.category else str(_("各类诉求"))
        )
        where = self.place_key or (
            self.grid.name if self.grid_id and self.grid else self.region.name
        )
        return f"{where} · {what}"

    def get_absolute_url(self) -> str:
        return reverse("alerts:warning", args=[self.pk])


class FocusState(models.TextChoices):
    PROPOSED = "proposed", _("待确认")
    CONFIRMED = "confirmed", _("已确认")


class FocusProblem(TimeStampedModel):
    """每月一题: a street's problem of the month."""

    street = models.ForeignKey(
        "regions.Region", verbose_name=_("街道"), on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField(_("月份"))  # its first day
    category = models.ForeignKey(
        "cases.Category", verbose_name=_("类别"), on_delete=models.PROTECT, related_name="+"
    )
    place_key = models.CharField(_("楼栋"), max_length=100, blank=True)
    count = models.PositiveIntegerField(_("件数"))
    # the ranked candidates: [{"category": code, "count": n, "place": key, "place_count": n}]
    candidates = models.JSONField(default=list, blank=True, encoder=UnicodeJSONEncoder)
    note = models.TextField(_("说明"), blank=True)
    state = models.CharField(
        _("状态"), max_length=16, choices=FocusState.choices, default=FocusState.PROPOSED
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "street__path"

    class Meta:
        verbose_name = _("每月一题")
        verbose_name_plural = _("每月一题")
        ordering = ["-month", "street__path"]
        constraints = [
            models.UniqueConstraint(fields=["street", "month"], name="focus_one_per_street_month")
        ]

    def __str__(self) -> str:
        return f"{self.street.name} {self.month:%Y-%m} · {self.category.full_label}"

    @property
    def month_label(self) -> str:
        return f"{self.month:%Y-%m}"

    def get_absolute_url(self) -> str:
        return reverse("alerts:focus", args=[self.pk])
