"""The pages of inspections: rounds (plan, the round page with its summary and pass rates),
targets (with their history), the phone form of one inspection (item by item, photos,
the responsible person's signature), notices (their page and PDF) and the checklists."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from genxi.core import pdf
from genxi.core.forms import ConfirmForm, submit
from genxi.core.idempotency import idempotent
from genxi.core.pagination import paginate
from genxi.core.roles import Perm
from genxi.core.scope import get_visible_or_404, require_perm

from . import documents, selectors, services
from .forms import AnswerForm, FinishForm, RoundForm, TargetForm
from .models import (
    ChecklistTemplate,
    Inspection,
    InspectionState,
    Notice,
    NoticeState,
    Round,
    RoundState,
    Target,
    TargetKind,
)

# Rounds ---------------------------------------------------------------------------------------


@login_required
def rounds(request):
    require_perm(request.user, Perm.VIEW_DATA)
    filters = {k: request.GET.get(k, "").strip() for k in ("state", "q")}
    if filters["state"] not in ("", *RoundState.values):
        filters["state"] = ""
    page, query = paginate(request, selectors.round_list(user=request.user, **filters))
    return render(
        request,
        "inspections/rounds.html",
        {
            "page": page,
            "query": query,
            "filters": filters,
            # By what is stored: not closed (计划中, 进行中 or 待结束 by its dates) or closed.
            "states": [(RoundState.PLANNED, _("未结束")), (RoundState.DONE, RoundState.DONE.label)],
            "may_plan": selectors.plannable_streets(request.user).exists(),
        },
    )


def _round_form_page(request, form, status=200):
    return render(request, "inspections/round_form.html", {"form": form}, status=status)


@login_required
def round_new(request):
    if not selectors.plannable_streets(request.user).exists():
        raise Http404  # only a street's admin plans rounds
    if request.method != "POST":
        return _round_form_page(request, RoundForm(user=request.user))
    form = RoundForm(request.POST, user=request.user)
    made = submit(
        form,
        lambda d: services.round_create(
            actor=request.user,
            title=d["title"],
            street=d["street"],
            template=d["template"],
            targets=list(d["targets"]),
            starts_on=d["starts_on"],
            ends_on=d["ends_on"],
            team=form.team(),
            department=d["department"],
        ),
    )
    if made is None:
        return _round_form_page(request, form, form.status)
    messages.success(request, _("检查计划已制定,检查组成员已收到通知。"))
    return redirect("inspections:round", pk=made.pk)


def _round(request, pk: int) -> Round:
    return get_visible_or_404(
        Round.objects.select_related("street", "version__template", "created_by"),
        request.user,
        pk=pk,
    )


@login_required
def round_detail(request, pk: int, *, status: int = 200, close_form=None):
    round_ = _round(request, pk)
    figures = selectors.round_figures(round_)
    return render(
        request,
        "inspections/round_detail.html",
        {
            "round": round_,
            "figures": figures,
            "summary": selectors.round_summary(round_, figures),
            "rates": selectors.item_rates(round_),
            "inspections": selectors.inspections_of(round_),
            "team": selectors.team_of(round_),
            "may_close": round_.state == RoundState.PLANNED
            and services.may_plan(request.user, round_.street),
            "close_form": close_form,
        },
        status=status,
    )


@login_required
@require_POST
def round_close(request, pk: int):
    round_ = _round(request, pk)
    form = ConfirmForm(request.POST)
    if submit(form, lambda d: services.round_close(actor=request.user, round_=round_)) is None:
        return round_detail(request, pk, status=form.status, close_form=form)
    messages.success(request, _("检查轮次已结束。"))
    return redirect("inspections:round", pk=pk)


# Targets ----------------------------------------------------------------------------------------


@login_required
def targets(request):
    require_perm(request.user, Perm.VIEW_DATA)
    filters = {k: request.GET.get(k, "").strip() for k in ("kind", "q")}
    if filters["kind"] not in ("", *TargetKind.values):
        filters["kind"] = ""
    page, query = paginate(request, selectors.target_list(user=request.user, **filters))
    return render(
        request,
        "inspections/targets.html",
        {
            "page": page,
            "query": query,
            "filters": filters,
            "kinds": TargetKind.choices,
            "may_create": TargetForm(user=request.user).fields["community"].queryset.exists(),
        },
    )


@login_required
def target_new(request):
    form = TargetForm(request.POST or None, user=request.user)
    if not form.fields["community"].queryset.exists():
        raise Http404
    if request.method != "POST":
        return render(request, "inspections/target_form.html", {"form": form})
    made = submit(form, lambda d: services.target_create(actor=request.user, **d))
    if made is None:
        return render(request, "inspections/target_form.html", {"form": form}, status=form.status)
    messages.success(request, _("检查对象已登记。"))
    return redirect("inspections:target", pk=made.pk)


@login_required
def target_detail(request, pk: int):
    target = get_visible_or_404(
        Target.objects.select_related("community", "grid", "grid__parent"), request.user, pk=pk
    )
    inspections, notices = selectors.target_history(target)
    return render(
        request,
        "inspections/target_detail.html",
        {"target": target, "inspections": inspections, "notices": notices},
    )


# One inspection, on a phone ----------------------------------------------------------------


def _inspection(request, pk: int) -> Inspection:
    return get_visible_or_404(
        Inspection.objects.select_related(
            "round",
            "round__street",
            "round__version__template",
            "target",
            "target__community",
            "reinspects",
        ),
        request.user,
        pk=pk,
    )


def inspection_page(
    request, inspection, *, status=200, failed_item=None, answer_form=None, finish_form=None
):
    answers = selectors.answers_of(inspection)
    rows = []
    for item in services.items_of(inspection):
        form = answer_form if failed_item == item.pk else None
        rows.append(
            {"item": item, "answer": answers.get(item.pk), "form": form, "key": uuid.uuid4()}
        )
    may = services.may_inspect(request.user, inspection)
    return render(
        request,
        "inspections/inspection.html",
        {
            "inspection": inspection,
            "rows": rows,
            "answered": len(answers),
            "may_answer": may and inspection.state == InspectionState.PENDING,
            "finish_form": finish_form or FinishForm(),
            "notices": inspection.notices.all(),
        },
        status=status,
    )


@login_required
def inspection_detail(request, pk: int):
    return inspection_page(request, _inspection(request, pk))


@login_required
@require_POST
@idempotent
def inspection_answer(request, pk: int):
    inspection = _inspection(request, pk)
    form = AnswerForm(request.POST, request.FILES)
    items = {i.pk: i for i in services.items_of(inspection)}
    item_pk = str(form.data.get("item") or "")
    item = items.get(int(item_pk)) if item_pk.isdigit() and len(item_pk) < 12 else None
    if item is None:
        raise Http404
    done = submit(
        form,
        lambda d: services.answer_submit(
            actor=request.user,
            inspection=inspection,
            item=item,
            key=d["key"],
            result=d["result"],
            number=d["number"],
            text=d["text"],
            note=d["note"],
            fixed_on_spot=d["fixed_on_spot"],
            photos=request.FILES.getlist("photos"),
        ),
    )
    if done is None:
        return inspection_page(
            request, inspection, status=form.status, failed_item=item.pk, answer_form=form
        )
    return redirect(f"{inspection.get_absolute_url()}#item-{item.position}")


@login_required
@require_POST
@idempotent
def inspection_finish(request, pk: int):
    inspection = _inspection(request, pk)
    form = FinishForm(request.POST)
    done = submit(
        form,
        lambda d: services.inspection_finish(
            actor=request.user,
            inspection=inspection,
            ack_name=d["ack_name"],
            signature=d["signature"],
            note=d["note"],
            due_on=d["due_on"],
        ),
    )
    if done is None:
        return inspection_page(request, inspection, status=form.status, finish_form=form)
    notice = done.notices.first()
    if notice is not None:
        messages.success(
            request, _("已签字确认,整改通知单%(number)s已下发。") % {"number": notice.number}
        )
        return redirect("inspections:notice", pk=notice.pk)
    messages.success(request, _("已签字确认。"))
    return redirect("inspections:round", pk=inspection.round_id)


# Notices ------------------------------------------------------------------------------------------


@login_required
def notices(request):
    require_perm(request.user, Perm.VIEW_DATA)
    state = request.GET.get("state", "").strip()
    state = state if state in NoticeState.values else ""
    overdue = request.GET.get("overdue") == "1"
    page, query = paginate(
        request, selectors.notice_list(user=request.user, state=state, overdue=overdue)
    )
    return render(
        request,
        "inspections/notices.html",
        {
            "page": page,
            "query": query,
            "state": state,
            "overdue": overdue,
            "states": NoticeState.choices,
        },
    )


def _notice(request, pk: int) -> Notice:
    return get_visible_or_404(
        Notice.objects.select_related(
            "street",
            "target",
            "target__community",
            "inspection",
            "inspection__round",
            "case",
            "issued_by",
        ),
        request.user,
        pk=pk,
    )


@login_required
def notice_detail(request, pk: int):
    notice = _notice(request, pk)
    return render(
        request,
        "inspections/notice_detail.html",
        {
            "notice": notice,
            "items": selectors.notice_items(notice),
            "reinspections": notice.reinspections.order_by("id"),
        },
    )


@login_required
def notice_pdf(request, pk: int):
    notice = _notice(request, pk)
    return pdf.pdf_response(documents.notice_pdf(notice), f"整改通知单{notice.number}.pdf")


# Checklists -------------------------------------------------------------------------------------


@login_required
def templates(request):
    require_perm(request.user, Perm.VIEW_DATA)
    rates = selectors.template_rates()
    rows = [
        {"template": t, "rate": rates.get(t.pk, "—"), "version": t.current()}
        for t in ChecklistTemplate.objects.visible_to(request.user).order_by("name")
    ]
    return render(request, "inspections/templates.html", {"rows": rows})


@login_required
def template_detail(request, pk: int):
    template = get_visible_or_404(ChecklistTemplate.objects.all(), request.user, pk=pk)
    versions = template.versions.prefetch_related("items").order_by("-number")
    return render(
        request, "inspections/template_detail.html", {"template": template, "versions": versions}
    )
