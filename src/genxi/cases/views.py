"""Staff pages of the request loop: queues, intake, one case with its actions, my tasks."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from genxi.core import selectors as core_selectors
from genxi.core.forms import submit
from genxi.core.idempotency import idempotent
from genxi.core.pagination import seek_paginate
from genxi.core.params import float_param, int_param
from genxi.core.roles import STAFF_ROLES, Perm, Role
from genxi.core.scope import get_visible_or_404, require_perm, scope_for
from genxi.regions.selectors import area_choices

from . import routing, selectors, services, suggestions
from .domain.states import Actor, Level, State, available
from .forms import (
    ACTION_FORMS,
    ActionForm,
    CaseForm,
    ContactForm,
    QueueFilterForm,
    SplitForm,
    intake,
)
from .messages import ACTION_LABELS
from .models import Case, CaseState, Category, Channel
from .services import actors_for, may_contact

# The step the case page puts first (on a phone, above the map and the history): the
# first of these the viewer may take now. Refusals (退回, 不予受理, 返工) are never first.
PRIMARY_ACTIONS = (
    "resolve",
    "take",
    "accept",
    "dispatch",
    "verify",
    "rate",
    "close",
    "approve_extension",
    "reopen",
)


def _queue_labels(user):
    """The queue's tabs: a place's staff (and the system admin) dispatch and supervise; a
    handler — a grid worker, a department, a partner unit — has no 待派遣 or 督办 to see."""
    queues = [
        ("mine", gettext_lazy("我的任务")),
        ("dispatch", gettext_lazy("待派遣")),
        ("escalated", gettext_lazy("上报街道")),
        ("assist", gettext_lazy("协办")),
        ("due_soon", gettext_lazy("即将超期")),
        ("overdue", gettext_lazy("超期")),
        ("flagged", gettext_lazy("督办")),
        ("all", gettext_lazy("全部")),
    ]
    roles = scope_for(user).roles
    if not roles & {Role.UNIT_LIAISON, Role.DEPARTMENT_OFFICER}:
        queues = [q for q in queues if q[0] != "assist"]  # 协办 is a department's, a unit's
    if roles & (STAFF_ROLES | {Role.SYSTEM_ADMIN}):
        return queues
    return [
        (key, label) for key, label in queues if key not in ("dispatch", "flagged", "escalated")
    ]


# `region`: a community's or a grid's code; `handler`: the id of a person cases go to.
QUEUE_FILTERS = ("state", "category", "region", "handler", "q")


@login_required
def queue(request):
    require_perm(request.user, Perm.VIEW_DATA)
    name = request.GET.get("queue", "all")
    if name not in selectors.QUEUES:
        name = "all"
    filters = {k: request.GET.get(k, "").strip() for k in QUEUE_FILTERS}
    # The handler as the queue's filter form reads it (a bounded id, else no filter): the
    # same rule a saved filter is kept by, so an out-of-range id cannot reach the database.
    checked = QueueFilterForm(request.GET)
    checked.is_valid()
    handler = checked.cleaned_data.get("handler")
    received = selectors.received_between(
        checked.cleaned_data.get("since"), checked.cleaned_data.get("until")
    )
    qs = selectors.case_list(
        user=request.user, queue=name, **(filters | {"handler": handler} | received)
    )
    qs = qs.only(*selectors.ROW_FIELDS)
    page, query = seek_paginate(request, qs)  # by cursor: no OFFSET, a capped count
    dispatches = bool(scope_for(request.user).roles & (STAFF_ROLES | {Role.SYSTEM_ADMIN}))
    # A short search looks at the last days only (selectors.SHORT_SEARCH_DAYS): say so.
    short_days = (
        selectors.SHORT_SEARCH_DAYS
        if selectors.is_short_search(filters["q"]) and "since" not in received
        else None
    )
    if request.htmx:  # the rows, and the saved-filters panel's query kept up (hx-swap-oob)
        return render(
            request,
            "cases/_rows.html",
            {"page": page, "query": query, "oob": True, "short_days": short_days},
        )
    return render(
        request,
        "cases/queue.html",
        {
            "page": page,
            "query": query,
            "short_days": short_days,
            "filters": filters,
            "received": {
                k: checked.cleaned_data.get(k)
                for k in ("since", "until")
                if checked.cleaned_data.get(k)
            },
            "queue": name,
            "queues": _queue_labels(request.user),
            "states": CaseState.choices,
            "categories": Category.objects.filter(parent=None, active=True),
            "areas": area_choices(request.user),
            # A dispatcher picks whose cases to see: grid workers, departments, units.
            "handlers": selectors.visible_handlers(request.user) if dispatches else [],
            "saved": core_selectors.saved_filter_list(user=request.user, page="cases:queue"),
        },
    )


def _intake_page(request, form, *, status=200):
    return render(
        request,
        "cases/new.html",
        {"form": form, "is_pioneer": hasattr(request.user, "pioneer")},
        status=status,
    )


@login_required
@idempotent
def new(request):
    """Staff entry and pioneers' visits; a phone-sized form."""
    _require_intake(request.user)
    is_pioneer = hasattr(request.user, "pioneer")
    if request.method != "POST":
        initial = {"channel": Channel.PIONEER_VISIT if is_pioneer else Channel.PHONE}
        return _intake_page(request, CaseForm(initial=initial))
    form = CaseForm(request.POST, request.FILES)
    case = submit(
        form,
        lambda d: services.case_create(
            actor=request.user,
            channel=d["channel"] or (Channel.PIONEER_VISIT if is_pioneer else Channel.PHONE),
            **intake(d),
        ),
    )
    if case is None:
        return _intake_page(request, form, status=form.status)
    messages.success(
        request,
        _("已登记,查询码 %(code)s,评价码 %(key)s(请告知反映人,评价码只显示这一次)。")
        % {"code": case.code, "key": case.reporter_secret},
    )
    return redirect(case)


