"""People: accounts and their memberships, residents, pioneers; and import jobs."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from genxi.core.memo import Memo
from genxi.core.models import TimeStampedModel, UnicodeJSONEncoder
from genxi.core.pii import EncryptedTextField, PIIMixin
from genxi.core.roles import Perm, Role
from genxi.core.scope import ScopedQuerySet, path_q
from genxi.regions.models import Level

# The posts of the accounts without a name — (role, place) of their active roles, by account —
# read in one query and kept a few minutes a process, so a page naming many such accounts
# reads them once, not once a row. The people services forget it when a role changes.
UNNAMED_POSTS = Memo("people.unnamed_posts", seconds=300)


def _unnamed_posts() -> dict[int, list[tuple[str, str]]]:
    rows = (
        User.objects.filter(display_name="")
        .annotate(
            role=F("memberships__role"),
            region_path=F("memberships__region__path"),
            region_name=F("memberships__region__name"),
            region_level=F("memberships__region__level"),
            parent_name=F("memberships__region__parent__name"),
            unit_name=F("memberships__unit__name"),
            active=F("memberships__active"),
        )
        .order_by("pk", F("region_path").asc(nulls_last=True), "role")
        .values_list(
            "pk", "role", "region_name", "region_level", "parent_name", "unit_name", "active"
        )
    )
    posts: dict[int, list[tuple[str, str]]] = {}
    for pk, role, region, level, parent, unit, active in rows:
        held = posts.setdefault(pk, [])
        if role and active:
            if region and level == Level.GRID and parent:
                region = f"{parent} · {region}"  # every community has a 第1网格 (Region.full_name)
            held.append((role, region or unit or ""))
    return posts


class UserQuerySet(ScopedQuerySet):
    pass


# mypy's Django plugin does not follow `from_queryset()` as a base class (nor, on a run
# without its cache, through an assignment): to mypy the manager's methods are untyped.
class GenxiUserManager(UserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    pass


class User(AbstractUser):
    """A login. What it may see comes from its memberships, not from Django's flags."""

    display_name = models.CharField(_("姓名"), max_length=50, blank=True)
    must_change_password = models.BooleanField(_("须修改初始密码"), default=True)

    objects: ClassVar[GenxiUserManager] = GenxiUserManager()

    scope_perm = Perm.MANAGE_ACCOUNTS

    class Meta:
        verbose_name = _("账号")
        verbose_name_plural = _("账号")

    def __str__(self) -> str:
        """The name a person reads wherever an account is shown (the header, a case's
        handler and history, the inbox, the audit log): the account's name, else its post
        — the role and its place, marked (金阊街道 街道管理员(未署名)) — else 未署名用户,
        never the login.
        The Django admin lists the login in a column of its own."""
        return self.display_name or self.post_label()

    def get_short_name(self) -> str:
        """What Django's admin greets the account by (欢迎, …): its name, not its login."""
        return str(self)

    def get_full_name(self) -> str:
        return str(self)

    @classmethod
    def scope_q(cls, scope) -> Q:
        # The security admin manages every account; the permission check already happened.
        return Q()

    def post_label(self) -> str:
        """An unnamed account as a person calls it: its first post (the widest place), in
        the page's language."""
        posts = self._posts() if self.pk else []
        if not posts:
            return gettext("未署名用户")
        role, place = posts[0]
        label = Role(role).label if role in Role.values else role
        # Marked, so that it is not read as the name of an account named after its post.
        if not place:
            return gettext("%(role)s(未署名)") % {"role": label}
        return gettext("%(place)s %(role)s(未署名)") % {"place": place, "role": label}

    def _posts(self) -> list[tuple[str, str]]:
        posts = UNNAMED_POSTS.get_or_build(_unnamed_posts)
        if self.pk not in posts and self.pk > max(posts, default=0):
            UNNAMED_POSTS.forget()  # an account made since they were read: read them again
            posts = UNNAMED_POSTS.get_or_build(_unnamed_posts)
        return posts.get(self.pk, [])


