"""Inspections and rectification (检查整改): checklist templates kept in versions, the places
inspected (targets), rounds with their joint team, one inspection per target in a round
answered item by item, and the rectification notices (整改通知单) with their re-inspection
and escalation into the request loop.

Scope: the staff of a place see its targets, rounds and notices (street by street,
community by community); a department officer sees the rounds it is on the team of and
their targets, inspections and notices (not the street's others)."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from genxi.core.models import TimeStampedModel
from genxi.core.pii import EncryptedTextField, PIIMixin
from genxi.core.roles import Role
from genxi.core.scope import ScopedQuerySet, path_q

from .domain.rules import NoticeState as NoticeStateValue
from .domain.rules import Result as ResultValue
from .domain.rules import round_phase


class TemplateKind(models.TextChoices):
    FOOD = "food", _("食品安全")
    FIRE = "fire", _("消防安全")
    ENVIRONMENT = "environment", _("居住环境")


class TargetKind(models.TextChoices):
    SCHOOL_CANTEEN = "school_canteen", _("学校食堂")
    RESTAURANT = "restaurant", _("餐饮店")
    HOTEL = "hotel", _("旅馆")
    ESTATE_AGENCY = "estate_agency", _("房产中介")
    TRAINING = "training", _("培训机构")
    SHOP = "shop", _("商铺")
    RESIDENTIAL = "residential", _("住宅小区")


# How a target is counted in a round's summary: "5所学校食堂", "12家商铺", "3个小区".
MEASURE: dict[str, StrOrPromise] = {
    TargetKind.SCHOOL_CANTEEN: _("所"),
    TargetKind.RESIDENTIAL: _("个"),
}


class ItemType(models.TextChoices):
    CHECK = "check", _("合格/不合格/不适用")
    NUMBER = "number", _("数值")
    TEXT = "text", _("文字")
    PHOTO = "photo", _("照片")


class Severity(models.TextChoices):
    MINOR = "minor", _("一般")
    MAJOR = "major", _("较重")
    CRITICAL = "critical", _("严重")


class Result(models.TextChoices):
    PASS = ResultValue.PASS.value, _("合格")
    FAIL = ResultValue.FAIL.value, _("不合格")
    NA = ResultValue.NA.value, _("不适用")


class NoticeState(models.TextChoices):
    OPEN = NoticeStateValue.OPEN.value, _("待复查")
    CLOSED = NoticeStateValue.CLOSED.value, _("已整改")
    ESCALATED = NoticeStateValue.ESCALATED.value, _("已转诉求")


class MemberRole(models.TextChoices):
    DEPARTMENT = "department", _("职能部门")
    STREET = "street", _("街道")
    COMMUNITY = "community", _("社区")
    VOLUNTEER = "volunteer", _("志愿者")


def _staff_paths(scope) -> tuple[str, ...]:
    """The places the user sees as the staff of a place: every role's path except a
    department officer's, who sees only the rounds it is on."""
    return tuple(sorted({p for r, p in scope.role_paths if r != Role.DEPARTMENT_OFFICER}))


def _rounds_of(user_id: int | None) -> Q:
    if user_id is None:
        return Q(pk__in=[])
    return Q(pk__in=RoundMember.objects.filter(user_id=user_id).values("round"))


# Checklists ---------------------------------------------------------------------------------


