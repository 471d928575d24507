from urllib.parse import quote

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from genxi.core.domain.cells import EXAMPLE_MARK
from genxi.core.forms import submit
from genxi.core.navigation import DASHBOARD_ROLES
from genxi.core.roles import STAFF_ROLES, Perm
from genxi.core.scope import get_visible_or_404, require_perm, scope_for
from genxi.core.spreadsheets import write_xlsx, xlsx_response
from genxi.core.stats import headline_counts
from genxi.core.workbench import work_for

from . import forms, selectors, services
from .domain import sheet
from .domain.codes import code_of, grid_prefix, path_codes
from .models import Estate, Level, Region
from .panels import render_panels


@login_required
def home(request):
    """The start page: the person's work (counts that link to the lists behind them, every
    app adding its own through `core.workbench`), their places, and the headline counts of
    the streets in view (through `core.stats`)."""
    scope = scope_for(request.user)
    streets = []
    if scope.has(Perm.VIEW_DATA):
        visible = Region.objects.visible_to(request.user)
        streets = list(visible.streets().order_by("code"))
        if not streets:
            # Below street level: show the street that holds the user's nodes.
            codes = {c for path in scope.paths for c in path_codes(path)}
            streets = list(Region.objects.streets().filter(code__in=codes))
    counts = headline_counts(streets) if streets else {}
    return render(
        request,
        "core/home.html",
        {
            "work": work_for(request.user),
            "counts": counts,
            "roles": sorted(scope.roles),
            "scope_nodes": _scope_nodes(scope),
            # A place's page needs view_data: the organisation office's has none (404).
            "scope_links": scope.has(Perm.VIEW_DATA),
            # The leader's way to the figures of their area (docs/dashboards.md).
            "dashboard": scope.has(Perm.VIEW_DATA)
            and bool(scope.roles & DASHBOARD_ROLES)
            and bool(scope.paths or scope.is_global),
        },
    )


def _scope_nodes(scope):
    codes = [code_of(p) for p in scope.paths]
    return list(Region.objects.filter(code__in=codes).select_related("parent").order_by("path"))


@login_required
def tree(request):
    require_perm(request.user, Perm.VIEW_DATA)
    return render(request, "regions/tree.html", {"roots": selectors.region_tree(request.user)})


@login_required
def detail(request, pk: int):
    region = get_visible_or_404(Region.objects.select_related("parent"), request.user, pk=pk)
    children = selectors.region_children(request.user, region)
    return render(
        request,
        "regions/detail.html",
        {
            "region": region,
            "children": children,
            "panels": render_panels(request, region),
            # The small map frames this place: its grids are those whose codes start so.
            "focus": grid_prefix(region.code, region.level),
        },
    )


@login_required
def grid_map(request):
    require_perm(request.user, Perm.VIEW_DATA)
    communities = Region.objects.visible_to(request.user).communities().order_by("code")
    code = request.GET.get("community", "")
    return render(
        request,
        "regions/map.html",
        {"communities": communities, "community_code": quote(code), "focus": code},
    )


@login_required
def grids_geojson(request):
    require_perm(request.user, Perm.VIEW_DATA)
    community = None
    if request.GET.get("community"):
        community = get_visible_or_404(
            Region.objects.communities(), request.user, code=request.GET["community"]
        )
    return JsonResponse(selectors.grid_features(request.user, community))


@login_required
def basemap_geojson(request):
    """The base layer under the grids (docs/maps.md): public geography, to staff who see
    places, like the map itself."""
    require_perm(request.user, Perm.VIEW_DATA)
    response = JsonResponse(selectors.basemap_features(request.user))
    response["Cache-Control"] = "private, max-age=300"
    return response


# The address gazetteer (地址库) and service phones -------------------------------------------


def _community(request, pk: int) -> Region:
    return get_visible_or_404(
        Region.objects.communities().select_related("parent"), request.user, pk=pk
    )


def _estate(request, pk: int) -> Estate:
    return get_visible_or_404(Estate.objects.select_related("community"), request.user, pk=pk)


