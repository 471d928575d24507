"""The staff's pages of the weekend community: the calendar (month and week) per
community with the month's plan, the plan's form and its publishing, a new event, an
event's page (registrations, 代报名, roster, materials, photos, summary), the check-in page
(camera or typed code) and the list of events waiting for a summary."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from genxi.core.forms import submit
from genxi.core.media import photo_url
from genxi.core.pagination import paginate
from genxi.core.params import day_value, month_value
from genxi.core.roles import Perm
from genxi.core.scope import get_visible_or_404, require_perm
from genxi.people.models import Pioneer

from . import selectors, services
from .domain.calendar import month_start, month_weeks, next_month, previous_month, week_days
from .forms import (
    CancelForm,
    CheckInForm,
    EventForm,
    MaterialForm,
    PhotoForm,
    PlanForm,
    RegisterForm,
    RegistrationActForm,
    RosterForm,
    RosterLeaveForm,
    SummaryForm,
    UnregisterForm,
)
from .models import Event, MonthPlan, Registration, RosterEntry

WEEKDAYS = [
    gettext_lazy("周一"),
    gettext_lazy("周二"),
    gettext_lazy("周三"),
    gettext_lazy("周四"),
    gettext_lazy("周五"),
    gettext_lazy("周六"),
    gettext_lazy("周日"),
]


def parse_month(text: str, name: str = "month") -> date:
    """The month `text` names (YYYY-MM), this month when empty; anything else, or a year
    beyond the calendar's, is refused naming the parameter (core/params.py)."""
    return month_value(text, name) or month_start(timezone.localdate())


def parse_day(text: str, name: str) -> date | None:
    """The date `text` names (YYYY-MM-DD), None when empty; refused as `parse_month`."""
    return day_value(text, name)


def _community(request):
    """The community the calendar shows: ?community=<code>, else the user's first."""
    choices = list(selectors.visible_communities(request.user).select_related("parent"))
    code = request.GET.get("community", "").strip()
    if code:
        found = next((c for c in choices if c.code == code), None)
        if found is None:
            raise Http404
        return found, choices
    if not choices:
        raise Http404
    return choices[0], choices


def _by_day(events) -> dict[date, list[Event]]:
    days: dict[date, list[Event]] = {}
    for e in events:
        days.setdefault(timezone.localtime(e.starts_at).date(), []).append(e)
    return days


@login_required
def calendar(request):
    """The month (or, with ?week=, the week) of one community: its plan, themes and events."""
    require_perm(request.user, Perm.VIEW_DATA)
    community, choices = _community(request)
    week = parse_day(request.GET.get("week", ""), "week")
    month = month_start(week) if week else parse_month(request.GET.get("month", ""))
    plan = selectors.month_plan(community=community, month=month)
    themes = {t.week_start: t.theme for t in plan.themes.all()} if plan else {}
    if week:
        days = week_days(week)
        start, end = days[0], days[-1] + timedelta(days=1)
    else:
        start, end = month_weeks(month)[0][0], month_weeks(month)[-1][-1] + timedelta(days=1)
    events = list(
        selectors.event_list(user=request.user, community=community, start=start, end=end)
    )
    by_day = _by_day(events)
    weeks = [days] if week else month_weeks(month)
    rows = [
        {
            "theme": themes.get(w[0], ""),
            "days": [
                {
                    "day": d,
                    "weekday": WEEKDAYS[d.weekday()],
                    "events": by_day.get(d, []),
                    "other": d.month != month.month,
                }
                for d in w
            ],
        }
        for w in weeks
    ]
    may_plan = services.is_staff_over(request.user, community)
    return render(
        request,
        "events/calendar.html",
        {
            "community": community,
            "choices": choices,
            "month": month,
            "week": week,
            "prev": previous_month(month),
            "next": next_month(month),
            "prev_week": week - timedelta(days=7) if week else None,
            "next_week": week + timedelta(days=7) if week else None,
            "rows": rows,
            "weekdays": WEEKDAYS,
            "events": events,
            "plan": plan,
            "themes": sorted(themes.items()),
            "may_plan": may_plan,
            "today": timezone.localdate(),
        },
    )


def _plan_page(request, community, month, form, plan, status=200):
    return render(
        request,
        "events/plan_form.html",
        {"community": community, "month": month, "form": form, "plan": plan},
        status=status,
    )


@login_required
def plan_edit(request, code: str, month: str):
    """The month's plan of a community: title, notes and weekly themes."""
    community = get_object_or_404(selectors.visible_communities(request.user), code=code)
    if not services.is_staff_over(request.user, community):
        raise PermissionDenied
    first = parse_month(month)
    plan = selectors.month_plan(community=community, month=first)
    if request.method != "POST":
        initial = {"title": plan.title, "notes": plan.notes} if plan else {}
        if plan:
            initial |= {
                f"w{max(t.week_start, first).isoformat()}": t.theme for t in plan.themes.all()
            }
        else:
            initial["title"] = _("%(community)s %(month)s 周末社区") % {
                "community": community.name,
                "month": f"{first:%Y-%m}",
            }
        return _plan_page(request, community, first, PlanForm(initial=initial, month=first), plan)
    form = PlanForm(request.POST, month=first)
    saved = submit(
        form,
        lambda d: services.plan_save(
            actor=request.user,
            community=community,
            month=first,
            title=d["title"],
            notes=d["notes"],
            themes=form.themes(),
        ),
    )
    if saved is None:
        return _plan_page(request, community, first, form, plan, form.status)
    messages.success(request, _("月度计划已保存。"))
    return redirect(_calendar_url(community.code, first))


