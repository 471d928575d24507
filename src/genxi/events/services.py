"""Writes of the weekend community: every one checks who may, runs in one transaction and
is audited. The staff over a community (its workers, the street's admins) plan its months
and run its events; an event's organiser runs that event too; pioneers sign up for the
roster; residents register on the public page (or are registered by staff, 代报名).

Registration locks the event row (`select_for_update`), so places never exceed the
capacity and the waiting list keeps the order of arrival (`seq`); a cancellation moves
exactly the next person up and tells them by text message (`TextMessage`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from genxi.cobuild.models import Project
from genxi.core import audit, pii
from genxi.core.domain.phones import is_valid_mobile
from genxi.core.notifications import tell
from genxi.core.params import calendar_error
from genxi.core.photos import clean_photo
from genxi.core.roles import STAFF_ROLES
from genxi.core.scope import scope_for
from genxi.core.sms import queue_text
from genxi.core.text import strip_control
from genxi.people.models import Pioneer
from genxi.regions.models import Level, Region

from .domain import waitlist
from .domain.calendar import month_start, next_month, week_start
from .models import (
    Audience,
    Event,
    EventPhoto,
    EventStatus,
    Material,
    MonthPlan,
    PlanStatus,
    Registration,
    RegistrationStatus,
    RosterEntry,
    RosterRole,
    TextMessage,
    WeekTheme,
)

SMS_PURPOSE = "event.text"  # core/sms: the registrants' texts (apps.py marks them sent)
TITLE_MAX = 80
NAME_MAX = 20
MAX_CAPACITY = 10000
# The reasons of a cancelled place and of a cancelled event (Registration, Event).
CANCEL_REASON_MAX: int = Registration._meta.get_field("cancel_reason").max_length or 200
TEXT_MAX: int = TextMessage._meta.get_field("text").max_length or 200  # one text message
EDITABLE = (
    "title",
    "description",
    "place",
    "starts_at",
    "ends_at",
    "capacity",
    "audience",
    "organiser",
    "project",
)


# Who may ------------------------------------------------------------------------------------


def is_staff_over(actor: Any, community: Region) -> bool:
    return scope_for(actor).role_covers(STAFF_ROLES, community.path)


def _require_staff(actor: Any, community: Region) -> None:
    if not is_staff_over(actor, community):
        raise PermissionDenied(_("只有本社区或街道的工作人员可以这样做。"))


def can_run(actor: Any, event: Event) -> bool:
    """The staff over the event's community and its organiser run it (check-in, roster,
    materials, photos, summary)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    return event.organiser_id == actor.pk or is_staff_over(actor, event.community)


def _require_run(actor: Any, event: Event) -> None:
    if not can_run(actor, event):
        raise PermissionDenied(_("只有活动组织者和社区工作人员可以这样做。"))


def _locked(event: Event) -> Event:
    return Event.objects.select_for_update().select_related("community").get(pk=event.pk)


def _refuse_if_cancelled(event: Event, field: str) -> None:
    """A cancelled event took place nowhere: no material handed out, no photo of it. Read
    under the event's lock, so a cancellation running beside the write is seen."""
    if _locked(event).status == EventStatus.CANCELLED:
        raise ValidationError({field: _("活动已取消,不能再登记物资或上传照片。")})


# Plans ----------------------------------------------------------------------------------------


def plan_save(
    *,
    actor: Any,
    community: Region,
    month: date,
    title: str,
    notes: str = "",
    themes: Mapping[date, str] | None = None,
) -> MonthPlan:
    """Create or change a community's plan for a month with its weekly themes (keyed by any
    day of the week; an empty theme removes that week's)."""
    if community.level != Level.COMMUNITY:
        raise ValidationError({"community": _("计划须属于一个社区。")})
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("请填写计划标题。")})
    if len(title) > TITLE_MAX:
        raise ValidationError({"title": _("标题不超过 80 字。")})
    _require_staff(actor, community)
    first = month_start(month)
    weeks: dict[date, str] = {}
    for day, theme in (themes or {}).items():
        monday = week_start(day)
        if not (first <= day < next_month(first)):
            raise ValidationError({"themes": _("主题的日期须在本月内。")})
        if len(theme.strip()) > 60:
            raise ValidationError({"themes": _("主题不超过 60 字。")})
        weeks[monday] = theme.strip()
    with transaction.atomic():
        plan = (
            MonthPlan.objects.select_for_update().filter(community=community, month=first).first()
        )
        before = audit.snapshot(plan, ("title", "notes")) if plan else {}
        if plan is None:
            plan = MonthPlan.objects.create(
                community=community, month=first, title=title, notes=notes.strip()
            )
        else:
            plan.title, plan.notes = title, notes.strip()
            plan.save(update_fields=["title", "notes", "updated_at"])
        for monday, theme in weeks.items():
            if theme:
                WeekTheme.objects.update_or_create(
                    plan=plan, week_start=monday, defaults={"theme": theme}
                )
            else:
                WeekTheme.objects.filter(plan=plan, week_start=monday).delete()
        after = audit.snapshot(plan, ("title", "notes")) | {
            "themes": {d.isoformat(): t for d, t in sorted(weeks.items())}
        }
        audit.record(actor=actor, verb="plan.save", target=plan, before=before, after=after)
    return plan