class Membership(TimeStampedModel):
    """A role held by a user on an organisation node (or a partner unit); covers the subtree."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账号"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("组织节点"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    unit = models.ForeignKey(
        "orgs.PartnerUnit",
        verbose_name=_("共建单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    active = models.BooleanField(_("有效"), default=True)

    objects = ScopedQuerySet.as_manager()

    scope_perm = Perm.MANAGE_ACCOUNTS

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "region", "unit"], name="unique_membership"
            ),
        ]

    def __str__(self) -> str:
        where = self.unit or self.region or _("全局")
        return f"{self.user} · {self.get_role_display()} · {where}"

    @classmethod
    def scope_q(cls, scope) -> Q:
        return Q()


class ResidentTag(models.TextChoices):
    ELDERLY_ALONE = "elderly_alone", _("独居老人")
    ELDERLY = "elderly", _("高龄老人")
    DISABLED = "disabled", _("残疾人")
    LOW_INCOME = "low_income", _("低保户")
    VETERAN = "veteran", _("退役军人")
    CHILD_LEFT_BEHIND = "child_left_behind", _("留守儿童")
    SERIOUS_ILLNESS = "serious_illness", _("重病患者")


class LegalBasis(models.TextChoices):
    CONSENT = "consent", _("本人同意")
    PUBLIC_DUTY = "public_duty", _("履行法定职责")
    CONTRACT = "contract", _("为订立、履行合同所必需")
    EMERGENCY = "emergency", _("应对突发公共卫生事件或紧急情况")


class Resident(PIIMixin, TimeStampedModel):
    """A resident served by a community. Phone, ID number and address are encrypted."""

    name = models.CharField(_("姓名"), max_length=50)
    phone = EncryptedTextField(_("手机号码"), kind="phone")
    id_number = EncryptedTextField(_("身份证号"), kind="id_number")
    id_number_digest = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    address = EncryptedTextField(_("住址"), kind="address")
    building = models.CharField(_("楼栋"), max_length=50, blank=True)
    grid = models.ForeignKey(
        "regions.Region", verbose_name=_("网格"), on_delete=models.PROTECT, related_name="residents"
    )
    tags = models.JSONField(_("标签"), default=list, blank=True, encoder=UnicodeJSONEncoder)
    legal_basis = models.CharField(
        _("处理依据"), max_length=32, choices=LegalBasis.choices, default=LegalBasis.PUBLIC_DUTY
    )
    note = models.TextField(_("备注"), blank=True)

    objects = ScopedQuerySet.as_manager()

    scope_path = "grid__path"
    scope_perm = Perm.VIEW_RESIDENTS
    pii_digests = {"id_number_digest": "id_number"}

    class Meta:
        verbose_name = _("居民")
        verbose_name_plural = _("居民")
        ordering = ["grid__path", "name", "id"]
        indexes = [models.Index(fields=["name"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("people:resident", args=[self.pk])

    def tag_labels(self) -> list[str]:
        labels = dict(ResidentTag.choices)
        return [str(labels.get(t, t)) for t in self.tags]


class SmsConsent(models.Model):
    """A resident's consent to text messages from the community (短信同意): when and by whom
    it was recorded, when and by whom withdrawn. One row per resident; consenting again
    after a withdrawal starts afresh (the audit log keeps the history). An SMS to a
    resident is sent only while it is given — checked again, under this row's lock, when
    the text leaves (notices, decision 0029)."""

    resident = models.OneToOneField(
        Resident, verbose_name=_("居民"), on_delete=models.CASCADE, related_name="sms_consent"
    )
    consented_at = models.DateTimeField(_("同意时间"))
    consented_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    how = models.CharField(_("同意方式"), max_length=100, blank=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("撤回登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()

    scope_path = "resident__grid__path"
    scope_perm = Perm.VIEW_RESIDENTS

    class Meta:
        verbose_name = _("短信同意")
        verbose_name_plural = _("短信同意")

    def __str__(self) -> str:
        return str(self.pk)

    @property
    def given(self) -> bool:
        return self.withdrawn_at is None


class PioneerKind(models.TextChoices):
    PARTY_MEMBER = "party_member", _("党员")
    GRID_WORKER = "grid_worker", _("网格员")
    PROPERTY_STAFF = "property_staff", _("物业人员")
    RESIDENT_LEADER = "resident_leader", _("居民骨干")
    NEW_EMPLOYMENT = "new_employment", _("新业态新就业群体")


class NewEmploymentJob(models.TextChoices):
    COURIER = "courier", _("快递员")
    RIDER = "rider", _("外卖骑手")
    DRIVER = "driver", _("网约车司机")


class Pioneer(PIIMixin, TimeStampedModel):
    """海棠先锋: a volunteer who learns residents' needs and solves problems in their grids."""

    code = models.CharField(_("编号"), max_length=32, unique=True)
    name = models.CharField(_("姓名"), max_length=50)
    phone = EncryptedTextField(_("手机号码"), kind="phone")
    kind = models.CharField(_("类别"), max_length=32, choices=PioneerKind.choices, db_index=True)
    job = models.CharField(
        _("新就业岗位"), max_length=16, choices=NewEmploymentJob.choices, blank=True
    )
    grid = models.ForeignKey(
        "regions.Region",
        verbose_name=_("主网格"),
        on_delete=models.PROTECT,
        related_name="pioneers",
    )
    extra_grids = models.ManyToManyField(
        "regions.Region", verbose_name=_("其他网格"), blank=True, related_name="+"
    )
    skills = models.JSONField(_("技能"), default=list, blank=True, encoder=UnicodeJSONEncoder)
    availability = models.CharField(_("服务时间"), max_length=100, blank=True)
    active = models.BooleanField(_("在岗"), default=True, db_index=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pioneer",
    )

    objects = ScopedQuerySet.as_manager()

    scope_path = "grid__path"

    class Meta:
        verbose_name = _("海棠先锋")
        verbose_name_plural = _("海棠先锋")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("people:pioneer", args=[self.pk])


