"""The duty roster's page: the next two weeks of shifts (sign up, give back, ask another to
swap), the swaps waiting for the viewer, and for the staff the weekly shifts, a date's
changes and putting a volunteer on a shift."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from genxi.core.forms import ConfirmForm, submit
from genxi.core.scope import get_visible_or_404

from .. import selectors, services
from ..forms import DutyPatternForm, ExceptionForm, ShiftForm, SwapForm
from ..models import DutyShift, DutySwap, Station
from ._common import visible_station


def roster_page(request, station: Station, *, status: int = 200, **forms):
    user = request.user
    staff = services.is_staff_over(user, station.community)
    own = services.own_pioneer(user, station)
    volunteers = list(selectors.volunteers(station=station))
    # Whom the viewer could ask to take over one of their shifts: the others with a login.
    swap_to = [
        v.pioneer for v in volunteers if v.pioneer.user_id and (own is None or v.pioneer != own)
    ]
    return render(
        request,
        "stations/roster.html",
        {
            "station": station,
            "staff": staff,
            "own": own,
            "rows": selectors.roster_rows(station=station, user=user),
            "swaps": selectors.swaps_waiting(user=user).filter(shift__station=station),
            "exceptions": selectors.upcoming_duty_exceptions(station=station),
            "volunteers": volunteers,
            "swap_to": swap_to,
            "pattern_form": forms.get("pattern_form")
            or (DutyPatternForm(station=station) if staff else None),
            "exception_form": forms.get("exception_form") or (ExceptionForm() if staff else None),
            "refusal": forms.get("refusal"),
        },
        status=status,
    )


@login_required
def roster(request, pk: int):
    return roster_page(request, visible_station(request, pk))


def _shift(request, station: Station) -> DutyShift:
    return get_visible_or_404(
        DutyShift.objects.select_related("station__community", "pioneer"),
        request.user,
        pk=request.POST.get("shift"),
        station=station,
    )


@login_required
@require_POST
def roster_act(request, pk: int, action: str):
    station = visible_station(request, pk)
    user = request.user
    name = "refusal"
    form: DutyPatternForm | ExceptionForm | ShiftForm | SwapForm | ConfirmForm
    if action == "pattern":
        form = DutyPatternForm(request.POST)
        name = "pattern_form"
        done = submit(
            form,
            lambda d: services.duty_pattern_set(actor=user, station=station, weekly=d["weekly"]),
        )
    elif action == "exception":
        form = ExceptionForm(request.POST)
        name = "exception_form"
        done = submit(
            form,
            lambda d: services.duty_exception_set(
                actor=user, station=station, day=d["day"], intervals=d["hours"], note=d["note"]
            ),
        )
    elif action == "take":
        form = ShiftForm(request.POST, station=station)
        done = submit(
            form,
            lambda d: services.shift_take(
                actor=user, station=station, day=d["day"], start=d["start"], pioneer=d["pioneer"]
            ),
        )
    elif action == "release":
        shift = _shift(request, station)
        form = ConfirmForm(request.POST)
        done = submit(form, lambda d: services.shift_release(actor=user, shift=shift))
    elif action == "swap":
        shift = _shift(request, station)
        form = SwapForm(request.POST, station=station)
        done = submit(form, lambda d: services.swap_offer(actor=user, shift=shift, to=d["to"]))
    else:
        raise Http404
    if done is None:
        return roster_page(request, station, status=form.status, **{name: form})
    messages.success(request, _("已保存。"))
    return redirect("stations:roster", pk=station.pk)


@login_required
@require_POST
def swap_act(request, pk: int, action: str):
    """The volunteer asked to take a shift over accepts or declines."""
    swap = get_visible_or_404(
        DutySwap.objects.select_related("shift__station__community", "to_pioneer"),
        request.user,
        pk=pk,
    )
    if action not in ("accept", "decline"):
        raise Http404
    form = ConfirmForm(request.POST)
    done = submit(
        form,
        lambda d: services.swap_answer(actor=request.user, swap=swap, accept=action == "accept"),
    )
    station = swap.shift.station
    if done is None:
        return roster_page(request, station, status=form.status, refusal=form)
    messages.success(request, _("已接班。") if action == "accept" else _("已拒绝换班。"))
    return redirect("stations:roster", pk=station.pk)