def plan_publish(*, actor: Any, plan: MonthPlan) -> MonthPlan:
    """Publish the month's plan and the month's draft events with it."""
    _require_staff(actor, plan.community)
    with transaction.atomic():
        plan = MonthPlan.objects.select_for_update().get(pk=plan.pk)
        if plan.status == PlanStatus.PUBLISHED:
            raise ValidationError({"status": _("本月计划已发布。")})
        drafts = Event.objects.filter(
            community_id=plan.community_id,
            status=EventStatus.DRAFT,
            starts_at__date__gte=plan.month,
            starts_at__date__lt=next_month(plan.month),
        )
        published = drafts.update(status=EventStatus.PUBLISHED, updated_at=timezone.now())
        plan.status = PlanStatus.PUBLISHED
        plan.published_at = timezone.now()
        plan.published_by = actor
        plan.save(update_fields=["status", "published_at", "published_by", "updated_at"])
        audit.record(
            actor=actor,
            verb="plan.publish",
            target=plan,
            before={"status": PlanStatus.DRAFT},
            after={"status": PlanStatus.PUBLISHED, "events": published},
        )
    return plan


# Events -------------------------------------------------------------------------------------


def _check_event(
    *,
    community: Region,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    capacity: int,
    audience: Sequence[str],
    organiser: Any,
    project: Project | None,
) -> None:
    errors: dict[str, str] = {}
    if community.level != Level.COMMUNITY:
        errors["community"] = _("活动须属于一个社区。")
    if not title.strip():
        errors["title"] = _("请填写活动名称。")
    elif len(title.strip()) > TITLE_MAX:
        errors["title"] = _("活动名称不超过 80 字。")
    for name, value in (("starts_at", starts_at), ("ends_at", ends_at)):
        if message := calendar_error(value):
            errors[name] = message
    if not errors and ends_at <= starts_at:
        errors["ends_at"] = _("结束时间须晚于开始时间。")
    if not (1 <= capacity <= MAX_CAPACITY):
        errors["capacity"] = _("名额须在 1 到 10000 之间。")
    if set(audience) - set(Audience.values):
        errors["audience"] = _("未知的面向人群。")
    if (
        organiser is not None
        and not is_staff_over(organiser, community)
        and not Pioneer.objects.filter(
            user=organiser, grid__path__startswith=community.path
        ).exists()
    ):
        errors["organiser"] = _("组织者须是本社区的工作人员或海棠先锋。")
    if project is not None and project.community_id != community.pk:
        errors["project"] = _("只能关联本社区的项目。")
    if errors:
        raise ValidationError(errors)


def event_create(
    *,
    actor: Any,
    community: Region,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    capacity: int,
    place: str = "",
    description: str = "",
    audience: Sequence[str] = (),
    organiser: Any = None,
    project: Project | None = None,
    draft: bool = False,
) -> Event:
    """An event of the community's calendar; a draft waits for the month's plan to be
    published."""
    _check_event(
        community=community,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=capacity,
        audience=audience,
        organiser=organiser,
        project=project,
    )
    _require_staff(actor, community)
    with transaction.atomic():
        event = Event.objects.create(
            community=community,
            title=title.strip(),
            description=description.strip(),
            place=place.strip(),
            starts_at=starts_at,
            ends_at=ends_at,
            capacity=capacity,
            audience=[a for a in Audience.values if a in set(audience)],
            organiser=organiser,
            project=project,
            status=EventStatus.DRAFT if draft else EventStatus.PUBLISHED,
        )
        audit.record(actor=actor, verb="event.create", target=event, after=audit.snapshot(event))
    return event


