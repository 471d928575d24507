"""Notices (公告) to a community's residents: the text, the audience (the
community, some of its grids or buildings, residents with a tag), the channels (the public
page and the screens' feed always; SMS to consenting residents; a printed poster), the
validity period, the four-eyes approval, and what reached whom (docs/notices.md)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from genxi.core.models import TimeStampedModel
from genxi.core.scope import ScopedQuerySet, path_q
from genxi.people.models import ResidentTag
from genxi.regions.domain.codes import ancestor_paths

from .domain.states import State


class NoticeStatus(models.TextChoices):
    DRAFT = State.DRAFT.value, _("草稿")
    SUBMITTED = State.SUBMITTED.value, _("待审核")
    RETURNED = State.RETURNED.value, _("已退回")
    PUBLISHED = State.PUBLISHED.value, _("已发布")
    WITHDRAWN = State.WITHDRAWN.value, _("已撤回")


class AudienceKind(models.TextChoices):
    COMMUNITY = "community", _("全社区")
    GRIDS = "grids", _("部分网格")
    BUILDINGS = "buildings", _("部分楼栋")


def _code() -> str:
    return secrets.token_urlsafe(9)


def community_q(scope, lookup: str = "community") -> Q:
    """Whoever works in or above the community sees its notices."""
    above = {p for path in scope.paths for p in ancestor_paths(path)}
    return path_q(f"{lookup}__path", scope.paths) | Q(**{f"{lookup}__path__in": sorted(above)})


class NoticeQuerySet(ScopedQuerySet):
    def current(self, today=None):
        """Published and within their validity period today: the public page and the feed."""
        today = today or timezone.localdate()
        return self.filter(
            status=NoticeStatus.PUBLISHED, valid_from__lte=today, valid_until__gte=today
        )


class Announcement(TimeStampedModel):
    community = models.ForeignKey(
        "regions.Region", verbose_name=_("社区"), on_delete=models.PROTECT, related_name="+"
    )
    code = models.CharField(_("公开编号"), max_length=16, unique=True, default=_code)
    title = models.CharField(_("标题"), max_length=60)
    text = models.TextField(_("正文"), max_length=2000)
    sms_text = models.CharField(_("短信内容"), max_length=200, blank=True)
    audience = models.CharField(
        _("范围"), max_length=16, choices=AudienceKind.choices, default=AudienceKind.COMMUNITY
    )
    grids = models.ManyToManyField(
        "regions.Region", verbose_name=_("网格"), blank=True, related_name="+"
    )
    buildings = models.ManyToManyField(
        "regions.Building", verbose_name=_("楼栋"), blank=True, related_name="+"
    )
    tag = models.CharField(_("居民标签"), max_length=32, choices=ResidentTag.choices, blank=True)
    by_sms = models.BooleanField(_("短信通知"), default=False)
    valid_from = models.DateField(_("生效日期"))
    valid_until = models.DateField(_("截止日期"))
    status = models.CharField(
        _("状态"), max_length=16, choices=NoticeStatus.choices, default=NoticeStatus.DRAFT
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("起草人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    return_reason = models.CharField(_("退回理由"), max_length=200, blank=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    sms_queued_at = models.DateTimeField(_("短信发出时间"), null=True, blank=True)
    web_views = models.PositiveIntegerField(_("网页浏览"), default=0)
    qr_views = models.PositiveIntegerField(_("扫码浏览"), default=0)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("公告")
        verbose_name_plural = _("公告")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["community", "status", "valid_until"])]

    @classmethod
    def scope_q(cls, scope) -> Q:
        return community_q(scope)

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("notices:notice", args=[self.pk])

    def public_url(self) -> str:
        return reverse("notices:public", args=[self.code])

    @property
    def expired(self) -> bool:
        return self.status == NoticeStatus.PUBLISHED and self.valid_until < timezone.localdate()

    def status_label(self) -> str:
        return str(_("已过期")) if self.expired else str(self.get_status_display())


class SmsOutcome(models.TextChoices):
    QUEUED = "queued", _("待发送")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")
    NO_CONSENT = "no_consent", _("未同意,未发送")
    NO_NUMBER = "no_number", _("无手机号")
    STOPPED = "stopped", _("公告已撤回,未发送")


class AnnouncementText(models.Model):
    """One resident of the audience at the SMS broadcast, and what became of the text (the
    number stays on the resident and in core's outbox, never here)."""

    notice = models.ForeignKey(
        Announcement, verbose_name=_("公告"), on_delete=models.CASCADE, related_name="texts"
    )
    resident = models.ForeignKey(
        "people.Resident", verbose_name=_("居民"), on_delete=models.CASCADE, related_name="+"
    )
    outcome = models.CharField(
        _("结果"), max_length=16, choices=SmsOutcome.choices, default=SmsOutcome.QUEUED
    )
    outbound = models.ForeignKey(
        "core.OutboundText", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("公告短信")
        verbose_name_plural = _("公告短信")
        constraints = [
            models.UniqueConstraint(fields=["notice", "resident"], name="notice_text_once")
        ]

    def __str__(self) -> str:
        return f"{self.notice_id} {self.outcome}"

    @classmethod
    def scope_q(cls, scope) -> Q:
        return community_q(scope, "notice__community")


class PosterPrint(models.Model):
    """A printing of the poster for some buildings' stairwell boards (张贴)."""

    notice = models.ForeignKey(
        Announcement, verbose_name=_("公告"), on_delete=models.CASCADE, related_name="prints"
    )
    buildings = models.ManyToManyField("regions.Building", verbose_name=_("楼栋"), related_name="+")
    building_count = models.PositiveIntegerField(_("楼栋数"), default=0)
    printed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("打印人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    printed_at = models.DateTimeField(_("打印时间"), default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("公告张贴")
        verbose_name_plural = _("公告张贴")
        ordering = ["-printed_at"]

    def __str__(self) -> str:
        return f"{self.notice_id} {self.printed_at:%Y-%m-%d}"

    @classmethod
    def scope_q(cls, scope) -> Q:
        return community_q(scope, "notice__community")


class AnnouncementImage(models.Model):
    """A picture of the notice (a map of the works, a photo of the clutter): stripped of EXIF
    with a thumbnail (core/photos.py); shown on the public page once the notice is published,
    on the screens' feed and on the poster."""

    notice = models.ForeignKey(
        Announcement, verbose_name=_("公告"), on_delete=models.CASCADE, related_name="images"
    )
    image = models.ImageField(_("图片"), upload_to="notices/%Y/%m/")
    thumbnail = models.ImageField(upload_to="notices/thumbs/%Y/%m/")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    caption = models.CharField(_("图片说明"), max_length=40, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("公告图片")
        verbose_name_plural = _("公告图片")
        ordering = ["notice", "id"]

    def __str__(self) -> str:
        return f"{self.notice_id} #{self.pk}"

    @classmethod
    def scope_q(cls, scope) -> Q:
        return community_q(scope, "notice__community")

    def public_url(self, variant: str = "full") -> str:
        return reverse("notices:public_image", args=[self.notice.code, self.pk, variant])
