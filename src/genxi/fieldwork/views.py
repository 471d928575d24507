"""Field work pages, phone first: coverage, households and their visits, the monthly plan,
a visit and the case it becomes, the care list and a resident's care rounds, the daily log
and the weekly summary. Thin: a form in, a service call, a redirect or the page again."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from genxi.core.forms import submit
from genxi.core.idempotency import idempotent
from genxi.core.media import photo_url
from genxi.core.pagination import paginate
from genxi.core.params import BadParameter
from genxi.core.roles import Perm
from genxi.core.scope import get_visible_or_404, require_perm, scope_for
from genxi.people.models import Resident, ResidentTag
from genxi.regions.models import Level, Region
from genxi.regions.selectors import place_choices

from . import selectors, services
from .forms import (
    CareRoundForm,
    CareRuleForm,
    CycleForm,
    PlanAssignForm,
    PlanGenerateForm,
    VisitCaseForm,
    VisitForm,
    parse_day,
    parse_month,
)
from .models import Household, PlanItem, Visit, care_paths


def _region(request, code: str, level: str | None = None) -> Region:
    qs = Region.objects.visible_to(request.user).select_related("parent")
    if level:
        qs = qs.filter(level=level)
    region = qs.filter(code=code).first()
    if region is None:
        raise Http404
    return region


# Coverage ------------------------------------------------------------------------------


@login_required
def home(request):
    """Coverage of a place in the current cycle, per grid, and visits per worker."""
    require_perm(request.user, Perm.VIEW_RESIDENTS)
    places = selectors.coverage_places(request.user)
    code = request.GET.get("place", "").strip()
    if code:
        region = _region(request, code)
    elif places:
        region = places[0]
    else:
        raise Http404
    return _home_page(request, region)


def _home_page(request, region: Region, *, cycle_form: CycleForm | None = None, status=200):
    cover = selectors.coverage(user=request.user, region=region)
    community = region if region.level == Level.COMMUNITY else None
    may_set = community is not None and services.is_staff_over(request.user, community)
    workers = (
        selectors.visits_per_worker(
            user=request.user, region=region, start=cover.start, end=cover.end
        )
        if cover.start and cover.end
        else []
    )
    return render(
        request,
        "fieldwork/home.html",
        {
            "region": region,
            "cover": cover,
            "workers": workers,
            "areas": place_choices(request.user, Level.COMMUNITY),
            "cycle_form": cycle_form
            or (
                CycleForm(initial={"months": selectors.cycle_months_of(community)})
                if may_set
                else None
            ),
            "takes_visits": selectors.work_grids(request.user).exists(),
        },
        status=status,
    )


@login_required
@require_POST
def cycle(request, code: str):
    community = _region(request, code, Level.COMMUNITY)
    form = CycleForm(request.POST)
    done = submit(
        form,
        lambda d: services.cycle_set(actor=request.user, community=community, months=d["months"]),
    )
    if done is None:
        return _home_page(request, community, cycle_form=form, status=form.status)
    messages.success(request, _("走访周期已保存。"))
    return redirect(f"{reverse('fieldwork:home')}?place={community.code}")


# Households and visits ----------------------------------------------------------------


@login_required
def households(request):
    require_perm(request.user, Perm.VIEW_RESIDENTS)
    filters = {k: request.GET.get(k, "").strip() for k in ("grid", "q")}
    page, query = paginate(request, selectors.household_list(user=request.user, **filters))
    return render(
        request,
        "fieldwork/households.html",
        {
            "page": page,
            "query": query,
            "filters": filters,
            "grids": place_choices(request.user, Level.GRID),
        },
    )


def _household(request, pk: int) -> Household:
    return get_visible_or_404(
        Household.objects.select_related("grid", "grid__parent"), request.user, pk=pk
    )


def _household_page(request, household: Household, *, form: VisitForm | None = None, status=200):
    return render(
        request,
        "fieldwork/household.html",
        {
            "household": household,
            "members": selectors.household_members(household),
            "visits": selectors.household_visits(household)[:20],
            "may_visit": services.works_in(request.user, household.grid),
            "form": form or VisitForm(),
        },
        status=status,
    )


@login_required
def household(request, pk: int):
    return _household_page(request, _household(request, pk))


@login_required
@require_POST
@idempotent
def visit_new(request, pk: int):
    household = _household(request, pk)
    form = VisitForm(request.POST, request.FILES)
    visit = submit(
        form,
        lambda d: services.visit_record(
            actor=request.user,
            household=household,
            key=d["key"],
            met=d["met"],
            findings=d["findings"],
            note=d["note"],
            follow_up=d["follow_up"],
            photos=request.FILES.getlist("photos"),
            lat=d["lat"],
            lon=d["lon"],
            gps_consent=d["gps_consent"],
        ),
    )
    if visit is None:
        return _household_page(request, household, form=form, status=form.status)
    messages.success(request, _("走访已登记。"))
    return redirect("fieldwork:visit", pk=visit.pk)


def _visit(request, pk: int) -> Visit:
    return get_visible_or_404(
        Visit.objects.select_related(
            "household", "grid", "grid__parent", "pioneer", "recorded_by", "case"
        ),
        request.user,
        pk=pk,
    )


def _visit_page(request, visit: Visit, *, form: VisitCaseForm | None = None, status=200):
    may = services.works_in(request.user, visit.grid) and visit.case_id is None
    return render(
        request,
        "fieldwork/visit.html",
        {
            "visit": visit,
            "findings": selectors.finding_labels(visit.findings),
            "photos": [(photo_url(p, "thumb"), photo_url(p)) for p in visit.photos.all()],
            "form": (form or VisitCaseForm(visit=visit)) if may else None,
        },
        status=status,
    )


@login_required
def visit(request, pk: int):
    return _visit_page(request, _visit(request, pk))


@login_required
@require_POST
@idempotent
def visit_case(request, pk: int):
    visit = _visit(request, pk)
    form = VisitCaseForm(request.POST, visit=visit)
    case = submit(
        form,
        lambda d: services.visit_raise_case(
            actor=request.user, visit=visit, category=d["category"], text=d["text"]
        ),
    )
    if case is None:
        return _visit_page(request, visit, form=form, status=form.status)
    messages.success(request, _("已转为诉求 %(code)s。") % {"code": case.code})
    return redirect("fieldwork:visit", pk=visit.pk)


# The monthly plan ----------------------------------------------------------------------


@login_required
def plan(request):
    grids = list(selectors.work_grids(request.user))
    if not grids:
        raise Http404
    code = request.GET.get("grid", "").strip()
    grid = next((g for g in grids if g.code == code), grids[0])
    month = parse_month(request.GET.get("month", ""), timezone.localdate())
    return _plan_page(request, grid, month)


def _plan_page(request, grid: Region, month, *, form=None, status=200):
    items = selectors.plan_items(user=request.user, grid=grid, month=month)
    return render(
        request,
        "fieldwork/plan.html",
        {
            "grid": grid,
            "month": month,
            "items": items,
            "loads": selectors.plan_loads(items),
            "grids": [(g.code, g.full_name) for g in selectors.work_grids(request.user)],
            "form": form,
            "assign": PlanAssignForm(grid=grid),
            "previous": (month - timedelta(days=1)).strftime("%Y-%m"),
            "next": (month + timedelta(days=32)).strftime("%Y-%m"),
        },
        status=status,
    )


@login_required
@require_POST
def plan_generate(request, code: str):
    grid = _region(request, code, Level.GRID)
    form = PlanGenerateForm(request.POST)
    n = submit(
        form,
        lambda d: services.plan_generate(actor=request.user, grid=grid, month=d["month"]),
    )
    if n is None:
        try:
            month = parse_month(request.POST.get("month", ""), timezone.localdate())
        except BadParameter:
            month = timezone.localdate().replace(day=1)  # the form names what is wrong
        return _plan_page(request, grid, month, form=form, status=form.status)
    messages.success(request, _("已把 %(n)s 户排入计划。") % {"n": n})
    month = form.cleaned_data["month"].strftime("%Y-%m")
    return redirect(f"{reverse('fieldwork:plan')}?grid={grid.code}&month={month}")


@login_required
@require_POST
def plan_assign(request, pk: int):
    item = get_visible_or_404(PlanItem.objects.select_related("grid"), request.user, pk=pk)
    form = PlanAssignForm(request.POST, grid=item.grid)
    done = submit(
        form,
        lambda d: services.plan_assign(actor=request.user, item=item, pioneer=d["pioneer"]),
    )
    if done is None:
        return _plan_page(request, item.grid, item.month, form=form, status=form.status)
    messages.success(request, _("已调整。"))
    month = item.month.strftime("%Y-%m")
    return redirect(f"{reverse('fieldwork:plan')}?grid={item.grid.code}&month={month}")


# Care rounds ---------------------------------------------------------------------------


def _require_care(request) -> None:
    scope = scope_for(request.user)
    if not care_paths(scope) or not scope.has(Perm.VIEW_RESIDENTS):
        raise Http404


@login_required
def care(request):
    """The care list: who is due, who is overdue, the open no-answer checks; the
    community's frequencies for its staff."""
    _require_care(request)
    return _care_page(request)


