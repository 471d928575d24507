"""Excel import: the column layout of each kind, and how its clean records become rows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from genxi.core import pii
from genxi.orgs.models import PartnerUnit, UnitKind
from genxi.regions.models import Level, Region

from .domain.sheets import (
    CellError,
    Column,
    parse_bool,
    parse_choice,
    parse_grid,
    parse_id_number,
    parse_list,
    parse_phone,
)
from .models import ImportKind, LegalBasis, Pioneer, PioneerKind, Resident, ResidentTag

# What each error code means, in the user's language.
MESSAGES = {
    "phone": _("手机号码应为 11 位数字,以 13–19 开头"),
    "id_number": _("身份证号无效(应为 18 位,出生日期与校验位须正确)"),
    "grid": _("网格代码不存在或不在您的管辖范围内"),
    "street": _("街道代码不存在或不在您的管辖范围内"),
    "choice": _("不是可选值;可选值为:%(choices)s"),
    "choice_item": _("“%(item)s”不是可选值;可选值为:%(choices)s"),
    "bool": _("请填写“是”或“否”"),
    "missing_column": _("缺少该列;请使用下载的模板"),
    "required": _("必填"),
    "duplicate": _("与第 %(first)s 行重复"),
    "exists": _("系统中已有相同记录"),
    "not_xlsx": _("无法读取该文件;请上传 .xlsx 格式的 Excel 文件"),
    "empty": _("文件中没有数据行"),
    "expired": _("上传的文件已过保留时间被删除;请重新上传"),
}


def message(code: str, params: dict[str, Any]) -> str:
    return str(MESSAGES.get(code, code)) % params if params else str(MESSAGES.get(code, code))


def _labels(choices) -> dict[str, str]:
    return {str(label): value for value, label in choices}


def parse_street(value: str, ctx) -> Any:
    streets = ctx["streets"]
    if value not in streets:
        raise CellError("street")
    return streets[value]


@dataclass(frozen=True)
class Importer:
    kind: str
    title: Any
    columns: list[Column]
    unique_keys: tuple[str, ...]
    build: Callable[[dict[str, Any]], Model]
    # Keys of existing rows, to refuse what is already in the database: (records, importer).
    existing: Callable[[list[dict[str, Any]], Any], set[str]]
    existing_key: str
    # Keys registered only where the importer cannot see them: {key: [objects]}. Such rows
    # go in like new ones and the street decides (import_engine._refer_duplicates), so the
    # import answers the same whether or not the person is registered elsewhere.
    elsewhere: Callable[[list[dict[str, Any]], Any], dict[str, list[Model]]] | None = None


def _resident(rec: dict[str, Any]) -> Resident:
    return Resident(
        name=rec["name"],
        phone=rec["phone"] or "",
        id_number=rec["id_number"],
        id_number_digest=pii.digest(rec["id_number"]),
        address=rec["address"] or "",
        building=rec["building"] or "",
        grid_id=rec["grid"],
        tags=rec["tags"] or [],
        legal_basis=rec["legal_basis"] or LegalBasis.PUBLIC_DUTY,
    )


def _digests(records) -> dict[str, str]:
    return {pii.digest(r["id_number"]): r["id_number"] for r in records if r.get("id_number")}


def _existing_residents(records, user):
    """ID numbers already registered where the importer can see them."""
    digests = _digests(records)
    found = (
        Resident.objects.visible_to(user)
        .filter(id_number_digest__in=list(digests))
        .values_list("id_number_digest", flat=True)
    )
    return {digests[d] for d in found}


def _residents_elsewhere(records: list[dict[str, Any]], user: Any) -> dict[str, list[Model]]:
    """ID numbers registered only outside the importer's scope, with those residents."""
    digests = _digests(records)
    visible = Resident.objects.visible_to(user).values("pk")
    found: dict[str, list[Model]] = {}
    others = (
        Resident.objects.filter(id_number_digest__in=list(digests))
        .exclude(pk__in=visible)
        .select_related("grid", "grid__parent")
        .order_by("pk")
    )
    for resident in others:
        found.setdefault(digests[resident.id_number_digest], []).append(resident)
    return found


def _pioneer(rec: dict[str, Any]) -> Pioneer:
    return Pioneer(
        code=rec["code"],
        name=rec["name"],
        phone=rec["phone"] or "",
        kind=rec["kind"],
        job=rec["job"] or "",
        grid_id=rec["grid"],
        skills=rec["skills"] or [],
        availability=rec["availability"] or "",
        active=True if rec["active"] is None else rec["active"],
    )


