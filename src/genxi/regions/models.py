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
    def depth(self) -> int:
        return self.path.count("/") - 1
