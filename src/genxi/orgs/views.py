from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from genxi.core import selectors as core_selectors
from genxi.core.pagination import paginate
from genxi.core.roles import Perm
from genxi.core.scope import get_visible_or_404, require_perm
from genxi.regions.selectors import place_choices

from . import selectors
from .models import PartnerUnit, UnitKind


@login_required
def units(request):
    require_perm(request.user, Perm.VIEW_DATA)
    filters = {k: request.GET.get(k, "").strip() for k in ("kind", "community", "q")}
    page, query = paginate(request, selectors.unit_list(user=request.user, **filters))
    return render(
        request,
        "orgs/units.html",
        {
            "page": page,
            "query": query,
            "filters": filters,
            "kinds": UnitKind.choices,
            "communities": place_choices(request.user),
            "saved": core_selectors.saved_filter_list(user=request.user, page="orgs:units"),
        },
    )


@login_required
def unit_detail(request, pk: int):
    unit = get_visible_or_404(PartnerUnit.objects.select_related("region"), request.user, pk=pk)
    pairings = selectors.unit_pairings(user=request.user, unit=unit)
    return render(request, "orgs/unit_detail.html", {"unit": unit, "pairings": pairings})


@login_required
def party(request):
    require_perm(request.user, Perm.VIEW_DATA)
    return render(request, "orgs/party.html", {"roots": selectors.party_tree(user=request.user)})
