"""Co-building pages: the needs list, a need with its claims, claiming, approving, delivery."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from genxi.core.forms import submit
from genxi.core.pagination import paginate
from genxi.core.replica import reading_replica
from genxi.core.roles import STAFF_ROLES, Perm
from genxi.core.scope import get_visible_or_404, require_perm, scope_for
from genxi.core.spreadsheets import write_xlsx, xlsx_response
from genxi.orgs.models import PartnerUnit
from genxi.regions.models import Region
from genxi.regions.selectors import place_choices

from .. import selectors, services
from ..forms import (
    ApproveForm,
    ClaimForm,
    DeclineForm,
    DeliverForm,
    MatchForm,
    NeedForm,
    RejectForm,
    ResourceForm,
)
from ..models import Claim, ClaimStatus, Kind, Need, NeedStatus, Project, ServiceOffer
from .projects import project_page, service_page


def _needs_page(request, *, need_form=None):
    require_perm(request.user, Perm.VIEW_DATA)
    filters = {k: request.GET.get(k, "").strip() for k in ("status", "kind", "q", "claims")}
    page, query = paginate(request, selectors.need_list(user=request.user, **filters))
    return render(
        request,
        "cobuild/needs.html",
        {
            "page": page,
            "query": query,
            "filters": filters,
            "kinds": Kind.choices,
            "statuses": NeedStatus.choices,
            "communities": selectors.staff_communities(request.user),
            "need_form": need_form,
            "proposals_waiting": selectors.proposals(user=request.user)
            .filter(unit_id__in=scope_for(request.user).unit_ids)
            .count()
            if scope_for(request.user).unit_ids
            else 0,
        },
        status=need_form.status if need_form else 200,
    )


@login_required
def needs(request):
    return _needs_page(request)


def _resources_page(request, *, resource_form=None):
    """共享资源清单: what the units offer; a liaison adds its own unit's resources."""
    require_perm(request.user, Perm.VIEW_DATA)
    kind = request.GET.get("kind", "").strip()
    page, query = paginate(request, selectors.resource_list(user=request.user, kind=kind))
    scope = scope_for(request.user)
    return render(
        request,
        "cobuild/resources.html",
        {
            "page": page,
            "query": query,
            "kind": kind,
            "kinds": Kind.choices,
            "my_units": PartnerUnit.objects.filter(pk__in=scope.unit_ids),
            "resource_form": resource_form,
        },
        status=resource_form.status if resource_form else 200,
    )


@login_required
def resources(request):
    return _resources_page(request)


@login_required
@require_POST
def resource_new(request):
    form = ResourceForm(request.POST, user=request.user)
    resource = submit(
        form,
        lambda d: services.resource_create(
            actor=request.user,
            unit=d["unit"],
            kind=d["kind"],
            description=d["description"].strip(),
            capacity=d["capacity"],
            unit_label=d["unit_label"].strip(),
            schedule=d["schedule"].strip(),
            conditions=d["conditions"].strip(),
            radius_m=d["radius_m"],
        ),
    )
    if resource is None:
        return _resources_page(request, resource_form=form)
    messages.success(request, _("资源已加入共享资源清单。"))
    return redirect("cobuild:resources")


@login_required
@require_POST
def need_new(request):
    form = NeedForm(request.POST, user=request.user)
    need = submit(
        form,
        lambda d: services.need_create(
            actor=request.user,
            community=d["community"],
            title=d["title"].strip(),
            kind=d["kind"],
            quantity=d["quantity"],
            unit_label=d["unit_label"].strip(),
            description=d["description"].strip(),
            pooled=d["pooled"],
        ),
    )
    if need is None:
        return _needs_page(request, need_form=form)
    messages.success(request, _("需求已发布。"))
    return redirect("cobuild:need", pk=need.pk)


def need_page(request, need: Need, *, claim_form=None, failed_claim=None, status=200):
    scope = scope_for(request.user)
    my_units = PartnerUnit.objects.filter(pk__in=scope.unit_ids)
    return render(
        request,
        "cobuild/need_detail.html",
        {
            "need": need,
            "claims": selectors.target_claims(user=request.user, need=need),
            "is_staff": scope.role_covers(STAFF_ROLES, need.community.path),
            "my_units": my_units,
            "resources": selectors.unit_resources(user=request.user, unit_ids=scope.unit_ids),
            "room": need.quantity - need.filled,
            "claim_form": claim_form,
            "failed_claim": failed_claim,
        },
        status=status,
    )


@login_required
def need_detail(request, pk: int):
    need = get_visible_or_404(Need.objects.select_related("community"), request.user, pk=pk)
    return need_page(request, need)


