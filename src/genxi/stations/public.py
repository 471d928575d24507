"""Public pages (no login): the map and list of stations with what each offers and whether
it is open now, a page per station with its hours and approved reflections, and the form
to leave one. No personal data: no manager, no volunteer, no visit."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from genxi.core import ratelimit
from genxi.core.forms import submit
from genxi.core.media import photo_response
from genxi.regions.selectors import point_in_tile_datum

from . import selectors, services
from .domain.hours import TZ, Status, day_hours, format_day, format_minutes
from .forms import WEEKDAYS, ReflectionForm
from .models import Station, StationPhoto, exceptions_of

REFLECTION_LIMIT = 5  # reflections per client address per window
REFLECTION_WINDOW = 10 * 60


def status_text(state: Status, now=None) -> str:
    """ "现在开放 · 至 20:00", "已关闭 · 明天 8:00 开放", "已关闭 · 周六 9:00 开放"."""
    now = (now or timezone.now()).astimezone(TZ)
    if state.open and state.until is not None:
        until = state.until.astimezone(TZ)
        if until.date() == now.date():
            return _("现在开放 · 至 %(time)s") % {"time": f"{until:%H:%M}"}
        return _("现在开放")
    if state.opens is None:
        return _("已关闭")
    opens = state.opens.astimezone(TZ)
    time = format_minutes(opens.hour * 60 + opens.minute)
    days = (opens.date() - now.date()).days
    if days == 0:
        when = _("今天 %(time)s") % {"time": time}
    elif days == 1:
        when = _("明天 %(time)s") % {"time": time}
    else:
        when = f"{WEEKDAYS[opens.weekday()]} {time}"
    return _("已关闭 · %(when)s 开放") % {"when": when}


def _item(entry: selectors.PublicStation, now) -> dict:
    s = entry.station
    lat, lon = point_in_tile_datum(s.lat, s.lon)  # as the configured tiles draw it
    return {
        "id": s.pk,
        "name": s.name,
        "community": s.community.name,
        "address": s.address,
        "lat": lat,
        "lon": lon,
        "open": entry.status.open,
        "status": status_text(entry.status, now),
        "amenities": s.amenity_labels(),
        "serves": s.serves_labels(),
        "url": reverse("stations:public", args=[s.pk]),
    }


def station_map(request):
    now = timezone.now()
    items = [_item(e, now) for e in selectors.public_stations(now=now)]
    return render(
        request,
        "stations/public/map.html",
        {
            "items": items,
            "open_count": sum(1 for i in items if i["open"]),
        },
    )


def _week(station, now) -> list[dict]:
    """The next seven days' hours, today first, with the exceptions applied."""
    today = now.astimezone(TZ).date()
    exceptions = exceptions_of(station.upcoming)
    weekly = station.weekly()
    week = []
    for offset in range(7):
        day = today + timedelta(days=offset)
        hours = day_hours(day, weekly, exceptions)
        week.append(
            {
                "day": day,
                "weekday": WEEKDAYS[day.weekday()],
                "hours": format_day(hours).replace("-", "–") or _("不开放"),
                "special": day in exceptions,
                "today": offset == 0,
            }
        )
    return week


def station_page(request, pk: int, *, form=None, status: int = 200):
    now = timezone.now()
    entry = selectors.public_station(pk=pk, now=now)
    if entry is None:
        raise Http404
    return render(
        request,
        "stations/public/station.html",
        {
            "s": entry.station,
            "item": _item(entry, now),
            "week": _week(entry.station, now),
            "reflections": selectors.public_reflections(station=entry.station),
            "photos": list(entry.station.photos.all()),
            "form": form or ReflectionForm(),
        },
        status=status,
    )


def station(request, pk: int):
    return station_page(request, pk)


def photo(request, pk: int, photo_pk: int, variant: str):
    """A station's picture, to anyone, while the station is public (active); to the staff
    who see it once it is stopped (its page shows them still); the file is read from
    storage here, never served by path."""
    public = selectors.public_station(pk=pk) is not None
    if not public and not Station.objects.visible_to(request.user).filter(pk=pk).exists():
        raise Http404
    found = StationPhoto.objects.filter(pk=photo_pk, station_id=pk).first()
    if found is None:
        raise Http404
    return photo_response(found, variant, public=public)  # a missing file: 404 too


@require_POST
def reflect(request, pk: int):
    """A visitor leaves a reflection: held until the people on duty approve it."""
    entry = selectors.public_station(pk=pk)
    if entry is None:
        raise Http404
    form = ReflectionForm(request.POST)
    if form.is_valid() and form.cleaned_data["website"]:
        return redirect("stations:public", pk=pk)  # a bot filled the hidden field
    if form.is_valid() and not ratelimit.hit(
        "station-reflection",
        ratelimit.client_ip(request) or "-",
        REFLECTION_LIMIT,
        REFLECTION_WINDOW,
    ):
        form.add_error(None, _("留言太频繁了,请稍后再试。"))
        return station_page(request, pk, form=form, status=429)
    done = submit(
        form,
        lambda d: services.reflection_create(
            station=entry.station, text=d["text"], signature=d["signature"]
        ),
    )
    if done is None:
        return station_page(request, pk, form=form, status=form.status)
    messages.success(request, _("谢谢您的留言!值守人员审核后会展示在这里。"))
    return redirect(reverse("stations:public", args=[pk]) + "#wall")