def event_update(*, actor: Any, event: Event, **changes: Any) -> Event:
    """Change any of `EDITABLE`. Raising the capacity moves the waiting list up; lowering it
    below the places already given is refused."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    _require_staff(actor, event.community)
    if "audience" in changes:
        changes["audience"] = [a for a in Audience.values if a in set(changes["audience"])]
    with transaction.atomic():
        event = _locked(event)
        merged = {k: changes.get(k, getattr(event, k)) for k in EDITABLE}
        _check_event(
            community=event.community,
            title=merged["title"],
            starts_at=merged["starts_at"],
            ends_at=merged["ends_at"],
            capacity=merged["capacity"],
            audience=merged["audience"],
            organiser=merged["organiser"],
            project=merged["project"],
        )
        if event.status in (EventStatus.CANCELLED, EventStatus.DONE):
            raise ValidationError({"title": _("已取消或已完成的活动不能修改。")})
        taken = event.registrations.filter(status=RegistrationStatus.REGISTERED).count()
        if merged["capacity"] < taken:
            raise ValidationError(
                {"capacity": _("已有 %(n)d 人报名,名额不能少于此数。") % {"n": taken}}
            )
        before = audit.snapshot(event, EDITABLE)
        for key, value in changes.items():
            setattr(event, key, value.strip() if isinstance(value, str) else value)
        event.save()
        moved = _promote(event)
        old, new = audit.diff(before, audit.snapshot(event, EDITABLE))
        audit.record(
            actor=actor,
            verb="event.update",
            target=event,
            before=old,
            after=new | ({"promoted": len(moved)} if moved else {}),
        )
    return event


def event_publish(*, actor: Any, event: Event) -> Event:
    _require_staff(actor, event.community)
    return _set_status(actor, event, EventStatus.PUBLISHED, {EventStatus.DRAFT}, "event.publish")


def event_cancel(*, actor: Any, event: Event, reason: str = "") -> Event:
    """Cancel the event and tell everyone registered or waiting (and why, if the staff
    said: it is kept on the event and shown on every ticket)."""
    _require_staff(actor, event.community)
    reason = _cancel_reason(reason)
    if reason:
        text = _text_with_reason(
            _("【周末社区】很抱歉,“%(title)s”已取消:%(reason)s")
            % {"title": event.title, "reason": reason},
            reason,
        )
    else:
        text = _("【周末社区】很抱歉,“%(title)s”已取消。") % {"title": event.title}
    with transaction.atomic():
        event = _set_status(
            actor,
            event,
            EventStatus.CANCELLED,
            {EventStatus.DRAFT, EventStatus.PUBLISHED},
            "event.cancel",
            reason=reason,
            also={"cancel_reason": reason},
        )
        for reg in event.registrations.exclude(status=RegistrationStatus.CANCELLED):
            _text(reg, text)
    return event


def _cancel_reason(reason: str) -> str:
    """A cancellation's reason as typed, on one line (control characters and line breaks
    out); refused past its column."""
    reason = " ".join(strip_control(reason or "").split())
    if len(reason) > CANCEL_REASON_MAX:
        raise ValidationError({"reason": _("取消原因最多 %(n)d 个字。") % {"n": CANCEL_REASON_MAX}})
    return reason


def _text_with_reason(text: str, reason: str) -> str:
    """A text message that gives a reason, refused on the reason when it would not fit in one
    message (`TextMessage.text`): cut, the resident would read half of it."""
    if len(text) > TEXT_MAX:
        room = TEXT_MAX - (len(text) - len(reason))
        raise ValidationError(
            {
                "reason": _("短信最多 %(max)d 个字:请把取消原因写在 %(n)d 个字以内。")
                % {"max": TEXT_MAX, "n": max(room, 0)}
            }
        )
    return text


def _set_status(
    actor: Any,
    event: Event,
    status: str,
    sources: set[str],
    verb: str,
    reason: str = "",
    also: dict[str, Any] | None = None,
) -> Event:
    """Move the event to `status` from one of `sources`, with the fields in `also` (one
    UPDATE), audited with the reason."""
    with transaction.atomic():
        event = _locked(event)
        if event.status not in sources:
            raise ValidationError({"status": _("活动当前的状态不能这样做。")})
        before = event.status
        event.status = status
        for name, value in (also or {}).items():
            setattr(event, name, value)
        event.save(update_fields=["status", *(also or {}), "updated_at"])
        audit.record(
            actor=actor,
            verb=verb,
            target=event,
            before={"status": before},
            after={"status": status},
            reason=pii.mask_free_text(reason),
        )
    return event


def event_summarise(
    *,
    actor: Any,
    event: Event,
    summary: str,
    served: int,
    attendance: int | None = None,
) -> Event:
    """Write the summary after the event: attendance (the check-ins unless given), people
    served, what happened. The event is done."""
    _require_run(actor, event)
    if served < 0 or (attendance is not None and attendance < 0):
        raise ValidationError({"served": _("人数不能为负。")})
    with transaction.atomic():
        event = _locked(event)
        if event.status not in (EventStatus.PUBLISHED, EventStatus.DONE):
            raise ValidationError({"summary": _("只有已发布的活动可以写总结。")})
        if event.starts_at > timezone.now():
            raise ValidationError({"summary": _("活动开始后才能写总结。")})
        if attendance is None:
            attendance = event.registrations.filter(checked_in_at__isnull=False).count()
        before = audit.snapshot(event, ("status", "attendance", "served", "summary"))
        event.attendance, event.served = attendance, served
        event.summary = summary.strip()
        event.summarised_at = timezone.now()
        event.status = EventStatus.DONE
        event.save()
        old, new = audit.diff(
            before, audit.snapshot(event, ("status", "attendance", "served", "summary"))
        )
        audit.record(actor=actor, verb="event.summarise", target=event, before=old, after=new)
    return event


# Registration and the waiting list ------------------------------------------------------------


_STATUSES: dict[str, waitlist.Status] = {
    waitlist.REGISTERED: waitlist.REGISTERED,
    waitlist.WAITLISTED: waitlist.WAITLISTED,
    waitlist.CANCELLED: waitlist.CANCELLED,
}


def _entries(event: Event) -> list[waitlist.Entry]:
    return [
        waitlist.Entry(seq, _STATUSES[status])
        for seq, status in event.registrations.values_list("seq", "status")
    ]


def waitlist_position(registration: Registration) -> int | None:
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    return (
        Registration.objects.filter(
            event_id=registration.event_id,
            status=RegistrationStatus.WAITLISTED,
            seq__lt=registration.seq,
        ).count()
        + 1
    )


def register(
    *, actor: Any, event: Event, name: str, phone: str, now: datetime | None = None
) -> Registration:
    """Register a resident (on the public page, `actor` None; or by staff, 代报名): a place
    while any is left, else the waiting list. One registration per phone number."""
    name, phone = name.strip(), phone.strip().replace(" ", "")
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("请填写姓名。")
    elif len(name) > NAME_MAX:
        errors["name"] = _("姓名不超过 20 字。")
    if not is_valid_mobile(phone):
        errors["phone"] = _("请填写正确的手机号。")
    if errors:
        raise ValidationError(errors)
    if actor is not None:
        _require_run(actor, event)
    now = now or timezone.now()
    digest = pii.digest(phone)
    with transaction.atomic():
        event = _locked(event)
        if event.status != EventStatus.PUBLISHED:
            raise ValidationError({"name": _("这个活动现在不接受报名。")})
        if event.ends_at <= now:
            raise ValidationError({"name": _("活动已结束。")})
        if (
            event.registrations.filter(phone_digest=digest)
            .exclude(status=RegistrationStatus.CANCELLED)
            .exists()
        ):
            raise ValidationError({"phone": _("这个手机号已经报过名了。")})
        entries = _entries(event)
        status = waitlist.admit(entries, event.capacity)
        seq = (event.registrations.aggregate(m=Max("seq"))["m"] or 0) + 1
        reg = Registration.objects.create(
            event=event,
            seq=seq,
            name=name,
            phone=phone,
            phone_digest=digest,
            status=status,
            registered_by=actor,
        )
        audit.record(
            actor=actor,
            verb="registration.create",
            target=reg,
            after={"event": event.pk, "status": status, "name": reg.masked("name")},
        )
    return reg


def _text(reg: Registration, text: str) -> TextMessage:
    """The registrant's text: kept with the registration (staff see it, masked) and queued in
    core's SMS outbox, which sends it after commit and marks `sent_at` (decision 0029)."""
    message = TextMessage.objects.create(registration=reg, phone=reg.phone, text=text[:200])
    if is_valid_mobile(reg.phone):
        queue_text(phone=reg.phone, text=message.text, purpose=SMS_PURPOSE, subject=message)
    return message


