"""Writes of the service stations: every one checks who may, runs in one transaction and is
audited. The staff over a station's community set it up; its manager, the staff and its
duty volunteers tend it (log visits, moderate the reflections wall); anyone may leave a
reflection, which waits for them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from genxi.core import audit
from genxi.core.photos import clean_photo
from genxi.core.roles import STAFF_ROLES
from genxi.core.scope import scope_for
from genxi.people.models import Membership, Pioneer
from genxi.regions.models import Level, Region

from ..domain.hours import Intervals, weekly_to_json
from ..models import (
    Amenity,
    HoursException,
    Reflection,
    ReflectionStatus,
    Station,
    StationPhoto,
    StationVisit,
    StationVolunteer,
    VisitorType,
)

PHOTOS_MAX = 8  # a station's public page shows a few pictures, not an album
REFLECTION_MAX = 200
NOTE_MAX = 100
# The fields a station's edit may change, in the audit's before/after.
EDITABLE = (
    "name",
    "grid",
    "lat",
    "lon",
    "address",
    "description",
    "hours",
    "amenities",
    "serves",
    "manager",
    "active",
)


def is_staff_over(actor: Any, community: Region) -> bool:
    return scope_for(actor).role_covers(STAFF_ROLES, community.path)


def require_staff(actor: Any, community: Region) -> None:
    if not is_staff_over(actor, community):
        raise PermissionDenied(_("只有本社区或街道的工作人员可以这样做。"))


def can_tend(actor: Any, station: Station) -> bool:
    """Whether the actor may log visits and moderate the wall: the station's manager, the
    staff over its community, and its duty volunteers."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    if station.manager_id == actor.pk or is_staff_over(actor, station.community):
        return True
    return StationVolunteer.objects.filter(station=station, pioneer__user_id=actor.pk).exists()


def require_tend(actor: Any, station: Station) -> None:
    if not can_tend(actor, station):
        raise PermissionDenied(_("只有驿站负责人、值守志愿者和社区工作人员可以这样做。"))


def _check(
    *,
    community: Region,
    grid: Region | None,
    name: str,
    lat: float,
    lon: float,
    amenities: Sequence[str],
    serves: Sequence[str],
    manager: Any,
) -> None:
    errors: dict[str, str] = {}
    if community.level != Level.COMMUNITY:
        errors["community"] = _("驿站须属于一个社区。")
    if grid is not None and (grid.level != Level.GRID or grid.parent_id != community.pk):
        errors["grid"] = _("网格须在驿站所在的社区内。")
    if not name.strip():
        errors["name"] = _("请填写驿站名称。")
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        errors["lat"] = _("位置不正确。")
    if set(amenities) - set(Amenity.values):
        errors["amenities"] = _("未知的设施。")
    if set(serves) - set(VisitorType.values):
        errors["serves"] = _("未知的服务对象。")
    if manager is not None and not _is_staff_of(manager, community):
        errors["manager"] = _("负责人须是本社区或街道的工作人员。")
    if errors:
        raise ValidationError(errors)


def _is_staff_of(user: Any, community: Region) -> bool:
    paths = Membership.objects.filter(
        user=user, active=True, role__in=STAFF_ROLES, region__isnull=False
    ).values_list("region__path", flat=True)
    return any(community.path.startswith(p) for p in paths)


def _ordered(values: Sequence[str], order: Sequence[str]) -> list[str]:
    return [v for v in order if v in set(values)]


def station_create(
    *,
    actor: Any,
    community: Region,
    name: str,
    lat: float,
    lon: float,
    address: str,
    weekly: Mapping[int, Intervals] | None = None,
    amenities: Sequence[str] = (),
    serves: Sequence[str] = (),
    grid: Region | None = None,
    description: str = "",
    manager: Any = None,
) -> Station:
    _check(
        community=community,
        grid=grid,
        name=name,
        lat=lat,
        lon=lon,
        amenities=amenities,
        serves=serves,
        manager=manager,
    )
    require_staff(actor, community)
    with transaction.atomic():
        station = Station.objects.create(
            community=community,
            grid=grid,
            name=name.strip(),
            lat=lat,
            lon=lon,
            address=address.strip(),
            description=description.strip(),
            hours=weekly_to_json(weekly or {}),
            amenities=_ordered(amenities, Amenity.values),
            serves=_ordered(serves, VisitorType.values),
            manager=manager,
        )
        audit.record(
            actor=actor, verb="station.create", target=station, after=audit.snapshot(station)
        )
    return station


def station_update(*, actor: Any, station: Station, **changes: Any) -> Station:
    """Change any of `EDITABLE` (`weekly` for the hours); the community stays."""
    unknown = set(changes) - set(EDITABLE) - {"weekly"}
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    require_staff(actor, station.community)
    if "weekly" in changes:
        changes["hours"] = weekly_to_json(changes.pop("weekly") or {})
    for key in ("amenities", "serves"):
        if key in changes:
            order = Amenity.values if key == "amenities" else VisitorType.values
            changes[key] = _ordered(changes[key], order)
    merged = {k: changes.get(k, getattr(station, k)) for k in EDITABLE}
    _check(
        community=station.community,
        grid=merged["grid"],
        name=merged["name"],
        lat=merged["lat"],
        lon=merged["lon"],
        amenities=merged["amenities"],
        serves=merged["serves"],
        manager=merged["manager"],
    )
    with transaction.atomic():
        station = Station.objects.select_for_update().select_related("community").get(pk=station.pk)
        before = audit.snapshot(station, EDITABLE)
        for key, value in changes.items():
            setattr(station, key, value.strip() if isinstance(value, str) else value)
        station.save()
        old, new = audit.diff(before, audit.snapshot(station, EDITABLE))
        audit.record(actor=actor, verb="station.update", target=station, before=old, after=new)
    return station


