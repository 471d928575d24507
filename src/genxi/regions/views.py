from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render

from genxi.core.roles import Perm
from genxi.core.scope import get_visible_or_404, require_perm

from . import selectors
from .models import Level, Region


@login_required
def tree(request):
    require_perm(request.user, Perm.VIEW_DATA)
    return render(request, "regions/tree.html", {"roots": selectors.region_tree(request.user)})


@login_required
def detail(request, pk: int):
    region = get_visible_or_404(Region.objects.select_related("parent"), request.user, pk=pk)
    children = selectors.region_children(request.user, region)
    pioneers = residents = None
    if region.level == Level.GRID:
        from genxi.people import selectors as people

        pioneers = people.pioneer_list(user=request.user, grid=region.code)[:50]
    return render(
        request,
        "regions/detail.html",
        {"region": region, "children": children, "pioneers": pioneers, "residents": residents},
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