def _may_edit(user, community: Region) -> bool:
    scope = scope_for(user)
    return scope.has(Perm.EDIT_REFERENCE) or scope.role_covers(STAFF_ROLES, community.path)


def gazetteer_page(request, community: Region, *, failed=None, status: int = 200):
    """The community's gazetteer; `failed` is (form name, estate pk or None, the form) of a
    refused post, shown again with its errors beside the fields."""
    failed_name, failed_estate, failed_form = failed or (None, None, None)

    def form_for(name, cls, estate=None, **kwargs):
        if failed_name == name and failed_estate == (estate.pk if estate else None):
            return failed_form
        return cls(**kwargs)

    estates = selectors.community_gazetteer(community)
    for item in estates:
        estate = item["estate"]
        item["edit_form"] = form_for(
            "edit",
            forms.EstateEditForm,
            estate,
            initial={"name": estate.name, "aliases": "、".join(estate.aliases or [])},
        )
        item["assign_form"] = form_for("assign", forms.BuildingsForm, estate, community=community)
        item["remove_form"] = form_for("remove", forms.BuildingsRemoveForm, estate)
        item["open"] = failed_estate == estate.pk
    grids = list(Region.objects.filter(parent=community).order_by("code"))
    contact_forms = [
        (
            place,
            failed_form
            if failed_name == "contact" and failed_estate == place.pk
            else forms.ContactForm(
                initial={
                    "service_phone": place.service_phone,
                    "service_hours": place.service_hours,
                },
                prefix=f"c{place.pk}",
            ),
        )
        for place in [community, *grids]
    ]
    q = request.GET.get("q", "").strip()[:200]
    return render(
        request,
        "regions/gazetteer.html",
        {
            "community": community,
            "estates": estates,
            "buildings": sum(item["count"] for item in estates),
            "grids": grids,
            "new_form": form_for("new", forms.EstateForm, community=community),
            "import_form": form_for("import", forms.GazetteerImportForm),
            "contact_forms": contact_forms,
            "may_edit": _may_edit(request.user, community),
            "failed": failed_name,
            "q": q,
            "tried": selectors.community_lookup(community, q) if q else None,
        },
        status=status,
    )


@login_required
def gazetteer_home(request):
    """The gazetteers the user keeps: straight to it if there is one community in view."""
    require_perm(request.user, Perm.VIEW_DATA)
    communities = list(selectors.gazetteer_communities(request.user))
    if len(communities) == 1:
        return redirect("regions:gazetteer", pk=communities[0].pk)
    return render(request, "regions/gazetteers.html", {"communities": communities})


@login_required
def gazetteer(request, pk: int):
    return gazetteer_page(request, _community(request, pk))


@login_required
def gazetteer_export(request, pk: int):
    """The community's gazetteer as a sheet; it is also the import's template."""
    community = _community(request, pk)
    rows = selectors.gazetteer_rows(community)
    grids = list(
        Region.objects.filter(parent=community).order_by("code").values_list("name", flat=True)
    )
    if not rows:
        example = EXAMPLE_MARK + "彩香新村"  # a data format: Chinese in every language
        rows = [[example, "1-12", grids[0] if grids else "第1网格", ""]]
    notes = [
        _("每行一个小区的一组楼栋:楼栋写成 1-12 或 3、5、7;网格从下拉列表中选,如 第1网格。"),
        _("小区以“示例:”开头的行是示例,不会导入,可直接覆盖。"),
        _("其他叫法可不填,多个用顿号隔开。导入时已有的小区会补上楼栋,已有的楼栋会改到新填的网格。"),
        _("任何一行有错,整个文件都不会导入;错误会写明第几行、哪一列。"),
    ]
    content = write_xlsx(
        _("地址库"),
        list(sheet.COLUMNS),
        rows,
        notes,
        choices={sheet.COLUMNS.index(sheet.GRID): grids},
    )
    return xlsx_response(f"{community.name}地址库.xlsx", content)