def _calendar_url(code: str, month: date) -> str:
    return f"{reverse('events:calendar')}?community={code}&month={month:%Y-%m}"


@login_required
@require_POST
def plan_publish(request, pk: int):
    plan = get_visible_or_404(MonthPlan.objects.select_related("community"), request.user, pk=pk)
    form = CancelForm(request.POST)
    if submit(form, lambda d: services.plan_publish(actor=request.user, plan=plan)) is None:
        if form.status == 403:
            raise PermissionDenied
        messages.warning(request, " ".join(str(m) for ms in form.errors.values() for m in ms))
    else:
        messages.success(request, _("本月计划已发布,居民可以在日历上看到。"))
    return redirect(_calendar_url(plan.community.code, plan.month))


@login_required
def event_new(request):
    if not selectors.staff_communities(request.user).exists():
        raise Http404
    if request.method != "POST":
        initial = {"capacity": 30}
        if day := parse_day(request.GET.get("day", ""), "day"):
            initial["starts_at"] = timezone.make_aware(
                timezone.datetime(day.year, day.month, day.day, 9)
            )
            initial["ends_at"] = initial["starts_at"] + timedelta(hours=2)
        code = request.GET.get("community", "")
        form = EventForm(user=request.user, initial=initial)
        if code:
            form.initial["community"] = form.fields["community"].queryset.filter(code=code).first()
        return render(request, "events/event_form.html", {"form": form})
    form = EventForm(request.POST, user=request.user)
    event = submit(
        form,
        lambda d: services.event_create(
            actor=request.user,
            community=d["community"],
            title=d["title"],
            place=d["place"],
            starts_at=d["starts_at"],
            ends_at=d["ends_at"],
            capacity=d["capacity"],
            audience=d["audience"],
            description=d["description"],
            organiser=request.user,
            draft=d["draft"],
        ),
    )
    if event is None:
        return render(request, "events/event_form.html", {"form": form}, status=form.status)
    messages.success(request, _("活动已建立。"))
    return redirect("events:event", pk=event.pk)


# What each step on an event's page is called in the summary of a refusal.
_ACTIONS = {
    "register": gettext_lazy("代报名"),
    "roster": gettext_lazy("志愿者名单"),
    "unroster": gettext_lazy("志愿者名单"),
    "material": gettext_lazy("发放物资"),
    "summary": gettext_lazy("活动总结"),
    "cancel": gettext_lazy("取消活动"),
    "publish": gettext_lazy("发布活动"),
    "photo": gettext_lazy("活动照片"),
    "unregister": gettext_lazy("报名名单"),
}


def _refusals(forms: dict[str, Form]) -> list[tuple[str, str]]:
    """A refused step, summed up at the top of the page as (field, message), the message
    naming the step and the field. The page opens at its top, and some steps have no form
    left to show the reason on (a one-button step; a form gone because the event was
    cancelled or published meanwhile)."""
    out = []
    for action, form in forms.items():
        for name, errors in form.errors.items():
            field = form.fields.get(name)
            where = (
                f"{_ACTIONS.get(action, action)} · {field.label}"
                if field and field.label
                else str(_ACTIONS.get(action, action))
            )
            out += [(name if field else action, f"{where}:{e}") for e in errors]
    return out


def event_page(request, event: Event, *, forms=None, status: int = 200):
    runs = services.can_run(request.user, event)
    staff = services.is_staff_over(request.user, event.community)
    pioneer = Pioneer.objects.filter(user=request.user, active=True).first()
    roster = selectors.roster(event=event)
    forms = forms or {}
    pioneers = (
        Pioneer.objects.visible_to(request.user)
        .filter(active=True, grid__path__startswith=event.community.path)
        .exclude(pk__in=[r.pioneer_id for r in roster])
        .order_by("code")
    )
    refusals = _refusals(forms)
    return render(
        request,
        "events/event_detail.html",
        {
            "e": event,
            "refusals": refusals,
            "runs": runs,
            "staff": staff,
            "registrations": selectors.registrations(event=event) if runs else [],
            "roster": roster,
            "materials": list(event.materials.all()),
            "photos": [(photo_url(p, "thumb"), photo_url(p)) for p in event.photos.all()],
            "may_join": pioneer is not None
            and pioneer.grid.path.startswith(event.community.path)
            and all(r.pioneer_id != pioneer.pk for r in roster),
            "register_form": forms.get("register") or RegisterForm(),
            "roster_form": forms.get("roster") or RosterForm(pioneers=pioneers),
            "material_form": forms.get("material") or MaterialForm(),
            "summary_form": forms.get("summary")
            or SummaryForm(
                initial={
                    "served": event.served,
                    "summary": event.summary,
                    "attendance": event.attendance,
                }
            ),
            "cancel_form": forms.get("cancel") or CancelForm(),
            "photo_form": forms.get("photo") or PhotoForm(),
            "public_url": request.build_absolute_uri(
                reverse("events:public_event", args=[event.pk])
            ),
            "now": timezone.now(),
            "noshows": max(event.registered - event.checked_in, 0),  # type: ignore[attr-defined]
        },
        status=status,
    )


