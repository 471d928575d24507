"""The weekend community (周末社区): a community's monthly plan with its weekly themes, the
events of the calendar with their registrations (and waiting list), volunteer roster,
materials handed out, photos and summary, and the text messages to registrants."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from genxi.core.models import TimeStampedModel, UnicodeJSONEncoder
from genxi.core.pii import EncryptedTextField, PIIMixin
from genxi.core.scope import ScopedQuerySet, path_q
from genxi.regions.domain.codes import ancestor_paths


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    CANCELLED = "cancelled", _("已取消")
    DONE = "done", _("已完成")


class Audience(models.TextChoices):
    EVERYONE = "everyone", _("全体居民")
    ELDERLY = "elderly", _("老年人")
    CHILDREN = "children", _("儿童")
    YOUTH = "youth", _("青少年")
    FAMILIES = "families", _("亲子家庭")
    DISABLED = "disabled", _("残疾人")
    NEW_RESIDENTS = "new_residents", _("新市民")


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("已报名")
    WAITLISTED = "waitlisted", _("候补")
    CANCELLED = "cancelled", _("已取消")


class RosterRole(models.TextChoices):
    LEAD = "lead", _("活动负责")
    CHECK_IN = "check_in", _("签到")
    GUIDE = "guide", _("引导")
    SERVICE = "service", _("服务")
    PHOTO = "photo", _("摄影")
    LOGISTICS = "logistics", _("后勤")


def community_q(scope, lookup: str = "community") -> Q:
    """The staff over the community (street, community) and the grid workers and pioneers of
    its grids: a community's events are seen by whoever works in or above it."""
    above = {p for path in scope.paths for p in ancestor_paths(path)}
    return path_q(f"{lookup}__path", scope.paths) | Q(**{f"{lookup}__path__in": sorted(above)})


class MonthPlan(TimeStampedModel):
    """A community's plan for one month: a title, notes, and the weekly themes; residents
    see it once published."""

    community = models.ForeignKey(
        "regions.Region", verbose_name=_("社区"), on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField(_("月份"))  # the first day of the month
    title = models.CharField(_("标题"), max_length=80)
    notes = models.TextField(_("说明"), blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("月度计划")
        verbose_name_plural = _("月度计划")
        ordering = ["community__path", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["community", "month"], name="unique_month_plan")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        code = self.community.code
        return f"{reverse('events:calendar')}?community={code}&month={self.month:%Y-%m}"

    @classmethod
    def scope_q(cls, scope) -> Q:
        return community_q(scope)


class WeekTheme(models.Model):
    """The theme of one week of a month's plan (e.g. 敬老周, 安全周)."""

    plan = models.ForeignKey(
        MonthPlan, verbose_name=_("月度计划"), on_delete=models.CASCADE, related_name="themes"
    )
    week_start = models.DateField(_("周一"))
    theme = models.CharField(_("主题"), max_length=60)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("每周主题")
        verbose_name_plural = _("每周主题")
        ordering = ["week_start"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "week_start"], name="unique_week_theme")
        ]

    def __str__(self) -> str:
        return self.theme

    @classmethod
    def scope_q(cls, scope) -> Q:
        return community_q(scope, "plan__community")


