"""The public transparency pages (no login) and the open-data downloads
(docs/open-data.md). Only aggregates and masked titles; the answers are kept for
`CACHE_SECONDS` per place, month and language (`core.memo`), since every visitor sees the
same page."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from genxi.core.memo import Memo
from genxi.core.panels import Period
from genxi.core.replica import replica_reads
from genxi.core.spreadsheets import write_csv
from genxi.regions.models import Level, Region

from . import selectors

CACHE_SECONDS = 300
PAGES = Memo("transparency.pages", seconds=CACHE_SECONDS, max_size=2000)
DATA = Memo("transparency.data", seconds=CACHE_SECONDS, max_size=500)

LICENCE = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"


def _place(code: str) -> Region:
    place = selectors.public_place(code)
    if place is None:
        raise Http404
    return place


def _street(code: str) -> Region:
    place = _place(code)
    if place.level != Level.STREET:
        raise Http404
    return place


def _month(value: str, choices: list[date]) -> date:
    """The month asked for (YYYY-MM) if it is one of the last twelve, else this month."""
    for m in choices:
        if m.strftime("%Y-%m") == value:
            return m
    return choices[0]


@require_GET
@replica_reads
def index(request):
    """Every street and its communities, each leading to its public page."""
    streets = list(Region.objects.streets().order_by("code"))
    communities = list(Region.objects.communities().order_by("code"))
    by_street = [(s, [c for c in communities if c.path.startswith(s.path)]) for s in streets]
    return render(request, "transparency/index.html", {"streets": by_street})


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _page(place: Region, month: date) -> dict[str, Any]:
    period = Period.month(month.year, month.month)
    figures = selectors.figures(place, period)
    return {
        "figures": figures,
        "rates": {
            "on_time": _percent(figures["on_time_resolution_rate"]),
            "resolution": _percent(figures["resolution_rate"]),
            "satisfaction": _percent(figures["satisfaction_rate"]),
        },
        "received": figures["counts"]["received"],
        "solved": figures["counts"]["resolved"],
        "chart": selectors.solved_by_category(place, period),
        "satisfaction": selectors.satisfaction(place, period),
        "cases": selectors.solved_list(place, period),
        "communities": list(
            Region.objects.filter(parent=place, level=Level.COMMUNITY).order_by("code")
        )
        if place.level == Level.STREET
        else [],
    }


@require_GET
@replica_reads
def place(request, code: str):
    place = _place(code)
    choices = selectors.months()
    month = _month(request.GET.get("month", ""), choices)
    data = PAGES.get_or_build(lambda: _page(place, month), key=(place.code, month, get_language()))
    street = place if place.level == Level.STREET else place.parent
    return render(
        request,
        "transparency/place.html",
        {
            "place": place,
            "street": street,
            "month": month,
            "months": choices,
            "threshold": selectors.threshold(),
            "licence": LICENCE,
            "licence_url": LICENCE_URL,
            **data,
        },
    )


FIELDS = [
    ("month", "月份 (YYYY-MM)"),
    ("street_code", "街道代码"),
    ("street", "街道"),
    ("level", "行的类型: cell, community_total, category_total, street_total"),
    ("community_code", "社区代码"),
    ("community", "社区"),
    ("category_code", "类别代码 (一级类别; 空: 未分类或合计)"),
    ("category", "类别"),
    ("suppressed", "是否隐去 (true: 该格的数字不公布)"),
    ("received", "当月受理的诉求数"),
    ("resolved", "其中已办结"),
    ("resolved_in_time", "其中按期办结"),
    ("rated", "其中已评价"),
    ("satisfied", "其中满意或基本满意"),
]


def _data(street: Region) -> dict[str, Any]:
    return DATA.get_or_build(
        lambda: selectors.open_data(street), key=(street.code, timezone.localdate(), get_language())
    )


def _meta(street: Region, data: dict[str, Any], request) -> dict[str, Any]:
    return {
        "title": f"{street.name} 诉求办理月度统计",
        "publisher": "genxi",
        "source": request.build_absolute_uri(reverse("transparency:place", args=[street.code])),
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "attribution": f"{street.name}, genxi open data, {LICENCE}",
        "generated": timezone.localdate().isoformat(),
        "months": data["months"],
        "threshold": data["threshold"],
        "suppression": (
            f"A cell (community × category × month) is published only when at least "
            f"{data['threshold']} cases were received in it; other cells, and the cells "
            "withheld so that none of those can be worked out from the totals, have "
            "suppressed=true and no figures. Totals are of all cases, suppressed or not; "
            "when a month's table has one community or one category, its totals are withheld."
        ),
        "documentation": "docs/open-data.md",
    }


def _headers(response: HttpResponse, street: Region, ext: str) -> HttpResponse:
    response["Link"] = f'<{LICENCE_URL}>; rel="license"'
    response["Content-Disposition"] = f'attachment; filename="genxi-{street.code}.{ext}"'
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    return response


@require_GET
@replica_reads
def data_json(request, code: str):
    street = _street(code)
    data = _data(street)
    body = {
        "meta": _meta(street, data, request),
        "fields": dict(FIELDS),
        "records": data["records"],
    }
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False, "indent": 1})
    return _headers(response, street, "json")


@require_GET
@replica_reads
def data_csv(request, code: str):
    street = _street(code)
    data = _data(street)
    meta = _meta(street, data, request)
    names = [f for f, _label in FIELDS]
    comments = [
        *(
            f"{key}: {meta[key]}"
            for key in ("title", "licence", "licence_url", "attribution", "source", "generated")
        ),
        f"suppression: {meta['suppression']}",
    ]
    rows = (
        [
            ("true" if record[f] else "false")
            if f == "suppressed"
            else ("" if record[f] is None else record[f])
            for f in names
        ]
        for record in data["records"]
    )
    text = write_csv(names, rows, comments)
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    return _headers(response, street, "csv")