def _require_intake(user) -> None:
    """Intake is for those who take cases in (`Scope.takes_cases`); to the others it is not
    there (404), as a page without the permission is."""
    if not scope_for(user).takes_cases:
        raise Http404


@login_required
def duplicates(request):
    """The htmx panel on the intake form: similar open cases nearby."""
    _require_intake(request.user)
    lat = float_param(request, "lat", low=-90, high=90)
    lon = float_param(request, "lon", low=-180, high=180)
    text = request.GET.get("text", "")
    found = []
    if lat is not None and lon is not None:
        found = selectors.nearby_open_cases(user=request.user, lat=lat, lon=lon, text=text)
    suggestions = routing.suggest_categories(text) if len(text) >= 5 else []
    return render(request, "cases/_duplicates.html", {"found": found, "suggestions": suggestions})


def _case_page(
    request,
    case: Case,
    *,
    refused: ActionForm | None = None,
    action: str = "",
    contact: dict | None = None,
    split_form: SplitForm | None = None,
):
    """The case with the actions the viewer may take now, each its own form; `refused` is
    the form of `action` sent back with its errors (answered with its status), `split_form`
    the split refused."""
    actors = actors_for(request.user, case)
    actions = available(State(case.state), actors, services.facts_for(case, timezone.now()))
    events = list(case.events.select_related("actor"))
    context: dict[str, Any] = {
        "case": case,
        "events": events,
        "photos": case.photos.all(),
        "merged": case.merged_cases.all(),
        **(contact or {}),
    }
    if "dispatch" in actions or "accept" in actions:
        context["suggestions"] = routing.suggest_categories(case.text)
        code_hint = (
            case.category.code
            if case.category is not None
            else (context["suggestions"][0].code if context["suggestions"] else "")
        )
        if case.level != Level.STREET:  # the router knows the community's handlers only
            context["suggested_handler"] = routing.suggest_handler(code_hint, case.region)
    if split_form is not None or (case.state in services.SPLITTABLE and Actor.DISPATCHER in actors):
        # Two problems in one request: offered to the dispatcher as a split (cases.domain.split).
        found = suggestions.two_problems(case.text) if split_form is None else None
        if found is not None:
            context["split"] = found
            split_form = SplitForm(initial={"end": found.end, "start": found.start})
        context["split_form"] = split_form
    if "merge" in actions:
        context["nearby"] = selectors.nearby_open_cases(
            user=request.user, lat=case.lat, lon=case.lon, text=case.text, exclude=case.pk
        )
    initial = _initial(case, context)
    forms = []
    for name in actions:
        form = refused if name == action else None
        form = form or ACTION_FORMS[name](user=request.user, case=case, initial=initial)
        forms.append((name, ACTION_LABELS[name], form))
    # 吹哨报到's steps (and a street's dispatch) go in their own panel (cases/_escalation.html)
    street = case.level == Level.STREET
    # 上报街道 stays among the viewer's own steps: the main step still comes first.
    moved = {"send_down"} | ({"dispatch", "transfer"} if street else set())
    own = [f for f in forms if f[0] not in moved]
    primary = next((a for a in PRIMARY_ACTIONS if a in actions and a not in moved), None)
    context["primary"] = [f for f in own if f[0] == primary]
    context["actions"] = [f for f in own if f[0] != primary]
    context["escalation_actions"] = [f for f in forms if f[0] in moved]
    context["assignments"] = selectors.assignments_of(case)
    context["holds"] = selectors.level_holds(case, events)
    context["may_contact"] = bool(case.reporter_contact) and may_contact(request.user, case)
    context.setdefault("contact_form", ContactForm())
    if refused is not None:
        refused.mark_invalid()
    if refused is not None and action not in actions:
        # The step is no longer on offer (another person acted first, or it never was for
        # this viewer): its refusal is shown above the actions.
        context["refused"] = refused
    status = refused.status if refused is not None else 200
    if split_form is not None and split_form.errors:
        status = split_form.status
    if contact and contact.get("contact_status"):
        status = contact["contact_status"]
    return render(request, "cases/detail.html", context, status=status)


