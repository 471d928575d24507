"""Co-building pages: the needs list, a need with its claims, claiming, approving, delivery."""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from genxi.core.pagination import paginate
from genxi.core.roles import Perm
from genxi.core.scope import get_visible_or_404, require_perm, scope_for
from genxi.core.spreadsheets import write_xlsx, xlsx_response
from genxi.orgs.models import PartnerUnit
from genxi.regions.models import Region

from . import selectors, services
from .models import Claim, Kind, Need, NeedStatus, Resource


def _report(request, exc) -> None:
    if isinstance(exc, PermissionDenied):
        messages.error(request, str(exc))
    else:
        for errors in exc.message_dict.values():
            for error in errors:
                messages.error(request, error)


def _my_unit(request) -> PartnerUnit:
    """The unit named in the form, if the user is its liaison."""
    unit = PartnerUnit.objects.filter(
        pk=request.POST.get("unit"), pk__in=scope_for(request.user).unit_ids
    ).first()
    if unit is None:
        raise PermissionDenied(_("只能以本单位的名义认领。"))
    return unit


def _parsed(value: str, kind, field: str, required: bool = False):
    """A date, time or datetime from a form field (None when empty and not required); a bad
    or missing one is an error that names the field."""
    if not value:
        if required:
            raise ValidationError({field: _("此项必填。")})
        return None
    try:
        return kind.fromisoformat(value)
    except ValueError:
        raise ValidationError({field: _("格式不正确。")}) from None


def _moment(value: str, field: str):
    """A date and time from a `datetime-local` field, in the current time zone."""
    moment = _parsed(value, datetime, field, required=True)
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _int(value, default=0) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


@login_required
def needs(request):
    require_perm(request.user, Perm.VIEW_DATA)
    filters = {k: request.GET.get(k, "").strip() for k in ("status", "kind", "q")}
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
        },
    )


@login_required
def resources(request):
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
        },
    )


@login_required
@require_POST
def resource_new(request):
    unit = PartnerUnit.objects.visible_to(request.user).filter(pk=request.POST.get("unit")).first()
    if unit is None:
        messages.error(request, _("只能为本单位登记资源。"))
        return redirect("cobuild:resources")
    post = request.POST
    try:
        services.resource_create(
            actor=request.user,
            unit=unit,
            kind=post.get("kind", ""),
            description=post.get("description", "").strip(),
            capacity=_int(post.get("capacity")),
            unit_label=post.get("unit_label", "").strip(),
            schedule=post.get("schedule", "").strip(),
            conditions=post.get("conditions", "").strip(),
            radius_m=_int(post.get("radius_m")) or None,
        )
    except (ValidationError, PermissionDenied) as exc:
        _report(request, exc)
    else:
        messages.success(request, _("资源已加入共享资源清单。"))
    return redirect("cobuild:resources")


@login_required
@require_POST
def need_new(request):
    community = get_visible_or_404(
        Region.objects.communities(), request.user, pk=request.POST.get("community")
    )
    try:
        need = services.need_create(
            actor=request.user,
            community=community,
            title=request.POST.get("title", "").strip(),
            kind=request.POST.get("kind", ""),
            quantity=_int(request.POST.get("quantity")),
            unit_label=request.POST.get("unit_label", "").strip(),
            description=request.POST.get("description", "").strip(),
            pooled=bool(request.POST.get("pooled")),
        )
    except (ValidationError, PermissionDenied) as exc:
        _report(request, exc)
        return redirect("cobuild:needs")
    messages.success(request, _("需求已发布。"))
    return redirect("cobuild:need", pk=need.pk)


@login_required
def need_detail(request, pk: int):
    need = get_visible_or_404(Need.objects.select_related("community"), request.user, pk=pk)
    scope = scope_for(request.user)
    my_units = PartnerUnit.objects.filter(pk__in=scope.unit_ids)
    return render(
        request,
        "cobuild/need_detail.html",
        {
            "need": need,
            "claims": selectors.target_claims(user=request.user, need=need),
            "is_staff": scope.role_covers(services.STAFF, need.community.path),
            "my_units": my_units,
            "resources": selectors.unit_resources(user=request.user, unit_ids=scope.unit_ids),
            "room": need.quantity - need.filled,
        },
    )


@login_required
@require_POST
def claim_new(request, pk: int):
    need = get_visible_or_404(Need.objects.all(), request.user, pk=pk)
    try:
        unit = _my_unit(request)
        resource = (
            selectors.unit_resources(user=request.user, unit_ids=[unit.pk])
            .filter(pk=request.POST.get("resource") or 0)
            .first()
        )
        services.claim_create(
            actor=request.user,
            need=need,
            unit=unit,
            resource=resource,
            quantity=_int(request.POST.get("quantity")),
            note=request.POST.get("note", "").strip(),
        )
    except (ValidationError, PermissionDenied) as exc:
        _report(request, exc)
    else:
        messages.success(request, _("已提交认领,等待社区审核。"))
    return redirect("cobuild:need", pk=pk)


@login_required
@require_POST
def claim_act(request, pk: int, action: str):
    claim = get_visible_or_404(Claim.objects.select_related("slot"), request.user, pk=pk)
    try:
        if action == "approve":
            services.claim_approve(actor=request.user, claim=claim)
        elif action == "reject":
            services.claim_reject(
                actor=request.user, claim=claim, reason=request.POST.get("reason", "")
            )
        elif action == "deliver":
            services.claim_deliver(
                actor=request.user,
                claim=claim,
                amount=_int(request.POST.get("amount"), -1),
                beneficiaries=_int(request.POST.get("beneficiaries")),
                photos=request.FILES.getlist("photos"),
            )
        else:
            return redirect(claim.get_target_url())
    except (ValidationError, PermissionDenied) as exc:
        _report(request, exc)
    else:
        messages.success(request, _("已保存。"))
    return redirect(claim.get_target_url())


@login_required
def matches(request):
    """Street admins: the suggested matches across their communities. Liaisons: the needs
    their unit's resources could meet."""
    require_perm(request.user, Perm.VIEW_DATA)
    scope = scope_for(request.user)
    is_street = bool(scope.roles & {"street_admin"})
    if is_street:
        suggestions = selectors.suggested_matches(user=request.user)
    else:
        suggestions = selectors.suggested_matches(user=request.user, unit_ids=scope.unit_ids)
    return render(
        request, "cobuild/matches.html", {"suggestions": suggestions[:200], "is_street": is_street}
    )


@login_required
@require_POST
def match_decide(request, decision: str):
    need = get_visible_or_404(Need.objects.all(), request.user, pk=request.POST.get("need"))
    resource = get_visible_or_404(
        Resource.objects.select_related("unit__region"),
        request.user,
        pk=request.POST.get("resource"),
    )
    try:
        if decision == "accept":
            services.match_accept(
                actor=request.user,
                need=need,
                resource=resource,
                quantity=_int(request.POST.get("quantity")),
            )
            messages.success(request, _("已采纳:已为该单位生成认领。"))
        else:
            services.match_reject(actor=request.user, need=need, resource=resource)
            messages.success(request, _("已不采纳,不再建议。"))
    except (ValidationError, PermissionDenied) as exc:
        _report(request, exc)
    return redirect("cobuild:matches")


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
        return xlsx_response(
            f"{sheet_name}.xlsx", write_xlsx(sheet_name, [str(h) for h in header], lines)
        )
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
