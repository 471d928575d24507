from django.http import HttpRequest
from ninja import FilterSchema, Query, Router
from ninja.pagination import paginate

from genxi.core.api_schemas import responses
from genxi.core.pagination import ApiPagination
from genxi.core.scope import get_visible_or_404

from .models import Region
from .schemas import GridOut

router = Router(tags=["grids"])


class GridFilter(FilterSchema):
    community: str | None = None
    q: str | None = None


@router.get("/grids", response=responses({200: list[GridOut]}), summary="List grids")
@paginate(ApiPagination)
def list_grids(request: HttpRequest, filters: Query[GridFilter]):
    qs = Region.objects.visible_to(request.user).grids().select_related("parent")
    if filters.community:
        qs = qs.filter(parent__code=filters.community)
    if filters.q:
        qs = qs.filter(name__icontains=filters.q)
    return qs.order_by("code")


@router.get("/grids/{grid_id}", response=responses({200: GridOut}, 404), summary="One grid")
def get_grid(request: HttpRequest, grid_id: int):
    return get_visible_or_404(
        Region.objects.grids().select_related("parent"), request.user, pk=grid_id
    )
