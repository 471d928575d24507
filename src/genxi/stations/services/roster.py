"""Writes of the duty roster: the staff set a station's weekly shifts and dated
exceptions; its duty volunteers take shifts (or the staff assign them), give them up, and
swap them with one another (the other accepts). Two jobs run from a task: reminders the
day before a shift, and a warning to the community about a shift nobody took within 48
hours."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from genxi.core import audit
from genxi.core.notifications import tell
from genxi.core.roles import STAFF_ROLES
from genxi.people.models import Membership, Pioneer, User

from ..domain import roster
from ..domain.hours import TZ, Exceptions, Intervals, format_minutes, weekly_to_json
from ..models import (
    DutyException,
    DutyGapNotice,
    DutyShift,
    DutySwap,
    Station,
    StationVolunteer,
    SwapStatus,
    exceptions_of,
)
from .stations import is_staff_over, require_staff

GAP_HOURS = 48  # an unstaffed shift starting this soon warns the community


def _exceptions(station: Station) -> Exceptions:
    return exceptions_of(DutyException.objects.filter(station=station))


def _shift_text(day: date, start: int, end: int) -> str:
    return f"{day:%m-%d} {format_minutes(start)}-{format_minutes(end)}"


def is_volunteer(pioneer: Pioneer, station: Station) -> bool:
    return StationVolunteer.objects.filter(station=station, pioneer=pioneer).exists()


def own_pioneer(actor: Any, station: Station) -> Pioneer | None:
    """The actor's own pioneer record on duty at the station, if any."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    link = (
        StationVolunteer.objects.filter(station=station, pioneer__user_id=actor.pk)
        .select_related("pioneer")
        .first()
    )
    return link.pioneer if link is not None else None


def duty_pattern_set(*, actor: Any, station: Station, weekly: Mapping[int, Intervals]) -> Station:
    """The weekly shifts (weekday → intervals); shifts taken stay as they were."""
    require_staff(actor, station.community)
    with transaction.atomic():
        station = Station.objects.select_for_update().get(pk=station.pk)
        before = {"duty": station.duty}
        station.duty = weekly_to_json(weekly)
        station.save(update_fields=["duty", "updated_at"])
        audit.record(
            actor=actor,
            verb="duty.pattern",
            target=station,
            before=before,
            after={"duty": station.duty},
        )
    return station


def duty_exception_set(
    *, actor: Any, station: Station, day: date, intervals: Intervals, note: str = ""
) -> DutyException:
    """Other shifts on one date (none: no duty that day). A shift taken that the date no
    longer has is given back, and its volunteer told."""
    require_staff(actor, station.community)
    starts = {s for s, _e in intervals}
    with transaction.atomic():
        Station.objects.select_for_update().get(pk=station.pk)
        row = DutyException.objects.filter(station=station, date=day).first()
        before = audit.snapshot(row) if row else {}
        row, _new = DutyException.objects.update_or_create(
            station=station,
            date=day,
            defaults={"intervals": [[s, e] for s, e in intervals], "note": note.strip()},
        )
        dropped = list(
            DutyShift.objects.filter(station=station, date=day)
            .exclude(start__in=starts)
            .select_related("pioneer__user")
        )
        for shift in dropped:
            tell(
                [shift.pioneer.user],
                verb="duty.cancelled",
                text=_("%(station)s %(shift)s 的值班已取消。")
                % {"station": station.name, "shift": _shift_text(day, shift.start, shift.end)},
                subject=station,
            )
        DutyShift.objects.filter(pk__in=[s.pk for s in dropped]).delete()
        audit.record(
            actor=actor,
            verb="duty.exception",
            target=station,
            before=before,
            after={**audit.snapshot(row), "released": len(dropped)},
        )
    return row


