"""Campaigns (主题宣传活动): a street's themed drive — legal education, preventing illegal
fund-raising, fire safety … — over a period, in some of its communities, through some
channels; each community's staff record what it did (materials handed out, consultations
given, people reached per channel), and the street rolls the figures up."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from genxi.core.models import TimeStampedModel, UnicodeJSONEncoder
from genxi.core.scope import ScopedQuerySet, path_q


class Topic(models.TextChoices):
    LEGAL = "legal", _("法治宣传")
    FUNDRAISING = "fundraising", _("防范非法集资")
    INTEGRITY = "integrity", _("诚信教育")
    FIRE = "fire", _("消防安全")
    WASTE = "waste", _("垃圾分类")
    FRAUD = "fraud", _("反诈")
    OTHER = "other", _("其他")


class Channel(models.TextChoices):
    ONSITE = "onsite", _("现场")
    DOOR = "door", _("入户")
    WECHAT = "wechat", _("微信群")
    SMS = "sms", _("短信")


class Status(models.TextChoices):
    PLANNED = "planned", _("计划中")
    RUNNING = "running", _("进行中")
    ENDED = "ended", _("已结束")


# The people reached through each channel, one column per channel (summed by the roll-ups).
REACHED = {c: f"reached_{c}" for c in Channel.values}


class Campaign(TimeStampedModel):
    """One campaign of a street, over a period, in some of its communities."""

    street = models.ForeignKey(
        "regions.Region", verbose_name=_("街道"), on_delete=models.PROTECT, related_name="+"
    )
    topic = models.CharField(_("主题"), max_length=16, choices=Topic.choices)
    title = models.CharField(_("活动名称"), max_length=80)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    channels = models.JSONField(_("宣传渠道"), default=list, encoder=UnicodeJSONEncoder)
    description = models.TextField(_("活动说明"), blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.PLANNED, db_index=True
    )
    summary = models.TextField(_("活动总结"), blank=True)
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    events = models.ManyToManyField(
        "events.Event", verbose_name=_("关联活动"), blank=True, related_name="campaigns"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("主题宣传活动")
        verbose_name_plural = _("主题宣传活动")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="campaign_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("campaigns:campaign", args=[self.pk])

    @classmethod
    def scope_q(cls, scope) -> Q:
        """The street's staff (and anyone over it) see the street's campaigns; a
        community's staff those its community takes part in."""
        taking_part = Part.objects.filter(path_q("community__path", scope.paths))
        return path_q("street__path", scope.paths) | Q(pk__in=taking_part.values("campaign"))

    def channel_labels(self) -> list[str]:
        labels = dict(Channel.choices)
        return [str(labels[c]) for c in Channel.values if c in self.channels]


class Part(models.Model):
    """A community taking part in a campaign, with the outputs its staff record."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("宣传活动"), on_delete=models.CASCADE, related_name="parts"
    )
    community = models.ForeignKey(
        "regions.Region", verbose_name=_("社区"), on_delete=models.PROTECT, related_name="+"
    )
    consultations = models.PositiveIntegerField(_("咨询人次"), default=0)
    reached_onsite = models.PositiveIntegerField(_("现场覆盖人数"), default=0)
    reached_door = models.PositiveIntegerField(_("入户覆盖人数"), default=0)
    reached_wechat = models.PositiveIntegerField(_("微信群覆盖人数"), default=0)
    reached_sms = models.PositiveIntegerField(_("短信覆盖人数"), default=0)
    notes = models.TextField(_("备注"), blank=True)
    recorded_at = models.DateTimeField(_("填报时间"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("参与社区")
        verbose_name_plural = _("参与社区")
        ordering = ["campaign", "community__code"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "community"], name="unique_campaign_part")
        ]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.community}"

    @classmethod
    def scope_q(cls, scope) -> Q:
        """The street's staff see every community's figures; a community's staff its own."""
        return path_q("campaign__street__path", scope.paths) | path_q(
            "community__path", scope.paths
        )

    @property
    def reached(self) -> int:
        return sum(getattr(self, f) for f in REACHED.values())


class Handout(models.Model):
    """Materials a community handed out in a campaign, counted (宣传单 300 份, 围巾 40 条)."""

    part = models.ForeignKey(
        Part, verbose_name=_("参与社区"), on_delete=models.CASCADE, related_name="handouts"
    )
    kind = models.CharField(_("物资"), max_length=40)
    unit = models.CharField(_("单位"), max_length=8, blank=True)
    quantity = models.PositiveIntegerField(_("发放数量"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("宣传物资")
        verbose_name_plural = _("宣传物资")
        ordering = ["part", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["part", "kind"], name="unique_campaign_handout")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.quantity}{self.unit}"

    @classmethod
    def scope_q(cls, scope) -> Q:
        return Q(part__in=Part.objects.filter(Part.scope_q(scope)).values("pk"))
