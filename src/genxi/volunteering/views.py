"""The pages of volunteer hours: the staff's list (proposals to confirm or reject, the
collect button, a manual entry), a pioneer's record (theirs, or the staff's pioneers'), the
yearly certificate (PDF), the leaderboards and the points rules."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from genxi.core import pdf
from genxi.core.forms import submit
from genxi.core.pagination import paginate
from genxi.core.params import YEAR_MAX, YEAR_MIN, month_param, year_param
from genxi.core.roles import STAFF_ROLES
from genxi.core.scope import scope_for
from genxi.people.models import PioneerKind
from genxi.regions.models import Level, Region

from . import documents, selectors, services
from .domain.points import DEFAULT_RULES, Rules
from .forms import (
    CollectForm,
    ConfirmHoursForm,
    ManualHoursForm,
    RejectHoursForm,
    RulesForm,
    rules_initial,
)
from .models import HoursStatus, Source


def _year(request) -> int:
    """?year=2026 (default: this year); a year that is not one answers 400 naming it."""
    return year_param(request, "year", timezone.localdate().year)


def _back(request, page: str) -> str:
    """Where a decision returns: this page as it was asked for (a refused post renders the
    page again at the action's URL: then the page itself)."""
    return request.get_full_path() if request.method == "GET" else page


@login_required
def home(request, *, forms=None, refusals=None, status=200):
    """Staff: the records of their pioneers (proposed first); a pioneer: their record."""
    if not selectors.is_staff(request.user):
        mine = selectors.own_pioneer(request.user)
        if mine is None:
            return render(request, "volunteering/none.html")
        return redirect("volunteering:pioneer", pk=mine.pk)
    state = request.GET.get("status", HoursStatus.PROPOSED)
    source = request.GET.get("source", "")
    community = request.GET.get("community", "")
    records = selectors.record_list(
        user=request.user, status=state, source=source, community=community
    )
    page, query = paginate(request, records, 30)
    forms = forms or {}
    # A refused record no longer on the list (handled meanwhile, in another tab or by a
    # colleague) has no row to show the reason on: it is shown above the list.
    shown = {r.pk for r in page}
    refusals = [(name, text) for pk, name, text in refusals or () if pk not in shown]
    return render(
        request,
        "volunteering/home.html",
        {
            "page": page,
            "query": query,
            "status": state,
            "source": source,
            "community": community,
            "statuses": HoursStatus.choices,
            "sources": Source.choices,
            "communities": selectors.staff_communities(request.user).select_related("parent"),
            "forms": forms,
            "refusals": refusals,
            "back": _back(request, reverse("volunteering:home")),
            "confirm_form": ConfirmHoursForm(),
            "reject_form": RejectHoursForm(),
            "pending": selectors.pending_count(request.user),
        },
        status=status,
    )


def _label(form, name: str) -> str:
    """What a refusal is about: the field's label, or the record's own state."""
    field = form.fields.get(name)
    return str(field.label) if field is not None and field.label else _("时长记录")


@login_required
@require_POST
def record_act(request, pk: int, action: str):
    record = selectors.record_for(request.user, pk)
    form: ConfirmHoursForm | RejectHoursForm
    if action == "confirm":
        form = ConfirmHoursForm(request.POST)
        done = submit(
            form,
            lambda d: services.hours_confirm(
                actor=request.user, record=record, hours=d.get("hours")
            ),
        )
        text = _("已确认 %(name)s 的 %(hours)s 小时。")
    elif action == "reject":
        form = RejectHoursForm(request.POST)
        done = submit(
            form,
            lambda d: services.hours_reject(actor=request.user, record=record, reason=d["reason"]),
        )
        text = _("已退回 %(name)s 的时长记录。")
    else:
        raise Http404
    if done is None:
        refusals = [
            (record.pk, name, f"{record.pioneer.name} · {_label(form, name)}:{e}")
            for name, errors in form.errors.items()
            for e in errors
        ]
        if not selectors.is_staff(request.user):  # an organiser without a staff list
            for _pk, _name, message in refusals:
                messages.error(request, message)
            return pioneer_page(request, record.pioneer_id, status=form.status)
        return home(request, forms={record.pk: form}, refusals=refusals, status=form.status)
    messages.success(request, text % {"name": done.pioneer.name, "hours": done.hours})
    back = request.POST.get("next", "")
    if back.startswith("/volunteering/") and not back.startswith("/volunteering/records/"):
        return redirect(back)
    return redirect("volunteering:home")


@login_required
@require_POST
def collect(request):
    if not selectors.is_staff(request.user):
        raise Http404
    form = CollectForm(request.POST)
    added = submit(form, lambda d: services.collect_now(actor=request.user))
    if added is None:
        return home(request, forms={"collect": form}, status=form.status)
    messages.success(request, _("已汇总,新增 %(n)s 条待确认记录。") % {"n": added})
    return redirect("volunteering:home")


@login_required
def manual(request):
    if not selectors.is_staff(request.user):
        raise Http404
    pioneers = selectors.visible_pioneers(request.user).filter(active=True).order_by("name", "pk")
    form = ManualHoursForm(request.POST or None, pioneers=pioneers)
    status = 200
    if request.method == "POST":
        record = submit(
            form,
            lambda d: services.hours_add(
                actor=request.user,
                pioneer=d["pioneer"],
                title=d["title"],
                served_on=d["served_on"],
                hours=d["hours"],
            ),
        )
        if record is not None:
            messages.success(request, _("已登记并确认。"))
            return redirect("volunteering:pioneer", pk=record.pioneer_id)
        status = form.status
    return render(request, "volunteering/manual.html", {"form": form}, status=status)


def pioneer_page(request, pk: int, status: int = 200):
    pioneer = selectors.pioneer_for(request.user, pk)
    year = _year(request)
    found = selectors.pioneer_year(pioneer=pioneer, year=year)
    years = selectors.years_of(pioneer) or [year]
    if year not in years:
        years = sorted({*years, year}, reverse=True)
    deciders = {r.pk for r in found.records if services.can_decide(request.user, r)}
    return render(
        request,
        "volunteering/pioneer.html",
        {
            "pioneer": pioneer,
            "year": year,
            "years": years,
            "found": found,
            "deciders": deciders,
            "is_self": pioneer.user_id == request.user.pk,
            "back": _back(request, reverse("volunteering:pioneer", args=[pioneer.pk])),
            "confirm_form": ConfirmHoursForm(),
            "reject_form": RejectHoursForm(),
        },
        status=status,
    )


@login_required
def pioneer(request, pk: int):
    return pioneer_page(request, pk)


@login_required
def certificate(request, pk: int, year: int):
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise Http404  # a year the database's year lookup cannot bound (a 500)
    pioneer = selectors.pioneer_for(request.user, pk)
    found = selectors.pioneer_year(pioneer=pioneer, year=year)
    return pdf.pdf_response(
        documents.certificate_pdf(found), f"志愿服务证书{year}-{pioneer.name}.pdf"
    )


def _period(request) -> tuple[date, date, str]:
    """The leaderboard's period: ?year=2026 or ?month=2026-03 (default: this year)."""
    month = month_param(request, "month")
    if month is not None:
        end = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
        return month, end, f"{month:%Y-%m}"
    year = _year(request)
    return date(year, 1, 1), date(year + 1, 1, 1), str(year)


@login_required
def board(request):
    if not selectors.is_staff(request.user):
        raise Http404
    start, end, label = _period(request)
    communities = list(selectors.staff_communities(request.user).select_related("parent"))
    code = request.GET.get("community", "")
    community = next((c for c in communities if c.code == code), None)
    if code and community is None:
        raise Http404
    kind = request.GET.get("kind", "")
    found = selectors.leaderboard(
        user=request.user, start=start, end=end, community=community, kind=kind
    )
    return render(
        request,
        "volunteering/board.html",
        {
            "board": found,
            "label": label,
            "year": start.year,
            "communities": communities,
            "community": community,
            "kind": kind,
            "kinds": PioneerKind.choices,
        },
    )


def _streets(user) -> list[Region]:
    scope = scope_for(user)
    streets = Region.objects.filter(level=Level.STREET).order_by("path")
    if scope.is_global:
        return list(streets)
    paths = [p for r, p in scope.role_paths if r in STAFF_ROLES]
    return [s for s in streets if any(s.path.startswith(p) or p.startswith(s.path) for p in paths)]


@login_required
def rules(request):
    streets = _streets(request.user)
    if not streets:
        raise Http404
    code = request.GET.get("street", "") or request.POST.get("street", "")
    street = next((s for s in streets if s.code == code), streets[0])
    if code and street.code != code:
        raise Http404
    current = services.rules_in_force(street)
    in_force = Rules.from_json(current.rules) if current else DEFAULT_RULES
    form = RulesForm(request.POST or None, initial=rules_initial(in_force))
    status = 200
    if request.method == "POST":
        saved = submit(
            form,
            lambda d: services.rules_save(
                actor=request.user,
                street=street,
                rules=services.rules_from_form(d),
                note=d.get("note", ""),
            ),
        )
        if saved is not None:
            messages.success(request, _("已保存为第 %(v)s 版积分规则。") % {"v": saved.version})
            return redirect(f"{reverse('volunteering:rules')}?street={street.code}")
        status = form.status
    versions = list(
        services.PointsRules.objects.filter(street=street)
        .select_related("created_by")
        .order_by("-version")[:10]
    )
    return render(
        request,
        "volunteering/rules.html",
        {
            "form": form,
            "street": street,
            "streets": streets,
            "current": current,
            "versions": versions,
            "can_edit": services.can_manage_rules(request.user, street),
        },
        status=status,
    )
