"""REST API of the weekend community: the events a caller sees, creating one (staff), and
registering a resident for it (代报名), answered with the place or the waiting list."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Status
from ninja.pagination import paginate

from genxi.core.api_schemas import WRITE, error_answer, responses
from genxi.core.pagination import ApiPagination

from . import selectors, services
from .schemas import EventIn, EventOut, RegistrationIn, RegistrationOut

router = Router(tags=["events"])


def _aware(moment: datetime) -> datetime:
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


@router.get("/events", response=responses({200: list[EventOut]}), summary="List events (周末社区)")
@paginate(ApiPagination)
def list_events(request: HttpRequest, community: str = "", status: str = ""):
    return selectors.event_api_list(user=request.user, community=community, status=status)


@router.get(
    "/events/{event_id}",
    response=responses({200: EventOut}, 404),
    summary="One event, with its registered and waiting counts",
)
def get_event(request: HttpRequest, event_id: int):
    return selectors.event_detail(user=request.user, pk=event_id)


@router.post(
    "/events",
    response=responses({201: EventOut}, *WRITE, 404),
    summary="Create an event in a community (its staff)",
)
def create_event(request: HttpRequest, payload: EventIn):
    community = get_object_or_404(
        selectors.visible_communities(request.user), code=payload.community
    )
    try:
        event = services.event_create(
            actor=request.user,
            community=community,
            title=payload.title,
            starts_at=_aware(payload.starts_at),
            ends_at=_aware(payload.ends_at),
            capacity=payload.capacity,
            place=payload.place,
            description=payload.description,
            audience=payload.audience,
            draft=payload.draft,
        )
    except (ValidationError, PermissionDenied) as exc:
        return error_answer(exc, invalid=422)
    return Status(201, selectors.event_detail(user=request.user, pk=event.pk))


@router.post(
    "/events/{event_id}/registrations",
    response=responses({201: RegistrationOut}, *WRITE, 404),
    summary="Register a resident (代报名): a place, or the waiting list",
)
def create_registration(request: HttpRequest, event_id: int, payload: RegistrationIn):
    event = selectors.event_detail(user=request.user, pk=event_id)
    try:
        reg = services.register(
            actor=request.user, event=event, name=payload.name, phone=payload.phone
        )
    except (ValidationError, PermissionDenied) as exc:
        return error_answer(exc, invalid=422)
    return Status(
        201,
        {
            "id": reg.pk,
            "status": reg.status,
            "position": services.waitlist_position(reg),
            "code": reg.code,
        },
    )