def photo_add(*, actor: Any, station: Station, image: Any, caption: str = "") -> StationPhoto:
    """A picture for the station's public page, by the staff over its community. Its
    metadata (a phone's GPS position) is dropped (core.photos)."""
    require_staff(actor, station.community)
    caption = caption.strip()
    if len(caption) > 40:
        raise ValidationError({"caption": _("说明不超过40个字。")})
    full, thumb, width, height = clean_photo(image)  # refuses before anything is written
    with transaction.atomic():
        station = Station.objects.select_for_update().get(pk=station.pk)
        if station.photos.count() >= PHOTOS_MAX:
            raise ValidationError(
                {"photos": _("每个驿站最多%(n)s张照片;请先删除一张。") % {"n": PHOTOS_MAX}}
            )
        photo = StationPhoto.objects.create(
            station=station,
            image=full,
            thumbnail=thumb,
            width=width,
            height=height,
            caption=caption,
        )
        audit.record(
            actor=actor, verb="station.photo_add", target=station, after={"caption": caption}
        )
    return photo


def photo_remove(*, actor: Any, photo: StationPhoto) -> Station:
    station = photo.station
    require_staff(actor, station.community)
    with transaction.atomic():
        Station.objects.select_for_update().get(pk=station.pk)
        caption = photo.caption
        files = [photo.image, photo.thumbnail]
        photo.delete()
        transaction.on_commit(lambda: [f.delete(save=False) for f in files])
        audit.record(
            actor=actor, verb="station.photo_remove", target=station, before={"caption": caption}
        )
    return station


def exception_set(
    *, actor: Any, station: Station, day: date, intervals: Intervals, note: str = ""
) -> HoursException:
    """Set the hours of one date (no intervals: closed that day), replacing any set before."""
    require_staff(actor, station.community)
    with transaction.atomic():
        row = HoursException.objects.filter(station=station, date=day).first()
        before = audit.snapshot(row) if row else {}
        row, _new = HoursException.objects.update_or_create(
            station=station,
            date=day,
            defaults={"intervals": [[s, e] for s, e in intervals], "note": note.strip()},
        )
        audit.record(
            actor=actor,
            verb="station.exception",
            target=station,
            before=before,
            after=audit.snapshot(row),
        )
    return row


def volunteer_add(*, actor: Any, station: Station, pioneer: Pioneer) -> StationVolunteer:
    require_staff(actor, station.community)
    if not pioneer.grid.path.startswith(station.community.path):
        raise ValidationError({"pioneer": _("只能添加本社区的海棠先锋。")})
    if StationVolunteer.objects.filter(station=station, pioneer=pioneer).exists():
        raise ValidationError({"pioneer": _("这位海棠先锋已在值守名单中。")})
    with transaction.atomic():
        link = StationVolunteer.objects.create(station=station, pioneer=pioneer)
        audit.record(
            actor=actor,
            verb="station.volunteer_add",
            target=station,
            after={"pioneer": pioneer.pk, "name": pioneer.name},
        )
    return link


def volunteer_remove(*, actor: Any, volunteer: StationVolunteer) -> Station:
    station = volunteer.station
    require_staff(actor, station.community)
    with transaction.atomic():
        audit.record(
            actor=actor,
            verb="station.volunteer_remove",
            target=station,
            before={"pioneer": volunteer.pioneer_id},
        )
        volunteer.delete()
    return station


def visit_log(
    *, actor: Any, station: Station, kind: str, note: str = "", at: datetime | None = None
) -> StationVisit:
    """One visitor of `kind`, logged now by the person on duty."""
    if kind not in VisitorType.values:
        raise ValidationError({"kind": _("未知的来访者类型。")})
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": _("备注不超过 100 字。")})
    require_tend(actor, station)
    if not station.active:
        raise ValidationError({"kind": _("驿站已停用。")})
    with transaction.atomic():
        visit = StationVisit.objects.create(
            station=station,
            kind=kind,
            at=at or timezone.now(),
            note=note.strip(),
            recorded_by=actor,
        )
        audit.record(actor=actor, verb="station.visit", target=visit, after={"kind": kind})
    return visit


def reflection_create(*, station: Station, text: str, signature: str = "") -> Reflection:
    """A visitor's message; it waits for the people on duty to approve it."""
    text, signature = text.strip(), signature.strip()
    if not text:
        raise ValidationError({"text": _("请写下您的留言。")})
    if len(text) > REFLECTION_MAX:
        raise ValidationError({"text": _("留言不超过 200 字。")})
    if len(signature) > 20:
        raise ValidationError({"signature": _("署名不超过 20 字。")})
    if not station.active:
        raise ValidationError({"text": _("驿站已停用。")})
    with transaction.atomic():
        reflection = Reflection.objects.create(station=station, text=text, signature=signature)
        audit.record(actor=None, verb="reflection.create", target=reflection)
    return reflection


def reflection_moderate(*, actor: Any, reflection: Reflection, approve: bool) -> Reflection:
    """Show the message on the station's page, or hide it (either may be undone)."""
    require_tend(actor, reflection.station)
    status = ReflectionStatus.APPROVED if approve else ReflectionStatus.HIDDEN
    with transaction.atomic():
        reflection = Reflection.objects.select_for_update().get(pk=reflection.pk)
        before = reflection.status
        reflection.status = status
        reflection.moderated_by = actor
        reflection.moderated_at = timezone.now()
        reflection.save(update_fields=["status", "moderated_by", "moderated_at"])
        audit.record(
            actor=actor,
            verb="reflection.approve" if approve else "reflection.hide",
            target=reflection,
            before={"status": before},
            after={"status": status},
        )
    return reflection
