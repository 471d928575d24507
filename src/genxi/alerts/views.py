"""The early warnings' pages: the list with its map, one warning (turn it into a proactive
case, or dismiss it with a reason), and the month's focus problems."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from genxi.cases.models import Category
from genxi.core.forms import submit
from genxi.core.pagination import paginate
from genxi.core.roles import Perm
from genxi.core.scope import get_visible_or_404, require_perm

from . import selectors, services
from .forms import ActForm, DismissForm, FocusConfirmForm
from .models import EarlyWarning, FocusProblem, Kind, WarningState


@login_required
def warnings(request):
    require_perm(request.user, Perm.VIEW_DATA)
    state = request.GET.get("state", WarningState.OPEN)
    kind = request.GET.get("kind", "")
    qs = selectors.warning_list(user=request.user, state=state, kind=kind)
    page, query = paginate(request, qs)
    return render(
        request,
        "alerts/warnings.html",
        {
            "page": page,
            "query": query,
            "state": state,
            "kind": kind,
            "states": WarningState.choices,
            "kinds": Kind.choices,
            "points": selectors.map_points(qs),
        },
    )


def _warning(request, pk: int) -> EarlyWarning:
    return get_visible_or_404(
        EarlyWarning.objects.select_related(
            "region", "region__parent", "grid", "category", "case", "decided_by"
        ),
        request.user,
        pk=pk,
    )


def _page(request, w: EarlyWarning, act_form=None, dismiss_form=None, status: int = 200):
    may_act = w.state == WarningState.OPEN and services.can_act(request.user, w)
    return render(
        request,
        "alerts/warning.html",
        {
            "w": w,
            "cases": selectors.warning_cases(w),
            "may_act": may_act,
            "act_form": act_form
            or ActForm(initial={"text": services.default_case_text(w)} if may_act else None),
            "dismiss_form": dismiss_form or DismissForm(),
            "points": selectors.map_points(EarlyWarning.objects.filter(pk=w.pk)),
        },
        status=status,
    )


@login_required
def warning(request, pk: int):
    return _page(request, _warning(request, pk))


@login_required
@require_POST
def warning_act(request, pk: int):
    w = _warning(request, pk)
    form = ActForm(request.POST)
    case = submit(
        form, lambda d: services.warning_act(actor=request.user, warning=w, text=d["text"])
    )
    if case is None:
        return _page(request, w, act_form=form, status=form.status)
    messages.success(request, _("已转为主动办理的诉求 %(code)s。") % {"code": case.code})
    return redirect(case.get_absolute_url())


@login_required
@require_POST
def warning_dismiss(request, pk: int):
    w = _warning(request, pk)
    form = DismissForm(request.POST)
    done = submit(
        form, lambda d: services.warning_dismiss(actor=request.user, warning=w, reason=d["reason"])
    )
    if done is None:
        return _page(request, w, dismiss_form=form, status=form.status)
    messages.success(request, _("预警已忽略。"))
    return redirect("alerts:warnings")


@login_required
def focus_list(request):
    require_perm(request.user, Perm.VIEW_DATA)
    page, query = paginate(request, selectors.focus_list(user=request.user))
    return render(request, "alerts/focus_list.html", {"page": page, "query": query})


def _focus(request, pk: int) -> FocusProblem:
    return get_visible_or_404(
        FocusProblem.objects.select_related("street", "category", "confirmed_by"),
        request.user,
        pk=pk,
    )


def _focus_page(request, f: FocusProblem, form=None, status: int = 200):
    names = {
        c.code: c.full_label
        for c in Category.objects.select_related("parent").filter(
            code__in=[c["category"] for c in f.candidates]
        )
    }
    rows = [
        {**c, "index": i, "name": names.get(c["category"], "")} for i, c in enumerate(f.candidates)
    ]
    return render(
        request,
        "alerts/focus.html",
        {
            "f": f,
            "rows": rows,
            "may_confirm": f.state != "confirmed" and services.can_confirm(request.user, f),
            "form": form or FocusConfirmForm(candidates=f.candidates),
        },
        status=status,
    )


@login_required
def focus(request, pk: int):
    return _focus_page(request, _focus(request, pk))


@login_required
@require_POST
def focus_confirm(request, pk: int):
    f = _focus(request, pk)
    form = FocusConfirmForm(request.POST, candidates=f.candidates)
    done = submit(
        form,
        lambda d: services.focus_confirm(
            actor=request.user, focus=f, choice=d["choice"], note=d["note"]
        ),
    )
    if done is None:
        return _focus_page(request, f, form=form, status=form.status)
    messages.success(request, _("每月一题已确认。"))
    return redirect("alerts:focus", pk=f.pk)
