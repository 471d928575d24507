"""Public pages (no login): 有困难找"海棠先锋" — find your grid and its pioneers, report a
problem, and track it by its code. No personal data is shown here."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from genxi.core import ratelimit
from genxi.core.cache import unavailable
from genxi.core.forms import refuse, submit
from genxi.core.params import code_param
from genxi.people.models import Pioneer
from genxi.regions.domain.contact import tel_uri
from genxi.regions.models import Region
from genxi.regions.selectors import OutsideAllGrids, contact_of, in_tile_datum, locate

from . import routing, services
from .forms import PublicReportForm, RateForm, intake
from .messages import ACTION_LABELS
from .models import Case, CaseState, Channel

REPORT_LIMIT = 5  # reports per client address per window
REPORT_WINDOW = 10 * 60
SECRET_TRIES = 10  # tries at a reporter's secret per client address per window
SECRET_WINDOW = 60 * 60
# The session remembers the case this browser has just reported: only then does the
# tracking page show what was reported (the code alone shows no text).
REPORTED = "public_reported"


def _rate_limited(request) -> bool:
    return not ratelimit.hit(
        "public-report", ratelimit.client_ip(request) or "-", REPORT_LIMIT, REPORT_WINDOW
    )


def secret_tries_left(request) -> bool:
    """Count one try at a reporter's secret (right or wrong: counting first keeps the count
    exact under concurrent tries); False once the address has used up its tries."""
    return ratelimit.hit(
        "reporter-secret", ratelimit.client_ip(request) or "-", SECRET_TRIES, SECRET_WINDOW
    )


def _public_name(name: str) -> str:
    return name[:1] + "*" * max(len(name) - 1, 1)


def _contact(place: Region) -> dict:
    """The service phone of a grid (or its community): an office number, with its tel: link."""
    phone, hours, owner = contact_of(place)
    return {
        "phone": phone,
        "tel": tel_uri(phone) if phone else "",
        "hours": hours,
        "of": owner.name if owner else "",
    }


def _grid_payload(grid: Region, place: str = "") -> dict:
    pioneers = Pioneer.objects.filter(grid=grid, active=True).order_by("kind", "code")[:12]
    return {
        "grid": {
            "code": grid.code,
            "name": grid.name,
            "community": grid.parent.name if grid.parent else "",
        },
        "place": place,
        "contact": _contact(grid),
        "pioneers": [
            {"name": _public_name(p.name), "kind": str(p.get_kind_display()), "skills": p.skills}
            for p in pioneers
        ],
    }


def _choices(lookup) -> list[dict]:
    return [
        {"label": c.label, "hint": c.hint, "url": "?" + urlencode({"address": c.query})}
        for c in lookup.choices
    ]


def find(request):
    """Find your grid by address or a click on the map, and how to reach its people. An
    address the gazetteer is unsure of gets a question: which estate (a bare building
    number), which building (an estate over several grids), or 您要找的是不是…"""
    result, error, lookup = None, "", None
    address = request.GET.get("address", "").strip()[:200]
    lat, lon = request.GET.get("lat"), request.GET.get("lon")
    grid = None
    if lat and lon:
        try:
            grid = locate(float(lat), float(lon))
        except (ValueError, OutsideAllGrids):
            error = _("这个位置不在任何网格内。")
    elif address:
        lookup = routing.address_index().lookup(address)
        if lookup.found:
            grid = Region.objects.select_related("parent").get(pk=lookup.grid)
        elif lookup.status == "not_found":
            error = _(
                "没有找到这个地址。请核对小区名称和楼栋号(如 彩香新村25幢),或在地图上点选您的位置。"
            )
    if grid is not None:
        result = _grid_payload(grid, lookup.place if lookup else "")
    question = None
    if lookup is not None and not lookup.found and lookup.choices:
        question = {"status": lookup.status, "choices": _choices(lookup), "more": lookup.more}
    if request.GET.get("format") == "json":
        if result:
            return JsonResponse(result)
        return JsonResponse({"error": error, **(question or {})}, status=404)
    return render(
        request,
        "cases/public/find.html",
        {
            "result": result,
            "error": error,
            "address": address,
            "question": question,
            "estate": lookup.estate if lookup else "",
        },
    )


def grids_geojson(request):
    """All grids, for the public map (names only), in the tiles' datum like every map's."""
    features = [
        {"type": "Feature", "geometry": geometry, "properties": {"name": f"{parent} {name}"}}
        for name, parent, geometry in Region.objects.grids()
        .exclude(geometry=None)
        .values_list("name", "parent__name", "geometry")
    ]
    return JsonResponse(in_tile_datum({"type": "FeatureCollection", "features": features}))


@require_http_methods(["GET", "POST"])
def report(request):
    """The resident's form. A refused report says why beside the field and answers 400
    (429 when the address has reported too often), so clients and proxies see a refusal."""
    # The find page's 我要反映问题 carries the address found there.
    initial = {"address": request.GET.get("address", "").strip()[:200]}
    if request.method != "POST":
        form = PublicReportForm(initial=initial)
        return render(request, "cases/public/report.html", {"form": form})
    form = PublicReportForm(request.POST, request.FILES, initial=initial)
    if form.is_valid() and form.cleaned_data["website"]:
        return redirect("public:report")  # a bot filled the hidden field
    if form.is_valid() and _rate_limited(request):
        if unavailable():  # the limit cannot be counted: refused all the same (fail closed)
            form.add_error(None, _("网上报事暂时无法受理,请稍后再试,或拨打社区电话。"))
            form.status = 503
        else:
            form.add_error(None, _("提交太频繁,请 10 分钟后再试,或拨打社区电话。"))
            form.status = 429
    else:
        case = submit(
            form,
            lambda d: services.case_create(actor=None, channel=Channel.PUBLIC_FORM, **intake(d)),
        )
        if case is not None:
            request.session[REPORTED] = case.code
            return redirect(_link(case.code, case.reporter_secret))
    return render(request, "cases/public/report.html", {"form": form}, status=form.status)


def _link(code: str, secret: str) -> str:
    """The confirmation's link: the public code and the reporter's secret."""
    return f"{reverse('public:track_case', args=[code])}?{urlencode({'key': secret})}"


def track(request):
    code = code_param(request, "code").upper()
    if code:
        return redirect("public:track_case", code=code)
    return render(request, "cases/public/track.html", {})


STEP_ACTIONS = {
    "submit",
    "accept",
    "reject",
    "merge",
    "dispatch",
    "transfer",
    "take",
    "resolve",
    "verify",
    "send_back",
    "rate",
    "close",
    "reopen",
    "return",
}


def _timeline(case: Case) -> list[dict]:
    """The steps, without names or notes: who did it is said by role, not by person."""
    return [
        {
            "at": e.created_at,
            "label": ACTION_LABELS.get(e.action, e.action),
            "result": case.result if e.action == "resolve" else "",
        }
        for e in case.events.all()
        if e.action in STEP_ACTIONS
    ]


@require_http_methods(["GET", "POST"])
def track_case(request, code: str):
    case = (
        Case.objects.select_related("region", "region__parent", "master", "split_from")
        .filter(code=code.upper())
        .first()
    )
    if case is None:
        return render(
            request,
            "cases/public/track.html",
            {"error": _("查询码不存在,请核对后再试。"), "code": code},
            status=404,
        )
    follow = case.master if case.state == CaseState.MERGED and case.master is not None else case
    # The reporter's secret comes in the confirmation's link (or is typed into the form).
    # It is never checked on GET, so the page is no oracle; POST counts every try.
    key = request.GET.get("key", "").strip()[:32]
    form, status = None, 200
    if follow.state == CaseState.VERIFIED and not follow.rating:
        form = RateForm(request.POST or None, initial={"key": key})
        if request.method == "POST":
            if _rate(request, case, form) is not None:
                return redirect("public:track_case", code=case.code)
            status = form.status
    just_reported = request.session.get(REPORTED) == case.code
    return render(
        request,
        "cases/public/track_case.html",
        {
            "case": case,
            "follow": follow,
            "timeline": _timeline(follow),
            "form": form,
            "key": key,
            "just_reported": just_reported,
            "link": request.build_absolute_uri(_link(case.code, key)) if key else "",
            "contact": _contact(follow.region),
            # A request with two problems split by the dispatcher: each part's page names
            # the other's code (codes alone show no text); the reporter's key rates both.
            "split_from": follow.split_from,
            "split_to": list(Case.objects.filter(split_from=follow).values_list("code", flat=True)),
        },
        status=status,
    )


def _rate(request, case: Case, form: RateForm) -> Case | None:
    """The reporter's rating; None when refused, with the reason on the form: a wrong
    secret on the key's field (403), too many tries (429), anything else beside its field
    (400)."""
    form.status = 400
    if not form.is_valid():
        return None
    if not secret_tries_left(request):
        form.add_error(None, _("尝试次数太多,请 1 小时后再试。"))
        form.status = 429
        return None
    data = form.cleaned_data
    try:
        # The secret is the one given for the case the reporter submitted (if it was
        # merged, the rating goes to the case it joined).
        return services.case_rate_by_reporter(
            code=case.code, secret=data["key"], rating=data["rating"], comment=data["comment"]
        )
    except PermissionDenied as exc:
        refuse(form, exc, field="key")
    except ValidationError as exc:
        refuse(form, exc)
    return None
