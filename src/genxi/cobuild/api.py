"""REST API of co-building: the needs, resources, projects and services lists, joint
meetings, and claims (create, approve, reject, deliver)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import FilterSchema, Query, Router, Status
from ninja.pagination import paginate

from genxi.core.api_schemas import WRITE, error_answer, responses
from genxi.core.pagination import ApiPagination
from genxi.core.scope import get_visible_or_404, scope_for
from genxi.orgs.models import PartnerUnit

from . import selectors, services
from .models import Claim, Meeting, Need, Project, ServiceOffer, ServiceSlot
from .schemas import (
    ClaimActIn,
    ClaimIn,
    ClaimOut,
    MeetingDetailOut,
    MeetingOut,
    NeedOut,
    ProjectOut,
    ResourceOut,
    ServiceDetailOut,
    ServiceOut,
)

router = Router(tags=["co-building"])


class NeedFilter(FilterSchema):
    status: str = ""
    kind: str = ""
    q: str = ""


@router.get("/needs", response=responses({200: list[NeedOut]}), summary="List needs (服务需求清单)")
@paginate(ApiPagination)
def list_needs(request: HttpRequest, filters: Query[NeedFilter]):
    return selectors.need_list(user=request.user, **filters.dict())


@router.get("/needs/{need_id}", response=responses({200: NeedOut}, 404), summary="One need")
def get_need(request: HttpRequest, need_id: int):
    return get_visible_or_404(Need.objects.select_related("community"), request.user, pk=need_id)


@router.get(
    "/resources",
    response=responses({200: list[ResourceOut]}),
    summary="List resources (共享资源清单)",
)
@paginate(ApiPagination)
def list_resources(request: HttpRequest, kind: str = ""):
    return selectors.resource_list(user=request.user, kind=kind)


@router.get(
    "/projects", response=responses({200: list[ProjectOut]}), summary="List projects (项目清单)"
)
@paginate(ApiPagination)
def list_projects(request: HttpRequest, status: str = "", q: str = ""):
    return selectors.project_list(user=request.user, status=status, q=q)


@router.get(
    "/projects/{project_id}", response=responses({200: ProjectOut}, 404), summary="One project"
)
def get_project(request: HttpRequest, project_id: int):
    return get_visible_or_404(
        Project.objects.select_related("community"), request.user, pk=project_id
    )


@router.get(
    "/services", response=responses({200: list[ServiceOut]}), summary="List services (服务清单)"
)
@paginate(ApiPagination)
def list_services(request: HttpRequest, kind: str = ""):
    return selectors.service_list(user=request.user, kind=kind)


@router.get(
    "/services/{service_id}",
    response=responses({200: ServiceDetailOut}, 404),
    summary="A service, its slots",
)
def get_service(request: HttpRequest, service_id: int):
    return get_visible_or_404(
        ServiceOffer.objects.select_related("community"), request.user, pk=service_id
    )


@router.get(
    "/meetings", response=responses({200: list[MeetingOut]}), summary="List joint meetings (联席会)"
)
@paginate(ApiPagination)
def list_meetings(request: HttpRequest, status: str = ""):
    return selectors.meeting_list(user=request.user, status=status)


@router.get(
    "/meetings/{meeting_id}",
    response=responses({200: MeetingDetailOut}, 404),
    summary="A meeting with its agenda, invited units and resolutions (action items)",
)
def get_meeting(request: HttpRequest, meeting_id: int):
    return get_visible_or_404(Meeting.objects.select_related("host"), request.user, pk=meeting_id)


@router.get(
    "/claims", response=responses({200: list[ClaimOut]}), summary="List the claims you may see"
)
@paginate(ApiPagination)
def list_claims(request: HttpRequest, status: str = ""):
    qs = Claim.objects.visible_to(request.user).select_related("community")
    return (qs.filter(status=status) if status else qs).order_by("-created_at", "-id")


@router.post(
    "/claims",
    response=responses({201: ClaimOut}, *WRITE, 404),
    summary="Claim a need, a project or a service slot for your unit",
)
def create_claim(request: HttpRequest, payload: ClaimIn):
    targets = [payload.need, payload.project, payload.slot]
    if sum(t is not None for t in targets) != 1:
        return error_answer(
            ValidationError({"need": _("请只选一项:需求、项目或服务场次。")}), invalid=422
        )
    unit = PartnerUnit.objects.filter(
        pk=payload.unit, pk__in=scope_for(request.user).unit_ids
    ).first()
    if unit is None:
        return error_answer(PermissionDenied(_("只能以本单位的名义认领。")))
    target = {}
    if payload.need is not None:
        target["need"] = get_visible_or_404(Need.objects.all(), request.user, pk=payload.need)
    elif payload.project is not None:
        target["project"] = get_visible_or_404(
            Project.objects.all(), request.user, pk=payload.project
        )
    else:
        target["slot"] = get_visible_or_404(
            ServiceSlot.objects.all(), request.user, pk=payload.slot
        )
    try:
        claim = services.claim_create(
            actor=request.user,
            unit=unit,
            quantity=payload.quantity,
            kind=payload.kind,
            unit_label=payload.unit_label,
            note=payload.note,
            **target,
        )
    except (ValidationError, PermissionDenied) as exc:
        return error_answer(exc, invalid=422)
    return Status(201, Claim.objects.select_related("community").get(pk=claim.pk))


def _claim_action(action: str):
    def act(request: HttpRequest, claim_id: int, payload: ClaimActIn):
        claim = get_visible_or_404(Claim.objects.all(), request.user, pk=claim_id)
        try:
            if action == "approve":
                services.claim_approve(actor=request.user, claim=claim)
            elif action == "reject":
                services.claim_reject(actor=request.user, claim=claim, reason=payload.reason)
            else:
                services.claim_deliver(
                    actor=request.user,
                    claim=claim,
                    amount=payload.amount,
                    beneficiaries=payload.beneficiaries,
                )
        except (ValidationError, PermissionDenied) as exc:
            return error_answer(exc, invalid=422)
        return Status(200, Claim.objects.select_related("community").get(pk=claim_id))

    act.__name__ = f"claim_{action}"
    return act


for _action, _summary in (
    ("approve", "Approve a claim (community staff)"),
    ("reject", "Reject a claim with a reason (community staff)"),
    ("deliver", "Record a delivery: amount and people served"),
):
    router.post(
        f"/claims/{{claim_id}}/{_action}",
        response=responses({200: ClaimOut}, *WRITE, 404),
        summary=_summary,
    )(_claim_action(_action))
