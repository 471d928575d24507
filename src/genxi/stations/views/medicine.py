"""The medicine box's page: the batches with their expiry, stock in, issue, throw away,
the restock list, the usage log, and the days of warning before expiry."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from genxi.core.forms import submit

from .. import selectors, services
from ..forms import DiscardForm, IssueForm, MedicineForm, WarnDaysForm
from ..models import Station
from ._common import visible_station


def medicine_page(request, station: Station, *, status: int = 200, **forms):
    user = request.user
    tends = services.can_tend(user, station)
    staff = services.is_staff_over(user, station.community)
    today = timezone.localdate()
    return render(
        request,
        "stations/medicine.html",
        {
            "station": station,
            "tends": tends,
            "staff": staff,
            "box": selectors.medicine_box(station=station, today=today),
            "issuable": selectors.issuable(station=station, today=today),
            "restock": selectors.restock_list(station=station, today=today),
            "moves": selectors.medicine_moves(station=station),
            "add_form": forms.get("add_form") or MedicineForm(),
            "issue_form": forms.get("issue_form") or IssueForm(station=station),
            "discard_form": forms.get("discard_form"),
            "settings_form": forms.get("settings_form")
            or WarnDaysForm(initial={"warn_days": station.medicine_warn_days}),
        },
        status=status,
    )


@login_required
def medicine(request, pk: int):
    return medicine_page(request, visible_station(request, pk))


@login_required
@require_POST
def medicine_act(request, pk: int, action: str):
    station = visible_station(request, pk)
    user = request.user
    form: MedicineForm | IssueForm | DiscardForm | WarnDaysForm
    if action == "add":
        form = MedicineForm(request.POST)
        done = submit(
            form,
            lambda d: services.medicine_add(
                actor=user,
                station=station,
                name=d["name"],
                unit=d["unit"],
                batch=d["batch"],
                expiry=d["expiry"],
                quantity=d["quantity"],
                minimum=d["minimum"] or 0,
                note=d["note"],
            ),
        )
        name = "add_form"
    elif action == "issue":
        form = IssueForm(request.POST, station=station)
        done = submit(
            form,
            lambda d: services.medicine_issue(
                actor=user, item=d["item"], quantity=d["quantity"], note=d["note"]
            ),
        )
        name = "issue_form"
    elif action == "discard":
        form = DiscardForm(request.POST, station=station)
        done = submit(
            form, lambda d: services.medicine_discard(actor=user, item=d["item"], note=d["note"])
        )
        name = "discard_form"
    elif action == "settings":
        form = WarnDaysForm(request.POST)
        done = submit(
            form,
            lambda d: services.medicine_settings(
                actor=user, station=station, warn_days=d["warn_days"]
            ),
        )
        name = "settings_form"
    else:
        raise Http404
    if done is None:
        return medicine_page(request, station, status=form.status, **{name: form})
    messages.success(request, _("已保存。"))
    return redirect("stations:medicine", pk=station.pk)
