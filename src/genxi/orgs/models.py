"""The four-level party organisation, partner units and their pairings with communities."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from genxi.core.models import TimeStampedModel
from genxi.core.pii import EncryptedTextField, PIIMixin
from genxi.core.scope import ScopedQuerySet, path_q


class PartyLevel(models.TextChoices):
    STREET_COMMITTEE = "street_committee", _("街道大工委")
    REGIONAL_COMMITTEE = "regional_committee", _("区域党委")
    COMMUNITY_COMMITTEE = "community_committee", _("社区大党委")
    GRID_BRANCH = "grid_branch", _("网格党支部")


class PartyOrg(TimeStampedModel):
    """A party organisation, anchored on a node of the tree.

    A street working committee sits on a street, a community party committee on a
    community, a grid branch on a grid; a regional party committee sits on the street and
    covers several communities (`communities`).
    """

    level = models.CharField(_("层级"), max_length=32, choices=PartyLevel.choices)
    name = models.CharField(_("名称"), max_length=120)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级党组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("所在节点"), on_delete=models.PROTECT, related_name="+"
    )
    communities = models.ManyToManyField(
        "regions.Region", verbose_name=_("覆盖社区"), blank=True, related_name="regional_committees"
    )
    member_units = models.ManyToManyField(
        "orgs.PartnerUnit", verbose_name=_("成员单位"), blank=True, related_name="party_orgs"
    )
    secretary = models.CharField(_("书记"), max_length=50, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("党组织")
        verbose_name_plural = _("党组织")
        ordering = ["region__path", "level", "name"]

    def __str__(self) -> str:
        return self.name


class PartyMember(PIIMixin, TimeStampedModel):
    """A party member in one organisation. The same person may also be a pioneer, a
    resident and an account holder (a cadre): the optional links say so, and each is unique
    within the organisation, so one person is one member of an organisation (partylife.md).
    Phone and ID number are encrypted and masked as a resident's are."""

    org = models.ForeignKey(
        PartyOrg, verbose_name=_("党组织"), on_delete=models.CASCADE, related_name="members"
    )
    name = models.CharField(_("姓名"), max_length=50)
    position = models.CharField(_("职务"), max_length=50, blank=True)
    pioneer = models.ForeignKey(
        "people.Pioneer",
        verbose_name=_("海棠先锋"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="party_memberships",
    )
    resident = models.ForeignKey(
        "people.Resident",
        verbose_name=_("居民档案"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="party_memberships",
    )
    user = models.ForeignKey(
        "people.User",
        verbose_name=_("登录账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="party_memberships",
    )
    phone = EncryptedTextField(_("手机号码"), kind="phone")
    id_number = EncryptedTextField(_("身份证号"), kind="id_number")
    id_number_digest = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    joined_on = models.DateField(_("入党日期"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    scope_path = "org__region__path"
    pii_digests = {"id_number_digest": "id_number"}

    class Meta:
        verbose_name = _("党组织成员")
        verbose_name_plural = _("党组织成员")
        ordering = ["org", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["org", "pioneer"],
                condition=Q(pioneer__isnull=False),
                name="party_member_one_pioneer_per_org",
            ),
            models.UniqueConstraint(
                fields=["org", "resident"],
                condition=Q(resident__isnull=False),
                name="party_member_one_resident_per_org",
            ),
            models.UniqueConstraint(
                fields=["org", "user"],
                condition=Q(user__isnull=False),
                name="party_member_one_user_per_org",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.org} · {self.name}"


class UnitKind(models.TextChoices):
    GOVERNMENT = "government", _("机关单位")
    INSTITUTION = "institution", _("事业单位")
    STATE_ENTERPRISE = "state_enterprise", _("国有企业")
    PRIVATE_ENTERPRISE = "private_enterprise", _("民营企业")
    SOCIAL_ORG = "social_org", _("社会组织")
    PROPERTY = "property", _("物业公司")
    SCHOOL = "school", _("学校")
    MERCHANT = "merchant", _("商户")
    DEPARTMENT = "department", _("职能部门")


class PartnerUnitQuerySet(ScopedQuerySet):
    pass


class PartnerUnit(PIIMixin, TimeStampedModel):
    """A co-building unit (共建单位). Belongs to a street; pairs with communities."""

    code = models.CharField(_("编号"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=120)
    kind = models.CharField(_("类型"), max_length=32, choices=UnitKind.choices, db_index=True)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("所属街道"),
        on_delete=models.PROTECT,
        related_name="partner_units",
    )
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = EncryptedTextField(_("联系电话"), kind="phone")
    address = models.CharField(_("地址"), max_length=200, blank=True)
    service_area = models.CharField(_("服务范围"), max_length=200, blank=True)
    active = models.BooleanField(_("有效"), default=True)

    objects = PartnerUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("共建单位")
        verbose_name_plural = _("共建单位")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("orgs:unit", args=[self.pk])

    @classmethod
    def scope_q(cls, scope) -> Q:
        """A unit is seen in its street's subtree, by its paired communities, and by itself."""
        q = path_q("region__path", scope.paths) | Q(
            pk__in=Pairing.objects.filter(path_q("community__path", scope.paths)).values("unit")
        )
        if scope.unit_ids:
            q |= Q(pk__in=scope.unit_ids)
        return q


class Pairing(TimeStampedModel):
    """结对共建: a partner unit paired with a community."""

    unit = models.ForeignKey(
        PartnerUnit, verbose_name=_("共建单位"), on_delete=models.CASCADE, related_name="pairings"
    )
    community = models.ForeignKey(
        "regions.Region",
        verbose_name=_("社区"),
        on_delete=models.PROTECT,
        related_name="pairings",
    )
    since = models.DateField(_("结对日期"), null=True, blank=True)
    note = models.CharField(_("共建内容"), max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("结对共建")
        verbose_name_plural = _("结对共建")
        constraints = [
            models.UniqueConstraint(fields=["unit", "community"], name="unique_pairing"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} ↔ {self.community}"

    @classmethod
    def scope_q(cls, scope) -> Q:
        q = path_q("community__path", scope.paths)
        if scope.unit_ids:
            q |= Q(unit_id__in=scope.unit_ids)
        return q
