"""The monthly reports kept for download: one per place and month, its PDF and its
workbook in Django's storage, served only through the scoped view (docs/reports.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from genxi.core.scope import ScopedQuerySet


class MonthlyReport(models.Model):
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("地区")
    )
    month = models.DateField(_("月份"), help_text=_("该月第一天"))
    pdf = models.FileField(_("PDF"), upload_to="reports/%Y/%m/")
    xlsx = models.FileField(_("Excel"), upload_to="reports/%Y/%m/")
    made_at = models.DateTimeField(_("生成时间"))
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("生成人"),
        help_text=_("空:由系统按月自动生成"),
    )
    received = models.PositiveIntegerField(_("受理诉求"), default=0)

    objects = ScopedQuerySet.as_manager()
    scope_path = "region__path"

    class Meta:
        verbose_name = _("月度报告")
        verbose_name_plural = _("月度报告")
        ordering = ["-month", "region__code"]
        constraints = [
            models.UniqueConstraint(fields=["region", "month"], name="monthly_report_once"),
        ]

    def __str__(self) -> str:
        return f"{self.region.name} {self.month:%Y-%m}"
