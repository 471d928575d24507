"""Writes of the shared medicine box: stock in (a new batch, or more of one), issue to a
visitor — never from an expired batch, never more than is left, under the batch's lock —
and throw a batch away; the days of warning before expiry; the warnings themselves."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from genxi.core import audit
from genxi.core.notifications import tell

from ..domain.hours import TZ
from ..models import MedicineItem, MedicineMove, MoveKind, Station, StationVolunteer
from .stations import require_staff, require_tend

WARN_DAYS_MAX = 365


def _today(now: datetime) -> date:
    return now.astimezone(TZ).date()


def medicine_add(
    *,
    actor: Any,
    station: Station,
    name: str,
    unit: str,
    quantity: int,
    expiry: date,
    batch: str = "",
    minimum: int = 0,
    note: str = "",
    now: datetime | None = None,
) -> MedicineItem:
    """Stock in: a batch (name, batch number, expiry) gains `quantity`; a new one is made."""
    now = now or timezone.now()
    name, unit, batch = name.strip(), unit.strip(), batch.strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("请填写药品名称。")
    if not unit:
        errors["unit"] = _("请填写单位。")
    if quantity < 1:
        errors["quantity"] = _("数量至少为 1。")
    if expiry < _today(now):
        errors["expiry"] = _("已过期的药品不能入库。")
    if errors:
        raise ValidationError(errors)
    require_tend(actor, station)
    with transaction.atomic():
        item, _created = MedicineItem.objects.select_for_update().get_or_create(
            station=station,
            name=name,
            batch=batch,
            expiry=expiry,
            defaults={"unit": unit, "minimum": minimum},
        )
        item.quantity += quantity
        if minimum:
            item.minimum = minimum
        item.save(update_fields=["quantity", "minimum"])
        MedicineMove.objects.create(
            item=item, kind=MoveKind.IN, quantity=quantity, note=note.strip(), at=now, by=actor
        )
        audit.record(
            actor=actor,
            verb="medicine.add",
            target=item,
            after={"quantity": quantity, "stock": item.quantity, "expiry": expiry.isoformat()},
        )
    return item


def medicine_issue(
    *,
    actor: Any,
    item: MedicineItem,
    quantity: int,
    note: str = "",
    now: datetime | None = None,
) -> MedicineMove:
    """Give `quantity` of a batch to a visitor. Refused for an expired batch and for more
    than is left, checked again under the batch's lock."""
    now = now or timezone.now()
    if quantity < 1:
        raise ValidationError({"quantity": _("数量至少为 1。")})
    require_tend(actor, item.station)
    with transaction.atomic():
        item = MedicineItem.objects.select_for_update().get(pk=item.pk)
        if item.expired(_today(now)):
            raise ValidationError({"quantity": _("这批药品已过期,不能发放。")})
        if quantity > item.quantity:
            raise ValidationError(
                {
                    "quantity": _("库存只剩 %(n)d%(unit)s。")
                    % {"n": item.quantity, "unit": item.unit}
                }
            )
        item.quantity -= quantity
        item.save(update_fields=["quantity"])
        move = MedicineMove.objects.create(
            item=item, kind=MoveKind.OUT, quantity=quantity, note=note.strip(), at=now, by=actor
        )
        audit.record(
            actor=actor,
            verb="medicine.issue",
            target=item,
            after={"quantity": quantity, "stock": item.quantity},
        )
    return move


def medicine_discard(
    *, actor: Any, item: MedicineItem, note: str = "", now: datetime | None = None
) -> MedicineMove:
    """Throw away what is left of a batch (expired, damaged)."""
    now = now or timezone.now()
    require_tend(actor, item.station)
    with transaction.atomic():
        item = MedicineItem.objects.select_for_update().get(pk=item.pk)
        if item.quantity == 0:
            raise ValidationError({"item": _("这批药品已经没有库存。")})
        move = MedicineMove.objects.create(
            item=item,
            kind=MoveKind.DISCARD,
            quantity=item.quantity,
            note=note.strip(),
            at=now,
            by=actor,
        )
        audit.record(
            actor=actor,
            verb="medicine.discard",
            target=item,
            before={"stock": item.quantity},
            after={"stock": 0},
        )
        item.quantity = 0
        item.save(update_fields=["quantity"])
    return move


def medicine_settings(*, actor: Any, station: Station, warn_days: int) -> Station:
    if not 1 <= warn_days <= WARN_DAYS_MAX:
        raise ValidationError({"warn_days": _("提醒天数须在 1 到 365 之间。")})
    require_staff(actor, station.community)
    with transaction.atomic():
        station = Station.objects.select_for_update().get(pk=station.pk)
        before = station.medicine_warn_days
        station.medicine_warn_days = warn_days
        station.save(update_fields=["medicine_warn_days", "updated_at"])
        # A batch already warned of is warned again if the new window reaches it later.
        station.medicines.update(warned_at=None)
        audit.record(
            actor=actor,
            verb="medicine.settings",
            target=station,
            before={"medicine_warn_days": before},
            after={"medicine_warn_days": warn_days},
        )
    return station


def warn_expiring(*, now: datetime | None = None) -> int:
    """Tell those who tend each station (its manager and duty volunteers) about batches in
    stock that come within the station's warning days of their expiry date — once a batch,
    on the first day the window reaches it."""
    now = now or timezone.now()
    today = _today(now)
    items = list(
        MedicineItem.objects.filter(
            quantity__gt=0, warned_at__isnull=True, expiry__gte=today, station__active=True
        )
        .select_related("station__manager")
        .order_by("station_id", "expiry")
    )
    due = [i for i in items if i.expiry <= today + timedelta(days=i.station.medicine_warn_days)]
    by_station: dict[int, list[MedicineItem]] = {}
    for item in due:
        by_station.setdefault(item.station_id, []).append(item)
    for batch in by_station.values():
        station = batch[0].station
        volunteers = StationVolunteer.objects.filter(
            station=station, pioneer__user__isnull=False
        ).select_related("pioneer__user")
        users = [v.pioneer.user for v in volunteers]
        if station.manager is not None:
            users.append(station.manager)
        with transaction.atomic():
            MedicineItem.objects.filter(
                Q(pk__in=[i.pk for i in batch]), warned_at__isnull=True
            ).update(warned_at=now)
            tell(
                users,
                verb="medicine.expiring",
                text=_("%(station)s 药箱有 %(n)d 批药品即将过期:%(items)s")
                % {
                    "station": station.name,
                    "n": len(batch),
                    "items": "、".join(f"{i.name}({i.expiry:%Y-%m-%d})" for i in batch),
                },
                subject=station,
            )
    return len(due)
