from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render

from genxi.core.roles import Perm
from genxi.core.scope import get_visible_or_404, require_perm, scope_for
from genxi.core.stats import headline_counts
from genxi.core.workbench import work_for

from . import selectors
from .domain.codes import code_of, path_codes
from .models import Region
from .panels import render_panels


@login_required
def home(request):
    """The start page: the person's work (counts that link to the lists behind them, every
    app adding its own through `core.workbench`), their places, and the headline counts of
    the streets in view (through `core.stats`)."""
    scope = scope_for(request.user)
    streets = []
    if scope.has(Perm.VIEW_DATA):
        visible = Region.objects.visible_to(request.user)
        streets = list(visible.streets().order_by("code"))
        if not streets:
            # Below street level: show the street that holds the user's nodes.
            codes = {c for path in scope.paths for c in path_codes(path)}
            streets = list(Region.objects.streets().filter(code__in=codes))
    counts = headline_counts(streets) if streets else {}
    return render(
        request,
        "core/home.html",
        {
            "work": work_for(request.user),
            "counts": counts,
            "roles": sorted(scope.roles),
            "scope_nodes": _scope_nodes(scope),
        },
    )


def _scope_nodes(scope):
    codes = [code_of(p) for p in scope.paths]
    return list(Region.objects.filter(code__in=codes).order_by("path"))


@login_required
def tree(request):
    require_perm(request.user, Perm.VIEW_DATA)
    return render(request, "regions/tree.html", {"roots": selectors.region_tree(request.user)})


@login_required
def detail(request, pk: int):
    region = get_visible_or_404(Region.objects.select_related("parent"), request.user, pk=pk)
    children = selectors.region_children(request.user, region)
    return render(
        request,
        "regions/detail.html",
        {"region": region, "children": children, "panels": render_panels(request, region)},
    )


@login_required
def grid_map(request):
    require_perm(request.user, Perm.VIEW_DATA)
    communities = Region.objects.visible_to(request.user).communities().order_by("code")
    return render(request, "regions/map.html", {"communities": communities})


@login_required
def grids_geojson(request):
    require_perm(request.user, Perm.VIEW_DATA)
    community = None
    if request.GET.get("community"):
        community = get_visible_or_404(
            Region.objects.communities(), request.user, code=request.GET["community"]
        )
    return JsonResponse(selectors.grid_features(request.user, community))
