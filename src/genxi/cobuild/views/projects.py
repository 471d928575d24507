"""Pages of the project list and the service list: list, create, claim."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from genxi.core.forms import submit
from genxi.core.pagination import paginate
from genxi.core.roles import INTAKE_ROLES, STAFF_ROLES, Perm
from genxi.core.scope import get_visible_or_404, require_perm, scope_for
from genxi.orgs.models import PartnerUnit

from .. import selectors, services
from ..domain import projects as steps
from ..forms import (
    DecideForm,
    MilestoneDoneForm,
    MilestoneForm,
    ProgressForm,
    ProjectClaimForm,
    ProjectForm,
    ProjectStatusForm,
    ProposalForm,
    ReasonForm,
    ServiceForm,
    SlotClaimForm,
    SpendingForm,
    StepForm,
)
from ..models import Kind, Project, ProjectStatus, ServiceOffer, ServiceSlot, Tier, Weekday


def _projects_page(request, *, project_form=None, proposal_form=None):
    require_perm(request.user, Perm.VIEW_DATA)
    filters = {k: request.GET.get(k, "").strip() for k in ("status", "q", "tier")}
    page, query = paginate(request, selectors.project_list(user=request.user, **filters))
    scope = scope_for(request.user)
    failed = project_form or proposal_form
    return render(
        request,
        "cobuild/projects.html",
        {
            "page": page,
            "query": query,
            "filters": filters,
            "statuses": ProjectStatus.choices,
            "tiers": Tier.choices,
            "places": selectors.staff_places(request.user),
            "street_projects": selectors.street_projects(request.user),
            "may_propose": bool(scope.roles & INTAKE_ROLES),
            "proposal_communities": selectors.proposal_communities(request.user),
            "project_form": project_form,
            "proposal_form": proposal_form,
        },
        status=failed.status if failed else 200,
    )


@login_required
def projects(request):
    return _projects_page(request)


@login_required
@require_POST
def project_new(request):
    form = ProjectForm(request.POST, user=request.user)
    project = submit(
        form,
        lambda d: services.project_create(
            actor=request.user,
            community=d["community"],
            title=d["title"],
            goal=d["goal"],
            tier=d["tier"],
            parent=d["parent"],
            owner=request.user,
            budget=d["budget"],
            beneficiaries=d["beneficiaries"],
            start=d["start"],
            end=d["end"],
            needs=list(d["needs"]),
        ),
    )
    if project is None:
        return _projects_page(request, project_form=form)
    messages.success(request, _("项目已立项。"))
    return redirect("cobuild:project", pk=project.pk)


@login_required
@require_POST
def project_propose(request):
    """A signed-in pioneer (or the community's staff) proposes a micro-project."""
    form = ProposalForm(request.POST, user=request.user)
    project = submit(
        form,
        lambda d: services.micro_propose(
            actor=request.user,
            community=d["community"],
            title=d["title"],
            goal=d["goal"],
            beneficiaries=d["beneficiaries"],
        ),
    )
    if project is None:
        return _projects_page(request, proposal_form=form)
    messages.success(request, _("提议已提交,等待社区决定。"))
    return redirect("cobuild:project", pk=project.pk)


def project_page(
    request, project: Project, *, status=200, claim_form=None, failed_claim=None, **forms
):
    scope = scope_for(request.user)
    return render(
        request,
        "cobuild/project_detail.html",
        {
            "project": project,
            "steps": steps.available(project.status),
            "running": project.status in (ProjectStatus.PLANNING, ProjectStatus.ACTIVE),
            **selectors.project_parts(project),
            "evaluations": project.evaluations.order_by("-period"),
            "needs": project.needs.visible_to(request.user),
            "claims": selectors.target_claims(user=request.user, project=project),
            "is_staff": scope.role_covers(STAFF_ROLES, project.community.path),
            "my_units": PartnerUnit.objects.filter(pk__in=scope.unit_ids),
            "kinds": Kind.choices,
            "statuses": ProjectStatus.choices,
            "claim_form": claim_form,
            "failed_claim": failed_claim,
            **forms,
        },
        status=status,
    )


_PROJECT = Project.objects.select_related("community", "parent", "owner", "proposed_by")


@login_required
def project_detail(request, pk: int):
    project = get_visible_or_404(_PROJECT, request.user, pk=pk)
    return project_page(request, project)


def _decide(request, project, d):
    return services.project_step(
        actor=request.user,
        project=project,
        action=d["decision"],
        budget=d["budget"],
        reason=d["reason"],
    )


# action → (form, its name on the page, the service call, the message on success)
PROJECT_ACTIONS = {
    "decide": (DecideForm, "decide_form", _decide, _("已记录社区的决定。")),
    "step": (
        StepForm,
        "step_form",
        lambda request, project, d: services.project_step(
            actor=request.user, project=project, action=d["step"], summary=d["summary"]
        ),
        _("已保存。"),
    ),
    "spend": (
        SpendingForm,
        "spending_form",
        lambda request, project, d: services.spending_add(
            actor=request.user, project=project, day=d["date"], item=d["item"], amount=d["amount"]
        ),
        _("已登记支出。"),
    ),
    "milestone": (
        MilestoneForm,
        "milestone_form",
        lambda request, project, d: services.milestone_add(
            actor=request.user, project=project, title=d["title"], due=d["due"]
        ),
        _("已添加节点。"),
    ),
    "milestone_done": (
        MilestoneDoneForm,
        "milestone_done_form",
        lambda request, project, d: services.milestone_done(
            actor=request.user, milestone=d["milestone"], day=d["done_on"]
        ),
        _("节点已完成。"),
    ),
    "progress": (
        ProgressForm,
        "progress_form",
        lambda request, project, d: services.project_update(
            actor=request.user,
            project=project,
            beneficiaries=d["beneficiaries"],
            photos=d["photos"],
        ),
        _("已更新进展。"),
    ),
}


@login_required
@require_POST
def project_do(request, pk: int, action: str):
    """The community's decision on a proposal and the running of a project: steps,
    spending, milestones, beneficiaries and photos."""
    project = get_visible_or_404(_PROJECT, request.user, pk=pk)
    if action not in PROJECT_ACTIONS:
        raise Http404
    form_class, name, call, message = PROJECT_ACTIONS[action]
    if form_class is MilestoneDoneForm:
        form = form_class(request.POST, project=project)
    else:
        form = form_class(request.POST, request.FILES)
    done = submit(form, lambda d: call(request, project, d))
    if done is None:
        project.refresh_from_db()
        return project_page(request, project, status=form.status, **{name: form})
    messages.success(request, message)
    return redirect("cobuild:project", pk=pk)


@login_required
@require_POST
def project_act(request, pk: int):
    """The staff set the project's status; a liaison claims a contribution."""
    project = get_visible_or_404(Project.objects.select_related("community"), request.user, pk=pk)
    if "status" in request.POST:
        form: ProjectStatusForm | ProjectClaimForm = ProjectStatusForm(request.POST)
        done = submit(
            form,
            lambda d: services.project_set_status(
                actor=request.user, project=project, status=d["status"]
            ),
        )
        name, message = "status_form", _("已保存。")
    else:
        form = ProjectClaimForm(request.POST, user=request.user)
        done = submit(
            form,
            lambda d: services.claim_create(
                actor=request.user,
                project=project,
                unit=d["unit"],
                kind=d["kind"],
                unit_label=d["unit_label"].strip(),
                quantity=d["quantity"],
                note=d["note"].strip(),
            ),
        )
        name, message = "project_claim_form", _("已提交认领,等待社区审核。")
    if done is None:
        project.refresh_from_db()
        return project_page(request, project, status=form.status, **{name: form})
    messages.success(request, message)
    return redirect("cobuild:project", pk=pk)


def _services_page(request, *, service_form=None):
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
            "service_form": service_form,
        },
        status=service_form.status if service_form else 200,
    )


