"""Public pages (no login): a community's calendar (the published plan, themes and
events), an event's page with the registration form, the resident's ticket (status,
place on the waiting list, the check-in QR code, cancel), and the iCalendar feed. No
personal data: names and phones are never shown back, only counts."""

from __future__ import annotations

import io
from datetime import timedelta

import segno
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from genxi.core import ratelimit
from genxi.core.forms import submit
from genxi.regions.models import Region

from . import selectors, services
from .domain import ical
from .domain.calendar import month_start, month_weeks, next_month, previous_month
from .forms import CodeForm, RegisterForm
from .models import Event, EventStatus, Registration
from .views import WEEKDAYS, _by_day, parse_month

REGISTER_LIMIT = 10  # registrations per client address per window
REGISTER_WINDOW = 10 * 60


def _community(code: str) -> Region:
    return get_object_or_404(Region.objects.communities().select_related("parent"), code=code)


def public_calendar(request, code: str):
    community = _community(code)
    month = parse_month(request.GET.get("month", ""))
    weeks = month_weeks(month)
    events = list(
        selectors.public_events(
            community=community, start=weeks[0][0], end=weeks[-1][-1] + timedelta(days=1)
        )
    )
    plan = selectors.public_plan(community=community, month=month)
    themes = {t.week_start: t.theme for t in plan.themes.all()} if plan else {}
    by_day = _by_day(events)
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
    return render(
        request,
        "events/public/calendar.html",
        {
            "community": community,
            "month": month,
            "prev": previous_month(month),
            "next": next_month(month),
            "rows": rows,
            "weekdays": WEEKDAYS,
            "events": [
                e for e in events if month_start(timezone.localtime(e.starts_at).date()) == month
            ],
            "plan": plan,
            "themes": sorted(themes.items()),
            "today": timezone.localdate(),
        },
    )


def _public_event(pk: int) -> Event:
    event = (
        selectors.with_counts(Event.objects.select_related("community"))
        .filter(pk=pk, status__in=[EventStatus.PUBLISHED, EventStatus.DONE, EventStatus.CANCELLED])
        .first()
    )
    if event is None:
        raise Http404
    return event


def event_page(request, event: Event, form=None, status: int = 200):
    return render(
        request,
        "events/public/event.html",
        {
            "e": event,
            "form": form or RegisterForm(),
            "open": event.status == EventStatus.PUBLISHED and event.ends_at > timezone.now(),
            "left": max(event.capacity - event.registered, 0),  # type: ignore[attr-defined]
        },
        status=status,
    )


def public_event(request, pk: int):
    """The event, and on POST a resident's registration."""
    event = _public_event(pk)
    if request.method != "POST":
        return event_page(request, event)
    form = RegisterForm(request.POST)
    if form.is_valid() and form.cleaned_data["website"]:
        return redirect("events:public_event", pk=pk)  # a bot filled the hidden field
    if form.is_valid() and not ratelimit.hit(
        "event-register", ratelimit.client_ip(request) or "-", REGISTER_LIMIT, REGISTER_WINDOW
    ):
        form.add_error(None, _("提交太频繁,请稍后再试。"))
        return event_page(request, event, form, 429)
    reg = submit(
        form,
        lambda d: services.register(actor=None, event=event, name=d["name"], phone=d["phone"]),
    )
    if reg is None:
        return event_page(request, event, form, form.status)
    return redirect("events:ticket", code=reg.code)


def _registration(code: str) -> Registration:
    return get_object_or_404(
        Registration.objects.select_related("event", "event__community"), code=code.upper()
    )


def ticket(request, code: str, *, form=None, status: int = 200):
    """The resident's ticket: reached by the code only (it is the secret)."""
    reg = _registration(code)
    return render(
        request,
        "events/public/ticket.html",
        {
            "r": reg,
            "e": reg.event,
            "position": services.waitlist_position(reg),
            "form": form or CodeForm(),
        },
        status=status,
    )


def ticket_qr(request, code: str):
    """The registration's check-in code as a QR image (SVG)."""
    reg = _registration(code)
    out = io.BytesIO()
    segno.make(reg.code, error="m").save(out, kind="svg", scale=8, border=2)
    response = HttpResponse(out.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_POST
def ticket_cancel(request, code: str):
    reg = _registration(code)
    form = CodeForm(request.POST)
    done = submit(
        form, lambda d: services.registration_cancel(actor=None, registration=reg, code=reg.code)
    )
    if done is None:
        return ticket(request, code, form=form, status=form.status)
    return redirect("events:ticket", code=reg.code)


def feed(request, code: str):
    """The community's events as an iCalendar feed (RFC 5545)."""
    community = _community(code)
    now = timezone.now()
    items = [
        ical.VEvent(
            uid=f"event-{e.pk}@genxi",
            starts=e.starts_at,
            ends=e.ends_at,
            summary=e.title,
            location=e.place,
            description=e.description,
            url=request.build_absolute_uri(reverse("events:public_event", args=[e.pk])),
            cancelled=e.status == EventStatus.CANCELLED,
            stamp=e.updated_at,
        )
        for e in selectors.feed_events(community=community, now=now)
    ]
    name = _("%(community)s · 周末社区") % {"community": community.name}
    response = HttpResponse(
        ical.calendar(name, items, now=now), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="{community.code}.ics"'
    return response
