"""The house's own models: a time-stamped base, the audit log, API tokens and notifications."""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import audit_verbs
from .pii import EncryptedTextField, PIIMixin
from .roles import Perm
from .scope import ScopedQuerySet


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class AuditImmutableError(Exception):
    """Raised when anything tries to change or delete an audit event."""


class AuditEventQuerySet(ScopedQuerySet):
    def update(self, **kwargs):
        raise AuditImmutableError("audit events cannot be changed")

    def delete(self):
        raise AuditImmutableError(
            "audit events cannot be deleted; use `genxi audit_purge` (services.audit_purge)"
        )


class AuditEvent(models.Model):
    """Who did what to what, with the state before and after. Written once, never changed."""

    # The database puts its own time here on insert (PostgreSQL), or refuses another (SQLite).
    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField(_("操作人"), max_length=150)
    verb = models.CharField(_("操作"), max_length=64, db_index=True)
    # One index serves "the history of this object": (target_type, target_id), below.
    target_type = models.ForeignKey(
        ContentType,
        verbose_name=_("对象类型"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        db_index=False,
    )
    target_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    target_label = models.CharField(_("对象"), max_length=200, blank=True)
    before = models.JSONField(_("变更前"), null=True, blank=True)
    after = models.JSONField(_("变更后"), null=True, blank=True)
    reason = models.TextField(_("理由"), blank=True)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)

    objects = AuditEventQuerySet.as_manager()

    scope_perm = Perm.VIEW_AUDIT

    class Meta:
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return (
            f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.verb} {self.target_label}"
        )

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditImmutableError("audit events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditImmutableError("audit events cannot be deleted")

    @property
    def verb_label(self) -> str:
        """The verb's words (core/audit_verbs.py); for an old event whose verb nobody
        registers any more, "其他操作" (the page keeps the verb in its tooltip)."""
        if not audit_verbs.is_registered(self.verb):
            return str(_("其他操作"))
        return audit_verbs.label(self.verb)

    @classmethod
    def scope_q(cls, scope):
        # Auditors read the whole log; the permission check already happened.
        return models.Q()


class AuditSeal(models.Model):
    """An audit event's place in the hash chain (core/audit_chain.py): written once, in
    chain order, by the sealer. It outlives a deleted event, so `verify` can name it."""

    seq = models.BigIntegerField(_("链序号"), primary_key=True)
    event_id = models.BigIntegerField(_("审计事件"), unique=True)
    event_time = models.DateTimeField(_("事件时间"))
    prev_hash = models.CharField(_("前一哈希"), max_length=64)
    hash = models.CharField(_("哈希"), max_length=64)

    class Meta:
        verbose_name = _("审计链")
        verbose_name_plural = _("审计链")
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"#{self.seq} {self.event_id} {self.hash[:12]}"


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("名称"), max_length=100, blank=True)
    prefix = models.CharField(_("前缀"), max_length=12, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    expires_at = models.DateTimeField(_("到期时间"))
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @property
    def expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def usable(self) -> bool:
        return self.revoked_at is None and not self.expired

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()


class UnicodeJSONEncoder(json.JSONEncoder):
    """Store Chinese text in JSON as itself, not as \\uXXXX escapes.

    Lists of labels (skills, tags) are then searchable with a plain substring match on
    both SQLite and PostgreSQL.
    """

    def __init__(self, *args, **kwargs):
        kwargs["ensure_ascii"] = False
        super().__init__(*args, **kwargs)


class Notification(models.Model):
    """A message in a staff member's in-app inbox (`genxi.core.notifications.tell`)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    # What the message is about (a case, a meeting's action item ...), any app's object.
    subject_type = models.ForeignKey(
        "contenttypes.ContentType", null=True, blank=True, on_delete=models.CASCADE
    )
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    verb = models.CharField(max_length=32)
    text = models.CharField(max_length=300)
    read_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    subject = GenericForeignKey("subject_type", "subject_id")

    class Meta:
        verbose_name = _("站内通知")
        verbose_name_plural = _("站内通知")
        ordering = ["-created_at"]
        indexes = [
            # The bell on every page counts a user's unread messages.
            models.Index(
                fields=["user"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread",
            )
        ]

    def __str__(self) -> str:
        return self.text


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENDING = "sending", _("发送中")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")


class NotificationDelivery(models.Model):
    """A notification sent through an outside channel (email, webhook, SMS), with retries.

    One row per (message, channel). An attempt claims the row (pending → sending, with
    `claimed_at`) in a locked transaction before the channel is called, so a delivery task
    run twice sends once; `core.notifications.channels.deliver_now`, docs/background-queue.md.
    """

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(max_length=16)
    status = models.CharField(
        max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("通知投递")
        verbose_name_plural = _("通知投递")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel"], name="notification_delivery_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.status}"


class WorkerBeat(models.Model):
    """A background worker's heartbeat (`genxi worker`, core/worker.py): written every few
    seconds while the process lives. A task left running by a worker whose beat is older
    than the lease is put back in the queue (docs/background-queue.md)."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    host = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(default=timezone.now)
    beat_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("后台进程心跳")
        verbose_name_plural = _("后台进程心跳")

    def __str__(self) -> str:
        return f"{self.worker_id} {self.beat_at:%H:%M:%S}"


class SavedFilter(models.Model):
    """A list's filter a person keeps under a name (保存的筛选): the page it belongs to (its
    URL name, `page`) and the query string, as the page's filter form cleaned it
    (`core.saved_filters`). Each person sees and deletes only their own."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_filters"
    )
    page = models.CharField(_("页面"), max_length=60)
    name = models.CharField(_("名称"), max_length=40)
    query = models.CharField(_("筛选条件"), max_length=500)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("保存的筛选")
        verbose_name_plural = _("保存的筛选")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "page", "name"], name="saved_filter_unique_name"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.page})"


class IdempotentPost(models.Model):
    """A post made with an idempotency key (`core.idempotency`): the phone's outbox sends
    each record once more until it hears back, and the key makes the second send answer
    what the first did instead of writing again. Kept per person; the row is written in the
    same transaction as what the post wrote, so either both exist or neither."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="idempotent_posts"
    )
    key = models.CharField(_("幂等键"), max_length=64)
    path = models.CharField(_("地址"), max_length=200)
    status = models.PositiveSmallIntegerField(_("状态码"), default=0)
    location = models.CharField(_("结果地址"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("幂等提交")
        verbose_name_plural = _("幂等提交")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotent_post_unique_key")
        ]

    def __str__(self) -> str:
        return f"{self.key} → {self.location or self.status}"


class TextStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENDING = "sending", _("发送中")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")
    REFUSED = "refused", _("未发送(无同意)")


class OutboundText(PIIMixin, models.Model):
    """A text message to a phone number (短信发件箱, core/sms/): written in the caller's
    transaction by `core.sms.queue_text`, sent once by the worker, throttled and retried
    (decision 0029). The number is encrypted and shown masked only."""

    phone = EncryptedTextField(_("手机号"), kind="phone")
    text = models.CharField(_("内容"), max_length=500)
    purpose = models.CharField(_("用途"), max_length=40, db_index=True)
    subject_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    status = models.CharField(
        _("状态"), max_length=16, choices=TextStatus.choices, default=TextStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("尝试次数"), default=0)
    last_error = models.TextField(_("最近错误"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    decided_at = models.DateTimeField(_("决定发送时间"), null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("短信")
        verbose_name_plural = _("短信发件箱")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["subject_type", "subject_id"])]

    def __str__(self) -> str:
        return f"{self.purpose} {self.status}"