def _promote(event: Event) -> list[Registration]:
    """Move up, in order, as many waiting registrations as there are free places (under the
    event's lock), telling each by text message and the organiser in the inbox."""
    seqs = waitlist.promote(_entries(event), event.capacity)
    if not seqs:
        return []
    moved = list(event.registrations.filter(seq__in=seqs).order_by("seq"))
    now = timezone.now()
    for reg in moved:
        reg.status = RegistrationStatus.REGISTERED
        reg.promoted_at = now
        reg.save(update_fields=["status", "promoted_at"])
        _text(
            reg,
            _("【周末社区】您已从候补转为正式报名:“%(title)s”,%(when)s。签到码 %(code)s。")
            % {
                "title": event.title,
                "when": timezone.localtime(event.starts_at).strftime("%m-%d %H:%M"),
                "code": reg.code,
            },
        )
        audit.record(
            actor=None,
            verb="registration.promote",
            target=reg,
            before={"status": RegistrationStatus.WAITLISTED},
            after={"status": RegistrationStatus.REGISTERED},
        )
    if event.organiser is not None:
        tell(
            [event.organiser],
            verb="event.promote",
            text=_("“%(title)s”有 %(n)d 位候补转为正式报名。")
            % {"title": event.title, "n": len(moved)},
            subject=event,
        )
    return moved


