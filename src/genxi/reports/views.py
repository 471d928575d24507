"""The monthly reports' pages: a place's kept reports, making one, and the downloads — a
kept report's files, or made on the spot when none is kept (docs/reports.md)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from genxi.core.forms import submit
from genxi.core.pdf import pdf_response
from genxi.core.replica import reading_replica
from genxi.core.roles import Perm
from genxi.core.scope import require_perm
from genxi.core.spreadsheets import xlsx_response

from . import documents, selectors, services
from .forms import FIRST, MonthForm, parse_month

KINDS = ("pdf", "xlsx")


def _page(request, place, form=None, status=200):
    last = selectors.last_complete_month(timezone.localdate())
    return render(
        request,
        "reports/region.html",
        {
            "place": place,
            "reports": selectors.kept(request.user, place),
            "last_month": last,
            "form": form or MonthForm(initial={"month": f"{last:%Y-%m}"}),
        },
        status=status,
    )


@login_required
def region(request, code: str):
    require_perm(request.user, Perm.VIEW_DATA)
    place = selectors.place_or_404_for_report(request.user, code)
    return _page(request, place)


@login_required
@require_POST
def make(request, code: str):
    require_perm(request.user, Perm.VIEW_DATA)
    place = selectors.place_or_404_for_report(request.user, code)
    form = MonthForm(request.POST)
    report = submit(
        form,
        lambda d: services.report_make(actor=request.user, region=place, month=d["month"]),
    )
    if report is None:
        return _page(request, place, form=form, status=form.status)
    messages.success(request, _("已生成%(month)s的月度报告。") % {"month": f"{report.month:%Y-%m}"})
    return redirect("reports:region", code=place.code)


@login_required
def download(request, code: str, month: str, kind: str):
    """The month's PDF or workbook: the kept one, else made now (and not kept)."""
    require_perm(request.user, Perm.VIEW_DATA)
    place = selectors.place_or_404_for_report(request.user, code)
    first = parse_month(month)
    if kind not in KINDS or first is None or not FIRST <= first <= timezone.localdate():
        raise Http404
    report = selectors.report_or_none(request.user, place, first)
    if report is not None:
        with (report.pdf if kind == "pdf" else report.xlsx).open("rb") as fh:
            content = fh.read()
    else:
        with reading_replica():  # the figures may lag; whether one is kept may not
            data = selectors.report_data(request.user, place, first)
        content = documents.make_pdf(data) if kind == "pdf" else documents.make_xlsx(data)
    name = f"{place.name}{first.year}年{first.month}月工作月报.{kind}"
    response: HttpResponse
    if kind == "pdf":
        response = pdf_response(content, name, inline=False)
    else:
        response = xlsx_response(name, content)
    response["Cache-Control"] = "private, no-store"
    return response
