from django.http import HttpRequest
from ninja import FilterSchema, Query, Router, Schema
from ninja.pagination import paginate

from genxi.core.api_schemas import responses
from genxi.core.pagination import ApiPagination
from genxi.core.scope import get_visible_or_404

from . import selectors
from .models import PartnerUnit

router = Router(tags=["units"])


class UnitOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    street_code: str
    street_name: str
    contact_name: str
    contact_phone: str
    address: str
    service_area: str
    active: bool

    @staticmethod
    def resolve_contact_phone(obj: PartnerUnit) -> str:
        return obj.masked("contact_phone")

    @staticmethod
    def resolve_street_code(obj: PartnerUnit) -> str:
        return obj.region.code

    @staticmethod
    def resolve_street_name(obj: PartnerUnit) -> str:
        return obj.region.name


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