def _care_page(request, *, rule_form=None, status=200):
    show = request.GET.get("show", "")
    rows = selectors.care_due(user=request.user)
    if show == "missed":
        rows = [r for r in rows if r.late]
    elif show == "no_answer":  # the workbench's count: the open no-answer checks alone
        rows = []
    scope = scope_for(request.user)
    communities = list(
        Region.objects.filter(level=Level.COMMUNITY, path__in=list(care_paths(scope))).order_by(
            "path"
        )
    )
    staff_of = [c for c in communities if services.is_staff_over(request.user, c)]
    labels = {k: str(v) for k, v in ResidentTag.choices}
    return render(
        request,
        "fieldwork/care.html",
        {
            "rows": rows,
            "show": show,
            "no_answer": list(selectors.no_answer_open(request.user)),
            "communities": [
                (c, [(labels.get(t, t), d) for t, d in sorted(services.care_rules(c).items())])
                for c in staff_of
            ],
            "rule_form": rule_form or CareRuleForm(initial={"every_days": 7}),
        },
        status=status,
    )


@login_required
@require_POST
def care_rule(request, code: str):
    _require_care(request)
    community = _region(request, code, Level.COMMUNITY)
    form = CareRuleForm(request.POST)
    done = submit(
        form,
        lambda d: services.care_rule_set(
            actor=request.user, community=community, tag=d["tag"], every_days=d["every_days"]
        ),
    )
    if done is None:
        return _care_page(request, rule_form=form, status=form.status)
    messages.success(request, _("探访频次已保存。"))
    return redirect("fieldwork:care")


