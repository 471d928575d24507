"""Volunteer hours and points (志愿服务时长与积分): a street's versioned points rules, and
the hours records of pioneers — proposed from an event's roster, a station's duty shift or
a resolved case (one per source and pioneer), or entered by staff — confirmed (with the
points of the rules then in force) or rejected with a reason."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from genxi.core.models import UnicodeJSONEncoder
from genxi.core.roles import STAFF_ROLES
from genxi.core.scope import ScopedQuerySet, path_q


class Source(models.TextChoices):
    EVENT = "event", _("周末社区活动")
    DUTY = "duty", _("驿站值守")
    CASE = "case", _("诉求办理")
    MANUAL = "manual", _("其他服务")


class HoursStatus(models.TextChoices):
    PROPOSED = "proposed", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    REJECTED = "rejected", _("未通过")


def staff_paths(scope) -> tuple[str, ...]:
    """The places where the user works as staff (street admin, community worker)."""
    return tuple(sorted({p for r, p in scope.role_paths if r in STAFF_ROLES}))


class PointsRules(models.Model):
    """One version of a street's points rules (积分规则); the newest is in force."""

    street = models.ForeignKey(
        "regions.Region", verbose_name=_("街道"), on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(_("版本"))
    rules = models.JSONField(_("规则"), encoder=UnicodeJSONEncoder)
    note = models.CharField(_("修订说明"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("修订人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("修订时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    scope_path = "street__path"

    class Meta:
        verbose_name = _("积分规则")
        verbose_name_plural = _("积分规则")
        ordering = ["street", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["street", "version"], name="unique_rules_version")
        ]

    def __str__(self) -> str:
        return f"{self.street} v{self.version}"


class HoursRecord(models.Model):
    """A pioneer's hours for one service: proposed from its source, then confirmed (with
    its points) or rejected; or entered by staff."""

    pioneer = models.ForeignKey(
        "people.Pioneer",
        verbose_name=_("海棠先锋"),
        on_delete=models.PROTECT,
        related_name="hours_records",
    )
    community = models.ForeignKey(
        "regions.Region", verbose_name=_("社区"), on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices, db_index=True)
    # "event:12", "duty:7", "case:40", "manual:<uuid>": one record per source and pioneer.
    source_key = models.CharField(_("来源编号"), max_length=48)
    event = models.ForeignKey(
        "events.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    shift = models.ForeignKey(
        "stations.DutyShift", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("服务内容"), max_length=100)
    served_on = models.DateField(_("服务日期"), db_index=True)
    hours = models.DecimalField(_("时长(小时)"), max_digits=5, decimal_places=1)
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=HoursStatus.choices,
        default=HoursStatus.PROPOSED,
        db_index=True,
    )
    reason = models.CharField(_("未通过原因"), max_length=200, blank=True)
    points = models.DecimalField(_("积分"), max_digits=7, decimal_places=1, null=True, blank=True)
    points_detail = models.JSONField(_("积分明细"), default=dict, blank=True)
    rules = models.ForeignKey(
        PointsRules,
        verbose_name=_("积分规则版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("志愿服务时长")
        verbose_name_plural = _("志愿服务时长")
        ordering = ["-served_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["pioneer", "source_key"], name="one_hours_record_per_source"
            ),
            models.CheckConstraint(condition=Q(hours__gte=0), name="hours_not_negative"),
        ]
        indexes = [models.Index(fields=["status", "community"])]

    def __str__(self) -> str:
        return f"{self.pioneer} · {self.title} · {self.hours}"

    def get_absolute_url(self) -> str:
        return reverse("volunteering:pioneer", args=[self.pioneer_id])

    @classmethod
    def scope_q(cls, scope) -> Q:
        """Staff over the record's community or the pioneer's grid; the pioneer their own."""
        paths = staff_paths(scope)
        return (
            path_q("community__path", paths)
            | path_q("pioneer__grid__path", paths)
            | Q(pioneer__user_id=scope.user_id or 0)
        )
