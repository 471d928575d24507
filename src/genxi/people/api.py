from django.http import HttpRequest
from ninja import FilterSchema, Query, Router
from ninja.pagination import PageNumberPagination, paginate

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


@router.get("/pioneers", response=list[PioneerOut], tags=["pioneers"], summary="List pioneers")
@paginate(PageNumberPagination, page_size=50)
def list_pioneers(request: HttpRequest, filters: Query[PioneerFilter]):
    return selectors.pioneer_list(user=request.user, **filters.dict())


@router.get("/pioneers/{pioneer_id}", response=PioneerOut, tags=["pioneers"], summary="One pioneer")
def get_pioneer(request: HttpRequest, pioneer_id: int):
    return get_visible_or_404(Pioneer.objects.select_related("grid"), request.user, pk=pioneer_id)


@router.get(
    "/residents", response=list[ResidentOut], tags=["residents"], summary="List residents (masked)"
)
@paginate(PageNumberPagination, page_size=50)
def list_residents(request: HttpRequest, filters: Query[ResidentFilter]):
    return selectors.resident_list(user=request.user, **filters.dict())


@router.get(
    "/residents/{resident_id}",
    response=ResidentOut,
    tags=["residents"],
    summary="One resident (masked)",
)
def get_resident(request: HttpRequest, resident_id: int):
    return get_visible_or_404(Resident.objects.select_related("grid"), request.user, pk=resident_id)
