from django.http import HttpRequest
from ninja import FilterSchema, Query, Router, Schema
from ninja.pagination import paginate

from genxi.core.api_schemas import responses
from genxi.core.pagination import ApiPagination
from genxi.core.scope import get_visible_or_404

from . import selectors
from .models import Pioneer, Resident

router = Router()


class PioneerOut(Schema):
    id: int
    code: str
    name: str
    phone: str
    kind: str
    job: str
    grid_code: str
    grid_name: str
    skills: list[str]
    availability: str
    active: bool

    @staticmethod
    def resolve_phone(obj: Pioneer) -> str:
        return obj.masked("phone")

    @staticmethod
    def resolve_grid_code(obj: Pioneer) -> str:
        return obj.grid.code

    @staticmethod
    def resolve_grid_name(obj: Pioneer) -> str:
        return obj.grid.name


class PioneerFilter(FilterSchema):
    kind: str = ""
    grid: str = ""
    skill: str = ""
    active: str = ""
    q: str = ""


class ResidentOut(Schema):
    id: int
    name: str
    phone: str
    id_number: str
    address: str
    building: str
    grid_code: str
    tags: list[str]
    legal_basis: str

    @staticmethod
    def resolve_phone(obj: Resident) -> str:
        return obj.masked("phone")

    @staticmethod
    def resolve_id_number(obj: Resident) -> str:
        return obj.masked("id_number")

    @staticmethod
    def resolve_address(obj: Resident) -> str:
        return obj.masked("address")

    @staticmethod
    def resolve_grid_code(obj: Resident) -> str:
        return obj.grid.code


class ResidentFilter(FilterSchema):
    grid: str = ""
    tag: str = ""
    q: str = ""


@router.get(
    "/pioneers",
    response=responses({200: list[PioneerOut]}),
    tags=["pioneers"],
    summary="List pioneers",
)
@paginate(ApiPagination)
def list_pioneers(request: HttpRequest, filters: Query[PioneerFilter]):
    return selectors.pioneer_list(user=request.user, **filters.dict())


@router.get(
    "/pioneers/{pioneer_id}",
    response=responses({200: PioneerOut}, 404),
    tags=["pioneers"],
    summary="One pioneer",
)
def get_pioneer(request: HttpRequest, pioneer_id: int):
    return get_visible_or_404(Pioneer.objects.select_related("grid"), request.user, pk=pioneer_id)


@router.get(
    "/residents",
    response=responses({200: list[ResidentOut]}),
    tags=["residents"],
    summary="List residents (masked)",
)
@paginate(ApiPagination)
def list_residents(request: HttpRequest, filters: Query[ResidentFilter]):
    return selectors.resident_list(user=request.user, **filters.dict())


@router.get(
    "/residents/{resident_id}",
    response=responses({200: ResidentOut}, 404),
    tags=["residents"],
    summary="One resident (masked)",
)
def get_resident(request: HttpRequest, resident_id: int):
    return get_visible_or_404(Resident.objects.select_related("grid"), request.user, pk=resident_id)