def _unit(rec: dict[str, Any]) -> PartnerUnit:
    return PartnerUnit(
        code=rec["code"],
        name=rec["name"],
        kind=rec["kind"],
        region_id=rec["street"],
        contact_name=rec["contact_name"] or "",
        contact_phone=rec["contact_phone"] or "",
        address=rec["address"] or "",
        service_area=rec["service_area"] or "",
    )


IMPORTERS: dict[str, Importer] = {
    ImportKind.RESIDENTS: Importer(
        kind=ImportKind.RESIDENTS,
        title=_("居民"),
        columns=[
            Column("name", "姓名", example="王秀英"),
            Column("id_number", "身份证号", parse=parse_id_number, example="32050819500101002X"),
            Column("phone", "手机号码", required=False, parse=parse_phone, example="13812345678"),
            Column("grid", "网格代码", parse=parse_grid, example="320508001001001"),
            Column("building", "楼栋", required=False, example="25幢"),
            Column("address", "住址", required=False, example="观景新村25幢2单元301室"),
            Column(
                "tags", "标签", required=False, parse=parse_list("tags"), example="独居老人、残疾人"
            ),
            Column(
                "legal_basis",
                "处理依据",
                required=False,
                parse=parse_choice("legal_basis"),
                example="履行法定职责",
            ),
        ],
        unique_keys=("id_number",),
        build=_resident,
        existing=_existing_residents,
        existing_key="id_number",
        elsewhere=_residents_elsewhere,
    ),
    ImportKind.PIONEERS: Importer(
        kind=ImportKind.PIONEERS,
        title=_("海棠先锋"),
        columns=[
            Column("code", "编号", example="P-JC-0001"),
            Column("name", "姓名", example="李建国"),
            Column("phone", "手机号码", required=False, parse=parse_phone, example="13912345678"),
            Column("kind", "类别", parse=parse_choice("pioneer_kinds"), example="党员"),
            Column("job", "新就业岗位", required=False, parse=parse_choice("jobs"), example=""),
            Column("grid", "网格代码", parse=parse_grid, example="320508001001001"),
            Column(
                "skills", "技能", required=False, parse=parse_list(), example="水电维修、法律咨询"
            ),
            Column("availability", "服务时间", required=False, example="工作日晚上"),
            Column("active", "在岗", required=False, parse=parse_bool, example="是"),
        ],
        unique_keys=("code",),
        build=_pioneer,
        existing=lambda records, user: set(
            Pioneer.objects.filter(code__in=[r["code"] for r in records]).values_list(
                "code", flat=True
            )
        ),
        existing_key="code",
    ),
    ImportKind.UNITS: Importer(
        kind=ImportKind.UNITS,
        title=_("共建单位"),
        columns=[
            Column("code", "编号", example="U-JC-001"),
            Column("name", "名称", example="苏州市某某局"),
            Column("kind", "类型", parse=parse_choice("unit_kinds"), example="机关单位"),
            Column("street", "街道代码", parse=parse_street, example="320508001000"),
            Column("contact_name", "联系人", required=False, example="张伟"),
            Column(
                "contact_phone",
                "联系电话",
                required=False,
                parse=parse_phone,
                example="13712345678",
            ),
            Column("address", "地址", required=False, example="金阊新城"),
            Column("service_area", "服务范围", required=False, example="金阊街道全域"),
        ],
        unique_keys=("code",),
        build=_unit,
        existing=lambda records, user: set(
            PartnerUnit.objects.filter(code__in=[r["code"] for r in records]).values_list(
                "code", flat=True
            )
        ),
        existing_key="code",
    ),
}


def context_for(region: Region) -> dict[str, Any]:
    """The lookups the row parsers need, limited to the import's region.

    Choice labels are the Chinese ones whatever the user's language: the template is a
    data format shared between offices.
    """
    with translation.override("zh-hans"):
        return _context(region)


def _context(region: Region) -> dict[str, Any]:
    nodes = Region.objects.under(region)
    return {
        "grids": dict(nodes.grids().values_list("code", "pk")),
        "streets": dict(nodes.streets().values_list("code", "pk"))
        if region.level != Level.GRID
        else {},
        "tags": _labels(ResidentTag.choices),
        "legal_basis": _labels(LegalBasis.choices),
        "pioneer_kinds": _labels(PioneerKind.choices),
        "jobs": _labels(Pioneer._meta.get_field("job").choices),
        "unit_kinds": _labels(UnitKind.choices),
    }
