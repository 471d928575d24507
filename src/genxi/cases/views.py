"""Staff pages of the request loop: queues, intake, one case with its actions, my tasks."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from genxi.core.pagination import paginate
from genxi.core.params import finite_or_none, float_param, int_param
from genxi.core.roles import Perm
from genxi.core.scope import get_visible_or_404, require_perm

from . import routing, selectors, services
from .domain.states import TRANSITIONS, Facts, State, available
from .forms import CaseForm, create_case_from
from .messages import ACTION_LABELS
from .models import Case, CaseState, Category, Channel
from .services import actors_for


def _queue_labels():
    return [
        ("mine", gettext_lazy("我的任务")),
        ("dispatch", gettext_lazy("待派遣")),
        ("due_soon", gettext_lazy("即将超期")),
        ("overdue", gettext_lazy("超期")),
        ("flagged", gettext_lazy("督办")),
        ("all", gettext_lazy("全部")),
    ]


@login_required
def queue(request):
    require_perm(request.user, Perm.VIEW_DATA)
    name = request.GET.get("queue", "all")
    if name not in selectors.QUEUES:
        name = "all"
    filters = {k: request.GET.get(k, "").strip() for k in ("state", "category", "q")}
    qs = selectors.case_list(user=request.user, queue=name, **filters)
    page, query = paginate(request, qs)
    template = "cases/_rows.html" if request.htmx else "cases/queue.html"
    return render(
        request,
        template,
        {
            "page": page,
            "query": query,
            "filters": filters,
            "queue": name,
            "queues": _queue_labels(),
            "states": CaseState.choices,
            "categories": Category.objects.filter(parent=None, active=True),
        },
    )


@login_required
def new(request):
    """Staff entry and pioneers' visits; a phone-sized form."""
    require_perm(request.user, Perm.VIEW_DATA)
    form = CaseForm(request.POST or None, request.FILES or None)
    is_pioneer = hasattr(request.user, "pioneer")
    if request.method == "POST" and form.is_valid():
        channel = request.POST.get("channel") or (
            Channel.PIONEER_VISIT if is_pioneer else Channel.PHONE
        )
        if channel not in (Channel.PIONEER_VISIT, Channel.PHONE, Channel.WALK_IN):
            channel = Channel.PHONE
        case = create_case_from(form, actor=request.user, channel=channel)
        if case is not None:
            messages.success(
                request,
                _("已登记,查询码 %(code)s,评价码 %(key)s(请告知反映人,评价码只显示这一次)。")
                % {"code": case.code, "key": case.reporter_secret},
            )
            return redirect(case)
    return render(
        request,
        "cases/new.html",
        {
            "form": form,
            "is_pioneer": is_pioneer,
            "channels": [
                (Channel.PHONE, Channel.PHONE.label),
                (Channel.WALK_IN, Channel.WALK_IN.label),
                (Channel.PIONEER_VISIT, Channel.PIONEER_VISIT.label),
            ],
        },
    )


@login_required
def duplicates(request):
    """The htmx panel on the intake form: similar open cases nearby."""
    require_perm(request.user, Perm.VIEW_DATA)
    lat = float_param(request, "lat", low=-90, high=90)
    lon = float_param(request, "lon", low=-180, high=180)
    text = request.GET.get("text", "")
    found = []
    if lat is not None and lon is not None:
        found = selectors.nearby_open_cases(user=request.user, lat=lat, lon=lon, text=text)
    suggestions = routing.suggest_categories(text) if len(text) >= 5 else []
    return render(request, "cases/_duplicates.html", {"found": found, "suggestions": suggestions})


@login_required
def detail(request, code: str):
    case = get_visible_or_404(
        Case.objects.select_related("category", "region", "region__parent", "handler", "master"),
        request.user,
        code=code,
    )
    actors = actors_for(request.user, case)
    facts = Facts(
        rating=case.rating,
        closed_at=case.closed_at,
        pending_extension=case.pending_extension_days is not None,
        now=timezone.now(),
    )
    actions = available(State(case.state), actors, facts)
    context = {
        "case": case,
        "events": case.events.all(),
        "photos": case.photos.all(),
        "actions": [(a, ACTION_LABELS[a], TRANSITIONS[a].required) for a in actions],
        "categories": Category.objects.filter(active=True),
        "handlers": selectors.visible_handlers(request.user)
        if {"dispatch", "transfer"} & set(actions)
        else [],
        "merged": case.merged_cases.all(),
    }
    if "dispatch" in actions or "accept" in actions:
        context["suggestions"] = routing.suggest_categories(case.text)
        code_hint = (
            case.category.code
            if case.category_id
            else (context["suggestions"][0].code if context["suggestions"] else "")
        )
        context["suggested_handler"] = routing.suggest_handler(code_hint, case.region)
    if "merge" in actions:
        context["nearby"] = selectors.nearby_open_cases(
            user=request.user, lat=case.lat, lon=case.lon, text=case.text, exclude=case.pk
        )
    return render(request, "cases/detail.html", context)


@login_required
def act(request, code: str, action: str):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    case = get_visible_or_404(Case.objects.select_related("region"), request.user, code=code)
    if action not in TRANSITIONS:
        return redirect(case)
    post = request.POST
    fields: dict = {
        k: post.get(k, "").strip() for k in ("reason", "note", "result", "rating", "comment")
    }
    fields = {k: v for k, v in fields.items() if v}
    if post.get("handler"):
        fields["handler"] = get_object_or_404(
            selectors.visible_handlers(request.user), pk=post["handler"]
        )
    if post.get("category"):
        fields["category"] = get_object_or_404(Category, pk=post["category"], active=True)
    if post.get("master"):
        fields["master"] = get_visible_or_404(
            Case.objects.all(), request.user, code=post["master"].strip().upper()
        )
    if post.get("days"):
        try:
            fields["days"] = int(post["days"])
        except ValueError:
            fields["days"] = 0
    if request.FILES.getlist("photos"):
        fields["photos"] = request.FILES.getlist("photos")
    # The phone's position is optional evidence: one that is not a point on the earth
    # (`inf` used to be stored as JSON `Infinity`, a 500) is dropped.
    for key, limit in (("lat", 90), ("lon", 180)):
        fields[key] = finite_or_none(post.get(key), limit)
    try:
        services.case_act(actor=request.user, case=case, action=action, **fields)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        for errors in exc.message_dict.values():
            for error in errors:
                messages.error(request, error)
    else:
        messages.success(request, _("已%(action)s。") % {"action": ACTION_LABELS[action]})
    next_url = post.get("next")
    if next_url and next_url.startswith("/cases/"):
        return redirect(next_url)
    return redirect(case)


@login_required
def tasks(request):
    """A handler's tasks on a phone: take, return, resolve with photos and GPS."""
    require_perm(request.user, Perm.VIEW_DATA)
    qs = selectors.case_list(user=request.user, queue="mine")
    return render(request, "cases/tasks.html", {"cases": qs[:50]})


METRICS_MAX_DAYS = 3650  # ten years: the longest window the metrics page reports on


@login_required
def metrics(request):
    require_perm(request.user, Perm.VIEW_DATA)
    days = int_param(request, "days", 365, low=1, high=METRICS_MAX_DAYS)
    since = timezone.now() - timedelta(days=days)
    category = request.GET.get("category", "")
    result = selectors.metrics(user=request.user, since=since, category=category)
    return render(
        request,
        "cases/metrics.html",
        {
            "m": result,
            "days": days,
            "category": category,
            "categories": Category.objects.filter(parent=None, active=True),
        },
    )
