from django.http import HttpRequest
from ninja import FilterSchema, Query, Router
from ninja.pagination import paginate

from genxi.core.api_schemas import responses
from genxi.core.pagination import ApiPagination
from genxi.core.scope import get_visible_or_404

from . import selectors
from .models import Pioneer, Resident
from .schemas import PioneerOut, ResidentOut

router = Router()


class PioneerFilter(FilterSchema):
    kind: str = ""
    grid: str = ""
    skill: str = ""
    active: str = ""
    q: str = ""


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
