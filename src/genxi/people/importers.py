"""Excel import: the column layout of each kind, and how its clean records become rows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from genxi.core import pii
from genxi.core.domain.cells import EXAMPLE_MARK
from genxi.orgs.models import PartnerUnit, UnitKind
from genxi.regions.models import Level, Region

from .domain.sheets import (
    CellError,
    Column,
    grid_label,
    grid_lookup,
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
    "grid": _("“%(value)s”不是导入范围内的网格;请从下拉列表中选择"),
    "grid_ambiguous": _("导入范围内有多个网格叫“%(value)s”;请从下拉列表中选择(带社区名)"),
    "street": _("街道代码不存在或不在您的管辖范围内"),
    "choice": _("不是可选值;可选值为:%(choices)s"),
    "choice_item": _("“%(item)s”不是可选值;可选值为:%(choices)s"),
    "bool": _("请填写“是”或“否”"),
    "missing_column": _("缺少该列;请使用下载的模板"),
    "required": _("必填"),
    "duplicate": _("与第 %(first)s 行重复"),
    "exists": _("系统中已有相同记录"),
    "not_xlsx": _("无法读取该文件;请上传 .xlsx 格式的 Excel 文件"),
    "empty": _("文件中没有数据行(以“示例:”开头的示例行不导入)"),
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
    # Update mode (更新): the objects the importer can see, by key; and what of a record
    # an update may change (the key itself never changes).
    match: Callable[[list[dict[str, Any]], Any], dict[str, Model]] | None = None
    updatable: tuple[str, ...] = ()

    @property
    def updates(self) -> bool:
        return self.match is not None

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


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
    return set(_match_residents(records, user))


def _match_residents(records: list[dict[str, Any]], user: Any) -> dict[str, Model]:
    """The residents the importer can see, by the ID numbers of the records (found through
    the keyed blind index: the numbers themselves are encrypted)."""
    digests = _digests(records)
    found: dict[str, Model] = {}
    for resident in (
        Resident.objects.visible_to(user).filter(id_number_digest__in=list(digests)).order_by("pk")
    ):
        found.setdefault(digests[resident.id_number_digest], resident)
    return found


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


def _match_pioneers(records: list[dict[str, Any]], user: Any) -> dict[str, Model]:
    codes = [r["code"] for r in records]
    return {p.code: p for p in Pioneer.objects.visible_to(user).filter(code__in=codes)}


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


GRID_HELP = "从下拉列表选择(社区 · 网格);也可填网格名称(范围内唯一时)或 15 位网格代码"
LIST_HELP = "多个值用顿号“、”或逗号分隔"

IMPORTERS: dict[str, Importer] = {
    ImportKind.RESIDENTS: Importer(
        kind=ImportKind.RESIDENTS,
        title=_("居民"),
        columns=[
            Column("name", "姓名", example="王秀英"),
            Column(
                "id_number",
                "身份证号",
                parse=parse_id_number,
                example="320508195001010020",  # valid: the check digit is right
                help="18 位,末位可为 X;请把单元格设为文本,以免 Excel 改成科学计数法。"
                "更新时按它找到居民",
            ),
            Column(
                "phone",
                "手机号码",
                required=False,
                parse=parse_phone,
                example="13812345678",
                help="11 位手机号码",
            ),
            Column("grid", "网格", parse=parse_grid, help=GRID_HELP, aliases=("网格代码",)),
            Column("building", "楼栋", required=False, example="25幢"),
            Column("address", "住址", required=False, example="25幢2单元301室"),
            Column(
                "tags",
                "标签",
                required=False,
                parse=parse_list("tags"),
                example="独居老人、残疾人",
                help=LIST_HELP,
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
        match=_match_residents,
        updatable=("name", "phone", "grid", "building", "address", "tags", "legal_basis"),
    ),
    ImportKind.PIONEERS: Importer(
        kind=ImportKind.PIONEERS,
        title=_("海棠先锋"),
        columns=[
            Column(
                "code", "编号", example="P-0001", help="每位先锋一个,不可重复;更新时按它找到先锋"
            ),
            Column("name", "姓名", example="李建国"),
            Column("phone", "手机号码", required=False, parse=parse_phone, example="13912345678"),
            Column("kind", "类别", parse=parse_choice("pioneer_kinds"), example="党员"),
            Column(
                "job",
                "新就业岗位",
                required=False,
                parse=parse_choice("jobs"),
                example="",
                help="仅“新业态新就业群体”填写",
            ),
            Column("grid", "网格", parse=parse_grid, help=GRID_HELP, aliases=("网格代码",)),
            Column(
                "skills",
                "技能",
                required=False,
                parse=parse_list(),
                example="水电维修、法律咨询",
                help=LIST_HELP,
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
        match=_match_pioneers,
        updatable=("name", "phone", "kind", "job", "grid", "skills", "availability", "active"),
    ),
    ImportKind.UNITS: Importer(
        kind=ImportKind.UNITS,
        title=_("共建单位"),
        columns=[
            Column("code", "编号", example="U-0001"),
            Column("name", "名称", example="苏州市某某局"),
            Column("kind", "类型", parse=parse_choice("unit_kinds"), example="机关单位"),
            Column("street", "街道代码", parse=parse_street, help="12 位街道代码"),
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
        return _context(Region.objects.under(region), region.level != Level.GRID)


def _context(nodes, streets: bool) -> dict[str, Any]:
    grids = list(nodes.grids().order_by("path").values_list("pk", "code", "parent__name", "name"))
    return {
        "grids": grid_lookup(grids),
        "grid_labels": {pk: grid_label(community, name) for pk, _c, community, name in grids},
        "streets": dict(nodes.streets().values_list("code", "pk")) if streets else {},
        "tags": _labels(ResidentTag.choices),
        "legal_basis": _labels(LegalBasis.choices),
        "pioneer_kinds": _labels(PioneerKind.choices),
        "jobs": _labels(Pioneer._meta.get_field("job").choices),
        "unit_kinds": _labels(UnitKind.choices),
    }


# The template -------------------------------------------------------------------------------


def template_for(importer: Importer, user: Any) -> dict[str, Any]:
    """The downloader's template: the header, one example row inside the downloader's scope
    (first cell marked EXAMPLE_MARK, so it is checked but never imported), a drop-down of
    the grids (and streets, choices) in scope, and the 说明 sheet."""
    with translation.override("zh-hans"):
        ctx = _context(Region.objects.visible_to(user), True)
        grid_names = list(ctx["grid_labels"].values())
        streets = sorted(ctx["streets"])
        example = {c.key: c.example for c in importer.columns}
        example["grid"] = grid_names[0] if grid_names else ""
        example["street"] = streets[0] if streets else ""
        row = [example[c.key] for c in importer.columns]
        row[0] = EXAMPLE_MARK + row[0]
        choices: dict[int, list[str]] = {}
        for index, column in enumerate(importer.columns):
            if column.key == "grid":
                choices[index] = grid_names
            elif column.key == "street":
                choices[index] = streets
            elif column.key in ("legal_basis", "kind", "job"):
                choices[index] = list(ctx[_choices_key(importer, column.key) or ""])
            elif column.key == "active":
                choices[index] = ["是", "否"]
        return {
            "title": str(importer.title),
            "text_columns": [
                i
                for i, c in enumerate(importer.columns)
                if c.key in ("id_number", "phone", "contact_phone", "code")
            ],
            "header": [c.title for c in importer.columns],
            "rows": [row],
            "choices": choices,
            "notes": _notes(importer, ctx),
        }


def _choices_key(importer: Importer, key: str) -> str | None:
    """The context's choice labels a column's values are among, if any."""
    if key == "kind":
        return "unit_kinds" if importer.kind == ImportKind.UNITS else "pioneer_kinds"
    return {"tags": "tags", "legal_basis": "legal_basis", "job": "jobs"}.get(key)


def _notes(importer: Importer, ctx: dict[str, Any]) -> list[str]:
    lines = [
        "填写说明",
        "第一行是列名,请勿修改;从第二行起每行一条记录。",
        f"第二行是示例:第一格以“{EXAMPLE_MARK}”开头的行会被检查但不会导入,可以直接覆盖或删除。",
        "任何一行有错误时,整个文件都不会导入;错误会指明行、列和原因。",
        "导入方式“新增”只新增记录;“更新”按"
        + importer.column(importer.existing_key).title
        + "找到已有记录并修改(先预览改动,确认后才修改),找不到的新增;更新时留空的单元格不修改原值。",
        "",
        "列名 | 必填 | 说明",
    ]
    for column in importer.columns:
        choices_key = _choices_key(importer, column.key)
        detail = column.help
        if choices_key and column.parse is not None:
            detail = "可选值:" + "、".join(ctx[choices_key]) + (";" + detail if detail else "")
        lines.append(f"{column.title} | {'是' if column.required else '否'} | {detail}")
    return lines


# Showing a value in the preview --------------------------------------------------------------

MASKED = {"phone": pii.mask_phone, "contact_phone": pii.mask_phone, "address": pii.mask_address}


def shown(importer: Importer, key: str, value: Any, ctx: dict[str, Any]) -> str:
    """A value as the preview shows it: personal data masked, choices by their labels."""
    if value is None or value == "" or value == []:
        return "—"
    if key in MASKED:
        return MASKED[key](str(value))
    if key == "grid":
        return str(ctx["grid_labels"].get(value, "—"))
    if key == "active":
        return "是" if value else "否"
    choices_key = _choices_key(importer, key)
    labels: dict[Any, str] = {v: k for k, v in ctx[choices_key].items()} if choices_key else {}
    if isinstance(value, list):
        return "、".join(str(labels.get(v, v)) for v in value)
    return str(labels.get(value, value))


def current(obj: Model, key: str) -> Any:
    """An object's value in a record's terms (the grid by id)."""
    if key == "grid":
        return obj.grid_id  # type: ignore[attr-defined]
    return getattr(obj, key)


def same(old: Any, new: Any) -> bool:
    if isinstance(new, list):
        return sorted(old or []) == sorted(new)
    return (old or "") == (new or "") if isinstance(new, str) else old == new