class ChecklistTemplate(TimeStampedModel):
    """A checklist (检查表); its items live in versions, the newest being the one in use."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    kind = models.CharField(_("类别"), max_length=16, choices=TemplateKind.choices)
    target_kinds = models.JSONField(_("适用对象"), default=list, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("检查表")
        verbose_name_plural = _("检查表")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("inspections:template", args=[self.pk])

    @classmethod
    def scope_q(cls, scope) -> Q:
        return Q()  # city-wide reference: whoever may see business data reads it

    def current(self) -> TemplateVersion:
        return self.versions.order_by("-number").first()  # type: ignore[return-value]


class TemplateVersion(models.Model):
    """A fixed set of items: editing a checklist makes a new version; an inspection keeps
    the version its round used."""

    template = models.ForeignKey(
        ChecklistTemplate,
        verbose_name=_("检查表"),
        on_delete=models.PROTECT,
        related_name="versions",
    )
    number = models.PositiveIntegerField(_("版本"))
    note = models.CharField(_("修订说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("修订人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("检查表版本")
        verbose_name_plural = _("检查表版本")
        ordering = ["template", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="unique_template_version")
        ]

    def __str__(self) -> str:
        return f"{self.template} v{self.number}"

    @classmethod
    def scope_q(cls, scope) -> Q:
        return Q()


class ChecklistItem(models.Model):
    version = models.ForeignKey(
        TemplateVersion, verbose_name=_("版本"), on_delete=models.CASCADE, related_name="items"
    )
    position = models.PositiveIntegerField(_("序号"))
    text = models.CharField(_("检查内容"), max_length=200)
    type = models.CharField(
        _("类型"), max_length=16, choices=ItemType.choices, default=ItemType.CHECK
    )
    guidance = models.TextField(_("检查要点"), blank=True)
    severity = models.CharField(
        _("严重程度"), max_length=16, choices=Severity.choices, default=Severity.MINOR
    )
    legal_basis = models.CharField(_("法律依据"), max_length=300, blank=True)
    remedy = models.CharField(_("整改要求"), max_length=300, blank=True)
    photo_on_fail = models.BooleanField(_("不合格须拍照"), default=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("检查项")
        verbose_name_plural = _("检查项")
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="unique_item_position")
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.text}"

    @classmethod
    def scope_q(cls, scope) -> Q:
        return Q()


# Targets ------------------------------------------------------------------------------------


class Target(PIIMixin, TimeStampedModel):
    """A place inspected: a school with a canteen, a shop, a residential compound."""

    kind = models.CharField(_("类型"), max_length=20, choices=TargetKind.choices)
    name = models.CharField(_("名称"), max_length=80)
    community = models.ForeignKey(
        "regions.Region", verbose_name=_("社区"), on_delete=models.PROTECT, related_name="+"
    )
    grid = models.ForeignKey(
        "regions.Region",
        verbose_name=_("网格"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    address = models.CharField(_("地址"), max_length=120, blank=True)
    licences = models.CharField(_("许可证号"), max_length=200, blank=True)
    responsible_name = EncryptedTextField(_("负责人"), kind="text")
    responsible_phone = EncryptedTextField(_("负责人电话"), kind="phone")
    active = models.BooleanField(_("在册"), default=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("检查对象")
        verbose_name_plural = _("检查对象")
        ordering = ["community__path", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("inspections:target", args=[self.pk])

    @classmethod
    def scope_q(cls, scope) -> Q:
        """The staff of its place; a department officer the targets of its rounds."""
        q = path_q("community__path", _staff_paths(scope)) | path_q(
            "grid__path", _staff_paths(scope)
        )
        if scope.user_id is not None:
            rounds = RoundMember.objects.filter(user_id=scope.user_id).values("round")
            q |= Q(pk__in=Inspection.objects.filter(round__in=rounds).values("target"))
        return q


# Rounds -------------------------------------------------------------------------------------


class RoundState(models.TextChoices):
    PLANNED = "planned", _("计划中")
    DONE = "done", _("已完成")


ROUND_PHASES = {
    "done": RoundState.DONE.label,
    "planned": RoundState.PLANNED.label,
    "running": _("进行中"),
    "overdue": _("待结束"),
}


class Round(TimeStampedModel):
    """A planned inspection round (检查轮次): its targets, checklist version, dates, team."""

    title = models.CharField(_("名称"), max_length=80)
    street = models.ForeignKey(
        "regions.Region", verbose_name=_("街道"), on_delete=models.PROTECT, related_name="+"
    )
    version = models.ForeignKey(
        TemplateVersion, verbose_name=_("检查表版本"), on_delete=models.PROTECT, related_name="+"
    )
    department = models.CharField(_("牵头部门"), max_length=60, blank=True)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    state = models.CharField(
        _("状态"), max_length=16, choices=RoundState.choices, default=RoundState.PLANNED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("制定人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("检查轮次")
        verbose_name_plural = _("检查轮次")
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("inspections:round", args=[self.pk])

    def phase_display(self) -> str:
        """Where a round stands, as its street sees it (`domain.rules.round_phase`): 已完成
        once closed, else 计划中, 进行中, or 待结束 past its last day (its page offers to
        close it)."""
        phase = round_phase(
            self.state == RoundState.DONE, self.starts_on, self.ends_on, timezone.localdate()
        )
        return str(ROUND_PHASES[phase])

    @classmethod
    def scope_q(cls, scope) -> Q:
        """The street's staff, the staff of a community with a target in it, its team."""
        paths = _staff_paths(scope)
        places = path_q("target__community__path", paths) | path_q("target__grid__path", paths)
        q = path_q("street__path", paths) | Q(
            pk__in=Inspection.objects.filter(places).values("round")
        )
        return q | _rounds_of(scope.user_id)