@login_required
@require_POST
def claim_new(request, pk: int):
    need = get_visible_or_404(Need.objects.select_related("community"), request.user, pk=pk)
    form = ClaimForm(request.POST, user=request.user)
    claim = submit(
        form,
        lambda d: services.claim_create(
            actor=request.user,
            need=need,
            unit=d["unit"],
            resource=d["resource"],
            quantity=d["quantity"],
            note=d["note"].strip(),
        ),
    )
    if claim is None:
        need.refresh_from_db()
        return need_page(request, need, claim_form=form, status=form.status)
    messages.success(request, _("已提交认领,等待社区审核。"))
    return redirect("cobuild:need", pk=pk)


_CLAIM_ACTIONS = {
    "approve": (
        ApproveForm,
        lambda actor, claim, d: services.claim_approve(actor=actor, claim=claim),
    ),
    "reject": (
        RejectForm,
        lambda actor, claim, d: services.claim_reject(actor=actor, claim=claim, reason=d["reason"]),
    ),
    "deliver": (
        DeliverForm,
        lambda actor, claim, d: services.claim_deliver(
            actor=actor,
            claim=claim,
            amount=d["amount"],
            beneficiaries=d["beneficiaries"],
            photos=d["photos"],
        ),
    ),
}


@login_required
@require_POST
def claim_act(request, pk: int, action: str):
    claim = get_visible_or_404(Claim.objects.select_related("slot"), request.user, pk=pk)
    if action not in _CLAIM_ACTIONS:
        return redirect(claim.get_target_url())
    form_class, act = _CLAIM_ACTIONS[action]
    form = form_class(request.POST, request.FILES)
    if submit(form, lambda d: act(request.user, claim, d)) is None:
        return _claim_target_page(request, claim, form)
    messages.success(request, _("已保存。"))
    return redirect(claim.get_target_url())


def _claim_target_page(request, claim: Claim, form):
    """The page the claim was acted on, with the refused form under the claim."""
    forms = {"claim_form": form, "failed_claim": claim.pk, "status": form.status}
    user = request.user
    if claim.need_id:
        need = get_visible_or_404(Need.objects.select_related("community"), user, pk=claim.need_id)
        return need_page(request, need, **forms)
    if claim.project_id:
        projects = Project.objects.select_related("community")
        return project_page(
            request, get_visible_or_404(projects, user, pk=claim.project_id), **forms
        )
    services_ = ServiceOffer.objects.select_related("community", "unit")
    assert claim.slot is not None  # exactly one target (the CHECK constraint)
    return service_page(
        request, get_visible_or_404(services_, user, pk=claim.slot.service_id), **forms
    )


# The parts of a match's score (cobuild.domain.scoring), as a person reads them.
MATCH_PARTS = {
    "category": gettext_lazy("类别"),
    "text": gettext_lazy("内容"),
    "distance": gettext_lazy("距离"),
    "time": gettext_lazy("时间"),
}


def _matches_page(request, *, match_form=None, proposal_form=None, failed_proposal=None):
    """A place's staff (community worker, street admin): the suggested matches for their
    communities' needs, to propose to the unit or turn down, and the proposals made (waiting,
    declined with the unit's reason). A liaison: the proposals waiting for its unit to
    confirm or decline, and the needs its unit's resources could meet. Filtered by
    community and kind, fifty a page."""
    require_perm(request.user, Perm.VIEW_DATA)
    scope = scope_for(request.user)
    is_staff = bool(scope.roles & STAFF_ROLES)
    is_liaison = not is_staff and bool(scope.unit_ids)
    if is_liaison:
        suggestions = selectors.suggested_matches(user=request.user, unit_ids=scope.unit_ids)
        made = selectors.proposals(user=request.user).filter(unit_id__in=scope.unit_ids)
        rejected = list(selectors.turned_down(user=request.user, unit_ids=scope.unit_ids)[:20])
    else:  # the proposals made, waiting or declined with the unit's reason
        suggestions = selectors.suggested_matches(user=request.user)
        statuses = (ClaimStatus.PROPOSED, ClaimStatus.DECLINED)
        made = selectors.proposals(user=request.user, statuses=statuses)
        rejected = []
    made = list(made[:60])
    filters = {k: request.GET.get(k, "").strip() for k in ("community", "kind")}
    shown = [
        m
        for m in suggestions
        if (not filters["community"] or m["need"].community.code == filters["community"])
        and (not filters["kind"] or m["need"].kind == filters["kind"])
    ]
    page, query = paginate(request, shown)
    for m in page:
        m["named_parts"] = [(MATCH_PARTS.get(k, k), v) for k, v in m["parts"].items()]
    form = match_form or proposal_form
    return render(
        request,
        "cobuild/matches.html",
        {
            "page": page,
            "query": query,
            "filters": filters,
            "kinds": Kind.choices,
            "communities": place_choices(request.user) if is_staff else [],
            "is_staff": is_staff,
            "is_liaison": is_liaison,
            "match_form": match_form,
            "waiting": [c for c in made if c.status == ClaimStatus.PROPOSED],
            "declined": [c for c in made if c.status == ClaimStatus.DECLINED],
            "rejected": rejected,
            "proposal_form": proposal_form,
            "failed_proposal": failed_proposal,
        },
        status=form.status if form else 200,
    )


