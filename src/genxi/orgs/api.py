from django.http import HttpRequest
from ninja import FilterSchema, Query, Router
from ninja.pagination import paginate

from genxi.core.api_schemas import responses
from genxi.core.pagination import ApiPagination
from genxi.core.scope import get_visible_or_404

from . import selectors
from .models import PartnerUnit
from .schemas import UnitOut

router = Router(tags=["units"])


class UnitFilter(FilterSchema):
    kind: str = ""
    community: str = ""
    q: str = ""


@router.get("/units", response=responses({200: list[UnitOut]}), summary="List partner units")
@paginate(ApiPagination)
def list_units(request: HttpRequest, filters: Query[UnitFilter]):
    return selectors.unit_list(user=request.user, **filters.dict())


@router.get("/units/{unit_id}", response=responses({200: UnitOut}, 404), summary="One partner unit")
def get_unit(request: HttpRequest, unit_id: int):
    return get_visible_or_404(
        PartnerUnit.objects.select_related("region"), request.user, pk=unit_id
    )