class RoundMember(models.Model):
    """One person of the joint team (联合检查组)."""

    round = models.ForeignKey(
        Round, verbose_name=_("检查轮次"), on_delete=models.CASCADE, related_name="members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("身份"), max_length=16, choices=MemberRole.choices)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("检查组成员")
        verbose_name_plural = _("检查组成员")
        constraints = [
            models.UniqueConstraint(fields=["round", "user"], name="unique_round_member")
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.user}"

    @classmethod
    def scope_q(cls, scope) -> Q:
        return Q(round__in=Round.objects.filter(Round.scope_q(scope)).values("pk"))


def _through_round(scope) -> Q:
    return Q(round__in=Round.objects.filter(Round.scope_q(scope)).values("pk"))


class InspectionState(models.TextChoices):
    PENDING = "pending", _("待检查")
    DONE = "done", _("已检查")


class Inspection(models.Model):
    """One target in one round, answered item by item; a re-inspection follows a notice."""

    round = models.ForeignKey(
        Round, verbose_name=_("检查轮次"), on_delete=models.CASCADE, related_name="inspections"
    )
    target = models.ForeignKey(
        Target, verbose_name=_("检查对象"), on_delete=models.PROTECT, related_name="inspections"
    )
    reinspects = models.ForeignKey(
        "Notice",
        verbose_name=_("复查的整改通知单"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reinspections",
    )
    scheduled_on = models.DateField(_("计划日期"), null=True, blank=True)
    state = models.CharField(
        _("状态"),
        max_length=16,
        choices=InspectionState.choices,
        default=InspectionState.PENDING,
        db_index=True,
    )
    repeat_offender = models.BooleanField(_("曾被责令整改"), default=False)
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("检查人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    done_at = models.DateTimeField(_("检查时间"), null=True, blank=True)
    note = models.TextField(_("检查意见"), blank=True)
    ack_name = models.CharField(_("负责人签字"), max_length=40, blank=True)
    ack_signature = models.ImageField(_("签名"), upload_to="inspections/signatures/", blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("检查记录")
        verbose_name_plural = _("检查记录")
        ordering = ["round", "target__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "target"],
                condition=Q(reinspects__isnull=True),
                name="unique_round_target",
            )
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.target}"

    def get_absolute_url(self) -> str:
        return reverse("inspections:inspection", args=[self.pk])

    @classmethod
    def scope_q(cls, scope) -> Q:
        return _through_round(scope)


class Answer(models.Model):
    inspection = models.ForeignKey(
        Inspection, verbose_name=_("检查记录"), on_delete=models.CASCADE, related_name="answers"
    )
    item = models.ForeignKey(
        ChecklistItem, verbose_name=_("检查项"), on_delete=models.PROTECT, related_name="+"
    )
    result = models.CharField(_("结果"), max_length=8, choices=Result.choices, blank=True)
    number = models.DecimalField(_("数值"), max_digits=12, decimal_places=2, null=True, blank=True)
    text = models.CharField(_("记录"), max_length=500, blank=True)
    note = models.CharField(_("备注"), max_length=500, blank=True)
    fixed_on_spot = models.BooleanField(_("当场整改"), default=False)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填写人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("填写时间"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("检查结果")
        verbose_name_plural = _("检查结果")
        ordering = ["inspection", "item__position"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "item"], name="unique_answer_item")
        ]

    def __str__(self) -> str:
        return f"{self.inspection} · {self.item}"

    @classmethod
    def scope_q(cls, scope) -> Q:
        return Q(inspection__in=Inspection.objects.filter(_through_round(scope)).values("pk"))


class AnswerKey(models.Model):
    """An answer's submission key: a replayed submission (the same key) changes nothing."""

    key = models.UUIDField(primary_key=True)
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="keys")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("提交编号")
        verbose_name_plural = _("提交编号")

    def __str__(self) -> str:
        return str(self.key)

    @classmethod
    def scope_q(cls, scope) -> Q:
        return Q(answer__in=Answer.objects.filter(Answer.scope_q(scope)).values("pk"))


class AnswerPhoto(models.Model):
    answer = models.ForeignKey(
        Answer, verbose_name=_("检查结果"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(_("照片"), upload_to="inspections/photos/")
    thumbnail = models.ImageField(_("缩略图"), upload_to="inspections/thumbs/")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("检查照片")
        verbose_name_plural = _("检查照片")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.answer} · {self.pk}"

    @classmethod
    def scope_q(cls, scope) -> Q:
        return Q(answer__in=Answer.objects.filter(Answer.scope_q(scope)).values("pk"))


# Rectification notices ------------------------------------------------------------------------


class NoticeCounter(models.Model):
    """The last notice number of a street in a year; locked while a notice takes the next."""

    street = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    objects = ScopedQuerySet.as_manager()
    scope_path = "street__path"

    class Meta:
        verbose_name = _("通知单编号")
        verbose_name_plural = _("通知单编号")
        constraints = [
            models.UniqueConstraint(fields=["street", "year"], name="unique_notice_counter")
        ]

    def __str__(self) -> str:
        return f"{self.street} {self.year}: {self.last}"


class Notice(TimeStampedModel):
    """A rectification notice (整改通知单): the failed items, what must be done, the legal
    basis and the deadline; re-inspected at the deadline, escalated if not fixed."""

    number = models.CharField(_("编号"), max_length=60, unique=True)
    street = models.ForeignKey(
        "regions.Region", verbose_name=_("街道"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveIntegerField(_("年度"))
    seq = models.PositiveIntegerField(_("序号"))
    inspection = models.ForeignKey(
        Inspection, verbose_name=_("检查记录"), on_delete=models.PROTECT, related_name="notices"
    )
    target = models.ForeignKey(
        Target, verbose_name=_("检查对象"), on_delete=models.PROTECT, related_name="notices"
    )
    due_at = models.DateTimeField(_("整改期限"), db_index=True)
    state = models.CharField(
        _("状态"),
        max_length=16,
        choices=NoticeState.choices,
        default=NoticeState.OPEN,
        db_index=True,
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签发人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    case = models.OneToOneField(
        "cases.Case",
        verbose_name=_("转办诉求"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspection_notice",
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("整改通知单")
        verbose_name_plural = _("整改通知单")
        ordering = ["-year", "-seq"]
        constraints = [
            models.UniqueConstraint(fields=["street", "year", "seq"], name="unique_notice_seq")
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("inspections:notice", args=[self.pk])

    @property
    def due_on(self) -> date:
        """The last day to put it right (the deadline is that day's end)."""
        return timezone.localtime(self.due_at).date() - timedelta(days=1)

    @property
    def is_overdue(self) -> bool:
        return self.state == NoticeState.OPEN and timezone.now() >= self.due_at

    @classmethod
    def scope_q(cls, scope) -> Q:
        return Q(inspection__in=Inspection.objects.filter(_through_round(scope)).values("pk"))


class NoticeItem(models.Model):
    notice = models.ForeignKey(
        Notice, verbose_name=_("整改通知单"), on_delete=models.CASCADE, related_name="items"
    )
    item = models.ForeignKey(
        ChecklistItem, verbose_name=_("检查项"), on_delete=models.PROTECT, related_name="+"
    )
    finding = models.CharField(_("存在问题"), max_length=500)
    remedy = models.CharField(_("整改要求"), max_length=300)
    legal_basis = models.CharField(_("法律依据"), max_length=300, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("整改事项")
        verbose_name_plural = _("整改事项")
        ordering = ["notice", "item__position"]

    def __str__(self) -> str:
        return f"{self.notice} · {self.item}"

    @classmethod
    def scope_q(cls, scope) -> Q:
        return Q(notice__in=Notice.objects.filter(Notice.scope_q(scope)).values("pk"))