@login_required
def matches(request):
    return _matches_page(request)


@login_required
@require_POST
def match_decide(request, decision: str):
    form = MatchForm(request.POST, user=request.user)
    if decision == "accept":
        done = submit(
            form,
            lambda d: services.match_accept(
                actor=request.user,
                need=d["need"],
                resource=d["resource"],
                quantity=d["quantity"] or 0,
            ),
        )
        message = _("已提议给该单位,等待单位确认。")
    else:
        done = submit(
            form,
            lambda d: (
                services.match_reject(actor=request.user, need=d["need"], resource=d["resource"])
                or True
            ),
        )
        message = _("已不采纳,不再建议。")
    if done is None:
        return _matches_page(request, match_form=form)
    messages.success(request, message)
    return redirect("cobuild:matches")


_PROPOSAL_ACTIONS = {
    "confirm": (
        ApproveForm,
        lambda actor, claim, d: services.proposal_confirm(actor=actor, claim=claim),
        gettext_lazy("已确认对接,已计入本单位的认领。"),
    ),
    "decline": (
        DeclineForm,
        lambda actor, claim, d: services.proposal_decline(
            actor=actor, claim=claim, reason=d["reason"]
        ),
        gettext_lazy("已谢绝,社区会看到原因。"),
    ),
}


@login_required
@require_POST
def proposal_act(request, pk: int, action: str):
    """A unit's liaison confirms or declines a match proposed to the unit. The proposal is
    addressed to the unit: to anyone else it is not there (404)."""
    if action not in _PROPOSAL_ACTIONS:
        return redirect("cobuild:matches")
    mine = Claim.objects.visible_to(request.user).filter(
        unit_id__in=scope_for(request.user).unit_ids, proposed_by__isnull=False
    )
    claim = get_object_or_404(mine, pk=pk)
    form_class, act, message = _PROPOSAL_ACTIONS[action]
    form = form_class(request.POST)
    if submit(form, lambda d: act(request.user, claim, d)) is None:
        return _matches_page(request, proposal_form=form, failed_proposal=claim.pk)
    messages.success(request, message)
    return redirect(reverse("cobuild:matches") + "#proposals")


def _contributions_page(request, *, title, claims, sheet_name, pairings=None):
    rows = selectors.totals(claims)
    if request.GET.get("format") == "xlsx":
        header = [
            _("日期"),
            _("认领内容"),
            _("社区"),
            _("共建单位"),
            _("数量"),
            _("单位"),
            _("状态"),
            _("实际交付"),
            _("服务人次"),
        ]
        lines = (
            [
                (c.delivered_at or c.created_at).date().isoformat(),
                str(c.target),
                c.community.name,
                c.unit.name,
                c.quantity,
                c.unit_label,
                str(c.get_status_display()),
                c.delivered_amount,
                c.beneficiaries_served,
            ]
            for c in claims.iterator(chunk_size=500)
        )
        with reading_replica():  # an export may lag (decisions/0033)
            content = write_xlsx(sheet_name, [str(h) for h in header], lines)
        return xlsx_response(f"{sheet_name}.xlsx", content)
    page, query = paginate(request, claims)
    return render(
        request,
        "cobuild/contributions.html",
        {
            "title": title,
            "totals": rows,
            "page": page,
            "query": query,
            "months": selectors.monthly(claims),
            "pairings": pairings,
        },
    )


@login_required
def unit_contributions(request, pk: int):
    unit = get_visible_or_404(PartnerUnit.objects.all(), request.user, pk=pk)
    claims = selectors.contributions(user=request.user, unit=unit)
    return _contributions_page(
        request,
        title=_("%(unit)s 的共建贡献") % {"unit": unit.name},
        claims=claims,
        sheet_name="unit-contributions",
        pairings=unit.pairings.select_related("community").order_by("community__code"),
    )


@login_required
def community_received(request, pk: int):
    community = get_visible_or_404(Region.objects.communities(), request.user, pk=pk)
    claims = selectors.contributions(user=request.user, community=community)
    return _contributions_page(
        request,
        title=_("%(community)s 获得的共建支持") % {"community": community.name},
        claims=claims,
        sheet_name="community-received",
    )
