"""The lists behind the workbench's counts, over every station the viewer tends: shifts
nobody took in the next 48 hours, medicines expired or about to, books overdue."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from genxi.core.roles import Perm
from genxi.core.scope import require_perm

from .. import selectors


def _stations(request):
    require_perm(request.user, Perm.VIEW_DATA)
    return selectors.tended_stations(request.user).filter(active=True)


@login_required
def unstaffed(request):
    gaps = selectors.unstaffed(_stations(request).select_related("community"))
    return render(request, "stations/unstaffed.html", {"gaps": gaps})


@login_required
def expiring(request):
    stations = _stations(request)
    rows = selectors.expiring_items(stations.values("pk"))
    return render(request, "stations/expiring.html", {"rows": rows, "today": timezone.localdate()})


@login_required
def overdue(request):
    rows = selectors.overdue_loans(stations=_stations(request).values("pk"))
    return render(request, "stations/overdue.html", {"rows": rows, "today": timezone.localdate()})