@login_required
def service_list(request):
    return _services_page(request)


@login_required
@require_POST
def service_new(request):
    form = ServiceForm(request.POST, user=request.user)
    service = submit(
        form,
        lambda d: services.service_create(
            actor=request.user,
            community=d["community"],
            title=d["title"],
            kind=d["kind"],
            place=d["place"],
            weekday=d["weekday"],
            start_time=d["start_time"],
            end_time=d["end_time"],
            first=d["first"],
            last=d["last"],
            unit=d["unit"],
            capacity=d["capacity"],
            description=d["description"].strip(),
        ),
    )
    if service is None:
        return _services_page(request, service_form=form)
    messages.success(request, _("服务已加入服务清单。"))
    return redirect("cobuild:service", pk=service.pk)


def service_page(
    request, service: ServiceOffer, *, status=200, claim_form=None, failed_claim=None, **forms
):
    scope = scope_for(request.user)
    claims = selectors.target_claims(user=request.user, slot__service=service)
    by_slot: dict[int | None, list] = {}
    for claim in claims:
        by_slot.setdefault(claim.slot_id, []).append(claim)
    slots = [(slot, by_slot.get(slot.pk, [])) for slot in selectors.service_slots(service=service)]
    return render(
        request,
        "cobuild/service_detail.html",
        {
            "service": service,
            "slots": slots,
            "is_staff": scope.role_covers(STAFF_ROLES, service.community.path),
            "my_units": PartnerUnit.objects.filter(pk__in=scope.unit_ids),
            "claim_form": claim_form,
            "failed_claim": failed_claim,
            **forms,
        },
        status=status,
    )


@login_required
def service_detail(request, pk: int):
    service = get_visible_or_404(
        ServiceOffer.objects.select_related("community", "unit"), request.user, pk=pk
    )
    return service_page(request, service)


@login_required
@require_POST
def slot_act(request, pk: int):
    """A liaison claims a slot for its unit; the staff cancel it."""
    slot = get_visible_or_404(
        ServiceSlot.objects.select_related("service__community"), request.user, pk=pk
    )
    if request.POST.get("action") == "cancel":
        form: ReasonForm | SlotClaimForm = ReasonForm(request.POST)
        done = submit(
            form,
            lambda d: services.slot_cancel(actor=request.user, slot=slot, reason=d["reason"]),
        )
        message = _("已取消该场次。")
    else:
        form = SlotClaimForm(request.POST, user=request.user)
        done = submit(
            form,
            lambda d: services.claim_create(actor=request.user, slot=slot, unit=d["unit"]),
        )
        message = _("已提交认领,等待社区审核。")
    if done is None:
        service = ServiceOffer.objects.select_related("community", "unit").get(pk=slot.service_id)
        return service_page(
            request, service, status=form.status, slot_form=form, failed_slot=slot.pk
        )
    messages.success(request, message)
    return redirect("cobuild:service", pk=slot.service_id)