def _initial(case: Case, context: dict) -> dict:
    """What the action forms start with: the case's category (or the router's first
    suggestion), the suggested handler, the nearest similar case to merge into."""
    category: int | None = case.category_id
    if category is None and context.get("suggestions"):
        code = context["suggestions"][0].code
        found = Category.objects.filter(code=code, active=True).values_list("pk", flat=True)
        category = found.first()
    handler = context.get("suggested_handler")
    nearby = context.get("nearby")
    return {
        "category": category,
        "handler": handler.pk if handler else None,
        "master": nearby[0][0].code if nearby else "",
    }


@login_required
def detail(request, code: str):
    case = get_visible_or_404(
        Case.objects.select_related("category__parent", "region__parent", "handler", "master"),
        request.user,
        code=code,
    )
    return _case_page(request, case)


@login_required
@require_POST
@idempotent
def act(request, code: str, action: str):
    """One step of the loop through its form. A refusal is the case page again with the
    error beside the field (400, or 403 for a step this person may not take); nothing is
    written."""
    case = get_visible_or_404(
        Case.objects.select_related("category__parent", "region__parent", "handler", "master"),
        request.user,
        code=code,
    )
    if action not in ACTION_FORMS:
        raise Http404
    form = ACTION_FORMS[action](request.POST, request.FILES, user=request.user, case=case)
    done = submit(
        form,
        lambda d: services.case_act(
            actor=request.user, case=case, action=action, **form.fields_for_service()
        ),
    )
    if done is None:
        case.refresh_from_db()  # as it is now: a refusal may be someone else's step first
        return _case_page(request, case, refused=form, action=action)
    messages.success(request, _("已%(action)s。") % {"action": ACTION_LABELS[action]})
    return redirect(case)


@login_required
@require_POST
@idempotent
def split(request, code: str):
    """拆分诉求: a dispatcher splits a request with two problems into two cases. A refusal
    is the case page again with the error (400, or 403 for one who may not); nothing is
    written."""
    case = get_visible_or_404(
        Case.objects.select_related("category__parent", "region__parent", "handler", "master"),
        request.user,
        code=code,
    )
    form = SplitForm(request.POST)
    new = submit(
        form,
        lambda d: services.case_split(
            actor=request.user, case=case, end=d["end"], start=d["start"]
        ),
    )
    if new is None:
        case.refresh_from_db()
        return _case_page(request, case, split_form=form)
    messages.success(request, _("已拆分为两件诉求:新诉求 %(code)s。") % {"code": new.code})
    return redirect(case)


@login_required
@require_POST
def contact(request, code: str):
    """联系居民: the reporter's number with a call button, after a reason (recorded). htmx
    swaps the contact panel (a refusal: 400, or 403 for one who may not); without script
    the case page again."""
    case = get_visible_or_404(
        Case.objects.select_related("category", "region", "region__parent", "handler", "master"),
        request.user,
        code=code,
    )
    form = ContactForm(request.POST)
    number = submit(
        form, lambda d: services.contact_reveal(actor=request.user, case=case, reason=d["reason"])
    )
    status = form.status if number is None else 200
    found = {"contact_form": form, "contact_number": number, "contact_status": status}
    if request.htmx:
        found |= {"case": case, "may_contact": True}
        response = render(request, "cases/_contact.html", found, status=status)
    else:
        response = _case_page(request, case, contact=found)
    response.no_store = True  # type: ignore[attr-defined]  # core.middleware.NoStoreMiddleware
    return response


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
    seen = Case.objects.listed_scope(request.user)[0]  # the scope as lists, read once
    result = selectors.metrics(user=request.user, since=since, category=category, seen=seen)
    return render(
        request,
        "cases/metrics.html",
        {
            "m": result,
            "days": days,
            "category": category,
            "categories": Category.objects.filter(parent=None, active=True),
            # 类别建议准确率: the last six months, over the viewer's cases (docs/metrics.md)
            "accuracy": suggestions.accuracy_table(seen),
        },
    )