def _care_resident(request, pk: int) -> Resident:
    _require_care(request)
    resident = selectors.care_residents(request.user).filter(pk=pk).first()
    if resident is None:
        raise Http404
    return resident


def _care_resident_page(request, resident: Resident, *, form=None, status=200):
    services.care_view(actor=request.user, resident=resident)
    due = next(
        (r for r in selectors.care_due(user=request.user) if r.resident.pk == resident.pk), None
    )
    return render(
        request,
        "fieldwork/care_resident.html",
        {
            "resident": resident,
            "due": due,
            "rounds": selectors.care_rounds(user=request.user, resident=resident)[:30],
            "form": form or CareRoundForm(),
        },
        status=status,
    )


@login_required
def care_resident(request, pk: int):
    return _care_resident_page(request, _care_resident(request, pk))


@login_required
@require_POST
@idempotent
def care_new(request, pk: int):
    resident = _care_resident(request, pk)
    form = CareRoundForm(request.POST)
    done = submit(
        form,
        lambda d: services.care_round_record(
            actor=request.user,
            resident=resident,
            outcome=d["outcome"],
            note=d["note"],
            key=d["key"],
        ),
    )
    if done is None:
        return _care_resident_page(request, resident, form=form, status=form.status)
    if done.case_id:
        messages.warning(
            request,
            _("无人应答:已生成紧急诉求 %(code)s,社区已收到提醒。") % {"code": done.case.code},
        )
    else:
        messages.success(request, _("探访已登记。"))
    return redirect("fieldwork:care_resident", pk=resident.pk)


# The daily log and the weekly summary -------------------------------------------------


@login_required
def today(request):
    require_perm(request.user, Perm.VIEW_RESIDENTS)
    day = parse_day(request.GET.get("day", ""), timezone.localdate(), "day")
    return render(
        request,
        "fieldwork/today.html",
        {
            "log": selectors.daily_log(user=request.user, day=day),
            "previous": (day - timedelta(days=1)).isoformat(),
            "next": (day + timedelta(days=1)).isoformat(),
        },
    )


@login_required
def weekly(request):
    require_perm(request.user, Perm.VIEW_RESIDENTS)
    choices = place_choices(request.user, Level.COMMUNITY)
    code = request.GET.get("community", "").strip()
    if not code:
        first = next((opts[0][0] for _p, opts in choices if opts), None)
        if first is None:
            raise Http404
        code = first
    community = _region(request, code, Level.COMMUNITY)
    today_ = timezone.localdate()
    default = today_ - timedelta(days=today_.weekday() + 7)  # last week's Monday
    start = parse_day(request.GET.get("week", ""), default, "week")
    start -= timedelta(days=start.weekday())
    return render(
        request,
        "fieldwork/weekly.html",
        {
            "summary": selectors.weekly_summary(
                user=request.user, community=community, start=start
            ),
            "communities": choices,
            "community": community,
            "previous": (start - timedelta(days=7)).isoformat(),
            "next": (start + timedelta(days=7)).isoformat(),
        },
    )


@login_required
@require_POST
def rebuild(request, code: str):
    region = _region(request, code)
    counts = services.households_rebuild(actor=request.user, region=region)
    messages.success(request, _("已整理:%(households)s 户,%(residents)s 位居民。") % counts)
    return redirect(f"{reverse('fieldwork:households')}")
