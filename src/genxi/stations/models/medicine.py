"""The shared medicine box: a batch of a medicine with its quantity and expiry date, and
every movement in or out of it."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from genxi.core.scope import ScopedQuerySet

from .stations import Station, through_station


class MedicineItem(models.Model):
    """One batch of one medicine in the box."""

    station = models.ForeignKey(
        Station, verbose_name=_("驿站"), on_delete=models.CASCADE, related_name="medicines"
    )
    name = models.CharField(_("药品名称"), max_length=60)
    unit = models.CharField(_("单位"), max_length=10)  # 盒, 片, 支, 贴 …
    batch = models.CharField(_("批号"), max_length=30, blank=True)
    expiry = models.DateField(_("有效期至"))
    quantity = models.PositiveIntegerField(_("数量"), default=0)
    # Fewer than this left (in all its batches) puts the medicine on the restock list
    minimum = models.PositiveIntegerField(_("最低库存"), default=0)
    warned_at = models.DateTimeField(_("临期提醒时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("入库时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("药品")
        verbose_name_plural = _("药箱")
        ordering = ["name", "expiry", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["station", "name", "batch", "expiry"], name="one_medicine_batch"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.batch}".strip()

    def expired(self, today: date) -> bool:
        """Expired on the day after its expiry date (有效期至: usable through that day)."""
        return self.expiry < today

    def expiring(self, today: date, days: int) -> bool:
        return not self.expired(today) and self.expiry <= today + timedelta(days=days)

    @classmethod
    def scope_q(cls, scope) -> Q:
        return through_station(scope)


class MoveKind(models.TextChoices):
    IN = "in", _("入库")
    OUT = "out", _("领用")
    DISCARD = "discard", _("报废")


class MedicineMove(models.Model):
    """Stock in, an issue to a visitor, or a batch thrown away."""

    item = models.ForeignKey(
        MedicineItem, verbose_name=_("药品"), on_delete=models.CASCADE, related_name="moves"
    )
    kind = models.CharField(_("类型"), max_length=10, choices=MoveKind.choices)
    quantity = models.PositiveIntegerField(_("数量"))
    note = models.CharField(_("备注"), max_length=100, blank=True)
    at = models.DateTimeField(_("时间"), db_index=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("药品出入库")
        verbose_name_plural = _("药品出入库")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.item} · {self.get_kind_display()} {self.quantity}"

    @classmethod
    def scope_q(cls, scope) -> Q:
        return through_station(scope, "item__station")