def shift_take(
    *,
    actor: Any,
    station: Station,
    day: date,
    start: int,
    pioneer: Pioneer | None = None,
    now: datetime | None = None,
) -> DutyShift:
    """A volunteer signs up for a shift of the roster (`pioneer` left out: the actor's own
    record); the staff may put any of the station's volunteers on it. One a shift."""
    now = now or timezone.now()
    staff = is_staff_over(actor, station.community)
    own = own_pioneer(actor, station)
    if pioneer is None:
        pioneer = own
    if pioneer is None:
        if staff:
            raise ValidationError({"pioneer": _("请选择值班的志愿者。")})
        raise PermissionDenied(_("只有驿站的值守志愿者可以报名值班。"))
    if not staff and (own is None or own.pk != pioneer.pk):
        raise PermissionDenied(_("只能为自己报名值班。"))
    if not is_volunteer(pioneer, station):
        raise ValidationError({"pioneer": _("只能安排本驿站的值守志愿者。")})
    with transaction.atomic():
        station = Station.objects.select_for_update().get(pk=station.pk)
        shift = roster.find(day, start, station.duty_weekly(), _exceptions(station))
        if shift is None:
            raise ValidationError({"shift": _("排班表里没有这个班次。")})
        if shift.ends_at() <= now:
            raise ValidationError({"shift": _("这个班次已经结束。")})
        if DutyShift.objects.filter(station=station, date=day, start=start).exists():
            raise ValidationError({"shift": _("这个班次已经有人值班了。")})
        try:
            with transaction.atomic():
                taken = DutyShift.objects.create(
                    station=station, date=day, start=shift.start, end=shift.end, pioneer=pioneer
                )
        except IntegrityError as exc:  # a sign-up that won the race
            raise ValidationError({"shift": _("这个班次已经有人值班了。")}) from exc
        audit.record(
            actor=actor,
            verb="duty.take",
            target=taken,
            after={"pioneer": pioneer.pk, "date": day.isoformat(), "start": shift.start},
        )
    return taken


def _holder_or_staff(actor: Any, shift: DutyShift) -> None:
    if is_staff_over(actor, shift.station.community):
        return
    if shift.pioneer.user_id is None or shift.pioneer.user_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("只有值班人本人或社区工作人员可以这样做。"))


def shift_release(*, actor: Any, shift: DutyShift, now: datetime | None = None) -> Station:
    """Give a shift back (its holder, or the staff); it is unstaffed again."""
    now = now or timezone.now()
    _holder_or_staff(actor, shift)
    if shift.shift().starts_at() <= now:
        raise ValidationError({"shift": _("班次已经开始,不能退出。")})
    station = shift.station
    with transaction.atomic():
        audit.record(
            actor=actor,
            verb="duty.release",
            target=station,
            before={
                "pioneer": shift.pioneer_id,
                "date": shift.date.isoformat(),
                "start": shift.start,
            },
        )
        shift.delete()
    return station


def swap_offer(
    *, actor: Any, shift: DutyShift, to: Pioneer, now: datetime | None = None
) -> DutySwap:
    """The holder asks another of the station's volunteers to take the shift over."""
    now = now or timezone.now()
    if shift.pioneer.user_id is None or shift.pioneer.user_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("只有值班人本人可以申请换班。"))
    if to.pk == shift.pioneer_id:
        raise ValidationError({"to": _("请选择另一位志愿者。")})
    if not is_volunteer(to, shift.station):
        raise ValidationError({"to": _("只能与本驿站的值守志愿者换班。")})
    if to.user_id is None:
        raise ValidationError({"to": _("这位志愿者没有账号,无法确认换班。")})
    if shift.shift().starts_at() <= now:
        raise ValidationError({"to": _("班次已经开始,不能换班。")})
    with transaction.atomic():
        locked = DutyShift.objects.select_for_update().get(pk=shift.pk)
        if locked.swaps.filter(status=SwapStatus.PENDING).exists():
            raise ValidationError({"to": _("这个班次已有待确认的换班申请。")})
        swap = DutySwap.objects.create(shift=locked, from_pioneer=locked.pioneer, to_pioneer=to)
        tell(
            [to.user],
            verb="duty.swap_offer",
            text=_("%(name)s 请您接替 %(station)s %(shift)s 的值班,请确认。")
            % {
                "name": locked.pioneer.name,
                "station": shift.station.name,
                "shift": _shift_text(locked.date, locked.start, locked.end),
            },
            subject=shift.station,
        )
        audit.record(
            actor=actor,
            verb="duty.swap_offer",
            target=swap,
            after={"shift": locked.pk, "from": locked.pioneer_id, "to": to.pk},
        )
    return swap


