"""Pages of the project list and the service list: list, create, claim."""

from __future__ import annotations

from datetime import date, time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from genxi.core.pagination import paginate
from genxi.core.roles import Perm
from genxi.core.scope import get_visible_or_404, require_perm, scope_for
from genxi.orgs.models import PartnerUnit
from genxi.regions.models import Region

from .. import selectors, services
from ..models import Kind, Need, Project, ProjectStatus, Service, ServiceSlot, Weekday
from .lists import _int, _my_unit, _parsed, _report


@login_required
def projects(request):
    require_perm(request.user, Perm.VIEW_DATA)
    filters = {k: request.GET.get(k, "").strip() for k in ("status", "q")}
    page, query = paginate(request, selectors.project_list(user=request.user, **filters))
    return render(
        request,
        "cobuild/projects.html",
        {
            "page": page,
            "query": query,
            "filters": filters,
            "statuses": ProjectStatus.choices,
            "communities": selectors.staff_communities(request.user),
        },
    )


@login_required
@require_POST
def project_new(request):
    community = get_visible_or_404(
        Region.objects.communities(), request.user, pk=request.POST.get("community")
    )
    try:
        project = services.project_create(
            actor=request.user,
            community=community,
            title=request.POST.get("title", ""),
            goal=request.POST.get("goal", ""),
            budget=_int(request.POST.get("budget"), -1),
            start=_parsed(request.POST.get("start", ""), date, "start"),
            end=_parsed(request.POST.get("end", ""), date, "end"),
            needs=list(
                Need.objects.visible_to(request.user).filter(
                    pk__in=request.POST.getlist("needs"), community=community
                )
            ),
        )
    except (ValidationError, PermissionDenied) as exc:
        _report(request, exc)
        return redirect("cobuild:projects")
    messages.success(request, _("项目已立项。"))
    return redirect("cobuild:project", pk=project.pk)


@login_required
def project_detail(request, pk: int):
    project = get_visible_or_404(Project.objects.select_related("community"), request.user, pk=pk)
    scope = scope_for(request.user)
    return render(
        request,
        "cobuild/project_detail.html",
        {
            "project": project,
            "needs": project.needs.visible_to(request.user),
            "claims": selectors.target_claims(user=request.user, project=project),
            "is_staff": scope.role_covers(services.STAFF, project.community.path),
            "my_units": PartnerUnit.objects.filter(pk__in=scope.unit_ids),
            "kinds": Kind.choices,
            "statuses": ProjectStatus.choices,
        },
    )


@login_required
@require_POST
def project_act(request, pk: int):
    project = get_visible_or_404(Project.objects.select_related("community"), request.user, pk=pk)
    try:
        if "status" in request.POST:
            services.project_set_status(
                actor=request.user, project=project, status=request.POST["status"]
            )
            messages.success(request, _("已保存。"))
        else:
            services.claim_create(
                actor=request.user,
                project=project,
                unit=_my_unit(request),
                kind=request.POST.get("kind", ""),
                unit_label=request.POST.get("unit_label", ""),
                quantity=_int(request.POST.get("quantity")),
                note=request.POST.get("note", "").strip(),
            )
            messages.success(request, _("已提交认领,等待社区审核。"))
    except (ValidationError, PermissionDenied) as exc:
        _report(request, exc)
    return redirect("cobuild:project", pk=pk)


@login_required
def service_list(request):
    require_perm(request.user, Perm.VIEW_DATA)
    kind = request.GET.get("kind", "").strip()
    page, query = paginate(request, selectors.service_list(user=request.user, kind=kind))
    return render(
        request,
        "cobuild/services.html",
        {
            "page": page,
            "query": query,
            "kind": kind,
            "kinds": Kind.choices,
            "weekdays": Weekday.choices,
            "communities": selectors.staff_communities(request.user),
        },
    )


@login_required
@require_POST
def service_new(request):
    community = get_visible_or_404(
        Region.objects.communities(), request.user, pk=request.POST.get("community")
    )
    post = request.POST
    try:
        service = services.service_create(
            actor=request.user,
            community=community,
            title=post.get("title", ""),
            kind=post.get("kind", ""),
            place=post.get("place", ""),
            weekday=_int(post.get("weekday"), -1),
            start_time=_parsed(post.get("start_time", ""), time, "start_time", required=True),
            end_time=_parsed(post.get("end_time", ""), time, "end_time", required=True),
            first=_parsed(post.get("first", ""), date, "first", required=True),
            last=_parsed(post.get("last", ""), date, "last", required=True),
            unit=PartnerUnit.objects.visible_to(request.user)
            .filter(pk=_int(post.get("unit")))
            .first(),
            capacity=_int(post.get("capacity"), 10),
            description=post.get("description", "").strip(),
        )
    except (ValidationError, PermissionDenied) as exc:
        _report(request, exc)
        return redirect("cobuild:services")
    messages.success(request, _("服务已加入服务清单。"))
    return redirect("cobuild:service", pk=service.pk)


@login_required
def service_detail(request, pk: int):
    service = get_visible_or_404(
        Service.objects.select_related("community", "unit"), request.user, pk=pk
    )
    scope = scope_for(request.user)
    claims = selectors.target_claims(user=request.user, slot__service=service)
    by_slot: dict[int, list] = {}
    for claim in claims:
        by_slot.setdefault(claim.slot_id, []).append(claim)
    slots = [(slot, by_slot.get(slot.pk, [])) for slot in selectors.service_slots(service=service)]
    return render(
        request,
        "cobuild/service_detail.html",
        {
            "service": service,
            "slots": slots,
            "is_staff": scope.role_covers(services.STAFF, service.community.path),
            "my_units": PartnerUnit.objects.filter(pk__in=scope.unit_ids),
        },
    )


@login_required
@require_POST
def slot_act(request, pk: int):
    slot = get_visible_or_404(
        ServiceSlot.objects.select_related("service__community"), request.user, pk=pk
    )
    try:
        if request.POST.get("action") == "cancel":
            services.slot_cancel(
                actor=request.user, slot=slot, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("已取消该场次。"))
        else:
            services.claim_create(actor=request.user, slot=slot, unit=_my_unit(request))
            messages.success(request, _("已提交认领,等待社区审核。"))
    except (ValidationError, PermissionDenied) as exc:
        _report(request, exc)
    return redirect("cobuild:service", pk=slot.service_id)
