"""REST API of the request loop: /api/v1/cases (list, detail, create, one endpoint per
transition) and /api/v1/cases/suggest (the router, for other systems such as 12345)."""

import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import FilterSchema, Query, Router, Status
from ninja.pagination import paginate

from genxi.core.api_schemas import WRITE, error_answer, responses
from genxi.core.pagination import ApiSeekPagination
from genxi.core.roles import STAFF_ROLES, Perm, Role
from genxi.core.scope import get_visible_or_404, scope_for

from . import idempotency, routing, selectors, services, suggestions
from .domain.states import TRANSITIONS
from .models import Case, Category
from .schemas import (
    ActionIn,
    CaseCreatedOut,
    CaseDetailOut,
    CaseIn,
    CaseOut,
    SuggestIn,
    SuggestOut,
)

router = Router(tags=["cases"])


class CaseFilter(FilterSchema):
    queue: str = "all"
    state: str = ""
    category: str = ""
    region: str = ""
    q: str = ""


def _case(request: HttpRequest, code: str) -> Case:
    queryset = Case.objects.select_related("category", "region", "region__parent", "handler")
    return get_visible_or_404(queryset, request.user, code=code.upper())


@router.get(
    "/cases", response=responses({200: list[CaseOut]}), summary="List cases (a queue, filtered)"
)
@paginate(ApiSeekPagination)
def list_cases(request: HttpRequest, filters: Query[CaseFilter]):
    return selectors.case_list(user=request.user, **filters.dict())


# Who may ask the router: whoever takes reports (staff, and grid workers / pioneers on their
# visits) or dispatches them. Admin roles, liaisons and department officers may not.
SUGGEST_ROLES = STAFF_ROLES | {Role.GRID_WORKER}


@router.post(
    "/cases/suggest",
    response=responses({200: SuggestOut}, *WRITE),
    summary="Suggest category, grid and handler (staff and grid workers)",
)
def suggest(request: HttpRequest, payload: SuggestIn):
    if not scope_for(request.user).roles & SUGGEST_ROLES:
        return Status(403, {"detail": _("只有受理或派遣诉求的人员可以使用分派建议。")})
    version, candidates = suggestions.suggest(payload.text, top=3)
    place = routing.find_place(
        lat=payload.lat, lon=payload.lon, address=payload.address, reporter=None
    )
    top = candidates[0].code if candidates else None
    handler = routing.suggest_handler(top or "", place.region) if place.region else None
    if handler is not None:
        # Only someone the caller could dispatch to is named; others stay unnamed.
        reachable = selectors.visible_handlers(request.user).filter(pk=handler.pk).exists()
        handler = handler if reachable else None
    found = suggestions.two_problems(payload.text) if candidates else None
    parts = None
    if found is not None:
        parts = [
            {
                "text": p.text,
                "candidates": [{"code": c.code, "confidence": c.confidence} for c in p.candidates],
            }
            for p in found.parts
        ]
    return {
        "parts": parts,
        "category": top,
        "candidates": [{"code": c.code, "confidence": c.confidence} for c in candidates],
        "model_version": version,
        "auto_route": suggestions.auto_routable(candidates),
        "grid": place.region.code if place.region else None,
        "handler": handler.username if handler else None,
    }


@router.get(
    "/cases/{code}",
    response=responses({200: CaseDetailOut}, 404),
    summary="One case with its history",
)
def get_case(request: HttpRequest, code: str):
    return _case(request, code)


@router.post(
    "/cases",
    response=responses({201: CaseCreatedOut}, *WRITE, 409),
    summary="Create a case (send an Idempotency-Key header to make retries safe)",
)
def create_case(request: HttpRequest, payload: CaseIn):
    if not scope_for(request.user).has(Perm.VIEW_DATA):
        return Status(403, {"detail": "forbidden"})

    def produce() -> idempotency.Answer:
        try:
            category = None
            if payload.category:
                category = Category.objects.filter(code=payload.category, active=True).first()
                if category is None:
                    raise ValidationError({"category": _("未知的类别代码。")})
            case = services.case_create(
                actor=request.user,
                channel=payload.channel,
                text=payload.text,
                category=category,
                lat=payload.lat,
                lon=payload.lon,
                address=payload.address,
                reporter_name=payload.reporter_name,
                reporter_contact=payload.reporter_contact,
                urgency=payload.urgency,
                tags=payload.tags,
            )
        except ValidationError as exc:
            refusal = error_answer(exc)
            return idempotency.Answer(
                refusal.status_code, "application/json", json.dumps(refusal.value)
            )
        out = CaseCreatedOut.from_orm(case, context={"request": request})
        body = out.model_dump(mode="json")
        return idempotency.Answer(201, "application/json", json.dumps(body, ensure_ascii=False))

    key = request.headers.get("Idempotency-Key")
    try:
        answer = idempotency.run(f"user:{request.user.pk}", key, request.body, produce)
    except idempotency.KeyInFlight:
        return Status(409, {"detail": "a request with this Idempotency-Key is still in progress"})
    except idempotency.KeyReused:
        return Status(422, {"detail": "this Idempotency-Key was used with a different request"})
    response = HttpResponse(answer.body, status=answer.status, content_type=answer.content_type)
    if answer.replayed:
        response["Idempotent-Replayed"] = "true"
    return response


def _fields(request: HttpRequest, payload: ActionIn) -> dict:
    """Turn names in the body into objects the caller may use (404 otherwise)."""
    fields = {k: v for k, v in payload.dict().items() if v not in (None, "", [])}
    if "handler" in fields:
        handlers = selectors.visible_handlers(request.user)
        fields["handler"] = get_object_or_404(handlers, username=fields["handler"])
    if "assistants" in fields:
        handlers = selectors.visible_handlers(request.user)
        fields["assistants"] = [
            get_object_or_404(handlers, username=u) for u in fields["assistants"]
        ]
    if "category" in fields:
        fields["category"] = get_object_or_404(Category, code=fields["category"], active=True)
    if "master" in fields:
        fields["master"] = get_visible_or_404(
            Case.objects.all(), request.user, code=fields["master"].upper()
        )
    return fields


def _make_action(action: str):
    def act(request: HttpRequest, code: str, payload: ActionIn):
        case = _case(request, code)
        try:
            fields = _fields(request, payload)
            case = services.case_act(actor=request.user, case=case, action=action, **fields)
        except (PermissionDenied, ValidationError) as exc:
            return error_answer(exc)
        return Status(
            200,
            Case.objects.select_related("category", "region", "region__parent", "handler").get(
                pk=case.pk
            ),
        )

    act.__name__ = f"case_{action}"
    return act


for _action in TRANSITIONS:
    router.post(
        f"/cases/{{code}}/{_action}",
        response=responses({200: CaseDetailOut}, *WRITE, 404),
        summary=f"Case transition: {_action}",
        operation_id=f"case_{_action}",
    )(_make_action(_action))
