"""党员生活: the winter-training plan of a party organisation, its sessions and their
attendance, study hours, members' reflections (moderated as on the stations' wall), the
practice classes' links to the work they produced, and the contact days (partylife.md)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from genxi.core.models import TimeStampedModel
from genxi.core.roles import Perm
from genxi.core.scope import ScopedQuerySet
from genxi.stations.models import ReflectionStatus

ORG_PATH = "org__region__path"


class SessionKind(models.TextChoices):
    STUDY = "study", _("学习")
    DISCUSSION = "discussion", _("讨论")
    PRACTICE = "practice", _("实践课堂")
    THEME_DAY = "theme_day", _("主题党日")


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("出席")
    ABSENT = "absent", _("缺席")
    LEAVE = "leave", _("请假")


class TrainingPlan(TimeStampedModel):
    """冬训计划: one per organisation and year."""

    org = models.ForeignKey(
        "orgs.PartyOrg",
        verbose_name=_("党组织"),
        on_delete=models.CASCADE,
        related_name="training_plans",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("计划名称"), max_length=80)
    note = models.TextField(_("说明"), blank=True)

    objects = ScopedQuerySet.as_manager()

    scope_perm = Perm.VIEW_RESIDENTS  # members are personal data, as residents are

    scope_path = ORG_PATH

    class Meta:
        verbose_name = _("冬训计划")
        verbose_name_plural = _("冬训计划")
        ordering = ["-year", "org__region__path", "id"]
        constraints = [
            models.UniqueConstraint(fields=["org", "year"], name="one_training_plan_a_year")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("partylife:plan", args=[self.pk])


class TrainingSession(TimeStampedModel):
    """A session of the plan; held once its attendance is recorded."""

    plan = models.ForeignKey(
        TrainingPlan, verbose_name=_("冬训计划"), on_delete=models.CASCADE, related_name="sessions"
    )
    topic = models.CharField(_("主题"), max_length=80)
    kind = models.CharField(_("形式"), max_length=16, choices=SessionKind.choices)
    starts_at = models.DateTimeField(_("开始时间"))
    minutes = models.PositiveSmallIntegerField(_("时长(分钟)"))
    place = models.CharField(_("地点"), max_length=80, blank=True)
    materials = models.TextField(_("学习材料"), blank=True)
    books = models.ManyToManyField(
        "stations.Book", verbose_name=_("驿站图书"), blank=True, related_name="training_sessions"
    )
    held_at = models.DateTimeField(_("考勤登记时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    scope_perm = Perm.VIEW_RESIDENTS  # members are personal data, as residents are

    scope_path = "plan__org__region__path"

    class Meta:
        verbose_name = _("冬训课程")
        verbose_name_plural = _("冬训课程")
        ordering = ["starts_at", "id"]

    def __str__(self) -> str:
        return self.topic

    def get_absolute_url(self) -> str:
        return reverse("partylife:session", args=[self.pk])


class Attendance(models.Model):
    session = models.ForeignKey(
        TrainingSession,
        verbose_name=_("冬训课程"),
        on_delete=models.CASCADE,
        related_name="attendance",
    )
    member = models.ForeignKey(
        "orgs.PartyMember",
        verbose_name=_("党员"),
        on_delete=models.CASCADE,
        related_name="attendance",
    )
    status = models.CharField(_("出勤"), max_length=8, choices=AttendanceStatus.choices)

    objects = ScopedQuerySet.as_manager()

    scope_perm = Perm.VIEW_RESIDENTS  # members are personal data, as residents are

    scope_path = "session__plan__org__region__path"

    class Meta:
        verbose_name = _("考勤")
        verbose_name_plural = _("考勤")
        ordering = ["session", "member"]
        constraints = [
            models.UniqueConstraint(fields=["session", "member"], name="one_attendance_a_member")
        ]

    def __str__(self) -> str:
        return f"{self.session} · {self.member.name}"


class StudyEntry(TimeStampedModel):
    """自学: study a member did on their own, counted into their study hours."""

    member = models.ForeignKey(
        "orgs.PartyMember",
        verbose_name=_("党员"),
        on_delete=models.CASCADE,
        related_name="study_entries",
    )
    day = models.DateField(_("日期"))
    minutes = models.PositiveSmallIntegerField(_("时长(分钟)"))
    note = models.CharField(_("学习内容"), max_length=120)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()

    scope_perm = Perm.VIEW_RESIDENTS  # members are personal data, as residents are

    scope_path = "member__org__region__path"

    class Meta:
        verbose_name = _("自学记录")
        verbose_name_plural = _("自学记录")
        ordering = ["-day", "-id"]

    def __str__(self) -> str:
        return f"{self.member.name} · {self.note}"


class StudyReflection(models.Model):
    """学习感悟: a member's short reflection; shown once approved, with the stations' wall's
    statuses (stations.ReflectionStatus)."""

    member = models.ForeignKey(
        "orgs.PartyMember",
        verbose_name=_("党员"),
        on_delete=models.CASCADE,
        related_name="reflections",
    )
    session = models.ForeignKey(
        TrainingSession,
        verbose_name=_("冬训课程"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reflections",
    )
    text = models.CharField(_("学习感悟"), max_length=200)
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=ReflectionStatus.choices,
        default=ReflectionStatus.PENDING,
        db_index=True,
    )
    created_at = models.DateTimeField(_("发表时间"), auto_now_add=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    moderated_at = models.DateTimeField(_("审核时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    scope_perm = Perm.VIEW_RESIDENTS  # members are personal data, as residents are

    scope_path = "member__org__region__path"

    class Meta:
        verbose_name = _("学习感悟")
        verbose_name_plural = _("学习感悟")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.member.name} · {self.text[:20]}"


class PracticeLink(models.Model):
    """A practice class's output: an inspection round, a visit, an event (any object with a
    page; the kinds are in partylife.links)."""

    session = models.ForeignKey(
        TrainingSession,
        verbose_name=_("冬训课程"),
        on_delete=models.CASCADE,
        related_name="practice_links",
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    label = models.CharField(_("成果"), max_length=120)
    created_at = models.DateTimeField(_("关联时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    scope_perm = Perm.VIEW_RESIDENTS  # members are personal data, as residents are

    scope_path = "session__plan__org__region__path"

    class Meta:
        verbose_name = _("实践课堂成果")
        verbose_name_plural = _("实践课堂成果")
        ordering = ["session", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "content_type", "object_id"], name="one_link_per_output"
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.session} → {self.label}"


class ContactDay(TimeStampedModel):
    """社情民意联系日: a cadre or member at a community on a set day."""

    org = models.ForeignKey(
        "orgs.PartyOrg",
        verbose_name=_("党组织"),
        on_delete=models.CASCADE,
        related_name="contact_days",
    )
    community = models.ForeignKey(
        "regions.Region", verbose_name=_("联系社区"), on_delete=models.PROTECT, related_name="+"
    )
    day = models.DateField(_("联系日"))
    member = models.ForeignKey(
        "orgs.PartyMember",
        verbose_name=_("联系党员/干部"),
        on_delete=models.CASCADE,
        related_name="contact_days",
    )
    place = models.CharField(_("地点"), max_length=80, blank=True)

    objects = ScopedQuerySet.as_manager()

    scope_perm = Perm.VIEW_RESIDENTS  # members are personal data, as residents are

    scope_path = "community__path"

    class Meta:
        verbose_name = _("社情民意联系日")
        verbose_name_plural = _("社情民意联系日")
        ordering = ["-day", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "community", "day"], name="one_contact_day_a_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} · {self.community}"

    def get_absolute_url(self) -> str:
        return reverse("partylife:contact_day", args=[self.pk])


class ContactNote(models.Model):
    """What was heard on a contact day: a note, or a case in the request loop."""

    day = models.ForeignKey(
        ContactDay, verbose_name=_("联系日"), on_delete=models.CASCADE, related_name="notes"
    )
    text = models.CharField(_("民情记录"), max_length=500)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("转为工单"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    scope_perm = Perm.VIEW_RESIDENTS  # members are personal data, as residents are

    scope_path = "day__community__path"

    class Meta:
        verbose_name = _("民情记录")
        verbose_name_plural = _("民情记录")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.text[:20]