class ImportKind(models.TextChoices):
    RESIDENTS = "residents", _("居民")
    PIONEERS = "pioneers", _("海棠先锋")
    UNITS = "units", _("共建单位")


class ImportMode(models.TextChoices):
    CREATE = "create", pgettext_lazy("导入方式", "新增")
    UPDATE = "update", pgettext_lazy("导入方式", "更新")


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("排队中")
    RUNNING = "running", _("导入中")
    PREVIEW = "preview", _("待确认")
    DONE = "done", _("已完成")
    FAILED = "failed", _("有错误,未导入")
    DISCARDED = "discarded", _("已放弃")


class ImportJob(TimeStampedModel):
    """One uploaded Excel file: all rows go in, or none do. In update mode the rows are
    first checked into a preview (`preview`: per row new, changed with its fields' old and
    new values masked, or unchanged), and written when the importer confirms it."""

    kind = models.CharField(_("类型"), max_length=16, choices=ImportKind.choices)
    mode = models.CharField(
        _("导入方式"), max_length=8, choices=ImportMode.choices, default=ImportMode.CREATE
    )
    file = models.FileField(_("文件"), upload_to="imports/%Y/%m/")
    filename = models.CharField(_("文件名"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("导入范围"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    total_rows = models.PositiveIntegerField(_("总行数"), default=0)
    processed_rows = models.PositiveIntegerField(_("已处理"), default=0)
    created_rows = models.PositiveIntegerField(_("新增"), default=0)
    updated_rows = models.PositiveIntegerField(_("修改"), default=0)
    unchanged_rows = models.PositiveIntegerField(_("无变化"), default=0)
    errors = models.JSONField(_("错误"), default=list, blank=True)
    preview = models.JSONField(_("预览"), default=list, blank=True)

    objects = ScopedQuerySet.as_manager()

    scope_perm = Perm.IMPORT_DATA

    class Meta:
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.filename}"

    def get_absolute_url(self) -> str:
        return reverse("people:import", args=[self.pk])

    @property
    def percent(self) -> int:
        """Checking rows is most of the work; 100 % only once the rows are written."""
        if self.settled:
            return 100
        if not self.total_rows:
            return 0
        return min(99, round(100 * self.processed_rows / self.total_rows))

    @property
    def finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED, ImportStatus.DISCARDED)

    @property
    def settled(self) -> bool:
        """Nothing more happens without the importer: finished, or waiting for confirmation."""
        return self.finished or self.status == ImportStatus.PREVIEW

    @classmethod
    def scope_q(cls, scope) -> Q:
        return path_q("region__path", scope.paths)
