"""The staff's pages of the service stations: the list (with the place picker), create and
edit, a station's page (visit buttons, counts, moderation, duty volunteers, dated hours),
and the moderation queue."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from genxi.core.forms import ConfirmForm, submit
from genxi.core.pagination import paginate
from genxi.core.roles import Perm
from genxi.core.scope import get_visible_or_404, require_perm, scope_for
from genxi.regions.selectors import place_choices

from .. import selectors, services
from ..forms import ExceptionForm, PhotoForm, StationForm, VisitForm, VolunteerForm
from ..models import Reflection, Station, StationPhoto, StationVolunteer


def _station(request, pk: int) -> Station:
    return get_visible_or_404(
        Station.objects.select_related("community", "community__parent", "grid", "manager"),
        request.user,
        pk=pk,
    )


@login_required
def stations(request):
    require_perm(request.user, Perm.VIEW_DATA)
    filters = {k: request.GET.get(k, "").strip() for k in ("community", "q")}
    page, query = paginate(request, selectors.station_list(user=request.user, **filters))
    return render(
        request,
        "stations/stations.html",
        {
            "page": page,
            "query": query,
            "filters": filters,
            "communities": place_choices(request.user),
            "may_create": selectors.staff_communities(request.user).exists(),
        },
    )


def _form_page(request, form: StationForm, status: int = 200):
    return render(request, "stations/station_form.html", {"form": form}, status=status)


@login_required
def station_new(request):
    if not selectors.staff_communities(request.user).exists():
        raise Http404  # only a place's staff set up stations
    if request.method != "POST":
        return _form_page(request, StationForm(user=request.user))
    form = StationForm(request.POST, user=request.user)
    station = submit(
        form,
        lambda d: services.station_create(
            actor=request.user,
            community=d["community"],
            **form.station_fields(),
        ),
    )
    if station is None:
        return _form_page(request, form, form.status)
    messages.success(request, _("驿站已建立。"))
    return redirect("stations:station", pk=station.pk)


@login_required
def station_edit(request, pk: int):
    station = _station(request, pk)
    if not services.is_staff_over(request.user, station.community):
        raise PermissionDenied(_("只有本社区或街道的工作人员可以这样做。"))
    if request.method != "POST":
        return _form_page(request, StationForm(user=request.user, station=station))
    form = StationForm(request.POST, user=request.user, station=station)
    done = submit(
        form,
        lambda d: services.station_update(
            actor=request.user,
            station=station,
            **form.station_fields(),
            active=d["active"],
        ),
    )
    if done is None:
        return _form_page(request, form, form.status)
    messages.success(request, _("已保存。"))
    return redirect("stations:station", pk=station.pk)


def station_page(request, station: Station, *, status: int = 200, **forms):
    user = request.user
    staff = services.is_staff_over(user, station.community)
    tends = services.can_tend(user, station)
    return render(
        request,
        "stations/station_detail.html",
        {
            "station": station,
            "open": selectors.station_status(station),
            "staff": staff,
            "tends": tends,
            "counts": selectors.visit_counts(station=station),
            "pending": selectors.pending_reflections(user=user, station=station) if tends else [],
            "moderated": selectors.station_reflections(station=station),
            "volunteers": selectors.volunteers(station=station),
            "exceptions": selectors.upcoming_exceptions(station=station),
            "visit_form": forms.get("visit_form") or VisitForm(),
            "volunteer_form": forms.get("volunteer_form")
            or (VolunteerForm(user=user, station=station) if staff else None),
            "exception_form": forms.get("exception_form") or (ExceptionForm() if staff else None),
            "photos": list(station.photos.all()),
            "photo_form": forms.get("photo_form") or (PhotoForm() if staff else None),
            "user_scope": scope_for(user),
        },
        status=status,
    )


@login_required
def station_detail(request, pk: int):
    return station_page(request, _station(request, pk))


@login_required
@require_POST
def visit(request, pk: int):
    """One tap: a visitor of one type (the button's `kind`), with an optional note."""
    station = _station(request, pk)
    form = VisitForm(request.POST)
    done = submit(
        form,
        lambda d: services.visit_log(
            actor=request.user, station=station, kind=d["kind"], note=d["note"]
        ),
    )
    if done is None:
        return station_page(request, station, status=form.status, visit_form=form)
    messages.success(request, _("已登记:%(kind)s") % {"kind": done.get_kind_display()})
    return redirect(f"{station.get_absolute_url()}#visits")


@login_required
@require_POST
def station_act(request, pk: int, action: str):
    """The staff's changes to a station: a date's hours, a duty volunteer added or removed."""
    station = _station(request, pk)
    user = request.user
    form: ExceptionForm | VolunteerForm | PhotoForm | ConfirmForm
    if action == "exception":
        form = ExceptionForm(request.POST)
        done = submit(
            form,
            lambda d: services.exception_set(
                actor=user, station=station, day=d["day"], intervals=d["hours"], note=d["note"]
            ),
        )
        name = "exception_form"
    elif action == "volunteer":
        form = VolunteerForm(request.POST, user=user, station=station)
        done = submit(
            form,
            lambda d: services.volunteer_add(actor=user, station=station, pioneer=d["pioneer"]),
        )
        name = "volunteer_form"
    elif action == "unvolunteer":
        link = get_visible_or_404(
            StationVolunteer.objects.select_related("station__community"),
            user,
            pk=request.POST.get("volunteer"),
            station=station,
        )
        form = ConfirmForm(request.POST)  # carries the service's refusal only
        done = submit(form, lambda d: services.volunteer_remove(actor=user, volunteer=link))
        name = "volunteer_form"
    elif action == "photo":
        form = PhotoForm(request.POST, request.FILES)
        done = submit(
            form,
            lambda d: services.photo_add(
                actor=user, station=station, image=d["photos"], caption=d["caption"]
            ),
        )
        name = "photo_form"
    elif action == "unphoto":
        photo = get_visible_or_404(
            StationPhoto.objects.select_related("station__community"),
            user,
            pk=request.POST.get("photo"),
            station=station,
        )
        form = ConfirmForm(request.POST)
        done = submit(form, lambda d: services.photo_remove(actor=user, photo=photo))
        name = "photo_form"
    else:
        raise Http404
    if done is None:
        return station_page(request, station, status=form.status, **{name: form})
    messages.success(request, _("已保存。"))
    return redirect("stations:station", pk=station.pk)


@login_required
def reflections(request):
    """The moderation queue: reflections waiting at the stations the user tends."""
    require_perm(request.user, Perm.VIEW_DATA)
    page, query = paginate(request, selectors.pending_reflections(user=request.user))
    return render(request, "stations/reflections.html", {"page": page, "query": query})


@login_required
@require_POST
def reflection_act(request, pk: int, action: str):
    reflection = get_visible_or_404(
        Reflection.objects.select_related("station", "station__community"), request.user, pk=pk
    )
    if action not in ("approve", "hide"):
        raise Http404
    form = ConfirmForm(request.POST)
    done = submit(
        form,
        lambda d: services.reflection_moderate(
            actor=request.user, reflection=reflection, approve=action == "approve"
        ),
    )
    if done is None:
        return render(
            request,
            "stations/reflections.html",
            {"page": selectors.pending_reflections(user=request.user), "refusal": form},
            status=form.status,
        )
    messages.success(request, _("留言已展示。") if action == "approve" else _("留言已隐藏。"))
    back = request.POST.get("next", "")
    if back == "station":
        return redirect(f"{reflection.station.get_absolute_url()}#moderation")
    return redirect("stations:reflections")
