"""The organisation tree: city → district → street → community → grid."""

from __future__ import annotations

from typing import Self

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from genxi.core.models import TimeStampedModel
from genxi.core.scope import ScopedQuerySet


class Level(models.TextChoices):
    CITY = "city", _("市")
    DISTRICT = "district", _("区")
    STREET = "street", _("街道")
    COMMUNITY = "community", _("社区")
    GRID = "grid", _("网格")


LEVEL_ORDER: list[str] = [Level.CITY, Level.DISTRICT, Level.STREET, Level.COMMUNITY, Level.GRID]


class RegionQuerySet(ScopedQuerySet):
    def streets(self) -> Self:
        return self.filter(level=Level.STREET)

    def communities(self) -> Self:
        return self.filter(level=Level.COMMUNITY)

    def grids(self) -> Self:
        return self.filter(level=Level.GRID)

    def under(self, node: Region) -> Self:
        return self.filter(path__startswith=node.path)


class Region(TimeStampedModel):
    """A node of the tree. `path` is the codes from the root, so a subtree is a prefix match."""

    level = models.CharField(_("层级"), max_length=16, choices=Level.choices, db_index=True)
    code = models.CharField(
        _("代码"),
        max_length=15,
        unique=True,
        help_text=_("街道、社区为 12 位统计用区划代码;网格为社区代码加 3 位。"),
    )
    name = models.CharField(_("名称"), max_length=100)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("路径"), max_length=255, unique=True, editable=False)
    geometry = models.JSONField(_("边界(GeoJSON)"), null=True, blank=True)
    center_lat = models.FloatField(_("中心纬度"), null=True, blank=True)
    center_lon = models.FloatField(_("中心经度"), null=True, blank=True)
    households = models.PositiveIntegerField(_("户数"), null=True, blank=True)
    # How residents reach the people of a grid or community: an office number (座机 or
    # hotline), never a volunteer's own mobile (decision 0020).
    # A database default too: migrations of other apps insert regions through historical
    # models that do not know these columns.
    service_phone = models.CharField(
        _("服务电话"), max_length=30, blank=True, default="", db_default=""
    )
    service_hours = models.CharField(
        _("服务时间"), max_length=60, blank=True, default="", db_default=""
    )

    objects = RegionQuerySet.as_manager()

    scope_path = "path"

    class Meta:
        verbose_name = _("区划节点")
        verbose_name_plural = _("区划节点")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("regions:detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        """The place as a person names it: a grid with its community ("彩香一村社区 · 第2网格",
        since every community has a 第2网格), any other node by its own name. Lists select
        `region__parent` with the region so this asks no query per row."""
        if self.level == Level.GRID and self.parent is not None:
            return f"{self.parent.name} · {self.name}"
        return self.name

    @property
    def depth(self) -> int:
        return self.path.count("/") - 1


class Estate(TimeStampedModel):
    """A residential estate (小区) of a community, in the address gazetteer (地址库)."""

    community = models.ForeignKey(
        Region,
        verbose_name=_("社区"),
        on_delete=models.PROTECT,
        related_name="estates",
        limit_choices_to={"level": Level.COMMUNITY},
    )
    name = models.CharField(_("小区名称"), max_length=100)
    aliases = models.JSONField(
        _("其他叫法"), default=list, blank=True, help_text=_("居民常用的其他名称,如“彩香一村”。")
    )

    objects = ScopedQuerySet.as_manager()

    scope_path = "community__path"

    class Meta:
        verbose_name = _("小区")
        verbose_name_plural = _("小区")
        ordering = ["community__path", "name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="estate_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Building(TimeStampedModel):
    """A building (楼栋) of an estate and the grid it belongs to."""

    estate = models.ForeignKey(
        Estate, verbose_name=_("小区"), on_delete=models.CASCADE, related_name="buildings"
    )
    number = models.CharField(_("楼栋号"), max_length=20, help_text=_("如 25(即 25 幢)。"))
    grid = models.ForeignKey(
        Region,
        verbose_name=_("网格"),
        on_delete=models.PROTECT,
        related_name="buildings",
        limit_choices_to={"level": Level.GRID},
    )

    objects = ScopedQuerySet.as_manager()

    scope_path = "estate__community__path"

    class Meta:
        verbose_name = _("楼栋")
        verbose_name_plural = _("楼栋")
        ordering = ["estate", "number"]
        constraints = [
            models.UniqueConstraint(fields=["estate", "number"], name="building_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.estate.name}{self.number}幢"


class FeatureKind(models.TextChoices):
    WATER = "water", _("水面")
    GREEN = "green", _("绿地")
    ESTATE = "estate", _("小区")
    ROAD = "road", _("道路")
    RIVER = "river", _("河流")


class BaseFeature(TimeStampedModel):
    """A piece of the base layer the maps draw under the grids when no tiles are configured
    (docs/maps.md): an estate's outline, a road, a river. Public geography, not anyone's
    data: every signed-in member of staff sees all of it. Written only by an import
    (`genxi basemap_import`, the demo's loader), through `services.basemap_replace`."""

    kind = models.CharField(_("类别"), max_length=16, choices=FeatureKind.choices)
    name = models.CharField(_("名称"), max_length=100, blank=True)
    # 1 a main road (always labelled), 2 a side road; other kinds 1.
    rank = models.PositiveSmallIntegerField(_("等级"), default=1)
    geometry = models.JSONField(_("形状(GeoJSON, WGS-84)"))
    source = models.CharField(_("来源"), max_length=100, blank=True)

    objects = ScopedQuerySet.as_manager()

    @staticmethod
    def scope_q(scope: object) -> models.Q:
        return models.Q()  # public geography: whoever may see place data sees all of it

    class Meta:
        verbose_name = _("底图要素")
        verbose_name_plural = _("底图要素")
        ordering = ["kind", "rank", "name", "pk"]

    def __str__(self) -> str:
        return self.name or self.get_kind_display()