def registration_cancel(
    *, actor: Any, registration: Registration, code: str | None = None, reason: str = ""
) -> Registration:
    """Give a place back (the resident with their code, or the staff, who say why: the
    resident reads it on the ticket and gets it by text); the next one on the waiting list
    moves up."""
    if actor is None:
        if code is None or code.strip().upper() != registration.code:
            raise ValidationError({"code": _("签到码不正确。")})
        reason = ""
    else:
        _require_run(actor, registration.event)
        reason = _cancel_reason(reason)
        if not reason:
            raise ValidationError({"reason": _("请写明取消原因,居民会在报名凭证和短信里看到。")})
    told = ""
    if actor is not None:  # the resident did not do it: tell them, and why
        told = _text_with_reason(
            _("【周末社区】很抱歉,您报名的“%(title)s”已被工作人员取消:%(reason)s")
            % {"title": registration.event.title, "reason": reason},
            reason,
        )
    with transaction.atomic():
        event = _locked(registration.event)
        reg = Registration.objects.select_for_update().get(pk=registration.pk)
        if event.status == EventStatus.CANCELLED:
            raise ValidationError({"code": _("这个活动已取消,报名不用再取消。")})
        if event.status != EventStatus.PUBLISHED or event.ends_at <= timezone.now():
            raise ValidationError({"code": _("活动已经结束,报名不能再取消。")})
        if reg.status == RegistrationStatus.CANCELLED:
            raise ValidationError({"code": _("这个报名已经取消了。")})
        if reg.checked_in_at is not None:
            raise ValidationError({"code": _("已签到,不能取消。")})
        before = reg.status
        reg.status = RegistrationStatus.CANCELLED
        reg.cancelled_at = timezone.now()
        reg.cancel_reason = reason
        reg.save(update_fields=["status", "cancelled_at", "cancel_reason"])
        audit.record(
            actor=actor,
            verb="registration.cancel",
            target=reg,
            before={"status": before},
            after={"status": RegistrationStatus.CANCELLED},
            reason=pii.mask_free_text(reason),
        )
        if told:
            _text(reg, told)
        if event.status == EventStatus.PUBLISHED:
            _promote(event)
    return reg


def check_in(*, actor: Any, event: Event, code: str) -> Registration:
    """Check a registration in by its code (scanned from its QR code or typed)."""
    _require_run(actor, event)
    code = code.strip().upper()
    if not code:
        raise ValidationError({"code": _("请输入签到码。")})
    with transaction.atomic():
        event = _locked(event)
        reg = Registration.objects.select_for_update().filter(event=event, code=code).first()
        if reg is None:
            raise ValidationError({"code": _("没有找到这个签到码的报名。")})
        if reg.status == RegistrationStatus.WAITLISTED:
            raise ValidationError({"code": _("这位居民还在候补名单上。")})
        if reg.status == RegistrationStatus.CANCELLED:
            raise ValidationError({"code": _("这个报名已经取消了。")})
        if reg.checked_in_at is not None:
            raise ValidationError({"code": _("已经签到过了。")})
        if event.status not in (EventStatus.PUBLISHED, EventStatus.DONE):
            raise ValidationError({"code": _("这个活动不能签到。")})
        reg.checked_in_at = timezone.now()
        reg.save(update_fields=["checked_in_at"])
        audit.record(
            actor=actor, verb="registration.check_in", target=reg, after={"checked_in": True}
        )
    return reg