def _post(request, community: Region, name: str, form, call, key=None, anchor="", done=""):
    """Run a gazetteer form through its service: the page again with the errors (400/403),
    or back to the page at `anchor` with `done` said."""
    result = submit(form, call)
    if result is None:
        return gazetteer_page(request, community, failed=(name, key, form), status=form.status)
    if done:
        messages.success(request, done)
    url = reverse("regions:gazetteer", args=[community.pk])
    return redirect(f"{url}#{anchor}" if anchor else url)


@login_required
@require_POST
def estate_new(request, pk: int):
    community = _community(request, pk)
    form = forms.EstateForm(request.POST, community=community)
    return _post(
        request,
        community,
        "new",
        form,
        lambda d: services.estate_create(
            actor=request.user,
            community=community,
            name=d["name"],
            aliases=d["aliases"],
            numbers=d["numbers"],
            grid=d["grid"],
        ),
        done=_("已添加小区。"),
    )


@login_required
@require_POST
def estate_edit(request, pk: int):
    estate = _estate(request, pk)
    form = forms.EstateEditForm(request.POST)
    return _post(
        request,
        estate.community,
        "edit",
        form,
        lambda d: services.estate_update(
            actor=request.user, estate=estate, name=d["name"], aliases=d["aliases"]
        ),
        estate.pk,
        f"estate-{estate.pk}",
        _("已保存。"),
    )


@login_required
@require_POST
def estate_delete(request, pk: int):
    estate = _estate(request, pk)
    form = django_forms.Form(request.POST)

    def call(_data):
        services.estate_delete(actor=request.user, estate=estate)
        return True

    return _post(request, estate.community, "delete", form, call, done=_("已删除小区。"))


@login_required
@require_POST
def buildings_assign(request, pk: int):
    estate = _estate(request, pk)
    form = forms.BuildingsForm(request.POST, community=estate.community)
    return _post(
        request,
        estate.community,
        "assign",
        form,
        lambda d: (
            services.buildings_assign(
                actor=request.user, estate=estate, numbers=d["numbers"], grid=d["grid"]
            )
            or True
        ),
        estate.pk,
        f"estate-{estate.pk}",
        _("楼栋已划入网格。"),
    )


@login_required
@require_POST
def buildings_remove(request, pk: int):
    estate = _estate(request, pk)
    form = forms.BuildingsRemoveForm(request.POST)
    return _post(
        request,
        estate.community,
        "remove",
        form,
        lambda d: (
            services.buildings_remove(actor=request.user, estate=estate, numbers=d["numbers"])
            or True
        ),
        estate.pk,
        f"estate-{estate.pk}",
        _("已移除楼栋。"),
    )


@login_required
@require_POST
def gazetteer_import(request, pk: int):
    community = _community(request, pk)
    form = forms.GazetteerImportForm(request.POST, request.FILES)
    result = submit(
        form,
        lambda d: services.gazetteer_import(
            actor=request.user, community=community, upload=d["file"]
        ),
    )
    if result is None:
        return gazetteer_page(request, community, failed=("import", None, form), status=form.status)
    messages.success(
        request,
        _("导入完成:新增 %(estates)s 个小区,新增或改动 %(buildings)s 个楼栋。") % result,
    )
    return redirect("regions:gazetteer", pk=community.pk)


@login_required
@require_POST
def contact(request, pk: int):
    """A community's or grid's service phone, set from its community's gazetteer page."""
    place = get_visible_or_404(Region.objects.select_related("parent"), request.user, pk=pk)
    community = place if place.level == Level.COMMUNITY else place.parent
    if (
        place.level not in (Level.COMMUNITY, Level.GRID)
        or not Region.objects.visible_to(request.user).filter(pk=community.pk).exists()
    ):
        raise Http404
    form = forms.ContactForm(request.POST, prefix=f"c{place.pk}")
    return _post(
        request,
        community,
        "contact",
        form,
        lambda d: services.region_contact_update(
            actor=request.user,
            region=place,
            service_phone=d["service_phone"],
            service_hours=d["service_hours"],
        ),
        place.pk,
        "phones",
        _("服务电话已保存。"),
    )