def swap_answer(*, actor: Any, swap: DutySwap, accept: bool) -> DutySwap:
    """The volunteer asked takes the shift over, or says no."""
    if swap.to_pioneer.user_id is None or swap.to_pioneer.user_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("只有被邀请接班的志愿者可以确认。"))
    with transaction.atomic():
        swap = DutySwap.objects.select_for_update().select_related("to_pioneer").get(pk=swap.pk)
        shift = (
            DutyShift.objects.select_for_update().select_related("station").get(pk=swap.shift_id)
        )
        if swap.status != SwapStatus.PENDING:
            raise ValidationError({"swap": _("这个换班申请已经处理过了。")})
        if shift.pioneer_id != swap.from_pioneer_id:
            raise ValidationError({"swap": _("值班人已经变了,换班申请失效。")})
        swap.status = SwapStatus.ACCEPTED if accept else SwapStatus.DECLINED
        swap.decided_at = timezone.now()
        swap.save(update_fields=["status", "decided_at"])
        if accept:
            shift.pioneer = swap.to_pioneer
            shift.reminded_at = None
            shift.save(update_fields=["pioneer", "reminded_at"])
        holder = Pioneer.objects.select_related("user").get(pk=swap.from_pioneer_id)
        tell(
            [holder.user],
            verb="duty.swap_answer",
            text=(
                _("%(name)s 已接替您 %(shift)s 的值班。")
                if accept
                else _("%(name)s 无法接替您 %(shift)s 的值班。")
            )
            % {
                "name": swap.to_pioneer.name,
                "shift": _shift_text(shift.date, shift.start, shift.end),
            },
            subject=shift.station,
        )
        audit.record(
            actor=actor,
            verb="duty.swap_accept" if accept else "duty.swap_decline",
            target=swap,
            before={"status": SwapStatus.PENDING},
            after={"status": swap.status},
        )
    return swap


def send_reminders(*, now: datetime | None = None) -> int:
    """Remind each volunteer of tomorrow's shifts (once a shift), in their inbox."""
    now = now or timezone.now()
    tomorrow = now.astimezone(TZ).date() + timedelta(days=1)
    count = 0
    due = DutyShift.objects.filter(
        date=tomorrow, reminded_at__isnull=True, station__active=True
    ).values_list("pk", flat=True)
    for pk in list(due[:2000]):
        with transaction.atomic():
            shift = (
                DutyShift.objects.select_for_update(of=("self",))
                .select_related("station", "pioneer__user")
                .get(pk=pk)
            )
            if shift.reminded_at is not None:
                continue
            shift.reminded_at = now
            shift.save(update_fields=["reminded_at"])
            tell(
                [shift.pioneer.user],
                verb="duty.reminder",
                text=_("提醒:明天 %(shift)s 您在 %(station)s 值班。")
                % {
                    "shift": _shift_text(shift.date, shift.start, shift.end),
                    "station": shift.station.name,
                },
                subject=shift.station,
            )
            count += 1
    return count


def community_staff(station: Station) -> list[User]:
    """Who hears about the station's gaps: the community's workers and its manager."""
    holders = Membership.objects.filter(
        active=True, role__in=STAFF_ROLES, region=station.community
    ).values("user")
    users = list(User.objects.filter(pk__in=holders, is_active=True))
    if station.manager is not None and station.manager not in users:
        users.append(station.manager)
    return users


def warn_unstaffed(*, now: datetime | None = None, hours: int = GAP_HOURS) -> int:
    """Tell each station's community about each shift in the next `hours` nobody took
    (once a shift). Answers the number of shifts warned of."""
    now = now or timezone.now()
    today = now.astimezone(TZ).date()
    last = today + timedelta(days=hours // 24 + 1)
    count = 0
    stations = Station.objects.filter(active=True).exclude(duty={}).select_related("manager")
    for station in stations:
        exceptions = exceptions_of(
            DutyException.objects.filter(station=station, date__gte=today, date__lte=last)
        )
        taken = DutyShift.objects.filter(station=station, date__gte=today - timedelta(days=1))
        gaps = roster.unstaffed(
            now, hours, station.duty_weekly(), exceptions, taken.values_list("date", "start")
        )
        warned = set(
            DutyGapNotice.objects.filter(station=station, date__gte=today).values_list(
                "date", "start"
            )
        )
        fresh = [g for g in gaps if g.key not in warned]
        if not fresh:
            continue
        with transaction.atomic():
            DutyGapNotice.objects.bulk_create(
                [DutyGapNotice(station=station, date=g.day, start=g.start) for g in fresh],
                ignore_conflicts=True,
            )
            tell(
                community_staff(station),
                verb="duty.unstaffed",
                text=_("%(station)s 有 %(n)d 个班次无人值班:%(shifts)s")
                % {
                    "station": station.name,
                    "n": len(fresh),
                    "shifts": "、".join(_shift_text(g.day, g.start, g.end) for g in fresh),
                },
                subject=station,
            )
        count += len(fresh)
    return count