# Roster, materials, photos -------------------------------------------------------------------


def roster_join(
    *, actor: Any, event: Event, role: str, pioneer: Pioneer | None = None
) -> RosterEntry:
    """A pioneer signs up for a role (their own account), or the event's runners put one on
    the roster."""
    if role not in RosterRole.values:
        raise ValidationError({"role": _("未知的岗位。")})
    if pioneer is None:
        pioneer = Pioneer.objects.filter(user=actor, active=True).select_related("grid").first()
        if pioneer is None:
            raise PermissionDenied(_("只有海棠先锋可以报名当志愿者。"))
    else:
        _require_run(actor, event)
    if not pioneer.grid.path.startswith(event.community.path):
        raise ValidationError({"pioneer": _("只有本社区的海棠先锋可以报名。")})
    with transaction.atomic():
        event = _locked(event)
        if event.status in (EventStatus.CANCELLED, EventStatus.DONE):
            raise ValidationError({"role": _("活动已取消或已结束。")})
        if RosterEntry.objects.filter(event=event, pioneer=pioneer).exists():
            raise ValidationError({"pioneer": _("已在志愿者名单中。")})
        entry = RosterEntry.objects.create(event=event, pioneer=pioneer, role=role)
        audit.record(
            actor=actor,
            verb="roster.join",
            target=event,
            after={"pioneer": pioneer.pk, "role": role},
        )
    return entry


def roster_leave(*, actor: Any, entry: RosterEntry) -> Event:
    """A pioneer leaves the roster, or the event's runners take one off it — while the event
    is still ahead: a finished event's roster is the record its volunteer hours are proposed
    from (corrected in the hours review, not here), and a cancelled one's no longer changes."""
    event = entry.event
    if entry.pioneer.user_id != getattr(actor, "pk", None):
        _require_run(actor, event)
    with transaction.atomic():
        if _locked(event).status in (EventStatus.CANCELLED, EventStatus.DONE):
            raise ValidationError({"entry": _("活动已取消或已结束,志愿者名单不再变动。")})
        audit.record(
            actor=actor,
            verb="roster.leave",
            target=event,
            before={"pioneer": entry.pioneer_id, "role": entry.role},
        )
        entry.delete()
    return event


def material_set(
    *, actor: Any, event: Event, name: str, quantity: int, unit: str = ""
) -> Material | None:
    """Count a material handed out (replacing its count); 0 removes it."""
    _require_run(actor, event)
    name, unit = name.strip(), unit.strip()
    if not name or len(name) > 40:
        raise ValidationError({"name": _("请填写物资名称(不超过 40 字)。")})
    if len(unit) > 8:
        raise ValidationError({"unit": _("单位不超过 8 字。")})
    if quantity < 0:
        raise ValidationError({"quantity": _("数量不能为负。")})
    with transaction.atomic():
        _refuse_if_cancelled(event, "name")
        row = Material.objects.select_for_update().filter(event=event, name=name).first()
        before = {"name": name, "quantity": row.quantity} if row else {}
        if quantity == 0:
            if row:
                row.delete()
            row = None
        else:
            row, _new = Material.objects.update_or_create(
                event=event, name=name, defaults={"quantity": quantity, "unit": unit}
            )
        audit.record(
            actor=actor,
            verb="event.material",
            target=event,
            before=before,
            after={"name": name, "quantity": quantity, "unit": unit},
        )
    return row


def photo_add(*, actor: Any, event: Event, photos: list[UploadedFile[Any]]) -> list[EventPhoto]:
    _require_run(actor, event)
    if not photos:
        raise ValidationError({"photos": _("请选择照片。")})
    cleaned = [clean_photo(p) for p in photos]  # fail before writing anything
    with transaction.atomic():
        _refuse_if_cancelled(event, "photos")
        made = [
            EventPhoto.objects.create(
                event=event, image=image, thumbnail=thumb, width=width, height=height
            )
            for image, thumb, width, height in cleaned
        ]
        audit.record(actor=actor, verb="event.photo", target=event, after={"photos": len(made)})
    return made
