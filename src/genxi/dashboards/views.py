"""The dashboards: one page per street, community and grid (docs/dashboards.md)."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from genxi.cases.panels import case_points, children
from genxi.core.panels import shared
from genxi.core.replica import replica_reads, stated_staleness
from genxi.core.roles import Perm
from genxi.core.scope import require_perm

from . import selectors
from .forms import PeriodForm, presets


def _query(period) -> str:
    params = {"from": period.start.isoformat(), "to": (period.end - timedelta(1)).isoformat()}
    params["grain"] = period.grain
    if period.category:
        params["category"] = period.category
    return urlencode(params)


@login_required
def home(request):
    """The viewer's own dashboard; with several places, a choice among them."""
    require_perm(request.user, Perm.VIEW_DATA)
    places = selectors.own_places(request.user)
    if not places:
        raise Http404
    if len(places) == 1:
        return redirect("dashboards:region", places[0].code)
    return render(request, "dashboards/home.html", {"places": places})


@login_required
@replica_reads  # figures that may lag GENXI_REPLICA_MAX_LAG seconds, stated on the page
def region(request, code: str):
    require_perm(request.user, Perm.VIEW_DATA)
    place = selectors.place_or_404(request.user, code)
    form = PeriodForm(request.GET if request.GET else None)
    period = form.period()
    with shared():  # the panels and the page's list of places below share their reads
        panels = selectors.dashboard(request.user, place, period)
        below = children(place)
    here = reverse("dashboards:region", args=[place.code])
    return render(
        request,
        "dashboards/region.html",
        {
            "place": place,
            "form": form,
            "period": period,
            "last_day": period.end - timedelta(days=1),
            "query": _query(period),
            "crumbs": selectors.crumbs(request.user, place),
            "children": below,
            "presets": [(label, f"{here}?{_query(p)}") for label, p in presets()],
            "panels": panels,
            "sections": _sections(panels),
            "report_month": _report_month(period) if place.level != "grid" else None,
            "staleness": stated_staleness(),
        },
    )


@login_required
@replica_reads
def points(request, code: str):
    """The map's case points for the dashboard's place and period, binned (heat and
    clusters), fetched by the page once drawn; scoped like the page (404 out of scope)."""
    require_perm(request.user, Perm.VIEW_DATA)
    place = selectors.place_or_404(request.user, code)
    period = PeriodForm(request.GET if request.GET else None).period()
    return JsonResponse(case_points(request.user, place, period))


def _report_month(period) -> str:
    """The month of the report the dashboard's button downloads (docs/reports.md): the
    period's when it is one whole month, else the last complete month."""
    start, end = period.start, period.end
    if start.day == 1 and end.day == 1 and (end - start).days <= 31 and end > start:
        return start.strftime("%Y-%m")
    last = timezone.localdate().replace(day=1) - timedelta(days=1)
    return last.strftime("%Y-%m")


def _sections(panels: list[dict]) -> list[tuple[str, list[dict]]]:
    found: dict[str, list[dict]] = {}
    for p in panels:
        found.setdefault(p["section"], []).append(p)
    return list(found.items())
