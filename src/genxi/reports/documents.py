"""The monthly report's two files: the PDF (core.pdf, charts as inline SVG from
`domain/svg.py`) and the Excel workbook (core.spreadsheets' formula-safe writer), both made
from one `selectors.ReportData`."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from openpyxl.styles import Alignment

from genxi.core import pdf as core_pdf
from genxi.core.spreadsheets import add_sheet, new_workbook, workbook_bytes

from .domain import svg
from .domain.narrative import percent
from .selectors import ReportData

# The request figures of the report's table, in the order of the dashboard's 本期诉求 panel.
INDICATORS: tuple[tuple[str, str, str], ...] = (
    ("received", "受理诉求", "件"),
    ("response_rate", "响应率", "%"),
    ("on_time_resolution_rate", "按期办结率", "%"),
    ("resolution_rate", "解决率", "%"),
    ("satisfaction_rate", "满意率", "%"),
    ("rework_rate", "返工率", "%"),
    ("avg_handling_hours", "平均处置时长", "小时"),
)


def _value(figures: dict[str, Any], key: str) -> float | None:
    if key == "received":
        received: int = figures["counts"]["received"]
        return received
    value: float | None = figures[key]
    return value


def _show(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "%":
        return percent(value)
    if unit == "件":
        return str(int(value))
    return f"{value:.1f}"


def _change(now: float | None, before: float | None, unit: str) -> str:
    """The change against another month: points for a rate, a count or hours otherwise."""
    if now is None or before is None:
        return "—"
    diff = (now - before) * (100 if unit == "%" else 1)
    if round(diff, 1) == 0:
        return "持平"
    if unit == "件":
        text = f"{diff:+.0f}"
        if before:
            text += f"({diff / before * 100:+.1f}%)"
        return text
    return f"{diff:+.1f}" + ("个百分点" if unit == "%" else "")


def indicators(data: ReportData) -> list[dict[str, str]]:
    rows = []
    for key, label, unit in INDICATORS:
        now = _value(data.figures, key)
        last = _value(data.last_month, key)
        year = _value(data.last_year, key)
        rows.append(
            {
                "label": label,
                "unit": unit,
                "now": _show(now, unit),
                "last_month": _show(last, unit),
                "month_change": _change(now, last, unit),
                "last_year": _show(year, unit),
                "year_change": _change(now, year, unit),
            }
        )
    return rows


def _series(data: dict[str, Any]) -> list[svg.Series]:
    return [svg.Series(str(s["name"]), [float(v) for v in s["data"]]) for s in data["series"]]


def _chart(p: dict[str, Any]) -> SafeString | None:
    """A panel's chart for the printed page (a pie prints as bars: easier to read in
    black and white)."""
    data = p["data"]
    if p["chart"] == "pie" and data.get("items"):
        items = data["items"]
        return mark_safe(  # noqa: S308 (our own SVG; every text in it is escaped)
            svg.bar(
                [str(i["name"]) for i in items],
                [svg.Series(str(p["title"]), [float(i["value"]) for i in items])],
                height=180,
            )
        )
    if p["chart"] in ("bar", "line") and any(any(s["data"]) for s in data.get("series", [])):
        draw = svg.bar if p["chart"] == "bar" else svg.line
        return mark_safe(draw([str(x) for x in data["x"]], _series(data), height=180))  # noqa: S308
    return None


def context(data: ReportData, *, made_at: Any = None) -> dict[str, Any]:
    made_at = made_at or timezone.now()
    panels = [{**p, "svg": _chart(p)} for p in data.panels]
    sections: dict[str, list[dict[str, Any]]] = {}
    for p in panels:
        if not p["key"].startswith("cases."):  # the requests' own panels print in part 二
            sections.setdefault(p["section"] or "其他", []).append(p)
    categories = data.categories[:8]
    places = [r for r in data.places if r["received"]][:8]
    return {
        "data": data,
        "place": data.place,
        "title_month": data.title_month,
        "made_on": timezone.localtime(made_at).date() if made_at else date.today(),
        "summary": data.summary,
        "indicators": indicators(data),
        "days_svg": mark_safe(  # noqa: S308
            svg.line([str(x) for x in data.days["x"]], _series(data.days), width=640, height=210)
        ),
        "year_svg": mark_safe(  # noqa: S308
            svg.bar([str(x)[2:] for x in data.year["x"]], _series(data.year), width=640, height=200)
        ),
        "categories": categories,
        "categories_svg": mark_safe(  # noqa: S308
            svg.bar(
                [str(c["name"]) for c in categories],
                [svg.Series("受理诉求", [float(c["value"]) for c in categories])],
                width=640,
                height=190,
            )
        )
        if categories
        else None,
        "places": places,
        "grids": data.grids,
        "ranking": data.ranking,
        "sections": list(sections.items()),
        "case_panels": [p for p in panels if p["key"].startswith("cases.")],
    }


def make_pdf(data: ReportData, *, made_at: Any = None) -> bytes:
    return core_pdf.render("reports/monthly.html", context(data, made_at=made_at))


def filename(data: ReportData, extension: str) -> str:
    return f"{data.place.name}{data.title_month}工作月报.{extension}"


def make_xlsx(data: ReportData) -> bytes:
    """The report's figures as a workbook: one sheet per part of the report."""
    wb = new_workbook()

    def sheet(title: str, header: list[str], rows: list[list[Any]]) -> None:
        writer = add_sheet(wb, title, header)
        ws = writer.sheet
        for row in rows:
            writer.append(row)
        for column in ws.columns:
            letter = column[0].column_letter
            ws.column_dimensions[letter].width = 16 if letter != "A" else 28

    sheet(
        "概要",
        ["项目", "内容"],
        [
            ["地区", data.place.full_name],
            ["月份", data.title_month],
            ["统计区间", f"{data.period.start:%Y-%m-%d} 至 {data.period.end:%Y-%m-%d}(不含)"],
            *[["综述" if i == 0 else "", text] for i, text in enumerate(data.summary)],
        ],
    )
    wb["概要"].column_dimensions["B"].width = 100
    for row in wb["概要"].iter_rows(min_row=2):
        row[1].alignment = Alignment(wrap_text=True, vertical="top")
    rows = []
    for key, label, unit in INDICATORS:
        now, last, year = (_value(f, key) for f in (data.figures, data.last_month, data.last_year))
        rows.append(
            [label, unit, now, last, _change(now, last, unit), year, _change(now, year, unit)]
        )
    sheet(
        "诉求指标", ["指标", "单位(比率为小数)", "本月", "上月", "环比", "去年同月", "同比"], rows
    )
    counts = data.figures["counts"]
    sheet("诉求计数", ["计数", "本月"], [[k, v] for k, v in counts.items()])
    sheet("按类别", ["类别", "受理诉求"], [[c["name"], c["value"]] for c in data.categories])
    columns = data.ranking["columns"]
    sheet(
        "按地区",
        ["名称", *[str(c["label"]) for c in columns]],
        [[r["name"], *[r[c["key"]] for c in columns]] for r in data.ranking["rows"]],
    )
    if data.grids:
        sheet("网格前列", ["网格", "受理诉求"], [list(g) for g in data.grids])
    series = data.days["series"]
    sheet(
        "每日受理",
        ["日期", *[str(s["name"]) for s in series]],
        [[x, *[s["data"][i] for s in series]] for i, x in enumerate(data.days["x"])],
    )
    other: list[list[Any]] = []
    for p in data.panels:
        for label, value in _panel_rows(p):
            other.append([str(p["section"]), str(p["title"]), label, value])
    sheet("共建与服务", ["板块", "面板", "项目", "数值"], other)
    return workbook_bytes(wb)


def _panel_rows(p: dict[str, Any]) -> list[tuple[str, Any]]:
    data = p["data"]
    if p["chart"] == "figures":
        return [(str(i["label"]), i["value"]) for i in data.get("items", [])]
    if p["chart"] == "pie":
        return [(str(i["name"]), i["value"]) for i in data.get("items", [])]
    if p["chart"] in ("bar", "line"):
        return [
            (f"{x} · {s['name']}", s["data"][i])
            for s in data.get("series", [])
            for i, x in enumerate(data.get("x", []))
        ]
    if p["chart"] == "ranking":
        return [
            (f"{r['name']} · {c['label']}", r.get(c["key"]))
            for r in data.get("rows", [])
            for c in data.get("columns", [])
        ]
    return []