class Event(TimeStampedModel):
    """One event of the weekend-community calendar."""

    community = models.ForeignKey(
        "regions.Region", verbose_name=_("社区"), on_delete=models.PROTECT, related_name="+"
    )
    project = models.ForeignKey(
        "cobuild.Project",
        verbose_name=_("所属项目"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    title = models.CharField(_("活动名称"), max_length=80)
    description = models.TextField(_("活动介绍"), blank=True)
    place = models.CharField(_("地点"), max_length=120, blank=True)
    starts_at = models.DateTimeField(_("开始时间"), db_index=True)
    ends_at = models.DateTimeField(_("结束时间"))
    capacity = models.PositiveIntegerField(_("名额"))
    audience = models.JSONField(_("面向"), default=list, blank=True, encoder=UnicodeJSONEncoder)
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("组织者"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=EventStatus.choices,
        default=EventStatus.PUBLISHED,
        db_index=True,
    )
    # Why it was cancelled, when the staff said (the residents read it on their tickets).
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)
    # The summary, written after the event (attendance defaults to the check-ins).
    attendance = models.PositiveIntegerField(_("到场人数"), null=True, blank=True)
    served = models.PositiveIntegerField(_("服务人次"), null=True, blank=True)
    summary = models.TextField(_("活动总结"), blank=True)
    summarised_at = models.DateTimeField(_("总结时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("活动")
        verbose_name_plural = _("活动")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:event", args=[self.pk])

    @classmethod
    def scope_q(cls, scope) -> Q:
        return community_q(scope) | Q(organiser_id=scope.user_id or 0)

    def audience_labels(self) -> list[str]:
        labels = dict(Audience.choices)
        return [str(labels[a]) for a in Audience.values if a in self.audience]


def _through_event(scope) -> Q:
    return Q(event__in=Event.objects.filter(Event.scope_q(scope)).values("pk"))


def new_code() -> str:
    """An 8-character check-in code, easy to read aloud and type (no 0/O, 1/I)."""
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    return "".join(secrets.choice(alphabet) for _ in range(8))


class Registration(PIIMixin, models.Model):
    """A resident's registration: a place, or a place on the waiting list (in `seq` order)."""

    event = models.ForeignKey(
        Event, verbose_name=_("活动"), on_delete=models.CASCADE, related_name="registrations"
    )
    seq = models.PositiveIntegerField(_("报名序号"))
    name = EncryptedTextField(_("姓名"), kind="text")
    phone = EncryptedTextField(_("手机号"), kind="phone")
    phone_digest = models.CharField(max_length=64, db_index=True, editable=False)
    status = models.CharField(
        _("状态"), max_length=16, choices=RegistrationStatus.choices, db_index=True
    )
    code = models.CharField(_("签到码"), max_length=12, unique=True, default=new_code)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("代报名人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("报名时间"), auto_now_add=True)
    promoted_at = models.DateTimeField(_("转正时间"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    # Why the staff gave the place back (the resident sees it on the ticket and in the
    # text); empty when the resident cancelled it.
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("报名")
        verbose_name_plural = _("报名")
        ordering = ["event", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["event", "seq"], name="unique_registration_seq")
        ]

    def __str__(self) -> str:
        return f"{self.event} · {self.masked('name')}"

    @classmethod
    def scope_q(cls, scope) -> Q:
        return _through_event(scope)


class RosterEntry(models.Model):
    """A pioneer on an event's volunteer roster, in a role."""

    event = models.ForeignKey(
        Event, verbose_name=_("活动"), on_delete=models.CASCADE, related_name="roster"
    )
    pioneer = models.ForeignKey(
        "people.Pioneer", verbose_name=_("海棠先锋"), on_delete=models.CASCADE, related_name="+"
    )
    role = models.CharField(_("岗位"), max_length=16, choices=RosterRole.choices)
    created_at = models.DateTimeField(_("报名时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("志愿者岗位")
        verbose_name_plural = _("志愿者名单")
        ordering = ["event", "role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "pioneer"], name="unique_roster_pioneer")
        ]

    def __str__(self) -> str:
        return f"{self.event} · {self.pioneer} · {self.get_role_display()}"

    @classmethod
    def scope_q(cls, scope) -> Q:
        return _through_event(scope)


class Material(models.Model):
    """Materials handed out at an event, counted (e.g. 围巾 120 条)."""

    event = models.ForeignKey(
        Event, verbose_name=_("活动"), on_delete=models.CASCADE, related_name="materials"
    )
    name = models.CharField(_("物资"), max_length=40)
    unit = models.CharField(_("单位"), max_length=8, blank=True)
    quantity = models.PositiveIntegerField(_("发放数量"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("发放物资")
        verbose_name_plural = _("发放物资")
        ordering = ["event", "name"]
        constraints = [
            models.UniqueConstraint(fields=["event", "name"], name="unique_event_material")
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.quantity}{self.unit}"

    @classmethod
    def scope_q(cls, scope) -> Q:
        return _through_event(scope)


class EventPhoto(models.Model):
    """A photo of the event (stripped of EXIF, with a thumbnail; core/photos.py)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to="events/%Y/%m/")
    thumbnail = models.ImageField(upload_to="events/thumbs/%Y/%m/")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("活动照片")
        verbose_name_plural = _("活动照片")
        ordering = ["event", "id"]

    def __str__(self) -> str:
        return f"{self.event} #{self.pk}"

    @classmethod
    def scope_q(cls, scope) -> Q:
        return _through_event(scope)


class TextMessage(PIIMixin, models.Model):
    """The outbox of text messages to registrants (they have no account, so no inbox):
    moved up from the waiting list, event cancelled. A deployment's SMS provider sends
    them; `sent_at` marks those handed over."""

    registration = models.ForeignKey(
        Registration, verbose_name=_("报名"), on_delete=models.CASCADE, related_name="messages"
    )
    phone = EncryptedTextField(_("手机号"), kind="phone")
    text = models.CharField(_("内容"), max_length=200)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("短信")
        verbose_name_plural = _("短信发件箱")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.masked('phone')} · {self.text[:20]}"

    @classmethod
    def scope_q(cls, scope) -> Q:
        return Q(registration__in=Registration.objects.filter(_through_event(scope)).values("pk"))