@login_required
def event_detail(request, pk: int):
    return event_page(request, selectors.event_detail(user=request.user, pk=pk))


@login_required
@require_POST
def event_act(request, pk: int, action: str):
    """One step on an event's page: each action a form and a service call."""
    event = selectors.event_detail(user=request.user, pk=pk)
    user = request.user
    form: Form
    if action == "register":
        form = RegisterForm(request.POST)
        done = submit(
            form,
            lambda d: services.register(actor=user, event=event, name=d["name"], phone=d["phone"]),
        )
        ok = _("已代为报名。")
    elif action == "roster":
        pioneers = Pioneer.objects.visible_to(user).filter(
            grid__path__startswith=event.community.path
        )
        form = RosterForm(request.POST, pioneers=pioneers)
        done = submit(
            form,
            lambda d: services.roster_join(
                actor=user, event=event, role=d["role"], pioneer=d["pioneer"]
            ),
        )
        ok = _("已加入志愿者名单。")
    elif action == "unroster":
        form = RosterLeaveForm(request.POST)
        if not form.is_valid():
            raise Http404
        entry = get_object_or_404(RosterEntry, pk=form.cleaned_data["entry"], event=event)
        done = submit(form, lambda d: services.roster_leave(actor=user, entry=entry))
        ok = _("已退出志愿者名单。")
    elif action == "material":
        form = MaterialForm(request.POST)
        done = submit(
            form,
            lambda d: (
                services.material_set(
                    actor=user, event=event, name=d["name"], unit=d["unit"], quantity=d["quantity"]
                )
                or True
            ),
        )
        ok = _("物资已登记。")
    elif action == "summary":
        form = SummaryForm(request.POST)
        done = submit(
            form,
            lambda d: services.event_summarise(
                actor=user,
                event=event,
                summary=d["summary"],
                served=d["served"],
                attendance=d["attendance"],
            ),
        )
        ok = _("活动总结已保存。")
    elif action == "cancel":
        form = CancelForm(request.POST)
        done = submit(
            form, lambda d: services.event_cancel(actor=user, event=event, reason=d["reason"])
        )
        ok = _("活动已取消,已通知报名的居民。")
    elif action == "publish":
        form = CancelForm(request.POST)
        done = submit(form, lambda d: services.event_publish(actor=user, event=event))
        ok = _("活动已发布。")
    elif action == "photo":
        form = PhotoForm(request.POST, request.FILES)
        done = submit(
            form, lambda d: services.photo_add(actor=user, event=event, photos=[d["photo"]])
        )
        ok = _("照片已上传。")
    elif action == "unregister":
        form = RegistrationActForm(request.POST)
        if not form.is_valid():
            raise Http404
        reg = get_object_or_404(Registration, pk=form.cleaned_data["registration"], event=event)
        form = UnregisterForm(request.POST)
        done = submit(
            form,
            lambda d: services.registration_cancel(
                actor=user, registration=reg, reason=d["reason"]
            ),
        )
        ok = _("报名已取消,居民会在报名凭证上看到原因;如有候补,下一位已转正。")
    else:
        raise Http404
    if done is None:
        if form.status == 403:
            raise PermissionDenied(" ".join(str(e) for e in form.non_field_errors()))
        return event_page(request, event, forms={action: form}, status=form.status)
    messages.success(request, ok)
    return redirect("events:event", pk=event.pk)


def _checkin_page(request, event, form, checked=None, status=200):
    return render(
        request,
        "events/checkin.html",
        {"e": event, "form": form, "checked": checked},
        status=status,
    )


@login_required
def checkin(request, pk: int):
    """The organiser's check-in: scan a registration's QR code with the phone's camera (the
    browser's BarcodeDetector fills the code) or type the code."""
    event = selectors.event_detail(user=request.user, pk=pk)
    if not services.can_run(request.user, event):
        raise PermissionDenied
    if request.method != "POST":
        return _checkin_page(request, event, CheckInForm())
    form = CheckInForm(request.POST)
    reg = submit(form, lambda d: services.check_in(actor=request.user, event=event, code=d["code"]))
    if reg is None:
        return _checkin_page(request, event, form, status=form.status)
    event = selectors.event_detail(user=request.user, pk=pk)
    return _checkin_page(request, event, CheckInForm(), checked=reg)


@login_required
def summaries(request):
    """The events the user runs that are over and wait for a summary."""
    require_perm(request.user, Perm.VIEW_DATA)
    page, query = paginate(request, selectors.needing_summary(request.user))
    return render(request, "events/summaries.html", {"page": page, "query": query})
