"""Co-building (共驻共建): communities' needs, partner units' resources, and claims.

A pooled need (资源众筹) takes contributions from several units until its quantity is met.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from genxi.core.models import TimeStampedModel
from genxi.core.scope import ScopedQuerySet, path_q
from genxi.orgs.models import Pairing


class Kind(models.TextChoices):
    VOLUNTEERS = "volunteers", _("志愿服务")
    VENUE = "venue", _("场地")
    FUNDS = "funds", _("资金")
    LEGAL = "legal", _("法律服务")
    MEDICAL = "medical", _("医疗服务")
    EDUCATION = "education", _("教育服务")
    PSYCHOLOGICAL = "psychological", _("心理服务")
    GOODS = "goods", _("物资")
    EQUIPMENT = "equipment", _("设备")


class NeedStatus(models.TextChoices):
    OPEN = "open", _("征集中")
    FILLED = "filled", _("已满足")
    CLOSED = "closed", _("已关闭")


class Need(TimeStampedModel):
    """服务需求清单: what a community needs, in a countable unit."""

    community = models.ForeignKey(
        "regions.Region", verbose_name=_("社区"), on_delete=models.PROTECT, related_name="needs"
    )
    title = models.CharField(_("标题"), max_length=100)
    description = models.TextField(_("说明"), blank=True)
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    beneficiaries = models.CharField(_("受益对象"), max_length=100, blank=True)
    beneficiary_count = models.PositiveIntegerField(_("受益人数"), default=0)
    quantity = models.PositiveIntegerField(_("数量"))
    unit_label = models.CharField(_("单位"), max_length=20, help_text=_("如:志愿小时、场次、元"))
    filled = models.PositiveIntegerField(_("已认领"), default=0)
    pooled = models.BooleanField(_("资源众筹"), default=False)
    start = models.DateField(_("开始日期"), null=True, blank=True)
    end = models.DateField(_("结束日期"), null=True, blank=True)
    place = models.CharField(_("地点"), max_length=100, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=NeedStatus.choices, default=NeedStatus.OPEN
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("需求")
        verbose_name_plural = _("需求清单")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(filled__lte=models.F("quantity")), name="need_filled_within_quantity"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def percent(self) -> int:
        return round(100 * self.filled / self.quantity) if self.quantity else 100

    @classmethod
    def scope_q(cls, scope) -> Q:
        """Staff see their area's needs; a unit's liaison sees the open needs of the
        communities paired with the unit."""
        q = path_q("community__path", scope.paths)
        if scope.unit_ids:
            paired = Pairing.objects.filter(unit_id__in=scope.unit_ids).values("community")
            q |= Q(status=NeedStatus.OPEN, community__in=paired)
        return q


class Resource(TimeStampedModel):
    """共享资源清单: what a partner unit offers, and how much per period."""

    unit = models.ForeignKey(
        "orgs.PartnerUnit",
        verbose_name=_("共建单位"),
        on_delete=models.CASCADE,
        related_name="resources",
    )
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    description = models.TextField(_("说明"))
    capacity = models.PositiveIntegerField(_("每期可提供数量"))
    unit_label = models.CharField(_("单位"), max_length=20)
    schedule = models.CharField(_("时间安排"), max_length=100, blank=True)
    start = models.DateField(_("开始日期"), null=True, blank=True)
    end = models.DateField(_("结束日期"), null=True, blank=True)
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    lon = models.FloatField(_("经度"), null=True, blank=True)
    radius_m = models.PositiveIntegerField(_("服务半径(米)"), null=True, blank=True)
    conditions = models.CharField(_("使用条件"), max_length=200, blank=True)
    active = models.BooleanField(_("有效"), default=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("资源")
        verbose_name_plural = _("资源清单")
        ordering = ["unit", "kind"]

    def __str__(self) -> str:
        return f"{self.unit} · {self.get_kind_display()}"

    @classmethod
    def scope_q(cls, scope) -> Q:
        q = path_q("unit__region__path", scope.paths)
        q |= Q(unit__in=_units_paired_within(scope.paths))
        if scope.unit_ids:
            q |= Q(unit_id__in=scope.unit_ids)
        return q


def _units_paired_within(paths):
    return Pairing.objects.filter(path_q("community__path", paths)).values("unit")


class ClaimStatus(models.TextChoices):
    """The states of cobuild.domain.steps.ClaimState, with their words."""

    PROPOSED = "proposed", _("待单位确认")
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已通过")
    REJECTED = "rejected", _("未通过")
    DECLINED = "declined", _("单位已谢绝")
    DELIVERED = "delivered", _("已交付")


class Claim(TimeStampedModel):
    """认领: a unit offers (part of) a need, a share of a project, or to staff a service slot;
    the community approves; delivery is recorded. Exactly one of need, project, slot is set.

    `community`, `kind` and `unit_label` are copied from the target when the claim is made,
    so that scope, approval and the totals are the same for every kind of claim."""

    need = models.ForeignKey(
        Need,
        verbose_name=_("需求"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="claims",
    )
    project = models.ForeignKey(
        "cobuild.Project",
        verbose_name=_("项目"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="claims",
    )
    slot = models.ForeignKey(
        "cobuild.ServiceSlot",
        verbose_name=_("服务场次"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="claims",
    )
    community = models.ForeignKey(
        "regions.Region", verbose_name=_("社区"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "orgs.PartnerUnit",
        verbose_name=_("共建单位"),
        on_delete=models.PROTECT,
        related_name="claims",
    )
    resource = models.ForeignKey(
        Resource,
        verbose_name=_("资源"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="claims",
    )
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    unit_label = models.CharField(_("单位"), max_length=20)
    quantity = models.PositiveIntegerField(_("数量"))
    status = models.CharField(
        _("状态"), max_length=16, choices=ClaimStatus.choices, default=ClaimStatus.PENDING
    )
    delivered_amount = models.PositiveIntegerField(_("实际交付"), default=0)
    beneficiaries_served = models.PositiveIntegerField(_("服务人次"), default=0)
    delivered_at = models.DateTimeField(_("交付时间"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    reason = models.CharField(
        _("原因"), max_length=200, blank=True, help_text=_("社区不通过或单位谢绝的原因")
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提议人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("把匹配建议提给单位的社区或街道工作人员"),
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("认领")
        verbose_name_plural = _("认领")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(need__isnull=False, project__isnull=True, slot__isnull=True)
                    | Q(need__isnull=True, project__isnull=False, slot__isnull=True)
                    | Q(need__isnull=True, project__isnull=True, slot__isnull=False)
                ),
                name="claim_has_one_target",
            ),
            # A service slot is staffed by one unit: at most one live claim is approved.
            models.UniqueConstraint(
                fields=["slot"],
                condition=Q(status__in=["approved", "delivered"]),
                name="one_approved_claim_per_slot",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} → {self.target}"

    @property
    def target(self):
        return self.need or self.project or self.slot

    def get_absolute_url(self) -> str:
        """A proposal waits on the unit's page of matches; any other claim is on its target's."""
        if self.status == ClaimStatus.PROPOSED:
            return reverse("cobuild:matches") + "#proposals"
        return self.get_target_url()

    def get_target_url(self) -> str:
        if self.need_id:
            return reverse("cobuild:need", args=[self.need_id])
        if self.project_id:
            return reverse("cobuild:project", args=[self.project_id])
        assert self.slot is not None  # exactly one target (the CHECK constraint)
        return reverse("cobuild:service", args=[self.slot.service_id])

    @classmethod
    def scope_q(cls, scope) -> Q:
        """A community sees the claims made to it; a unit sees its own claims only."""
        q = path_q("community__path", scope.paths)
        if scope.unit_ids:
            q |= Q(unit_id__in=scope.unit_ids)
        return q


class DeliveryPhoto(models.Model):
    """A photo of a delivery (stripped of EXIF, with a thumbnail; see core/photos.py)."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to="cobuild/%Y/%m/")
    thumbnail = models.ImageField(upload_to="cobuild/thumbs/%Y/%m/")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("交付照片")
        verbose_name_plural = _("交付照片")
        ordering = ["claim", "id"]

    def __str__(self) -> str:
        return f"{self.claim} #{self.pk}"

    @classmethod
    def scope_q(cls, scope) -> Q:
        return Q(claim__in=Claim.objects.filter(Claim.scope_q(scope)))


class MatchRejection(models.Model):
    """A suggested (need, resource) pair that a street admin turned down: not suggested again."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="+")
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("不采纳的匹配")
        verbose_name_plural = _("不采纳的匹配")
        constraints = [
            models.UniqueConstraint(fields=["need", "resource"], name="unique_match_rejection")
        ]

    def __str__(self) -> str:
        return f"{self.need} ✕ {self.resource}"
