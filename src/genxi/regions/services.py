"""Writes of the organisation tree."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from genxi.core import audit
from genxi.core.db import unique_or_invalid
from genxi.core.roles import STAFF_ROLES, Perm
from genxi.core.scope import scope_for
from genxi.core.spreadsheets import UnreadableFile, read_rows

from .domain import addresses, basemap, contact, sheet
from .domain.codes import child_path, is_division_code, is_grid_code
from .models import LEVEL_ORDER, BaseFeature, Building, Estate, Level, Region
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


# The address gazetteer (地址库) and how to reach a place -----------------------------------


def _may_edit(actor: Any, community: Region) -> None:
    """Community staff (and the street's) keep their gazetteer and phones; the system admin
    keeps the city's reference data. Anyone else is refused."""
    scope = scope_for(actor)
    if scope.has(Perm.EDIT_REFERENCE) or scope.role_covers(STAFF_ROLES, community.path):
        return
    raise PermissionDenied(_("只有本社区、本街道的工作人员可以维护地址库和服务电话。"))


def _community_of(region: Region) -> Region:
    if region.level == Level.COMMUNITY or region.parent is None:
        return region
    return region.parent


def _check_grid(community: Region, grid: Region) -> None:
    if grid.level != Level.GRID or grid.parent_id != community.pk:
        raise ValidationError({"grid": _("请选择本社区的网格。")})


def _clean_aliases(name: str, aliases: list[str] | tuple[str, ...]) -> list[str]:
    seen = {addresses.clean(name)}
    out = []
    for alias in aliases:
        alias = alias.strip()[:100]
        if alias and addresses.clean(alias) not in seen:
            seen.add(addresses.clean(alias))
            out.append(alias)
    return out[:20]


def estate_create(
    *,
    actor: Any,
    community: Region,
    name: str,
    aliases: list[str] | tuple[str, ...] = (),
    numbers: list[str] | tuple[str, ...] = (),
    grid: Region | None = None,
) -> Estate:
    """A new estate of the community, with its first buildings in `grid` if given."""
    _may_edit(actor, community)
    if numbers:
        if grid is None:
            raise ValidationError({"grid": _("请选择这些楼栋所属的网格。")})
        _check_grid(community, grid)
    name = name.strip()
    if community.level != Level.COMMUNITY:
        raise ValidationError({"community": _("小区须属于一个社区。")})
    if not addresses.clean(name):
        raise ValidationError({"name": _("请填写小区名称。")})
    taken = Estate.objects.filter(community=community, name=name).exists
    with (
        transaction.atomic(),
        unique_or_invalid(taken, "name", _("本社区已有这个小区。")),
    ):
        estate = Estate.objects.create(
            community=community, name=name, aliases=_clean_aliases(name, aliases)
        )
        audit.record(actor=actor, verb="estate.create", target=estate, after=audit.snapshot(estate))
        if numbers:
            assert grid is not None  # checked above: buildings come with their grid
            numbers = [n for n in dict.fromkeys(addresses.building_number(n) for n in numbers) if n]
            _assign(estate, numbers, grid)
            audit.record(
                actor=actor,
                verb="building.assign",
                target=estate,
                after={"buildings": numbers, "grid": grid.pk},
            )
    return estate


def estate_update(
    *, actor: Any, estate: Estate, name: str, aliases: list[str] | tuple[str, ...]
) -> Estate:
    _may_edit(actor, estate.community)
    name = name.strip()
    if not addresses.clean(name):
        raise ValidationError({"name": _("请填写小区名称。")})
    with transaction.atomic():
        estate = Estate.objects.select_for_update().get(pk=estate.pk)
        if Estate.objects.filter(community=estate.community_id, name=name).exclude(pk=estate.pk):
            raise ValidationError({"name": _("本社区已有这个小区。")})
        before = audit.snapshot(estate, ["name", "aliases"])
        estate.name, estate.aliases = name, _clean_aliases(name, aliases)
        estate.save(update_fields=["name", "aliases", "updated_at"])
        after = audit.snapshot(estate, ["name", "aliases"])
        audit.record(actor=actor, verb="estate.update", target=estate, before=before, after=after)
    return estate


def estate_delete(*, actor: Any, estate: Estate) -> None:
    _may_edit(actor, estate.community)
    with transaction.atomic():
        estate = Estate.objects.select_for_update().get(pk=estate.pk)
        before = audit.snapshot(estate) | {
            "buildings": sorted(estate.buildings.values_list("number", flat=True))
        }
        audit.record(actor=actor, verb="estate.delete", target=estate, before=before)
        estate.delete()


def buildings_assign(*, actor: Any, estate: Estate, numbers: list[str], grid: Region) -> int:
    """Put the buildings `numbers` of the estate in `grid`: new ones are added, known ones
    move. Answers how many changed."""
    _may_edit(actor, estate.community)
    _check_grid(estate.community, grid)
    numbers = [addresses.building_number(n) for n in numbers]
    numbers = [n for n in dict.fromkeys(numbers) if n]
    if not numbers:
        raise ValidationError({"numbers": _("请填写楼栋号,如 1-12 或 3、5、7。")})
    with transaction.atomic():
        estate = Estate.objects.select_for_update().get(pk=estate.pk)
        changed = _assign(estate, numbers, grid)
        if changed:
            audit.record(
                actor=actor,
                verb="building.assign",
                target=estate,
                after={"buildings": numbers, "grid": grid.pk},
            )
    return changed


def _assign(estate: Estate, numbers: list[str], grid: Region) -> int:
    known = dict(estate.buildings.filter(number__in=numbers).values_list("number", "grid_id"))
    moved = [n for n, g in known.items() if g != grid.pk]
    if moved:
        estate.buildings.filter(number__in=moved).update(grid=grid, updated_at=timezone.now())
    new = [Building(estate=estate, number=n, grid=grid) for n in numbers if n not in known]
    Building.objects.bulk_create(new)
    return len(moved) + len(new)


def buildings_remove(*, actor: Any, estate: Estate, numbers: list[str]) -> int:
    _may_edit(actor, estate.community)
    numbers = [addresses.building_number(n) for n in numbers]
    with transaction.atomic():
        estate = Estate.objects.select_for_update().get(pk=estate.pk)
        removed, _rows = estate.buildings.filter(number__in=numbers).delete()
        if removed:
            audit.record(
                actor=actor, verb="building.remove", target=estate, before={"buildings": numbers}
            )
    return removed


SHEET_MESSAGES = {
    "missing_column": gettext_lazy("缺少“%(title)s”列"),
    "required": gettext_lazy("“%(title)s”不能为空"),
    "buildings": gettext_lazy("楼栋“%(value)s”看不懂:请写成 1-12 或 3、5、7"),
    "grid": gettext_lazy("本社区没有网格“%(value)s”:请写网格名称(如 第1网格)"),
    "conflict": gettext_lazy("%(building)s 幢在第 %(first)s 行已填了另一个网格"),
    "too_many": gettext_lazy("行数太多:一次最多导入 5000 行"),
    "empty": gettext_lazy("表中没有数据"),
    "not_xlsx": gettext_lazy("文件不是可读取的 Excel(.xlsx)表格"),
}


def sheet_message(error: sheet.SheetError) -> str:
    """One error of an import, in the user's language, naming its row and column."""
    params = {"title": error.title, "value": error.value}
    if error.code == "conflict":
        building, _sep, first = error.value.partition("|")
        params |= {"building": building, "first": first}
    text = str(SHEET_MESSAGES[error.code]) % params
    return _("第 %(row)s 行 %(column)s 列:%(text)s") % {
        "row": error.row,
        "column": error.column,
        "text": text,
    }


def gazetteer_import(*, actor: Any, community: Region, upload: Any) -> dict[str, int]:
    """Read a gazetteer sheet (小区 · 楼栋 · 网格 · 其他叫法) into the community's gazetteer:
    estates are added, buildings added or moved. Every row is checked first; one wrong row
    and nothing is written (the ValidationError lists every error by row and column)."""
    _may_edit(actor, community)
    grids: dict[str, Region] = {}
    for grid in Region.objects.filter(parent=community, level=Level.GRID):
        grids[grid.name] = grids[grid.code] = grids[addresses.clean(grid.name)] = grid
    try:
        header, rows = read_rows(upload)
        parsed = sheet.read_sheet(header, rows, grids)
    except UnreadableFile:
        parsed = sheet.Parsed(errors=[sheet.SheetError(1, "A", "", "not_xlsx")])
    if parsed.errors:
        raise ValidationError({"file": [sheet_message(e) for e in parsed.errors[:200]]})
    counts = {"estates": 0, "buildings": 0}
    with transaction.atomic():
        estates = {
            addresses.clean(e.name): e
            for e in Estate.objects.select_for_update().filter(community=community)
        }
        for record in parsed.records:
            estate = estates.get(addresses.clean(record.estate))
            if estate is None:
                estate = Estate.objects.create(
                    community=community,
                    name=record.estate,
                    aliases=_clean_aliases(record.estate, record.aliases),
                )
                estates[addresses.clean(record.estate)] = estate
                counts["estates"] += 1
            elif record.aliases:
                merged = _clean_aliases(estate.name, [*estate.aliases, *record.aliases])
                if merged != estate.aliases:
                    estate.aliases = merged
                    estate.save(update_fields=["aliases", "updated_at"])
            counts["buildings"] += _assign(estate, list(record.buildings), record.grid)
        audit.record(actor=actor, verb="gazetteer.import", target=community, after=counts)
    return counts


def region_contact_update(
    *, actor: Any, region: Region, service_phone: str, service_hours: str = ""
) -> Region:
    """Set how residents reach a grid or community: an office number, never a mobile."""
    if region.level not in (Level.COMMUNITY, Level.GRID):
        raise ValidationError({"service_phone": _("服务电话只能设在社区或网格。")})
    _may_edit(actor, _community_of(region))
    phone = contact.tidy(service_phone)
    if phone and contact.is_mobile(phone):
        raise ValidationError(
            {"service_phone": _("请填写办公电话(座机或服务热线),不要填写个人手机号。")}
        )
    if phone and not contact.is_office_number(phone):
        raise ValidationError(
            {"service_phone": _("电话号码格式不对,例如 0512-65310000 或 12345。")}
        )
    changes = {"service_phone": phone, "service_hours": service_hours.strip()[:60]}
    with transaction.atomic():
        region = Region.objects.select_for_update().get(pk=region.pk)
        before = audit.snapshot(region, changes)
        for key, value in changes.items():
            setattr(region, key, value)
        region.save(update_fields=[*changes, "updated_at"])
        after = audit.snapshot(region, changes)
        audit.record(actor=actor, verb="region.contact", target=region, before=before, after=after)
    return region


def basemap_replace(*, actor: Any, features: list[basemap.Feature], source: str) -> int:
    """Put `features` in place of the base layer's features from the same `source` (a file's
    name, or "demo"). The base layer is the city's reference data: the command line
    (actor None) or the system admin."""
    if actor is not None and not scope_for(actor).has(Perm.EDIT_REFERENCE):
        raise PermissionDenied(_("只有系统管理员可以导入底图。"))
    source = source.strip()[:100]
    with transaction.atomic():
        removed, _counts = BaseFeature.objects.filter(source=source).delete()
        BaseFeature.objects.bulk_create(
            BaseFeature(kind=f.kind, name=f.name, rank=f.rank, geometry=f.geometry, source=source)
            for f in features
        )
        audit.record(
            actor=actor,
            verb="basemap.import",
            after={"source": source, "features": len(features), "replaced": removed},
        )
    return len(features)
