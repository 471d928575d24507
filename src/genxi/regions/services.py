"""Writes of the organisation tree."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from genxi.core import audit
from genxi.core.db import unique_or_invalid

from .domain.codes import child_path, is_division_code, is_grid_code
from .models import LEVEL_ORDER, Level, Region
from .selectors import forget_locator


def _validate(
    *, level: str, code: str, parent: Region | None, geometry: dict[str, Any] | None
) -> None:
    if parent is None and level != Level.CITY:
        raise ValidationError({"parent": _("只有市级节点可以没有上级。")})
    if parent is not None and LEVEL_ORDER.index(level) != LEVEL_ORDER.index(parent.level) + 1:
        raise ValidationError({"level": _("层级必须比上级低一级。")})
    if level == Level.GRID:
        if not is_grid_code(code, parent.code if parent else None):
            raise ValidationError({"code": _("网格代码须为所属社区代码加 3 位数字。")})
        if geometry is not None and geometry.get("type") not in {"Polygon", "MultiPolygon"}:
            raise ValidationError({"geometry": _("网格边界须为 GeoJSON 多边形。")})
    elif not is_division_code(code):
        raise ValidationError({"code": _("区划代码须为 12 位数字。")})


def region_create(
    *,
    actor: Any,
    level: str,
    code: str,
    name: str,
    parent: Region | None,
    geometry: dict[str, Any] | None = None,
    center: tuple[float, float] | None = None,
    households: int | None = None,
) -> Region:
    _validate(level=level, code=code, parent=parent, geometry=geometry)
    with (
        transaction.atomic(),
        unique_or_invalid(Region.objects.filter(code=code).exists, "code", _("该代码已被使用。")),
    ):
        region = Region.objects.create(
            level=level,
            code=code,
            name=name,
            parent=parent,
            path=child_path(parent.path if parent else None, code),
            geometry=geometry,
            center_lat=center[0] if center else None,
            center_lon=center[1] if center else None,
            households=households,
        )
        audit.record(actor=actor, verb="region.create", target=region, after=audit.snapshot(region))
    if level == Level.GRID:
        transaction.on_commit(_forget_locator)
    return region


def _forget_locator() -> None:
    forget_locator()


def region_update(*, actor: Any, region: Region, **changes: Any) -> Region:
    allowed = {"name", "geometry", "center_lat", "center_lon", "households"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("该字段不能修改。")})
    with transaction.atomic():
        region = Region.objects.select_for_update().get(pk=region.pk)
        before = audit.snapshot(region, changes)
        for key, value in changes.items():
            setattr(region, key, value)
        if "geometry" in changes:
            _validate(
                level=region.level, code=region.code, parent=region.parent, geometry=region.geometry
            )
        region.save(update_fields=[*changes, "updated_at"])
        after = audit.snapshot(region, changes)
        audit.record(actor=actor, verb="region.update", target=region, before=before, after=after)
    if "geometry" in changes:
        transaction.on_commit(_forget_locator)
    return region
